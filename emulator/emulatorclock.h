#pragma once

#include <QElapsedTimer>
#include <QtGlobal>

#include <vector>

namespace Gatescope::Emulator {

class ClockTimer;

/// The emulator's one clock: every protocol window, deadline and delay (rate limit, Identify
/// concurrency, session starts and expiry, heartbeat and auth deadlines, ACK delays, the close
/// after op 7, slow-write pacing, scheduled faults, the traffic rate) reads its time here and
/// waits on a ClockTimer made from it.
///
/// By default the clock is steady real time, counted from its construction, and its timers are
/// QTimers. useManualTime() stops it: from then on time moves only in advance(), which fires
/// every timer that falls due on the way, in due order, so a test can check a deadline at its
/// exact millisecond without waiting. Guards about real I/O stay on real time (the close
/// handshake's timeout, an HTTP request's deadline, the traffic pump's CPU budget per tick).
///
/// Thread affinity: the server's. Owned by EmulatorServer; its timers may outlive it (they
/// then stop counting on it).
class EmulatorClock
{
    Q_DISABLE_COPY_MOVE(EmulatorClock)
public:
    EmulatorClock();
    ~EmulatorClock();

    /// Milliseconds since the clock was made (real), or the manual time.
    qint64 nowMs() const;
    bool isManual() const { return m_manual; }
    /// Stops the clock at its current reading; running timers keep their remaining time and
    /// from now on fire only in advance(). There is no way back to real time.
    void useManualTime();
    /// Manual time only: moves the clock @p ms forward, firing each timer due by then at its
    /// due time (ties in the order they were started). advance(0) fires the timers due now.
    void advance(qint64 ms);

private:
    friend class ClockTimer;
    void add(ClockTimer *timer);
    void remove(ClockTimer *timer);
    quint64 nextStartOrder() { return ++m_starts; }
    /// The running manual timer due first, if it is due by @p untilMs.
    ClockTimer *firstDue(qint64 untilMs) const;

    QElapsedTimer m_elapsed;
    bool m_manual = false;
    qint64 m_manualNowMs = 0;
    quint64 m_starts = 0;
    std::vector<ClockTimer *> m_timers; ///< every timer made from this clock
};

} // namespace Gatescope::Emulator
