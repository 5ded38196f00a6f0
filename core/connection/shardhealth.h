#pragma once

#include "core/connection/injectableclock.h"
#include "core/gateway/gatewayclient.h"
#include "core/gateway/gatewayevent.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

namespace Gatescope {

class ConnectionController;

/// What ShardHealth knows of one shard, computed from its clock when asked.
struct ShardHealthFacts
{
    int shard = -1; ///< -1 for a single connection (live or replay)
    /// Connected (Ready), heartbeats acknowledged since the last dispatch, and no dispatch for
    /// at least ShardHealth::silentAfterMs().
    bool silent = false;
    /// While silent: Unix ms of the last dispatch (or of becoming Ready, when none came since),
    /// i.e. since when the shard has been silent. 0 when not silent.
    qint64 silentSinceMs = 0;
    /// Ms since the shard's last dispatch (or since it became Ready, when none came since);
    /// -1 before the shard was first Ready.
    qint64 msSinceDispatch = -1;
    /// Ms since the shard's last heartbeat ACK; -1 before the first.
    qint64 msSinceAck = -1;
};

/// The silent-shard alarm: per shard, the time since the last dispatch and since the last
/// heartbeat ACK, and the "silent" condition — a shard that is Ready and whose heartbeats keep
/// being acknowledged (an ACK came after its last dispatch) but that received no dispatch for
/// silentAfterMs() (default 10 minutes). Discord shards have been seen in that state for hours;
/// no library raises it. The condition clears on the shard's next dispatch (or when it leaves
/// Ready: a reconnecting shard is not silent, it is reconnecting).
///
/// Fed by a ConnectionController (attach()): its batches (one look per batch at the events'
/// shards), latencies (one per ACK), states and connection starts; or by the slots directly.
/// The condition is evaluated once a second (setCheckInterval()) and by evaluate();
/// silenceStarted() and silenceEnded() announce the changes, evaluated() every evaluation.
///
/// Time comes from an injectable monotonic clock (durations) and wall clock (silentSinceMs), so
/// tests move time on without waiting.
///
/// Thread affinity: the thread it lives in (the controller's consumer thread). Owns only its
/// timer; the controller it follows is not owned.
class ShardHealth : public QObject
{
    Q_OBJECT

public:
    using Clock = InjectableClock::Clock;

    static constexpr qint64 DefaultSilentAfterMs = 10 * 60 * 1000;
    static constexpr int DefaultCheckIntervalMs = 1000;

    explicit ShardHealth(QObject *parent = nullptr);

    /// Follows @p controller from now on: new connections replace the shards, and the shards'
    /// dispatches, ACKs and states feed the condition.
    void attach(ConnectionController *controller);
    /// Stops following the controller (evaluating once more first), so the facts stay as the
    /// stop found them: headless `--stats-json` reports the silence the run ended with, not the
    /// Disconnected state closing brings.
    void detach();

    /// No dispatch for this long (with ACKs arriving) makes a shard silent. At least 1 ms.
    void setSilentAfterMs(qint64 ms);
    qint64 silentAfterMs() const { return m_silentAfterMs; }
    /// How often the condition is evaluated by the timer; 0 stops the timer (tests call
    /// evaluate() themselves).
    void setCheckInterval(int ms);
    /// Replaces the monotonic clock (ms, for durations) and the wall clock (Unix ms, for
    /// silentSinceMs); empty functions restore the real ones.
    void setClock(Clock monotonicMs, Clock wallMs);

    /// The shards followed, in order (-1 alone for a single connection).
    QList<int> shards() const;
    /// The facts of @p shard now (a default ShardHealthFacts with shard set when unknown).
    ShardHealthFacts facts(int shard) const;
    /// The facts of every shard now, in shard order.
    QList<ShardHealthFacts> allFacts() const;
    /// Whether @p shard is silent (as of the last evaluation).
    bool isSilent(int shard) const;
    /// Silent shards (as of the last evaluation).
    int silentCount() const;

public slots:
    /// Forgets every shard and follows @p shards (none Ready yet).
    void resetShards(const QList<int> &shards);
    void noteState(int shard, Gatescope::GatewayClient::State state);
    /// A dispatch of @p shard arrived now; ends its silence at once.
    void noteDispatch(int shard);
    /// A heartbeat ACK of @p shard arrived now.
    void noteAck(int shard);
    /// The dispatches of a batch (each names its shard).
    void noteEvents(const Gatescope::GatewayEventBatch &events);
    /// Raises and clears the condition for every shard as of now, then emits evaluated().
    void evaluate();

signals:
    /// @p shard became silent: Ready, ACKs arriving, and no dispatch for @p msSinceDispatch.
    void silenceStarted(int shard, qint64 msSinceDispatch, qint64 silentSinceMs);
    /// @p shard is silent no more, after @p silentForMs without a dispatch; @p byDispatch is
    /// false when it left Ready (or the connection was replaced) instead.
    void silenceEnded(int shard, qint64 silentForMs, bool byDispatch);
    /// evaluate() ran; allFacts() holds the new figures.
    void evaluated();

private:
    struct Track
    {
        GatewayClient::State state = GatewayClient::State::Disconnected;
        qint64 lastDispatchAt = -1; ///< monotonic; also set on becoming Ready
        qint64 lastDispatchWallMs = 0;
        qint64 lastAckAt = -1; ///< monotonic
        bool silent = false;
    };

    Track &track(int shard);
    qint64 now() const;
    qint64 wallNow() const;
    bool conditionHolds(const Track &track, qint64 now) const;
    void endSilence(int shard, Track &track, bool byDispatch, qint64 silentForMs);

    QHash<int, Track> m_tracks;
    qint64 m_silentAfterMs = DefaultSilentAfterMs;
    InjectableClock m_clock;
    QTimer m_timer;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace Gatescope
