#include "emulator/trafficpump.h"

#include "core/gateway/snowflake.h"
#include "emulator/clientconnection.h"
#include "emulator/emulatorserver.h"
#include "emulator/session.h"
#include "emulator/wireformat.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

namespace {

constexpr qint64 TickBudgetNs = 20'000'000;

} // namespace

TrafficPump::TrafficPump(EmulatorServer &server)
    : m_server(server)
    , m_timer(server.m_clock)
{
    QObject::connect(&m_timer, &ClockTimer::timeout, &m_timer, [this] { onTrafficTick(); });
}

void TrafficPump::stop()
{
    m_timer.stop();
}

void TrafficPump::deliverGenerated(const TrafficGenerator::Event &event)
{
    // The id is read only for the delivery log, which soak tests ask for.
    quint64 messageId = 0;
    if (m_server.m_config.recordDeliveries && event.type == "MESSAGE_CREATE"_L1)
        messageId = Snowflake::parse(event.data.value("id"_L1).toString()).value_or(0);
    for (auto &[id, session] : m_server.m_sessions) {
        const std::optional<QByteArray> d = TrafficGenerator::deliverJson(
                event, session->shardId(), session->shardCount(), session->intents());
        if (d)
            m_server.pushJson(*session,
                              WireFormat::dispatchJson(event.type, session->nextSeq(), *d),
                              messageId);
    }
}

void TrafficPump::generateEvents(int count)
{
    generateFor(count, -1);
}

qint64 TrafficPump::generateFor(qint64 count, qint64 budgetNs)
{
    const qint64 before = m_messageCreates;
    QElapsedTimer spent;
    spent.start();
    qint64 generated = 0;
    while (generated < count) {
        if (m_server.m_config.messageLimit >= 0
            && m_messageCreates >= m_server.m_config.messageLimit)
            break;
        // Reading the clock costs little next to an event, but not nothing: every 64th.
        if (budgetNs >= 0 && generated % 64 == 63 && spent.nsecsElapsed() > budgetNs)
            break;
        const TrafficGenerator::Event event
                = m_server.m_traffic->next(QDateTime::currentMSecsSinceEpoch());
        if (event.type == "MESSAGE_CREATE"_L1)
            ++m_messageCreates;
        deliverGenerated(event);
        ++generated;
    }
    flushConnections();
    if (m_messageCreates != before) {
        emit m_server.messagesSent(m_messageCreates);
        m_server.m_faults->messagesGenerated(m_messageCreates);
    }
    return generated;
}

void TrafficPump::flushConnections()
{
    // QAbstractSocket's write notifier sends one buffer chunk per event loop iteration; while the
    // traffic timer keeps the loop busy that is far too little, and the socket falls behind.
    for (ClientConnection *connection : std::as_const(m_server.m_connections)) {
        if (connection->state == ClientConnection::State::Authenticated)
            connection->flush();
    }
}

void TrafficPump::setEventsPerSecond(double eventsPerSecond)
{
    m_server.m_config.eventsPerSecond = qMax(0.0, eventsPerSecond);
    if (m_server.m_config.eventsPerSecond <= 0 || !m_server.m_tcp) {
        m_timer.stop();
        return;
    }
    const double interval
            = 1000.0 * qMax(1, m_server.m_config.burstSize) / m_server.m_config.eventsPerSecond;
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.start(int(qBound(5.0, interval, 1000.0)));
    restartTrafficClock();
}

void TrafficPump::restartTrafficClock()
{
    m_rateStartMs = m_server.m_clock.nowMs();
    m_emitted = 0;
}

void TrafficPump::onTrafficTick()
{
    if (m_server.m_sessions.empty() || !m_rateStartMs) {
        restartTrafficClock();
        return;
    }
    const double rate = m_server.m_config.eventsPerSecond;
    const qint64 elapsedMs = m_server.m_clock.nowMs() - *m_rateStartMs;
    qint64 due = qint64(rate * double(elapsedMs) / 1000.0) - m_emitted;
    // A backlog of more than 50 ms is dropped rather than caught up: when the CPU cannot keep
    // the rate, the rate drops.
    const qint64 cap
            = qMax<qint64>(qMax(1, m_server.m_config.burstSize), qint64(std::ceil(rate / 20)));
    if (due > cap) {
        m_emitted += due - cap;
        due = cap;
    }
    if (due <= 0)
        return;
    if (m_server.m_config.maxPendingBytes > 0
        && m_server.pendingBytes() > m_server.m_config.maxPendingBytes) {
        m_emitted += due;
        return;
    }
    // One tick works for at most 20 ms, so the event loop keeps flushing sockets and answering
    // heartbeats; what is left stays due for the next tick.
    m_emitted += generateFor(due, TickBudgetNs);
}

} // namespace Gatescope::Emulator
