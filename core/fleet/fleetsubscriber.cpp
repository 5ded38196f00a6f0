#include "core/fleet/fleetsubscriber.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

/// An XREAD / XRANGE entry's fields as a map.
QHash<QByteArray, QByteArray> fieldsOf(const RedisReply &entry)
{
    QHash<QByteArray, QByteArray> fields;
    const QList<RedisReply> &pairs = entry.elements.value(1).elements;
    for (qsizetype i = 0; i + 1 < pairs.size(); i += 2)
        fields.insert(pairs.at(i).string, pairs.at(i + 1).string);
    return fields;
}

} // namespace

FleetSubscriber::FleetSubscriber(const RedisEndpoint &endpoint, const Options &options,
                                 QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_options(options)
    , m_connection(new RedisConnection(endpoint, this))
    , m_eventsKey(endpoint.key(u"events"_s))
    , m_healthKey(endpoint.key(u"health"_s))
{
    setClock({});
    connect(m_connection, &RedisConnection::connected, this, &FleetSubscriber::start);
    m_staleTimer.setParent(this); // moveToThread() takes children along
    m_staleTimer.setInterval(1000);
    connect(&m_staleTimer, &QTimer::timeout, this, &FleetSubscriber::checkStale);
}

void FleetSubscriber::setClock(std::function<qint64()> clock)
{
    m_clock = clock ? std::move(clock) : [] {
        return QDateTime::currentMSecsSinceEpoch();
    };
}

void FleetSubscriber::open()
{
    m_staleTimer.start();
    m_connection->open();
}

void FleetSubscriber::close()
{
    m_staleTimer.stop();
    ++m_generation;
    m_connection->close();
}

void FleetSubscriber::start()
{
    ++m_generation;
    m_reading = false;
    if (!m_eventsId.isEmpty()) {
        emit reading();
        read();
        return;
    }
    if (!m_options.fromNow) {
        m_eventsId = m_healthId = "0-0"_ba;
        emit reading();
        read();
        return;
    }
    // "$" would skip what arrives between two reads; the newest id kept is the start instead.
    const quint64 generation = m_generation;
    const auto newestId = [](const RedisReply &reply) {
        return reply.elements.isEmpty() ? "0-0"_ba
                                        : reply.elements.first().elements.value(0).string;
    };
    m_connection->send({"XREVRANGE"_ba, m_eventsKey, "+"_ba, "-"_ba, "COUNT"_ba, "1"_ba},
                       [this, generation, newestId](const RedisReply &reply) {
                           if (generation == m_generation && !reply.isError())
                               m_eventsId = newestId(reply);
                       });
    m_connection->send({"XREVRANGE"_ba, m_healthKey, "+"_ba, "-"_ba, "COUNT"_ba, "1"_ba},
                       [this, generation, newestId](const RedisReply &reply) {
                           if (generation != m_generation || reply.isError())
                               return;
                           m_healthId = newestId(reply);
                           emit reading();
                           read();
                       });
}

void FleetSubscriber::read()
{
    if (m_reading || !m_connection->isConnected())
        return;
    m_reading = true;
    const quint64 generation = m_generation;
    m_connection->send({"XREAD"_ba, "COUNT"_ba, QByteArray::number(m_options.count), "BLOCK"_ba,
                        QByteArray::number(m_options.blockMs), "STREAMS"_ba, m_eventsKey,
                        m_healthKey, m_eventsId, m_healthId},
                       [this, generation](const RedisReply &reply) {
                           if (generation != m_generation)
                               return;
                           m_reading = false;
                           if (reply.lost())
                               return; // read again once reconnected
                           onRead(reply);
                           read();
                       });
}

void FleetSubscriber::onRead(const RedisReply &reply)
{
    if (reply.isError()) {
        qWarning("fleet: XREAD refused: %s", reply.string.constData());
        return;
    }
    GatewayEventBatch batch;
    for (const RedisReply &stream : reply.elements) {
        const QByteArray name = stream.elements.value(0).string;
        const QList<RedisReply> &entries = stream.elements.value(1).elements;
        const bool events = name == m_eventsKey;
        for (const RedisReply &entry : entries) {
            const QByteArray id = entry.elements.value(0).string;
            if (events) {
                m_eventsId = id;
                handleEvent(id, fieldsOf(entry), &batch);
            } else {
                m_healthId = id;
                handleHealth(id, fieldsOf(entry));
            }
        }
    }
    if (!batch.isEmpty())
        emit eventsReady(batch);
}

qint64 FleetSubscriber::idMs(const QByteArray &id)
{
    return id.left(id.indexOf('-')).toLongLong();
}

void FleetSubscriber::handleEvent(const QByteArray &id, const QHash<QByteArray, QByteArray> &fields,
                                  GatewayEventBatch *batch)
{
    const QString collector = QString::fromUtf8(fields.value("collector"));
    const int shardId = fields.value("shard").toInt();
    const qint64 seq = fields.value("seq", "-1").toLongLong();
    const QByteArray type = fields.value("type");
    FleetShard &shard = m_shards[{collector, shardId}];
    if (shard.collector.isEmpty()) {
        shard.collector = collector;
        shard.shard = shardId;
    }
    if (type == "READY") {
        shard.lastSeq = seq; // a new session counts from here
    } else if (seq >= 0 && shard.lastSeq >= 0 && seq <= shard.lastSeq) {
        if (type != "RESUMED") {
            ++shard.duplicates;
            ++m_duplicates;
            return;
        }
    } else if (seq >= 0) {
        if (shard.lastSeq >= 0 && seq > shard.lastSeq + 1) {
            const qint64 missing = seq - shard.lastSeq - 1;
            shard.missing += missing;
            m_missing += missing;
            emit gapDetected(collector, shardId, seq, missing);
        }
        shard.lastSeq = seq;
    }
    // The collector's own decoder, on the payload as the gateway sent it (op 0, t, s, d).
    const QByteArray payload = "{\"op\":0,\"t\":\"" + type + "\",\"s\":" + QByteArray::number(seq)
                               + ",\"d\":" + fields.value("d", "null") + '}';
    EventDecoder::Result decoded = m_decoder.decode(payload);
    if (decoded.op != 0)
        return;
    decoded.event.shard = shardId;
    decoded.event.receivedMs = idMs(id);
    ++shard.events;
    ++m_events;
    batch->append(std::move(decoded.event));
}

void FleetSubscriber::handleHealth(const QByteArray &id,
                                   const QHash<QByteArray, QByteArray> &fields)
{
    const QString collector = QString::fromUtf8(fields.value("collector"));
    const int shardId = fields.value("shard").toInt();
    FleetShard &shard = m_shards[{collector, shardId}];
    shard.collector = collector;
    shard.shard = shardId;
    shard.state = QString::fromUtf8(fields.value("state"));
    shard.latencyMs = fields.value("latency_ms", "-1").toInt();
    shard.healthSeq = fields.value("seq", "-1").toLongLong();
    shard.reconnects = fields.value("reconnects").toInt();
    shard.lastClose = fields.value("last_close").toInt();
    shard.healthAtMs = idMs(id);
    qint64 &last = m_lastHealthMs[collector];
    last = qMax(last, shard.healthAtMs);
    const bool wasStale = shard.stale;
    shard.stale = m_clock() - last > m_options.staleAfterMs;
    emit shardChanged(shard);
    if (wasStale && !shard.stale)
        emit collectorBack(collector);
}

void FleetSubscriber::checkStale()
{
    const qint64 now = m_clock();
    for (auto it = m_lastHealthMs.cbegin(); it != m_lastHealthMs.cend(); ++it) {
        const bool stale = now - it.value() > m_options.staleAfterMs;
        bool changed = false;
        for (auto &[key, shard] : m_shards) {
            if (key.first != it.key() || shard.stale == stale)
                continue;
            shard.stale = stale;
            changed = true;
            emit shardChanged(shard);
        }
        if (changed && stale)
            emit collectorStale(it.key(), it.value());
        else if (changed)
            emit collectorBack(it.key());
    }
}

QList<FleetShard> FleetSubscriber::shards() const
{
    QList<FleetShard> out;
    for (const auto &entry : m_shards)
        out.append(entry.second);
    return out;
}

} // namespace Gatescope
