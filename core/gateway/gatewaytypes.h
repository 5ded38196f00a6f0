#pragma once

#include "core/gateway/bottoken.h"
#include "core/gateway/intents.h"
#include "core/gateway/payload.h"
#include "core/gateway/proxysettings.h"
#include "core/metrics/latencyhistogram.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>

namespace Gatescope {

/// Transport compression of a gateway connection (protocol reference §9).
enum class Compression { None, ZlibStream, ZstdStream };

QString compressionName(Compression compression); ///< "none", "zlib-stream", "zstd-stream"
std::optional<Compression> compressionFromName(const QString &name);

/// Awaited before every Identify (never before a Resume, which does not count against the
/// identify limit): the client calls it, in its own thread, with its shard id (-1 for a lone
/// connection) and a `proceed` function, and sends Identify once `proceed` has been called
/// (from any thread; a call for a connection that has ended since is ignored). Heartbeats go
/// on meanwhile. An empty gate is open. A fleet shares the identify budget through it.
using IdentifyGate = std::function<void(int shardId, std::function<void()> proceed)>;

/// What GatewayClient needs to connect. The token is held here only in memory.
struct GatewayConfig
{
    BotToken token; ///< bare bot token, without "Bot "; see BotToken for reading it
    QUrl gatewayUrl; ///< when set, discovery is skipped and this URL is used
    QUrl apiUrl = QUrl(QStringLiteral("https://discord.com/api/v10"));
    Compression compression = Compression::ZlibStream;
    quint32 intents = Intents::MonitorDefault;
    int shardId = -1; ///< -1 = do not send `shard`
    int shardCount = 1;
    int largeThreshold = 50;
    /// 0 = use the server's interval. A shorter value gives finer latency samples; it is never
    /// allowed to push the connection past the send rate limit.
    int heartbeatIntervalOverrideMs = 0;
    qsizetype maxPayloadBytes = 64 * 1024 * 1024;
    int handshakeTimeoutMs = 30000;
    int helloTimeoutMs = 60000;
    int backoffBaseMs = 1000;
    int backoffCapMs = 60000;
    /// op 9 false waits a random 1–5 s before identifying again (older docs); tests shorten it.
    int invalidSessionMinDelayMs = 1000;
    int invalidSessionMaxDelayMs = 5000;
    /// Identifies are spaced at least this far apart: Discord allows one per 5 s per
    /// concurrency bucket and answers more with op 9 (protocol §7).
    int minIdentifyIntervalMs = 5000;
    /// After this many failed attempts to reach the resume URL, fall back to discovery + Identify.
    int resumeUrlAttempts = 2;
    /// How the WebSocket and the discovery reach the network (default: the system proxy).
    ProxySettings proxy;
    QString osName = QStringLiteral("linux");
    QString browserName = QStringLiteral("gatescope");
    QString deviceName = QStringLiteral("gatescope");
    IdentifyGate identifyGate; ///< empty = identify at once
};

/// `GET /gateway/bot` (protocol reference §1, §7).
struct GatewayBotInfo
{
    QUrl url;
    int shards = 1;
    int sessionStartTotal = 0;
    int sessionStartRemaining = 0;
    qint64 sessionStartResetAfterMs = 0;
    int maxConcurrency = 1;
};

/// One frame in or out, for the raw-frames view and recordings. The token is already redacted.
struct FrameRecord
{
    enum class Direction { Incoming, Outgoing };
    qint64 timeMs = 0; ///< Unix ms
    Direction direction = Direction::Incoming;
    int op = -1;
    QString type; ///< `t`, for dispatches
    qint64 seq = -1; ///< `s`, -1 when null
    qsizetype wireBytes = 0; ///< size on the wire (compressed size for zlib-stream)
    QByteArray json; ///< the decoded payload, token redacted
    /// Why the client rejected this frame's event (a message event without a usable `d` or id;
    /// GatewayEvent::error), empty when it was accepted. Views mark such frames.
    QString rejected;
};

/// One frame read back from a recording (FrameRecorder's format), for GatewayClient::replayFrame().
struct RecordedFrame
{
    qint64 timeMs = 0; ///< Unix ms when the frame was received or sent
    FrameRecord::Direction direction = FrameRecord::Direction::Incoming;
    qsizetype wireBytes = 0;
    qsizetype jsonBytes = 0; ///< size of the decoded payload JSON, as the recording holds it
    Payload payload;
    /// A recorded close instead of a payload (payload.op is then -1).
    int closeCode = -1;
    QString closeReason;
    QString closedBy; ///< GatewayClient::initiatorName(): "server", "client", "network", "user"
    QString closeAction; ///< CloseCodes::actionName(): "resume", "identify", "fatal"
    bool isClose() const { return closeCode >= 0; }
};

/// Counters kept by one GatewayClient. Read them whenever a view refreshes.
struct GatewayMetrics
{
    quint64 wireBytesIn = 0;
    quint64 inflatedBytesIn = 0;
    quint64 bytesOut = 0;
    quint64 framesIn = 0;
    quint64 framesOut = 0;
    quint64 dispatches = 0;
    QHash<QString, quint64> dispatchesByType;
    double eventsPerSecond = 0; ///< dispatches per second over the last few seconds
    int identifies = 0;
    int resumes = 0; ///< successful resumes (RESUMED received)
    int reconnects = 0;
    /// reconnects by the close code that ended the connection (0: no close, the /gateway/bot
    /// discovery failed); the values add up to reconnects.
    QMap<int, int> reconnectsByCloseCode;
    int ackMisses = 0;
    /// Beats sent while an ACK was still outstanding but frames kept arriving (a busy
    /// connection, not a zombie: the ACK was queued behind them).
    int busyBeats = 0;
    /// Every heartbeat round trip, in buckets (the `gatescope_heartbeat_latency_seconds`
    /// histogram).
    LatencyHistogram heartbeatLatency;
    qint64 lastSeq = -1;
    int lastCloseCode = 0;
    qint64 lastCloseTimeMs = 0;
    qint64 connectedSinceMs = 0; ///< Unix ms of the last READY/RESUMED, 0 when not connected
};

/// What READY said, kept for resuming and for display.
struct SessionInfo
{
    QString sessionId;
    QUrl resumeGatewayUrl;
    QJsonObject user;
    QList<quint64> guildIds;
    int shardId = -1;
    int shardCount = 0;
};

} // namespace Gatescope

Q_DECLARE_METATYPE(Gatescope::FrameRecord)
Q_DECLARE_METATYPE(Gatescope::RecordedFrame)
