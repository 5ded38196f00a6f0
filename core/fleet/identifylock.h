#pragma once

#include "core/fleet/redisconnection.h"
#include "core/gateway/gatewaytypes.h"

#include <QObject>
#include <QTimer>

namespace Gatescope {

/// The identify budget shared by a fleet: before a shard's Identify leaves, its collector takes
/// `<prefix>:identify:<application>:<shard % max_concurrency>` with `SET key <collector> NX PX
/// 5000 + margin`. The lock is never released early (a collector that dies frees it by expiry)
/// and it covers the 5 s after the Identify leaves, plus a margin for the time between Redis
/// taking the SET and the Identify leaving: so however many collectors run, on however many
/// hosts, no two shards of one bucket identify within 5 s. A Resume takes none (GatewayConfig's
/// gate is awaited before Identify only). Each Identify also counts towards
/// `<prefix>:identifies:<application>:<UTC date>` (INCR, kept two days), the fleet's daily
/// count, shown in the stats.
///
/// While Redis is unreachable an Identify waits (and retries every 500 ms): identifying
/// without the lock could break the budget of the whole fleet.
///
/// Lives in the thread that created it and owns its RedisConnection; gate() may be called
/// from any thread (the gateway thread calls it).
class IdentifyLock : public QObject
{
    Q_OBJECT

public:
    /// Covers the time between Redis taking the SET and the Identify leaving (a reply's way
    /// back and a turn of two event loops); a lock of exactly 5 s would let the next Identify
    /// arrive a few milliseconds early, and Discord refuses it.
    static constexpr int DefaultMarginMs = 1000;
    static constexpr int IdentifyWindowMs = 5000;

    IdentifyLock(const RedisEndpoint &endpoint, const QString &collectorId,
                 const QString &applicationKey, QObject *parent = nullptr);

    /// The key part naming the bot: the application id a Discord token starts with (base64 of
    /// the decimal id), or, for a token that does not (the emulator's), the first 16 hex digits
    /// of its SHA-256. Never the token.
    static QString applicationKeyOf(const QString &token);

    void open();
    void setMaxConcurrency(int maxConcurrency);
    void setMarginMs(int ms) { m_marginMs = ms; }
    RedisConnection *connection() const { return m_connection; }

    /// For GatewayConfig::identifyGate.
    IdentifyGate gate();
    /// Takes the lock of @p shardId's bucket, then calls @p proceed (in this thread).
    void acquire(int shardId, std::function<void()> proceed);

    /// The fleet's identifies today (UTC), as Redis last counted them; -1 before the first.
    qint64 identifiesToday() const { return m_identifiesToday; }

signals:
    /// @p shardId waits: the bucket is held by @p holder for @p remainingMs more, or Redis
    /// is unreachable (empty holder).
    void waiting(int shardId, const QString &holder, qint64 remainingMs);
    void acquired(int shardId, qint64 identifiesToday);

private:
    void retryLater(int shardId, std::function<void()> proceed, int delayMs);
    QByteArray lockKey(int shardId) const;

    RedisConnection *m_connection = nullptr;
    RedisEndpoint m_endpoint;
    QByteArray m_collector;
    QString m_application;
    int m_maxConcurrency = 1;
    int m_marginMs = DefaultMarginMs;
    qint64 m_identifiesToday = -1;
};

} // namespace Gatescope
