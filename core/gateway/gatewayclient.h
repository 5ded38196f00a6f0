#pragma once

#include "core/gateway/closecodes.h"
#include "core/gateway/gatewayevent.h"
#include "core/gateway/gatewaytypes.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>

namespace Gatescope {

/// One Discord Gateway v10 connection (one shard): the glue between its transport
/// (GatewayTransport), heartbeat bookkeeping (Heartbeat), send queue and limiter (SendLimiter)
/// and the socket-free session state machine (GatewaySession), which decides what follows
/// HELLO, READY, op 7, op 9 and every close.
///
/// Lives in the thread that created it and owns its QWebSocket, timers, zlib stream and
/// EventDecoder: every payload is decoded once, here, into GatewayEvent values that leave the
/// thread in batches (eventsReady(), at most every ~16 ms, in order; close() and endReplay()
/// hand over what waits first, so stopping loses nothing received).
/// The token is registered with Redaction on setConfig() and never logged.
///
/// Heartbeats: a beat due while the previous ACK is outstanding is a zombie only when no frame
/// at all arrived since that beat; a connection still delivering frames is busy (its ACK is
/// queued behind them), so the client beats on and counts GatewayMetrics::busyBeats.
///
/// State transitions (stateChanged is emitted once per arrow):
///  1. open(): Disconnected → Connecting → (HELLO) Identifying → (READY) Ready
///  2. op 7, zombie, resumable close or TCP drop: Ready → Reconnecting → Connecting
///     → (HELLO) Resuming → (RESUMED) Ready
///  3. op 9 false or a session-ending close: … → Reconnecting → Connecting → Identifying → Ready
///  4. fatal close (4004, 4010–4014): … → Failed (no retry; fatalError carries the explanation)
///  4b. three closes in a row before READY (each after an Identify; any code, op 9 false
///     included), or Identify with discovery's session_start_limit used up: … → Failed, with
///     fatalError naming the closes and how often ("the token may be invalid or lack the
///     intents"), instead of identifying again and again
///  5. close() by the user: … → Disconnected (close code 1000, the session ends)
class GatewayClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(int latencyMs READ latencyMs NOTIFY latencyChanged)

public:
    enum class State {
        Disconnected,
        Connecting,
        Identifying,
        Resuming,
        Ready,
        Reconnecting,
        Failed
    };
    Q_ENUM(State)

    /// Who ended a connection.
    enum class Initiator { Server, Client, Network, User };
    Q_ENUM(Initiator)

    using Clock = std::function<qint64()>; ///< monotonic ms
    using Random = std::function<double()>; ///< uniform in [0, 1)

    /// A session to resume later, by this or another process (`--session-file`).
    struct ResumableSession
    {
        QString sessionId;
        qint64 sequence = -1; ///< the last `s` received, -1 before any
        QUrl resumeUrl; ///< READY's resume_gateway_url
    };

    explicit GatewayClient(QObject *parent = nullptr);
    /// "Ready", "Reconnecting", … for status lines and stats; stateFromName() reads it back.
    static QString stateName(State state);
    static std::optional<State> stateFromName(QStringView name);
    /// "server", "client", "network", "user" (recordings); initiatorFromName() reads it back.
    static QString initiatorName(Initiator initiator);
    static std::optional<Initiator> initiatorFromName(QStringView name);
    ~GatewayClient() override;

    void setConfig(const GatewayConfig &config);
    const GatewayConfig &config() const;

    State state() const;
    bool isConnected() const { return state() == State::Ready; }
    /// Last heartbeat round trip in ms, -1 before the first ACK.
    int latencyMs() const;
    /// Exponentially smoothed round trip in ms, -1 before the first ACK.
    int smoothedLatencyMs() const;
    const GatewayMetrics &metrics() const;
    const SessionInfo &session() const;
    /// `session_start_limit` and friends from discovery, when it ran.
    std::optional<GatewayBotInfo> botInfo() const;
    /// The explanation of the fatal close, when state() is Failed.
    QString failureReason() const;

    /// Closes for a restart that will resume (`--session-file`): hands over the events
    /// received, then closes with 4000 instead of 1000, so Discord keeps the session resumable
    /// for a few minutes, and returns it with the sequence of the last event handed over
    /// (nothing when there is no session: identifying, replaying, closed). Nothing received
    /// after it is handled. The state becomes Disconnected; disconnected() says User, Resume.
    std::optional<ResumableSession> closeKeepingSession();

    bool isReplaying() const;
    /// Unix ms at which the incoming frame being handled arrived (its recorded time during a
    /// replay). Each GatewayEvent carries its own as receivedMs.
    qint64 currentFrameTimeMs() const;

    /// Longest time an event waits in this thread before eventsReady() hands it over.
    void setBatchInterval(int ms);

    /// Replaces the monotonic clock behind the send limiter, heartbeat latency and Identify
    /// spacing (tests inject one; an empty function restores the real one). Timers still run
    /// on real time.
    void setClock(Clock clock);
    /// Replaces the random source behind the first beat's jitter, the reconnect backoff's
    /// jitter and op 9's wait (tests inject one; an empty function restores the real one).
    void setRandom(Random random);

public slots:
    /// Connects: discovery first (unless config().gatewayUrl is set), then Identify.
    void open();
    /// Disconnects as the user: closes with 1000, which ends the session on Discord.
    void close();

    /// Offline replay of a recording (Replayer): the client takes no network action and
    /// replayFrame() drives it instead. False when a connection is open or being made.
    bool beginReplay();
    /// Handles one recorded frame as if it had just arrived or been sent: dispatches, READY,
    /// RESUMED, latency from recorded heartbeats and ACKs, identify and resume counters, and
    /// every signal consumers see live. frameLogged() carries the recorded time.
    void replayFrame(const Gatescope::RecordedFrame &frame);
    /// Ends the replay; the state becomes Disconnected. close() does the same while replaying.
    void endReplay();

    /// After @p count MESSAGE_CREATE events (0 = no limit) the client closes as the user would
    /// (1000), right after the event that reached it: nothing later is received or recorded.
    /// For `--exit-after-messages`, whose output and recording must end at that event.
    void setMessageLimit(qint64 count);

    /// Hands over the events and frames waiting for the next batch now.
    void flushEvents();

    /// Connects to a saved session's resume URL and sends Resume instead of Identify (protocol
    /// §5; `--session-file`). When the resume fails (op 9 false, 4007/4009, the resume URL
    /// unreachable twice), the session is dropped and the client identifies as after any lost
    /// session (on config().gatewayUrl, or after discovery). A session without an id or a valid
    /// URL: the same as open(). Does nothing unless Disconnected or Failed.
    void openResuming(const Gatescope::GatewayClient::ResumableSession &saved);
    /// Leaves the connection with a close that keeps the session (4000, Initiator::Client) and
    /// resumes on a new one, as after op 7: for a shard that stays connected but went silent.
    /// Only while Ready and not replaying; returns whether it did.
    bool reconnect(const QString &reason);

    /// Sends an application payload (op 3, 4, 8, 31, 43 …) through the rate limiter.
    /// Returns false, with an error message, when the payload is refused (over 4096 bytes, or
    /// not connected).
    bool sendPayload(int op, const QJsonValue &d, QString *error = nullptr);

signals:
    void stateChanged(Gatescope::GatewayClient::State state);
    /// After every HEARTBEAT_ACK.
    void latencyChanged(int lastMs, int smoothedMs);
    /// A heartbeat was due while the previous one was still un-ACKed (zombie connection).
    void heartbeatAckMissed();
    /// HELLO armed the heartbeat: the first beat falls due after @p firstBeatMs
    /// (intervalMs × a random draw), then every @p intervalMs.
    void heartbeatStarted(int intervalMs, int firstBeatMs);
    /// The dispatches received since the last batch (READY included), oldest first, decoded
    /// once; never empty. The one way events leave the client: connect it across threads.
    void eventsReady(const Gatescope::GatewayEventBatch &events);
    /// A connection ended: code (1006 for a drop without close frame), reason, who ended it,
    /// and what happens next.
    void disconnected(int closeCode, const QString &reason,
                      Gatescope::GatewayClient::Initiator initiator,
                      Gatescope::CloseCodes::Action action);
    void reconnectScheduled(int attempt, int delayMs);
    /// READY (resumed = false, replayedCount = 0) or RESUMED (with the number of replayed events).
    void sessionEstablished(const QString &sessionId, bool resumed, int replayedCount);
    /// A transient problem (corrupt zlib, invalid JSON, timeout); a reconnect follows.
    void connectionError(const QString &message);
    /// A fatal close: no retry. state() is Failed. When CloseCodes::actionFor(closeCode) is not
    /// Fatal, the client stopped by itself (closes before READY, or the session start limit;
    /// closeCode is the last close, 0 for none) rather than on a fatal code.
    void fatalError(int closeCode, const QString &explanation);
    void discoveryFinished(const Gatescope::GatewayBotInfo &info);
    /// Every frame in and out, token redacted, as it happens: for a consumer in this thread
    /// (FrameRecorder, with a direct connection). Only built when something is connected.
    void frameLogged(const Gatescope::FrameRecord &frame);
    /// The frames logged since the last batch, for another thread (the raw frames view); sent
    /// with eventsReady(). Frames are only collected while something is connected to it.
    void framesReady(const QList<Gatescope::FrameRecord> &frames);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Gatescope
