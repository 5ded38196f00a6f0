#pragma once

#include "core/connection/shardstatsmodel.h"
#include "core/fleet/redisconnection.h"
#include "core/gateway/gatewayevent.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <deque>

namespace Gatescope {

class RespWriter;

/// A collector's side of a fleet: writes every dispatch to the `<prefix>:events` stream and
/// per-shard health to `<prefix>:health` (`XADD … MAXLEN ~ N`), pipelined in batches over one
/// RedisConnection, never one round trip per event. An event waits as its fields (the raw `d`
/// shared, not copied) and is encoded when it is written, straight into the write's buffer
/// (RespWriter; the arguments every XADD shares are encoded once per publisher): what one turn
/// of the event loop gathered goes out in writes of up to 256 KiB, up to maxInFlight entries
/// owed.
///
/// Entries of `events`: collector, shard, seq, type, d (the raw `d` JSON as received). Entries
/// of `health`: collector, shard, state, latency_ms, seq, reconnects, last_close, at (Unix ms).
/// Nothing else is written: the bot token never reaches Redis.
///
/// When Redis is down or slow, events wait in a buffer of at most bufferLimit entries (the
/// oldest are dropped beyond it, and counted); the collector's own outputs do not depend on
/// it. An entry written but not acknowledged when the connection drops is written again, so a
/// subscriber may see it twice (FleetSubscriber drops repeats by sequence). Health is not
/// buffered while Redis is down: the next snapshot says the same, newer.
///
/// Lives in the thread that created it (the consumer's); owns its RedisConnection.
class FleetPublisher : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString collectorId;
        qint64 maxLen = 1000000; ///< `MAXLEN ~` of each stream
        qsizetype bufferLimit = 1000000; ///< events kept while Redis is unreachable
        int maxInFlight = 8192; ///< entries written and not yet acknowledged
    };

    FleetPublisher(const RedisEndpoint &endpoint, const Options &options,
                   QObject *parent = nullptr);

    void open();
    RedisConnection *connection() const { return m_connection; }
    const Options &options() const { return m_options; }

    /// Queues every event of @p events for the events stream.
    void publish(const GatewayEventBatch &events);
    /// Writes one health entry per row (only while connected).
    void publishHealth(const QList<ShardStats> &rows);

    /// Sends what waits and calls @p done once nothing is owed, or after @p timeoutMs.
    void drain(int timeoutMs, std::function<void()> done);

    qint64 published() const { return m_published; } ///< events acknowledged by Redis
    qint64 dropped() const { return m_dropped; } ///< events dropped beyond the buffer bound
    qint64 failed() const { return m_failed; } ///< events Redis refused with an error
    /// Events not (yet) acknowledged: buffered and in flight.
    qint64 pending() const { return qint64(m_buffer.size() + m_inFlight.size()); }
    bool isConnected() const { return m_connection->isConnected(); }
    /// When Redis became unreachable (invalid while it is reachable).
    QDateTime unreachableSince() const { return m_unreachableSince; }

signals:
    /// Redis could not be reached (or was lost); events are buffered from now on.
    void unreachable(const QString &reason);
    /// Redis is back after @p downMs; the buffer is being written.
    void reachableAgain(qint64 downMs, qint64 pending, qint64 droppedSoFar);
    /// Redis refused an entry (not a lost connection): the first error of a run, and counts.
    void refused(const QString &error);

private:
    /// What an event's XADD needs; `d` and the type are shared with the event, not copied.
    struct Entry
    {
        QByteArray data;
        QString type;
        qint64 seq = -1;
        int shard = -1;
    };
    /// An XADD of @p arguments arguments to @p key, up to the name of the `shard` field.
    void writeXaddHead(RespWriter &writer, const QByteArray &key, qsizetype arguments) const;
    /// Appends @p entry's XADD to @p out.
    void encode(const Entry &entry, QByteArray *out) const;
    void writeBatch(qsizetype count);
    void dropBeyondBound();
    void scheduleFlush();
    void flush();
    void onReply(quint64 generation, const RedisReply &reply);
    void checkDrained();

    RedisEndpoint m_endpoint;
    Options m_options;
    RedisConnection *m_connection = nullptr;
    QByteArray m_eventsKey;
    QByteArray m_healthKey;
    QByteArray m_maxLen;
    QByteArray m_collector;
    QByteArray m_eventPrefix; ///< every event's XADD up to its shard's value, encoded
    std::deque<Entry> m_buffer; ///< not yet written, oldest first
    std::deque<Entry> m_inFlight; ///< written, reply owed, oldest first
    quint64 m_generation = 0; ///< per connection: replies of a lost one are ignored
    qint64 m_published = 0;
    qint64 m_dropped = 0;
    qint64 m_failed = 0;
    bool m_flushScheduled = false;
    QDateTime m_unreachableSince;
    std::function<void()> m_drained;
    QTimer m_drainTimer;
};

} // namespace Gatescope
