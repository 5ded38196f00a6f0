#pragma once

#include "emulator/clocktimer.h"
#include "emulator/trafficgenerator.h"

#include <optional>

namespace Gatescope::Emulator {

class EmulatorServer;

/// Keeps the server's traffic rate: a timer that generates what is due since the last session
/// started, delivers each event to every session it reaches (shard routing, intents), and flushes
/// the sockets. Work per tick and backlog are bounded; a connection with more than
/// ServerConfig::maxPendingBytes waiting makes the pump skip ticks. The rate counts on the
/// server's EmulatorClock; the work budget per tick is CPU time and stays real.
///
/// Thread affinity: the server's. Owned by EmulatorServer.
class TrafficPump
{
public:
    explicit TrafficPump(EmulatorServer &server);

    /// Generates @p count events now, independent of the rate timer (still honours messageLimit).
    void generateEvents(int count);
    /// Changes the automatic rate (events per second, 0 = off).
    void setEventsPerSecond(double eventsPerSecond);
    /// The rate counts from now: a new or resumed session does not get a burst of backlog.
    void restartTrafficClock();
    void stop();
    /// MESSAGE_CREATE events generated so far.
    qint64 messagesGenerated() const { return m_messageCreates; }

private:
    void deliverGenerated(const TrafficGenerator::Event &event);
    void onTrafficTick();
    /// Generates up to @p count events, for at most @p budgetNs (-1: no limit), then flushes
    /// the sockets. Returns how many it generated.
    qint64 generateFor(qint64 count, qint64 budgetNs);
    void flushConnections();

    EmulatorServer &m_server;
    ClockTimer m_timer;
    std::optional<qint64> m_rateStartMs; ///< clock time the rate counts from
    qint64 m_emitted = 0;
    qint64 m_messageCreates = 0;
};

} // namespace Gatescope::Emulator
