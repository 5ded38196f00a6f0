#pragma once

#include "emulator/clocktimer.h"
#include "emulator/emulatorclock.h"
#include "emulator/fault.h"
#include "emulator/faultplan.h"
#include "emulator/serverconfig.h"
#include "emulator/trafficgenerator.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QRandomGenerator64>
#include <QUrl>

#include <map>
#include <memory>

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace Gatescope::Emulator {

class ClientConnection;
class FaultInjector;
class HttpDiscovery;
class Session;
class TrafficPump;

/// A strict, Discord-compatible Gateway v10 server on 127.0.0.1, with the REST discovery
/// endpoints, sessions with replay buffers, generated traffic and scripted faults.
///
/// One TCP port serves everything: `GET /api/v10/gateway` and `/gateway/bot` as plain HTTP,
/// WebSocket upgrades on `/` (the gateway URL) and on `/resume` (the resume URL). Protocol rules
/// follow the protocol reference §14; choices where Discord is not documented:
/// - bad or missing `v` → Hello, then close 4012; `encoding` other than json or an unsupported
///   `compress` → Hello, then close 1003 with a reason naming the problem;
/// - a missed heartbeat (none within interval + grace) → close 4009, which ends the session as
///   every server close with a session-ending code does (4003, 4007, 4009, fatal codes);
/// - a Resume whose session is attached to another live connection closes that one with 4000.
///
/// Thread affinity: the thread it was created in. Owns its connections and sessions.
class EmulatorServer : public QObject
{
    Q_OBJECT
public:
    explicit EmulatorServer(const ServerConfig &config = {}, QObject *parent = nullptr);
    ~EmulatorServer() override;

    /// Listens on 127.0.0.1 (config port, 0 = pick). False and a reason if it cannot.
    bool start(QString *error = nullptr);
    quint16 port() const;
    QUrl gatewayUrl() const; ///< ws://127.0.0.1:PORT (no query)
    QUrl resumeGatewayUrl() const; ///< ws://127.0.0.1:PORT/resume
    QUrl apiUrl() const; ///< http://127.0.0.1:PORT/api/v10
    const ServerConfig &config() const;

    /// false: upgrades on the resume URL are dropped before the handshake completes.
    void setResumeEndpointAvailable(bool available);
    bool resumeEndpointAvailable() const;

    FaultPlan &faults();
    /// Applies @p fault to every live connection now (modes: to the server), ignoring its trigger.
    void injectNow(const Fault &fault);

    /// Pushes one custom dispatch to every session (attached or detached): routed to the shard
    /// of @p guildId (0 → shard 0), sequenced, kept for replay. No intent filtering.
    void emitDispatch(const QString &type, const QJsonObject &d, quint64 guildId = 0);
    /// Generates @p count events now, independent of the rate timer (still honours messageLimit).
    void generateEvents(int count);
    /// Changes the automatic rate (events per second, 0 = off).
    void setEventsPerSecond(double eventsPerSecond);
    TrafficGenerator &traffic();
    /// MESSAGE_CREATE events generated so far.
    qint64 messagesGenerated() const;
    /// The most bytes any connection has waiting to be sent (see ServerConfig::maxPendingBytes).
    qint64 pendingBytes() const;

    /// The bytes that slow-write pacing holds back, over all connections (Fault::Kind::SlowWrite).
    qint64 heldBackBytes() const;

    /// The bytes of dispatches all sessions keep for Resume (see ServerConfig::replayBufferBytes).
    qint64 replayBufferedBytes() const;

    int connectionCount() const;
    int sessionCount() const;
    /// The newest `s` of a session, -1 if there is no such session.
    qint64 lastSequence(const QString &sessionId) const;
    /// session_start_limit.remaining as /gateway/bot would report it now.
    int sessionStartRemaining() const;
    /// The clock behind every protocol window, deadline and delay: payload rate limit,
    /// Identify concurrency, session starts and expiry, heartbeat and auth deadlines, ACK
    /// delays, the close after op 7, slow-write pacing, scheduled faults and the traffic rate.
    /// Real time by default; a test calls clock().useManualTime() and then advance().
    EmulatorClock &clock();
    /// Sessions that have an authenticated connection attached right now.
    int attachedSessionCount() const;

    /// One MESSAGE_CREATE written to a session's live connection (sent live or replayed).
    struct Delivery
    {
        QString sessionId;
        qint64 seq = 0;
        quint64 messageId = 0;
    };
    /// Every delivery in the order written, when ServerConfig::recordDeliveries is set. A
    /// message replayed after a resume appears again (same session and seq).
    const QList<Delivery> &deliveries() const { return m_deliveries; }

    /// The path of READY's resume_gateway_url.
    static constexpr const char ResumePath[] = "/resume";

signals:
    void clientConnected(int connectionId, const QUrl &requestUrl);
    void payloadReceived(int connectionId, const QByteArray &json);
    void clientIdentified(int connectionId, const QString &sessionId);
    void clientResumed(int connectionId, const QString &sessionId, int replayedCount);
    /// A Resume from @p seq was answered with op 9 false: the session is unknown, expired, or
    /// its replay buffer no longer holds the dispatches after @p seq.
    void resumeRefused(int connectionId, const QString &sessionId, qint64 seq);
    void clientClosed(int connectionId, int closeCode, bool byServer);
    void messagesSent(qint64 totalMessageCreates);
    /// An upgrade on the resume URL was dropped because the endpoint is unavailable.
    void resumeUpgradeRefused();
    /// A fault was applied (by schedule or injectNow), for logs and the demo.
    void faultApplied(const Gatescope::Emulator::Fault &fault);

private:
    // The server's parts share its connections, sessions and protocol helpers.
    friend class FaultInjector;
    friend class HttpDiscovery;
    friend class TrafficPump;

    void onWebSocketConnection();
    void onTextMessage(ClientConnection *connection, const QString &text);
    void onConnectionFinished(ClientConnection *connection);
    void handlePayload(ClientConnection *connection, const QByteArray &json);
    void handleHeartbeat(ClientConnection *connection, const QJsonValue &d);
    void handleIdentify(ClientConnection *connection, const QJsonValue &d);
    void handleResume(ClientConnection *connection, const QJsonValue &d);
    bool validateAfterAuthOp(int op, const QJsonValue &d) const;
    void sendAck(ClientConnection *connection);
    void sendOp(ClientConnection *connection, int op, const QJsonValue &d);
    void closeConnection(ClientConnection *connection, int code, const QString &reason);
    void armHeartbeatDeadline(ClientConnection *connection, int ms);
    void pushDispatch(Session &session, const QString &type, const QJsonValue &d);
    /// Records the dispatch @p json (sequenced with the session's newest `s`) and sends it;
    /// @p messageId names a MESSAGE_CREATE (0 for other dispatches).
    void pushJson(Session &session, const QByteArray &json, quint64 messageId = 0);
    void noteDelivery(const Session &session, qint64 seq, quint64 messageId);
    void expireSessions();
    /// Whether a connection's end with @p closeCode ends its session.
    static bool endsSession(int closeCode, bool byServer);
    QString newSessionId();
    QJsonArray trace() const;
    void refreshSessionStartWindow();
    ClientConnection *connectionById(int id) const;

    ServerConfig m_config;
    /// Before the parts that make timers from it; destroyed after them (the FaultPlan and
    /// finished connections, QObject children, are deleted later still: their timers are told).
    EmulatorClock m_clock;
    QTcpServer *m_tcp = nullptr;
    QWebSocketServer *m_webSockets = nullptr;
    FaultPlan *m_faults = nullptr;
    std::unique_ptr<TrafficGenerator> m_traffic;
    HttpDiscovery *m_http = nullptr;
    std::unique_ptr<TrafficPump> m_pump;
    std::unique_ptr<FaultInjector> m_faultInjector;
    QRandomGenerator64 m_random;
    qint64 nowMs() const;

    bool m_resumeAvailable = true;
    int m_nextConnectionId = 1;
    QHash<int, ClientConnection *> m_connections;
    QHash<quint16, QTcpSocket *> m_upgrading; ///< peer port → socket handed to m_webSockets
    std::map<QString, std::unique_ptr<Session>> m_sessions;
    QHash<int, qint64> m_lastIdentifyByBucket; ///< bucket → clock ms of its last Identify
    int m_sessionStartRemaining = 0;
    qint64 m_sessionStartWindowStartMs = 0;
    ClockTimer m_expiryTimer;
    QList<Delivery> m_deliveries;
};

} // namespace Gatescope::Emulator
