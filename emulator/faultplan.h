#pragma once

#include "emulator/fault.h"

#include <QList>
#include <QObject>

#include <optional>

namespace Gatescope::Emulator {

class ClockTimer;
class EmulatorClock;

/// The faults an EmulatorServer inflicts: scheduled ones (at a time, periodically, after a
/// number of generated messages) and the lasting modes (ACK handling, slow writes).
///
/// The plan only decides *when*; it emits triggered() and the server applies the fault to every
/// live connection. Lasting modes are kept here so that connections made later see them too.
/// Time triggers count on the server's EmulatorClock (a manual clock fires them in advance()).
/// Lives in the server's thread; owned by the server.
class FaultPlan : public QObject
{
    Q_OBJECT
public:
    explicit FaultPlan(EmulatorClock &clock, QObject *parent = nullptr);
    ~FaultPlan() override;

    /// Schedules @p fault by its trigger; Trigger::Now fires at once.
    void add(const Fault &fault);
    /// Parses one spec (see Fault) and adds it. False and a one-line reason on bad input.
    bool addSpec(const QString &spec, QString *error = nullptr);
    /// Parses a script: one spec per line, blank lines and `#` comments ignored. Errors name
    /// the line. Nothing is added unless every line is valid.
    static std::optional<QList<Fault>> parseScript(const QString &text, QString *error = nullptr);
    /// Reads and adds a script file (see parseScript()).
    bool addFile(const QString &path, QString *error = nullptr);
    /// Forgets every scheduled fault and resets the lasting modes.
    void clear();

    /// Faults waiting for a time or a message count (Every ones stay here).
    QList<Fault> scheduled() const;

    /// Arms the time triggers; at: counts from here. Called by EmulatorServer::start().
    void start();
    /// Fires the after: faults whose count @p totalMessageCreates has reached.
    void messagesGenerated(qint64 totalMessageCreates);

    /// Sets a lasting mode (StopAcks, ResumeAcks, AckDelay, SlowWrite); other kinds are ignored.
    void applyMode(const Fault &fault);
    bool acksStopped() const;
    int ackDelayMinMs() const;
    int ackDelayMaxMs() const;
    qint64 slowWriteBytesPerSecond() const; ///< 0 = writes are not paced

signals:
    /// A fault is due: the server applies it to every live connection (modes via applyMode()).
    void triggered(const Fault &fault);

private:
    void arm(const Fault &fault);

    QList<Fault> m_pending; ///< at/after faults not yet fired, and every faults
    EmulatorClock &m_clock;
    QList<ClockTimer *> m_timers;
    qint64 m_startedAtMs = 0; ///< clock time of start(); at: triggers count from here
    bool m_started = false;
    bool m_acksStopped = false;
    int m_ackDelayMinMs = 0;
    int m_ackDelayMaxMs = 0;
    qint64 m_slowBytesPerSecond = 0;
};

} // namespace Gatescope::Emulator
