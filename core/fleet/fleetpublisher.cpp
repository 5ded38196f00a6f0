#include "core/fleet/fleetpublisher.h"

using namespace Qt::StringLiterals;

namespace Gatescope {

FleetPublisher::FleetPublisher(const RedisEndpoint &endpoint, const Options &options,
                               QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_options(options)
    , m_connection(new RedisConnection(endpoint, this))
    , m_eventsKey(endpoint.key(u"events"_s))
    , m_healthKey(endpoint.key(u"health"_s))
    , m_maxLen(QByteArray::number(options.maxLen))
    , m_collector(options.collectorId.toUtf8())
{
    m_drainTimer.setParent(this); // moveToThread() takes children along
    m_drainTimer.setSingleShot(true);
    connect(&m_drainTimer, &QTimer::timeout, this, [this] {
        if (auto done = std::exchange(m_drained, {}))
            done();
    });
    connect(m_connection, &RedisConnection::connected, this, [this] {
        ++m_generation;
        if (m_unreachableSince.isValid()) {
            const qint64 downMs = m_unreachableSince.msecsTo(QDateTime::currentDateTimeUtc());
            m_unreachableSince = {};
            emit reachableAgain(downMs, pending(), m_dropped);
        }
        scheduleFlush();
    });
    connect(m_connection, &RedisConnection::disconnected, this, [this](const QString &reason) {
        if (!m_unreachableSince.isValid())
            m_unreachableSince = QDateTime::currentDateTimeUtc();
        emit unreachable(reason);
    });
}

void FleetPublisher::open()
{
    m_connection->open();
}

void FleetPublisher::publish(const GatewayEventBatch &events)
{
    for (const GatewayEvent &event : events) {
        enqueue(Entry{{"XADD"_ba, m_eventsKey, "MAXLEN"_ba, "~"_ba, m_maxLen, "*"_ba,
                       "collector"_ba, m_collector, "shard"_ba, QByteArray::number(event.shard),
                       "seq"_ba, QByteArray::number(event.seq), "type"_ba, event.type.toUtf8(),
                       "d"_ba, event.rawData}});
    }
    scheduleFlush();
}

void FleetPublisher::publishHealth(const QList<ShardStats> &rows)
{
    if (!m_connection->isConnected())
        return;
    const QByteArray at = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    for (const ShardStats &row : rows) {
        // Health goes straight out, ahead of a backlog of events: it is what a watcher needs
        // first, and small.
        m_connection->send({"XADD"_ba,       m_healthKey,
                            "MAXLEN"_ba,     "~"_ba,
                            m_maxLen,        "*"_ba,
                            "collector"_ba,  m_collector,
                            "shard"_ba,      QByteArray::number(row.shard),
                            "state"_ba,      GatewayClient::stateName(row.state).toUtf8(),
                            "latency_ms"_ba, QByteArray::number(row.latencyMs),
                            "seq"_ba,        QByteArray::number(row.lastSeq),
                            "reconnects"_ba, QByteArray::number(row.reconnects),
                            "last_close"_ba, QByteArray::number(row.lastCloseCode),
                            "at"_ba,         at});
    }
}

void FleetPublisher::enqueue(Entry &&entry)
{
    m_buffer.push_back(std::move(entry));
    while (qsizetype(m_buffer.size()) > m_options.bufferLimit) {
        m_buffer.pop_front();
        ++m_dropped;
    }
}

void FleetPublisher::scheduleFlush()
{
    if (m_flushScheduled || !m_connection->isConnected())
        return;
    m_flushScheduled = true;
    // One turn of the event loop gathers whatever else arrives into the same pipeline.
    QMetaObject::invokeMethod(
            this,
            [this] {
                m_flushScheduled = false;
                flush();
            },
            Qt::QueuedConnection);
}

void FleetPublisher::flush()
{
    if (!m_connection->isConnected())
        return;
    const quint64 generation = m_generation;
    while (!m_buffer.empty() && qsizetype(m_inFlight.size()) < m_options.maxInFlight) {
        m_inFlight.push_back(std::move(m_buffer.front()));
        m_buffer.pop_front();
        m_connection->send(
                m_inFlight.back().arguments,
                [this, generation](const RedisReply &reply) { onReply(generation, reply); });
    }
}

void FleetPublisher::onReply(quint64 generation, const RedisReply &reply)
{
    if (generation != m_generation)
        return;
    if (reply.lost()) {
        // Written but never acknowledged: write them again, first, when Redis is back.
        ++m_generation;
        while (!m_inFlight.empty()) {
            m_buffer.push_front(std::move(m_inFlight.back()));
            m_inFlight.pop_back();
        }
        while (qsizetype(m_buffer.size()) > m_options.bufferLimit) {
            m_buffer.pop_front();
            ++m_dropped;
        }
        return;
    }
    m_inFlight.pop_front();
    if (reply.isError()) {
        if (m_failed++ == 0)
            emit refused(QString::fromUtf8(reply.string));
    } else {
        ++m_published;
    }
    if (qsizetype(m_inFlight.size()) <= m_options.maxInFlight / 2)
        scheduleFlush();
    checkDrained();
}

void FleetPublisher::drain(int timeoutMs, std::function<void()> done)
{
    m_drained = std::move(done);
    m_drainTimer.start(timeoutMs);
    flush();
    checkDrained();
}

void FleetPublisher::checkDrained()
{
    if (!m_drained || pending() > 0)
        return;
    m_drainTimer.stop();
    std::exchange(m_drained, {})();
}

} // namespace Gatescope
