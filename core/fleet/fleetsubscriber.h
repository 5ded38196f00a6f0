#pragma once

#include "core/fleet/redisconnection.h"
#include "core/gateway/eventdecoder.h"
#include "core/gateway/gatewayevent.h"
#include "core/store/stringinterner.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <map>

namespace Gatescope {

/// One shard of one collector as a watcher of the fleet sees it: its last health entry and
/// what the events stream said of it.
struct FleetShard
{
    QString collector;
    int shard = -1;
    QString state; ///< the health entry's, "Ready", "Reconnecting" …
    int latencyMs = -1;
    qint64 healthSeq = -1; ///< the health entry's sequence
    int reconnects = 0;
    int lastClose = 0;
    qint64 healthAtMs = 0; ///< Unix ms of the last health entry (Redis' clock, the entry id)
    qint64 events = 0; ///< events delivered
    qint64 lastSeq = -1; ///< the last sequence seen in the events stream
    qint64 missing = 0; ///< events lacking: gaps in the sequence
    qint64 duplicates = 0; ///< entries seen twice (written again after a lost reply)
    bool stale = false; ///< its collector stopped publishing health
};

/// A watcher of the fleet: reads `<prefix>:events` and `<prefix>:health` with plain
/// `XREAD BLOCK` from the last id it saw (no consumer group is left behind), from the oldest
/// entry kept, or from now (Options::fromNow). Events are decoded with the collectors' own
/// EventDecoder into GatewayEvent batches (each naming its shard; receivedMs is the time Redis
/// took the entry), so the store, the filters, the lines and the CSV work as for a live run.
///
/// Per collector and shard it follows the sequence: an entry whose sequence is not past the
/// last one is a repeat (a collector writes again what Redis did not acknowledge) and is
/// dropped; a jump is a gap, reported with how many events it lacks. READY starts a new
/// session's count. A collector without a health entry for Options::staleAfterMs is stale.
///
/// Lives in the thread that created it; owns its RedisConnection.
class FleetSubscriber : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        bool fromNow = false;
        int staleAfterMs = 5000;
        int blockMs = 1000; ///< XREAD BLOCK
        int count = 4096; ///< XREAD COUNT per stream
    };

    FleetSubscriber(const RedisEndpoint &endpoint, const Options &options,
                    QObject *parent = nullptr);

    void open();
    void close();
    RedisConnection *connection() const { return m_connection; }

    /// Every shard seen, ordered by collector, then shard.
    QList<FleetShard> shards() const;
    qint64 events() const { return m_events; }
    qint64 duplicates() const { return m_duplicates; }
    qint64 missing() const { return m_missing; }

    /// Wall clock in Unix ms (tests inject one); empty restores the real one.
    void setClock(std::function<qint64()> clock);

signals:
    void eventsReady(const Gatescope::GatewayEventBatch &events);
    void shardChanged(const Gatescope::FleetShard &shard);
    /// @p missing events of @p collector's @p shard lack before sequence @p nextSeq.
    void gapDetected(const QString &collector, int shard, qint64 nextSeq, qint64 missing);
    void collectorStale(const QString &collector, qint64 lastHealthMs);
    void collectorBack(const QString &collector);
    /// Reading started (or resumed after an outage).
    void reading();

private:
    using Key = std::pair<QString, int>;
    void start();
    void read();
    void onRead(const RedisReply &reply);
    void handleEvent(const QByteArray &id, const QHash<QByteArray, QByteArray> &fields,
                     GatewayEventBatch *batch);
    void handleHealth(const QByteArray &id, const QHash<QByteArray, QByteArray> &fields);
    void checkStale();
    static qint64 idMs(const QByteArray &id);

    RedisEndpoint m_endpoint;
    Options m_options;
    RedisConnection *m_connection = nullptr;
    QByteArray m_eventsKey;
    QByteArray m_healthKey;
    QByteArray m_eventsId; ///< the last id read; empty until the start is known
    QByteArray m_healthId;
    bool m_reading = false; ///< an XREAD is owed
    quint64 m_generation = 0;
    StringInterner m_interner;
    EventDecoder m_decoder{&m_interner};
    std::map<Key, FleetShard> m_shards;
    QHash<QString, qint64> m_lastHealthMs; ///< per collector
    QTimer m_staleTimer;
    std::function<qint64()> m_clock;
    qint64 m_events = 0;
    qint64 m_duplicates = 0;
    qint64 m_missing = 0;
};

} // namespace Gatescope
