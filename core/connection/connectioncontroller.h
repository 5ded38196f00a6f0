#pragma once

#include "core/connection/sessionfile.h"
#include "core/gateway/closecodes.h"
#include "core/gateway/gatewayclient.h"
#include "core/gateway/gatewayevent.h"
#include "core/gateway/gatewaytypes.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <atomic>
#include <functional>
#include <optional>

class QThread;

namespace Gatescope {

class FrameRecorder;
class Replayer;
class ShardManager;

/// The one ingest pipeline, GUI-free, shared by the window and headless mode: a `gateway`
/// thread with one GatewayClient (live or fed by a Replayer) or a ShardManager's range, the
/// FrameRecorder for `--record`, and the decoded event batches delivered to the consumer's
/// thread (eventsReady()), where the store's ingest or the headless lines run.
///
/// Thread affinity: lives in, and is called from, the consumer's thread (the one that created
/// it). It owns its thread and everything in it; the client, manager, replayer and recorder are
/// only touched there. Every signal arrives in the consumer's thread. Per-connection signals
/// carry the shard: -1 for a single connection (live or replay), the shard id for a range.
/// Counters are copied from the gateway thread once a second (metrics(), metricsUpdated()).
///
/// stop() closes with 1000 and returns only after every event received before it has been
/// delivered, so nothing received is lost.
///
/// `--session-file` (setSessionFile()): connectTo() and connectShards() resume the sessions a
/// file saved instead of identifying (a stale, corrupt or mismatched file is ignored with a
/// sessionFileStatus() line); stopKeepingSessions() closes with 4000, which keeps the sessions
/// resumable, and saves them; a 1000 close (stop(), disconnectFromGateway()) removes the file,
/// whose sessions it ended.
class ConnectionController : public QObject
{
    Q_OBJECT

public:
    /// One connection's counters as last copied (a shard of a range, or the single connection
    /// with shard -1), for per-shard views.
    struct ShardSnapshot
    {
        int shard = -1;
        GatewayMetrics metrics;
        int guildCount = 0; ///< guilds READY listed
    };

    explicit ConnectionController(QObject *parent = nullptr);
    /// Stops the connection, closes the recording and joins the thread.
    ~ConnectionController() override;

    /// Records every frame of this and later connections to @p path (JSON Lines, token
    /// redacted), written in the gateway thread. False, with @p error, when it cannot be opened.
    bool setRecordFile(const QString &path, QString *error);
    /// A single connection (live or replay) closes with 1000 right after the @p count th
    /// MESSAGE_CREATE (0 = no limit); see GatewayClient::setMessageLimit().
    void setMessageLimit(qint64 count);
    /// Whether framesReady() is wanted (the raw frames view is shown); frames are only
    /// collected for it while true.
    void setFramesWanted(bool wanted);

    /// Replaces any running connection with one GatewayClient for @p config, and opens it.
    void connectTo(const GatewayConfig &config);
    /// Replaces any running connection with shards @p first..@p last of @p count (0 = the count
    /// /gateway/bot recommends). False, with @p error, for a range the manager refuses.
    bool connectShards(const GatewayConfig &config, int first, int last, int count, QString *error);
    /// Replaces any running connection with a replay of @p path (@p speed 1 = recorded pace, 0 =
    /// as fast as possible). False, with @p error, when the file cannot be opened.
    bool replay(const QString &path, double speed, QString *error);
    /// `--session-file`: where sessions are saved by stopKeepingSessions() and read by the
    /// next connectTo()/connectShards() (then removed: a file is used once). Empty: off.
    void setSessionFile(const QString &path);
    QString sessionFile() const { return m_sessionFilePath; }
    /// A graceful exit that is not the user's disconnect (a signal, --duration, the window
    /// closed): like stop(), but each connection with a session closes with 4000 instead of
    /// 1000, so it stays resumable, and the sessions (with the sequence of the last event
    /// delivered) are saved to the session file. Returns one line for the user (where they were
    /// saved, or why not); without a session file or a live connection, the same as stop().
    QString stopKeepingSessions();
    /// Closes the connection with 1000 (a user's disconnect) and keeps it for its counters.
    void disconnectFromGateway();
    /// Reconnects one shard (-1: the single connection) with a resume, as GatewayClient::
    /// reconnect() does (for a silent shard). False when @p shard is not one of the running
    /// connection's (or it is a replay); a shard that is not Ready then is left alone.
    bool reconnectShard(int shard);
    /// Closes and discards the connection; every event received before is delivered
    /// (eventsReady()) before this returns. A client that failed fatally is not closed again.
    void stop();

    bool isActive() const { return m_client || m_shards; }
    bool isRange() const { return m_shards != nullptr; }
    bool isReplay() const { return m_replayer != nullptr; }
    /// The state of the client, or the range's aggregated state, as last reported.
    GatewayClient::State state() const { return m_state; }
    /// The state the connection had when stop() began (how a run ended: Ready, Failed …).
    GatewayClient::State stateAtStop() const { return m_stateAtStop; }
    /// The last copies of the connection's counters (summed over a range), session and
    /// discovery answer.
    const GatewayMetrics &metrics() const { return m_metrics; }
    const SessionInfo &session() const { return m_session; }
    const std::optional<GatewayBotInfo> &botInfo() const { return m_botInfo; }
    /// The range's resolved shard count (0 until `auto` is resolved, or without a range).
    int shardCount() const { return m_shardCount; }
    /// Copies the counters from the gateway thread now; metricsUpdated() follows.
    void refreshMetrics();
    /// Per connection (each shard of a range, or the single one) as last copied; after stop(),
    /// the final counters. Ordered by shard id.
    const QList<ShardSnapshot> &shardSnapshots() const { return m_shardSnapshots; }
    /// The shards of the connection last started: first..last of a range, or {-1} for a
    /// single connection or a replay; empty before the first.
    const QList<int> &shardIds() const { return m_shardIds; }

signals:
    /// Decoded dispatches, in order; each names its shard (GatewayEvent::shard).
    void eventsReady(const Gatescope::GatewayEventBatch &events);
    /// Frames in and out, token redacted, while setFramesWanted(true).
    void framesReady(const QList<Gatescope::FrameRecord> &frames);
    void stateChanged(Gatescope::GatewayClient::State state);
    /// One shard of a range changed state (the range's aggregate comes as stateChanged()).
    void shardStateChanged(int shard, Gatescope::GatewayClient::State state);
    void latencyChanged(int shard, int lastMs, int smoothedMs);
    void heartbeatAckMissed(int shard);
    void disconnected(int shard, int closeCode, const QString &reason,
                      Gatescope::GatewayClient::Initiator initiator,
                      Gatescope::CloseCodes::Action action);
    void reconnectScheduled(int shard, int attempt, int delayMs);
    void sessionEstablished(int shard, const QString &sessionId, bool resumed, int replayedCount);
    void connectionError(int shard, const QString &message);
    /// A fatal close (shard -1 for a single connection, or discovery's 401 for a range).
    void fatalError(int shard, int closeCode, const QString &explanation);
    void discoveryFinished(const Gatescope::GatewayBotInfo &info);
    /// A range-level error (ShardManager::errorOccurred).
    void errorOccurred(const QString &message);
    /// metrics(), session(), botInfo() and shardCount() were copied again.
    void metricsUpdated();
    void replayCorruptLine(qint64 line, const QString &reason);
    /// The replay reached the end; every replayed event was delivered before this.
    void replayFinished(qint64 frames, qint64 corruptLines);
    /// The recording failed (disk full …); recording stops.
    void recordError(const QString &message);
    /// A connection, range or replay was started; shardIds() names its shards.
    void connectionStarted();
    /// One line about the session file: saved sessions being resumed, or a file ignored (stale,
    /// corrupt, another token or other shards) and why.
    void sessionFileStatus(const QString &line);

private:
    void ensureThread();
    /// Runs @p function in the gateway thread and waits for it.
    template<typename Function>
    void runInThread(Function &&function);
    /// Creates the client in the gateway thread and wires it; @p shard as its signals carry it.
    GatewayClient *createClient(const GatewayConfig &config);
    /// Wires @p client's signals to this controller (called in the gateway thread).
    void wireClient(GatewayClient *client, int shard, bool single);
    void wireShards(ShardManager *shards);
    /// Follows the current connection's (or range's) state into state() and stateChanged().
    std::function<void(GatewayClient::State)> stateFollower();
    void connectFrames();
    void beginConnection();
    void applySnapshot(const GatewayMetrics &metrics, const SessionInfo &session,
                       const std::optional<GatewayBotInfo> &botInfo, int shardCount,
                       const QList<ShardSnapshot> &shards);
    /// The connections' counters, read in the gateway thread.
    static QList<ShardSnapshot> snapshotsOf(GatewayClient *single, ShardManager *shards);
    /// Delivers what the gateway thread already posted to this controller (batches, closes).
    void deliverPosted();
    /// stop()'s work; with @p saved, connections close keeping their sessions, listed there.
    void stopConnection(QList<SavedSession> *saved);
    /// The sessions the session file holds for @p config's token and these shards (the file
    /// is removed once read), or none, with a sessionFileStatus() line when one was ignored.
    QList<SavedSession> takeSavedSessions(const GatewayConfig &config, int shardCount,
                                          const QList<int> &shardIds);
    /// A 1000 close ended the live connection's sessions: its saved file would name dead ones.
    void forgetSavedSessions();

    QThread *m_thread = nullptr;
    QObject *m_context = nullptr; ///< lives in m_thread, to run code there
    FrameRecorder *m_recorder = nullptr; ///< m_context's child; only touched in m_thread
    GatewayClient *m_client = nullptr; ///< in m_thread; never dereferenced here
    ShardManager *m_shards = nullptr; ///< in m_thread; never dereferenced here
    Replayer *m_replayer = nullptr; ///< m_client's child, in m_thread
    quint64 m_generation = 0; ///< bumped per connection, so late copies of an old one are dropped
    qint64 m_messageLimit = 0;
    std::atomic_bool m_framesWanted = false; ///< also read in m_thread, as shards appear
    GatewayClient::State m_state = GatewayClient::State::Disconnected;
    GatewayClient::State m_stateAtStop = GatewayClient::State::Disconnected;
    GatewayMetrics m_metrics;
    SessionInfo m_session;
    std::optional<GatewayBotInfo> m_botInfo;
    int m_shardCount = 0;
    QList<ShardSnapshot> m_shardSnapshots;
    QList<int> m_shardIds;
    QTimer m_metricsTimer;
    QString m_sessionFilePath;
    BotToken m_sessionToken; ///< the live connection's, to recognise its session file
    bool m_liveConnection = false; ///< a connectTo()/connectShards() connection (not a replay)
};

} // namespace Gatescope
