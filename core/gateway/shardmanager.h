#pragma once

#include "core/gateway/closecodes.h"
#include "core/gateway/exponentialbackoff.h"
#include "core/gateway/gatewayclient.h"
#include "core/gateway/gatewaytypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

#include <optional>

namespace Gatescope {

class GatewayDiscovery;

/// Runs a range of shards of one bot: discovery through `GET /gateway/bot` (protocol §1), one
/// GatewayClient per shard, Identify concurrency (§7) and an aggregated state and metrics.
///
/// Thread affinity: the thread it lives in; it may be moved to a worker thread before open()
/// (its timers, discovery and clients are children and move with it), and then its slots must
/// be invoked queued. It owns its GatewayDiscovery and its GatewayClients (children, created by
/// open() once the shard count is known, deleted by the next open() or with the manager);
/// clientsChanged() says when the set was replaced.
///
/// Start-up, one step per arrow (stateChanged is emitted once per change of the aggregate):
///  1. open(): Disconnected → Connecting; `GET /gateway/bot` unless the base config has a
///     gatewayUrl (then the shard count must be explicit and max_concurrency is taken as 1, the
///     safe value, and the session start budget is not checked).
///  2. discovery answered: the range is checked against the shard count and the range's size
///     against `session_start_limit.remaining`; either failing → Failed, errorOccurred(), and no
///     shard is started (a refused start would only burn the daily budget).
///  3. clientsChanged(); every client gets the discovered URL (so none runs its own discovery),
///     its shardId and the shard count.
///  4. Identify buckets: the shards of a bucket (`shard_id % max_concurrency`) start one after the
///     other in ascending id order; the next one is opened once the previous one reached Ready
///     (or Failed) *and* at least GatewayConfig::minIdentifyIntervalMs have passed since that
///     bucket's last Identify. Different buckets run in parallel, so with max_concurrency = N
///     shards 0..N-1 identify together, then N..2N-1, and so on. shardStarting() marks each open.
///  5. all shards Ready → Ready.
///
/// The aggregated state():
///  - Disconnected before open() and after close();
///  - Failed after a manager-level error (bad range, discovery 401, budget) or when any shard
///    failed fatally (4004, 4010–4014); shards not yet started then stay unstarted, shards
///    already running are left running until close();
///  - Ready when every shard of the range is Ready;
///  - otherwise the least advanced state of the shards, in the order Disconnected < Reconnecting
///    < Connecting < Identifying < Resuming < Ready, where a shard still waiting for its
///    Identify slot counts as Connecting (and discovery in progress is Connecting, a discovery
///    retry after a network error Reconnecting).
///
/// Signals: every shard's event batches come out of eventsReady() (each GatewayEvent names its
/// shard), and the per-connection signals the manager itself needs are forwarded with the shard
/// id attached (sessionEstablished, shardDisconnected, connectionError, fatalError,
/// shardStateChanged). For anything else — latencyChanged, frameLogged and framesReady
/// (built only when connected, so they are not forwarded), heartbeatAckMissed,
/// reconnectScheduled, sendPayload() — connect to or call the clients directly through
/// clients() / client(), after clientsChanged().
///
/// Sessions lost later: a running shard whose session ends (op 9 false, 4003/4007/4009, a resume
/// URL given up) would Identify again on its own GatewayClient timer, which knows nothing of the
/// other shards of its bucket. So the manager takes the shard back: once the client has left its
/// connection (disconnected() with Action::Identify), it is closed — it has no socket then, so
/// nothing is sent — and queued again in its bucket, behind an exponential backoff per shard
/// (GatewayConfig::backoffBaseMs/backoffCapMs, reset on Ready) that slows a loop of refused
/// sessions down on top of the bucket spacing. Its client state passes through Disconnected while
/// it waits; the aggregate counts it as Connecting. Resumes are free and stay with the client.
class ShardManager : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Gatescope::GatewayClient::State state READ state NOTIFY stateChanged)

public:
    using State = GatewayClient::State;

    explicit ShardManager(QObject *parent = nullptr);
    ~ShardManager() override;

    /// Sets what the next open() runs: shards @p firstShard..@p lastShard (inclusive) of
    /// @p shardCount, each with a copy of @p base (whose shardId/shardCount are overwritten).
    /// @p shardCount 0 means "auto": the `shards` that `/gateway/bot` recommends.
    /// Returns false, with errorString() set and nothing changed, for a range that cannot be
    /// valid (negative ids, first > last, last >= an explicit count, count > 65535, "auto" with a
    /// base gatewayUrl, or an empty token), and while shards are running (state() other than
    /// Disconnected or Failed). Takes effect at the next open().
    bool setConfig(const GatewayConfig &base, int firstShard, int lastShard, int shardCount);
    const GatewayConfig &baseConfig() const;
    int firstShard() const;
    int lastShard() const;
    /// The shard count in use: the explicit one, or after discovery the recommended one;
    /// 0 while "auto" has not been resolved yet.
    int shardCount() const;
    /// max_concurrency in use: from discovery, or 1 when discovery was skipped.
    int maxConcurrency() const;
    /// What `/gateway/bot` answered at the last open(), when it ran.
    std::optional<GatewayBotInfo> botInfo() const;
    /// The last manager-level error (also sent with errorOccurred()); empty when there is none.
    QString errorString() const;

    State state() const;
    /// The clients of the running range, ordered by shard id; empty before discovery finished.
    QList<GatewayClient *> clients() const;
    /// The client of @p shardId, or nullptr when that shard is not part of the running range.
    GatewayClient *client(int shardId) const;
    /// Sessions saved by an earlier run (`--session-file`), by shard id, made with
    /// @p shardCount shards; used once, by the next open(). A shard with one resumes it at
    /// once instead of waiting for its Identify slot (a Resume starts no session); if the
    /// resume fails, the shard is queued for Identify as after any lost session. When the
    /// range's shard count (after discovery, for "auto") is not @p shardCount, they are all
    /// dropped and savedSessionsIgnored() says why.
    void setSavedSessions(const QHash<int, Gatescope::GatewayClient::ResumableSession> &sessions,
                          int shardCount);

    /// Shards whose client state is Ready.
    int readyCount() const;
    /// Shards of the running range that are not open yet (waiting for their Identify slot, or
    /// held back after a fatal error on another shard); 0 when not running.
    int pendingCount() const;

    /// Counters summed over all shards (bytes, frames, dispatches and dispatchesByType, events
    /// per second, identifies, resumes, reconnects, ACK misses). Fields that do not add up:
    /// - lastSeq: sequences are per connection, so this is the highest lastSeq of any shard
    ///   (client(id)->metrics().lastSeq gives one shard's);
    /// - lastCloseCode / lastCloseTimeMs: those of the most recent close on any shard;
    /// - connectedSinceMs: 0 unless every shard is connected, else the newest of the shards'
    ///   values, i.e. since when the whole range has been up.
    GatewayMetrics aggregatedMetrics() const;

public slots:
    /// Starts discovery and then the shards (see the class comment). Does nothing unless the
    /// state is Disconnected or Failed; from Failed, everything is rebuilt.
    void open();
    /// Stops discovery and pending starts and closes every client with 1000 (ending their
    /// sessions on Discord). State becomes Disconnected.
    void close();

signals:
    /// The aggregated state changed (see the class comment for how it is derived).
    void stateChanged(Gatescope::GatewayClient::State state);
    /// A manager-level error (no configuration, range beyond the recommended count, token
    /// rejected by discovery, session start budget too small); state() is Failed.
    /// Errors of single shards come as fatalError() / connectionError() instead.
    void errorOccurred(const QString &message);
    /// `/gateway/bot` answered (also readable later through botInfo()).
    void discoveryFinished(const Gatescope::GatewayBotInfo &info);
    /// The set of clients was replaced (after discovery, before any of them is opened).
    void clientsChanged();
    /// @p shard is being opened now (its Identify follows after the socket's Hello).
    void shardStarting(int shard);

    /// GatewayClient::stateChanged of @p shard; emitted before the aggregate is updated.
    void shardStateChanged(int shard, Gatescope::GatewayClient::State state);
    /// GatewayClient::eventsReady of any shard (GatewayEvent::shard tells which); `seq` is
    /// that shard's sequence: sequences of different shards are unrelated.
    void eventsReady(const Gatescope::GatewayEventBatch &events);
    /// GatewayClient::sessionEstablished of @p shard (READY or RESUMED).
    void sessionEstablished(int shard, const QString &sessionId, bool resumed, int replayedCount);
    /// GatewayClient::disconnected of @p shard. With Action::Identify (and not by the user) the
    /// manager then queues the shard in its bucket again (class comment).
    void shardDisconnected(int shard, int closeCode, const QString &reason,
                           Gatescope::GatewayClient::Initiator initiator,
                           Gatescope::CloseCodes::Action action);
    /// A transient problem on @p shard (a reconnect follows), or with @p shard = -1 a failed
    /// discovery attempt that will be retried.
    void connectionError(int shard, const QString &message);
    /// The sessions given to setSavedSessions() were not used: one line saying why.
    void savedSessionsIgnored(const QString &notice);
    /// @p shard closed fatally (no retry). Also emitted with @p shard = -1 and code 4004 when
    /// discovery is answered with HTTP 401, so a rejected token is reported the same way
    /// whether discovery or Identify found it.
    void fatalError(int shard, int closeCode, const QString &explanation);

private:
    enum class Phase { Idle, Discovering, DiscoveryRetry, Running, Failed };

    struct Shard
    {
        int id = 0;
        GatewayClient *client = nullptr;
        bool started = false;
        bool settled = false; ///< reached Ready or Failed once since it was started
        /// Not opened again before this m_monotonic ms (after a lost session).
        qint64 notBefore = 0;
        ExponentialBackoff retryBackoff;
    };

    void startDiscovery();
    void onDiscoveryFinished(const GatewayBotInfo &info);
    void onDiscoveryFailed(const QString &message, int httpStatus);
    void fail(const QString &message);
    void createClients(const QUrl &gatewayUrl);
    void connectClient(GatewayClient *client, int shardId);
    void destroyClients();
    /// Opens every bucket's next shard whose turn it is, arming a timer for the others.
    void startDueShards();
    void startShard(Shard &shard);
    /// Opens every shard that has a saved session, resuming it (setSavedSessions()).
    void resumeSavedShards();
    void onShardStateChanged(int shardId, State state);
    /// @p client lost its session and is about to Identify on its own: queue it in its bucket.
    void requeueShard(GatewayClient *client, int shardId);
    int bucketOf(int shardId) const;
    Shard *shardById(int shardId);
    const Shard *shardById(int shardId) const;
    void updateState();
    State computeState() const;

    GatewayConfig m_base;
    int m_firstShard = 0;
    int m_lastShard = 0;
    int m_configuredCount = 1; ///< 0 = auto
    int m_shardCount = 1;
    int m_maxConcurrency = 1;
    std::optional<GatewayBotInfo> m_botInfo;
    QString m_errorString;

    Phase m_phase = Phase::Idle;
    State m_state = State::Disconnected;
    GatewayDiscovery *m_discovery = nullptr;
    ExponentialBackoff m_discoveryBackoff;
    QTimer m_discoveryRetryTimer;
    /// Fires when the earliest bucket whose previous shard has settled may Identify again.
    QTimer m_startTimer;
    QList<Shard> m_shards; ///< ordered by shard id
    QElapsedTimer m_monotonic;
    /// Bucket → m_monotonic ms of its last Identify (any shard, any run of this manager).
    QHash<int, qint64> m_lastIdentifyAt;
    /// Bucket → shard id that last identified in it, to spot collisions.
    QHash<int, int> m_lastIdentifyShard;
    QHash<int, GatewayClient::ResumableSession> m_savedSessions; ///< for the next open()
    int m_savedShardCount = 0;
};

} // namespace Gatescope
