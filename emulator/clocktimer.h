#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

namespace Gatescope::Emulator {

class EmulatorClock;

/// A timer on an EmulatorClock, with the part of QTimer's interface the emulator uses. On the
/// real clock it is a QTimer; on a manual one it fires only inside EmulatorClock::advance(), at
/// the clock time it falls due.
///
/// Thread affinity: the clock's. The clock must outlive the timer or forget it (it does so in
/// its destructor).
class ClockTimer : public QObject
{
    Q_OBJECT
public:
    explicit ClockTimer(EmulatorClock &clock, QObject *parent = nullptr);
    ~ClockTimer() override;

    void setSingleShot(bool singleShot) { m_timer.setSingleShot(singleShot); }
    bool isSingleShot() const { return m_timer.isSingleShot(); }
    void setInterval(int ms) { m_timer.setInterval(ms); }
    int interval() const { return m_timer.interval(); }
    void setTimerType(Qt::TimerType type) { m_timer.setTimerType(type); }

    void start();
    void start(int ms);
    void stop();
    bool isActive() const;
    /// Milliseconds until it fires, -1 when it is not running (as QTimer).
    int remainingTime() const;

    /// Calls @p slot once, @p ms from now on @p clock, unless @p context is destroyed first.
    static void singleShot(EmulatorClock &clock, int ms, QObject *context,
                           std::function<void()> slot);

signals:
    void timeout();

private:
    friend class EmulatorClock;
    bool isManual() const;
    void switchToManual(qint64 nowMs);
    void fireManually();
    void forgetClock() { m_clock = nullptr; }

    EmulatorClock *m_clock;
    QTimer m_timer; ///< counts on the real clock; keeps the interval and single-shot setting
    bool m_manualActive = false;
    qint64 m_dueMs = 0; ///< manual clock: when it fires next
    quint64 m_startOrder = 0; ///< manual clock: orders timers due at the same time
};

} // namespace Gatescope::Emulator
