#include "core/fleet/fleetpublisher.h"

#include "core/fleet/respwriter.h"

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
    RespWriter prefix(&m_eventPrefix);
    writeXaddHead(prefix, m_eventsKey, 16);
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

void FleetPublisher::writeXaddHead(RespWriter &writer, const QByteArray &key,
                                   qsizetype arguments) const
{
    writer.command(arguments)
            .argument("XADD")
            .argument(key)
            .argument("MAXLEN")
            .argument("~")
            .argument(m_maxLen)
            .argument("*")
            .argument("collector")
            .argument(m_collector)
            .argument("shard");
}

void FleetPublisher::encode(const Entry &entry, QByteArray *out) const
{
    out->append(m_eventPrefix);
    RespWriter(out)
            .argument(qint64(entry.shard))
            .argument("seq")
            .argument(entry.seq)
            .argument("type")
            .argument(QStringView(entry.type))
            .argument("d")
            .argument(entry.data);
}

void FleetPublisher::publish(const GatewayEventBatch &events)
{
    for (const GatewayEvent &event : events)
        m_buffer.push_back({event.rawData, event.type, event.seq, event.shard});
    dropBeyondBound();
    scheduleFlush();
}

void FleetPublisher::publishHealth(const QList<ShardStats> &rows)
{
    if (!m_connection->isConnected() || rows.isEmpty())
        return;
    const qint64 at = QDateTime::currentMSecsSinceEpoch();
    QByteArray commands;
    RespWriter writer(&commands);
    for (const ShardStats &row : rows) {
        writeXaddHead(writer, m_healthKey, 22);
        writer.argument(qint64(row.shard))
                .argument("state")
                .argument(GatewayClient::stateName(row.state))
                .argument("latency_ms")
                .argument(row.latencyMs)
                .argument("seq")
                .argument(row.lastSeq)
                .argument("reconnects")
                .argument(qint64(row.reconnects))
                .argument("last_close")
                .argument(qint64(row.lastCloseCode))
                .argument("at")
                .argument(at);
    }
    // Health goes straight out, ahead of a backlog of events: it is what a watcher needs
    // first, and small.
    m_connection->sendPipeline(commands, rows.size(), {});
}

void FleetPublisher::dropBeyondBound()
{
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
    while (!m_buffer.empty() && qsizetype(m_inFlight.size()) < m_options.maxInFlight) {
        const qsizetype room = m_options.maxInFlight - qsizetype(m_inFlight.size());
        writeBatch(std::min(room, qsizetype(m_buffer.size())));
        if (!m_connection->isConnected())
            return; // the write failed at once; the entries are back in the buffer
    }
}

void FleetPublisher::writeBatch(qsizetype count)
{
    // Writes of a bounded size: Redis starts on the first while the next is encoded, and no
    // write needs a buffer of megabytes.
    constexpr qsizetype maxBytes = 256 * 1024;
    QByteArray pipeline;
    pipeline.reserve(maxBytes + 4096);
    qsizetype written = 0;
    while (written < count && pipeline.size() < maxBytes) {
        encode(m_buffer.front(), &pipeline);
        m_inFlight.push_back(std::move(m_buffer.front()));
        m_buffer.pop_front();
        ++written;
    }
    // In flight before the write: a write that fails at once puts them back in the buffer.
    const quint64 generation = m_generation;
    m_connection->sendPipeline(pipeline, written, [this, generation](const RedisReply &reply) {
        onReply(generation, reply);
    });
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
        dropBeyondBound();
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
