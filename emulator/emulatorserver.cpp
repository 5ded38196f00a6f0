#include "emulator/emulatorserver.h"

#include "core/gateway/closecodes.h"
#include "core/gateway/payload.h"
#include "core/gateway/snowflake.h"
#include "core/gateway/zstdstreaminflater.h"
#include "emulator/clientconnection.h"
#include "emulator/emulatorlogging.h"
#include "emulator/faultinjector.h"
#include "emulator/httpdiscovery.h"
#include "emulator/httprequest.h"
#include "emulator/session.h"
#include "emulator/trafficpump.h"
#include "emulator/wireformat.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

namespace {

constexpr qint64 MaxIncomingMessageBytes = 1024 * 1024;
constexpr int UnsupportedDataCode = 1003;

// Application flags Discord sets when a privileged intent is enabled for the bot.
constexpr int FlagGatewayPresence = 1 << 12;
constexpr int FlagGatewayGuildMembers = 1 << 14;
constexpr int FlagGatewayMessageContent = 1 << 18;

std::optional<qint64> integerValue(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (number != std::floor(number) || std::abs(number) > 9007199254740991.0)
        return std::nullopt;
    return value.toInteger();
}

} // namespace

EmulatorServer::EmulatorServer(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_faults(new FaultPlan(m_clock, this))
    , m_traffic(std::make_unique<TrafficGenerator>(config.traffic))
    , m_http(new HttpDiscovery(*this))
    , m_pump(std::make_unique<TrafficPump>(*this))
    , m_faultInjector(std::make_unique<FaultInjector>(*this))
    , m_random(config.seed)
    , m_sessionStartRemaining(config.sessionStartRemaining)
    , m_expiryTimer(m_clock)
{
    connect(m_faults, &FaultPlan::triggered, this, &EmulatorServer::injectNow);
    m_expiryTimer.setInterval(qBound(10, m_config.sessionTimeoutMs / 4, 1000));
    connect(&m_expiryTimer, &ClockTimer::timeout, this, &EmulatorServer::expireSessions);
}

EmulatorServer::~EmulatorServer()
{
    m_pump->stop();
    qDeleteAll(m_upgrading);
    m_upgrading.clear();
    const QList<ClientConnection *> connections = m_connections.values();
    m_connections.clear();
    for (ClientConnection *connection : connections) {
        QObject::disconnect(connection, nullptr, this, nullptr);
        QObject::disconnect(connection->socket(), nullptr, this, nullptr);
        delete connection;
    }
}

bool EmulatorServer::start(QString *error)
{
    if (m_tcp) {
        if (error)
            *error = u"the emulator is already running"_s;
        return false;
    }
    m_tcp = new QTcpServer(this);
    if (!m_tcp->listen(QHostAddress::LocalHost, m_config.port)) {
        if (error)
            *error = u"cannot listen on 127.0.0.1:%1: %2"_s.arg(m_config.port)
                             .arg(m_tcp->errorString());
        delete m_tcp;
        m_tcp = nullptr;
        return false;
    }
    connect(m_tcp, &QTcpServer::newConnection, m_http, &HttpDiscovery::onTcpConnection);
    m_webSockets
            = new QWebSocketServer(u"gatescope-emulator"_s, QWebSocketServer::NonSecureMode, this);
    connect(m_webSockets, &QWebSocketServer::newConnection, this,
            &EmulatorServer::onWebSocketConnection);
    m_sessionStartWindowStartMs = nowMs();
    m_faults->start();
    m_expiryTimer.start();
    setEventsPerSecond(m_config.eventsPerSecond);
    qCInfo(lcEmulator) << "listening on" << gatewayUrl().toString();
    return true;
}

quint16 EmulatorServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QUrl EmulatorServer::gatewayUrl() const
{
    return QUrl(u"ws://127.0.0.1:%1"_s.arg(port()));
}

QUrl EmulatorServer::resumeGatewayUrl() const
{
    return QUrl(u"ws://127.0.0.1:%1%2"_s.arg(port()).arg(QString::fromLatin1(ResumePath)));
}

QUrl EmulatorServer::apiUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/api/v10"_s.arg(port()));
}

const ServerConfig &EmulatorServer::config() const
{
    return m_config;
}

void EmulatorServer::setResumeEndpointAvailable(bool available)
{
    m_resumeAvailable = available;
}

bool EmulatorServer::resumeEndpointAvailable() const
{
    return m_resumeAvailable;
}

FaultPlan &EmulatorServer::faults()
{
    return *m_faults;
}

TrafficGenerator &EmulatorServer::traffic()
{
    return *m_traffic;
}

qint64 EmulatorServer::messagesGenerated() const
{
    return m_pump->messagesGenerated();
}

qint64 EmulatorServer::pendingBytes() const
{
    qint64 most = 0;
    for (const ClientConnection *connection : m_connections)
        most = qMax(most, connection->pendingBytes());
    return most;
}

qint64 EmulatorServer::heldBackBytes() const
{
    qint64 bytes = 0;
    for (const ClientConnection *connection : m_connections)
        bytes += connection->heldBackBytes();
    return bytes;
}

qint64 EmulatorServer::replayBufferedBytes() const
{
    qint64 bytes = 0;
    for (const auto &[id, session] : m_sessions)
        bytes += session->bufferedBytes();
    return bytes;
}

int EmulatorServer::connectionCount() const
{
    return int(m_connections.size());
}

int EmulatorServer::sessionCount() const
{
    return int(m_sessions.size());
}

qint64 EmulatorServer::lastSequence(const QString &sessionId) const
{
    const auto it = m_sessions.find(sessionId);
    return it == m_sessions.end() ? -1 : it->second->lastSeq();
}

int EmulatorServer::sessionStartRemaining() const
{
    const_cast<EmulatorServer *>(this)->refreshSessionStartWindow();
    return m_sessionStartRemaining;
}

EmulatorClock &EmulatorServer::clock()
{
    return m_clock;
}

qint64 EmulatorServer::nowMs() const
{
    return m_clock.nowMs();
}

int EmulatorServer::attachedSessionCount() const
{
    int attached = 0;
    for (const auto &[id, session] : m_sessions) {
        const ClientConnection *connection = connectionById(session->connectionId());
        attached += connection && connection->state == ClientConnection::State::Authenticated;
    }
    return attached;
}

ClientConnection *EmulatorServer::connectionById(int id) const
{
    return id == 0 ? nullptr : m_connections.value(id);
}

// ---- WebSocket connections -------------------------------------------------------------------

void EmulatorServer::onWebSocketConnection()
{
    while (QWebSocket *socket = m_webSockets->nextPendingConnection()) {
        const QUrl url = socket->requestUrl();
        const QUrlQuery query(url);
        const QString compress = query.queryItemValue(u"compress"_s);
        QString refusal;
        Compression compression = Compression::None;
        if (compress == "zlib-stream"_L1) {
            compression = Compression::ZlibStream;
            if (!m_config.allowZlibStream)
                refusal = u"compress=zlib-stream is disabled on this emulator"_s;
        } else if (compress == "zstd-stream"_L1) {
            compression = Compression::ZstdStream;
            if (!m_config.allowZstdStream)
                refusal = u"compress=zstd-stream is disabled on this emulator"_s;
            else if (!ZstdStreamInflater::isSupported())
                refusal = u"this emulator was built without zstd-stream support"_s;
        } else if (query.hasQueryItem(u"compress"_s)) {
            refusal = u"compress=%1 is not supported (use zlib-stream, zstd-stream or leave it "
                      "out)"_s.arg(compress.left(32));
        } else if (!m_config.allowUncompressed) {
            refusal = u"this emulator only accepts a compress= query"_s;
        }
        const QString encoding = query.queryItemValue(u"encoding"_s);
        if (query.hasQueryItem(u"encoding"_s) && encoding != "json"_L1)
            refusal = u"encoding=%1 is not supported by gatescope-emulator (use json)"_s.arg(
                    encoding.left(32));
        const bool badVersion = query.queryItemValue(u"v"_s) != "10"_L1;
        if (!refusal.isEmpty())
            compression = Compression::None;

        const int id = m_nextConnectionId++;
        auto *connection = new ClientConnection(id, socket, compression, m_config.zlibLevel,
                                                m_config.splitFrames, m_config.seed, m_clock, this);
        connection->setResumeEndpoint(url.path().toUtf8() == ResumePath);
        // Qt 6.4 leaves the upgraded QTcpSocket without an owner; a child of the QWebSocket is
        // deleted after the QWebSocket's own destructor has used it.
        if (QTcpSocket *tcp = m_upgrading.take(socket->peerPort()); tcp && !tcp->parent())
            tcp->setParent(socket);
        connection->setSlowWrite(m_faults->slowWriteBytesPerSecond());
        socket->setMaxAllowedIncomingMessageSize(MaxIncomingMessageBytes);
        m_connections.insert(id, connection);
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, connection](const QString &text) { onTextMessage(connection, text); });
        connect(socket, &QWebSocket::binaryMessageReceived, this, [this, connection] {
            if (connection->state != ClientConnection::State::Closing)
                closeConnection(connection, CloseCodes::DecodeError,
                                u"Error while decoding payload: binary frames are not accepted"_s);
        });
        connect(connection, &ClientConnection::finished, this,
                [this, connection] { onConnectionFinished(connection); });
        connect(&connection->heartbeatDeadline, &ClockTimer::timeout, this, [this, connection] {
            closeConnection(connection, CloseCodes::SessionTimedOut, u"Session timed out."_s);
        });
        connect(&connection->authDeadline, &ClockTimer::timeout, this, [this, connection] {
            closeConnection(connection, CloseCodes::NotAuthenticated, u"Not authenticated."_s);
        });
        qCInfo(lcEmulator) << "connection" << id << "from" << url.path() << url.query();
        emit clientConnected(id, url);

        QJsonObject hello{{u"heartbeat_interval"_s, m_config.heartbeatIntervalMs}};
        if (m_config.sendTrace)
            hello.insert(u"_trace"_s, trace());
        sendOp(connection, int(Opcode::Hello), hello);
        if (badVersion) {
            closeConnection(connection, CloseCodes::InvalidApiVersion,
                            u"Invalid API version: use v=10"_s);
            continue;
        }
        if (!refusal.isEmpty()) {
            closeConnection(connection, UnsupportedDataCode, refusal);
            continue;
        }
        armHeartbeatDeadline(connection, m_config.heartbeatIntervalMs + m_config.heartbeatGraceMs);
        connection->authDeadline.start(m_config.authTimeoutMs);
    }
}

void EmulatorServer::onTextMessage(ClientConnection *connection, const QString &text)
{
    if (connection->state == ClientConnection::State::Closing)
        return;
    const QByteArray json = text.toUtf8();
    emit payloadReceived(connection->id(), json);

    const qint64 now = nowMs();
    auto &recent = connection->recentPayloadMs;
    while (!recent.empty() && recent.front() <= now - m_config.rateLimitWindowMs)
        recent.pop_front();
    recent.push_back(now);
    if (qsizetype(recent.size()) > m_config.rateLimitCount) {
        closeConnection(connection, CloseCodes::RateLimited, u"You are being rate limited."_s);
        return;
    }
    if (json.size() > m_config.maxClientPayloadBytes) {
        closeConnection(connection, CloseCodes::DecodeError,
                        u"Error while decoding payload: larger than %1 bytes"_s.arg(
                                m_config.maxClientPayloadBytes));
        return;
    }
    handlePayload(connection, json);
}

void EmulatorServer::handlePayload(ClientConnection *connection, const QByteArray &json)
{
    const PayloadParseResult parsed = parsePayload(json);
    if (!parsed.ok()) {
        const bool decode = parsed.error.kind == PayloadError::Kind::InvalidJson
                            || parsed.error.kind == PayloadError::Kind::NotAnObject;
        closeConnection(connection, decode ? CloseCodes::DecodeError : CloseCodes::UnknownOpcode,
                        (decode ? u"Error while decoding payload."_s : u"Invalid payload."_s));
        return;
    }
    const int op = parsed.payload.op;
    const QJsonValue &d = parsed.payload.d;
    switch (Opcode(op)) {
    case Opcode::Heartbeat:
        handleHeartbeat(connection, d);
        return;
    case Opcode::Identify:
    case Opcode::Resume:
        if (connection->state == ClientConnection::State::Authenticated) {
            closeConnection(connection, CloseCodes::AlreadyAuthenticated,
                            u"Already authenticated."_s);
        } else if (op == int(Opcode::Identify)) {
            handleIdentify(connection, d);
        } else {
            handleResume(connection, d);
        }
        return;
    case Opcode::PresenceUpdate:
    case Opcode::VoiceStateUpdate:
    case Opcode::RequestGuildMembers:
    case Opcode::RequestSoundboardSounds:
    case Opcode::RequestChannelInfo:
        if (connection->state != ClientConnection::State::Authenticated)
            closeConnection(connection, CloseCodes::NotAuthenticated, u"Not authenticated."_s);
        else if (!validateAfterAuthOp(op, d))
            closeConnection(connection, CloseCodes::UnknownOpcode,
                            u"Invalid payload for %1."_s.arg(opcodeName(op)));
        return;
    default:
        closeConnection(connection, CloseCodes::UnknownOpcode, u"Unknown opcode."_s);
        return;
    }
}

bool EmulatorServer::validateAfterAuthOp(int op, const QJsonValue &d) const
{
    if (!d.isObject())
        return false;
    const QJsonObject object = d.toObject();
    switch (Opcode(op)) {
    case Opcode::PresenceUpdate:
        return object.value("activities"_L1).isArray() && object.value("status"_L1).isString()
               && object.value("afk"_L1).isBool()
               && (object.value("since"_L1).isNull() || integerValue(object.value("since"_L1)));
    case Opcode::VoiceStateUpdate:
    case Opcode::RequestGuildMembers:
    case Opcode::RequestChannelInfo:
        return Snowflake::parse(object.value("guild_id"_L1).toString()).has_value();
    case Opcode::RequestSoundboardSounds:
        return object.value("guild_ids"_L1).isArray();
    default:
        return false;
    }
}

void EmulatorServer::handleHeartbeat(ClientConnection *connection, const QJsonValue &d)
{
    if (!d.isNull() && !(integerValue(d) && *integerValue(d) >= 0)) {
        closeConnection(connection, CloseCodes::UnknownOpcode,
                        u"Invalid payload for HEARTBEAT: d must be an integer or null."_s);
        return;
    }
    connection->heartbeatRequested = false;
    armHeartbeatDeadline(connection, m_config.heartbeatIntervalMs + m_config.heartbeatGraceMs);
    if (m_faults->acksStopped())
        return;
    const int maxDelay = m_faults->ackDelayMaxMs();
    if (maxDelay <= 0) {
        sendAck(connection);
        return;
    }
    const int delay
            = int(connection->randomBounded(quint32(m_faults->ackDelayMinMs()), quint32(maxDelay)));
    ClockTimer::singleShot(m_clock, delay, connection, [this, connection] { sendAck(connection); });
}

void EmulatorServer::sendAck(ClientConnection *connection)
{
    sendOp(connection, int(Opcode::HeartbeatAck), QJsonValue::Null);
}

void EmulatorServer::sendOp(ClientConnection *connection, int op, const QJsonValue &d)
{
    connection->sendPayload(WireFormat::payload(op, d));
}

void EmulatorServer::armHeartbeatDeadline(ClientConnection *connection, int ms)
{
    if (connection->state != ClientConnection::State::Closing)
        connection->heartbeatDeadline.start(qMax(1, ms));
}

void EmulatorServer::closeConnection(ClientConnection *connection, int code, const QString &reason)
{
    if (connection->state == ClientConnection::State::Closing)
        return;
    qCInfo(lcEmulator) << "closing connection" << connection->id() << "with" << code << reason;
    connection->closeWith(code, reason);
}

void EmulatorServer::handleIdentify(ClientConnection *connection, const QJsonValue &d)
{
    const QJsonObject object = d.toObject();
    const auto invalid = [&](const QString &why) {
        closeConnection(connection, CloseCodes::UnknownOpcode,
                        u"Invalid payload for IDENTIFY: %1."_s.arg(why));
    };
    if (!d.isObject())
        return invalid(u"d must be an object"_s);
    const QJsonValue tokenValue = object.value("token"_L1);
    if (!tokenValue.isString() || tokenValue.toString().isEmpty())
        return invalid(u"token is missing"_s);
    if (!object.value("properties"_L1).isObject())
        return invalid(u"properties is missing"_s);
    const std::optional<qint64> intents = integerValue(object.value("intents"_L1));
    if (!intents || *intents < 0)
        return invalid(u"intents is missing or not an integer"_s);
    if (object.contains("large_threshold"_L1)) {
        const std::optional<qint64> threshold = integerValue(object.value("large_threshold"_L1));
        if (!threshold || *threshold < 50 || *threshold > 250)
            return invalid(u"large_threshold must be 50-250"_s);
    }
    if (object.contains("compress"_L1) && !object.value("compress"_L1).isBool())
        return invalid(u"compress must be a boolean"_s);
    if (object.contains("presence"_L1) && !object.value("presence"_L1).isObject())
        return invalid(u"presence must be an object"_s);

    const QString token = tokenValue.toString();
    if (!m_config.tokens.contains(token)) {
        closeConnection(connection, CloseCodes::AuthenticationFailed, u"Authentication failed."_s);
        return;
    }

    int shardId = 0;
    int shardCount = 1;
    const bool hasShard = object.contains("shard"_L1);
    if (hasShard) {
        const QJsonArray shard = object.value("shard"_L1).toArray();
        const std::optional<qint64> id = integerValue(shard.at(0));
        const std::optional<qint64> count = integerValue(shard.at(1));
        if (!object.value("shard"_L1).isArray() || shard.size() != 2 || !id || !count || *id < 0
            || *count < 1 || *count > 65535 || *id >= *count) {
            closeConnection(connection, CloseCodes::InvalidShard, u"Invalid shard."_s);
            return;
        }
        shardId = int(*id);
        shardCount = int(*count);
    }

    if (Intents::undefinedBits(quint64(*intents)) != 0) {
        closeConnection(connection, CloseCodes::InvalidIntents, u"Invalid intent(s)."_s);
        return;
    }
    if (quint32(*intents) & Intents::Privileged & ~m_config.privilegedGranted) {
        closeConnection(connection, CloseCodes::DisallowedIntents, u"Disallowed intent(s)."_s);
        return;
    }
    const QJsonArray guilds = m_traffic->readyGuilds(shardId, shardCount);
    if (guilds.size() > m_config.maxGuildsPerShard) {
        closeConnection(connection, CloseCodes::ShardingRequired, u"Sharding required."_s);
        return;
    }

    refreshSessionStartWindow();
    const qint64 now = nowMs();
    const int bucket = shardId % qMax(1, m_config.maxConcurrency);
    const auto last = m_lastIdentifyByBucket.constFind(bucket);
    if (m_sessionStartRemaining <= 0
        || (last != m_lastIdentifyByBucket.cend() && now - *last < m_config.identifyWindowMs)) {
        qCInfo(lcEmulator) << "identify refused on connection" << connection->id()
                           << (m_sessionStartRemaining <= 0 ? "(no session starts left)"
                                                            : "(concurrency bucket busy)");
        sendOp(connection, int(Opcode::InvalidSession), false);
        return;
    }
    m_lastIdentifyByBucket.insert(bucket, now);
    --m_sessionStartRemaining;

    const QString sessionId = newSessionId();
    auto session
            = std::make_unique<Session>(sessionId, token, shardId, shardCount, quint32(*intents),
                                        m_config.replayBufferSize, m_config.replayBufferBytes);
    Session &ref = *session;
    m_sessions.emplace(sessionId, std::move(session));
    ref.attach(connection->id());
    connection->sessionId = sessionId;
    connection->state = ClientConnection::State::Authenticated;
    connection->authDeadline.stop();

    const QJsonObject user = m_traffic->botUser();
    int flags = 0;
    if (m_config.privilegedGranted & Intents::GuildPresences)
        flags |= FlagGatewayPresence;
    if (m_config.privilegedGranted & Intents::GuildMembers)
        flags |= FlagGatewayGuildMembers;
    if (m_config.privilegedGranted & Intents::MessageContent)
        flags |= FlagGatewayMessageContent;
    QJsonObject ready{
            {u"v"_s, 10},
            {u"user"_s, user},
            {u"guilds"_s, guilds},
            {u"session_id"_s, sessionId},
            {u"resume_gateway_url"_s, m_config.resumeGatewayUrl.isEmpty()
                                              ? resumeGatewayUrl().toString()
                                              : m_config.resumeGatewayUrl.toString()},
            {u"application"_s, QJsonObject{{u"id"_s, user.value("id"_L1)}, {u"flags"_s, flags}}},
            {u"user_settings"_s, QJsonObject()},
            {u"session_type"_s, u"normal"_s},
            {u"relationships"_s, QJsonArray()},
            {u"private_channels"_s, QJsonArray()},
            {u"presences"_s, QJsonArray()},
            {u"guild_join_requests"_s, QJsonArray()},
            {u"geo_ordered_rtc_regions"_s, QJsonArray{u"us-east"_s, u"us-central"_s}},
            {u"auth"_s, QJsonObject()},
    };
    if (hasShard)
        ready.insert(u"shard"_s, QJsonArray{shardId, shardCount});
    if (m_config.sendTrace)
        ready.insert(u"_trace"_s, trace());
    pushDispatch(ref, u"READY"_s, ready);
    // GUILD_CREATE belongs to the GUILDS intent (reference §4): without it the guilds stay the
    // unavailable stubs READY listed, as on Discord.
    const bool wantsGuilds = (quint32(*intents) & quint32(Intents::Guilds)) != 0;
    for (const QJsonValue &guild : wantsGuilds ? guilds : QJsonArray()) {
        const std::optional<quint64> id
                = Snowflake::parse(guild.toObject().value("id"_L1).toString());
        if (id)
            pushDispatch(ref, u"GUILD_CREATE"_s, m_traffic->guildCreate(*id));
    }
    qCInfo(lcEmulator) << "connection" << connection->id() << "identified, session" << sessionId
                       << "shard" << shardId << "/" << shardCount;
    emit clientIdentified(connection->id(), sessionId);
    m_pump->restartTrafficClock();
}

void EmulatorServer::handleResume(ClientConnection *connection, const QJsonValue &d)
{
    const QJsonObject object = d.toObject();
    const std::optional<qint64> seq = integerValue(object.value("seq"_L1));
    if (!d.isObject() || !object.value("token"_L1).isString()
        || !object.value("session_id"_L1).isString() || !seq || *seq < 0) {
        closeConnection(connection, CloseCodes::UnknownOpcode,
                        u"Invalid payload for RESUME: token, session_id and seq are required."_s);
        return;
    }
    const QString sessionId = object.value("session_id"_L1).toString();
    const auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end() || it->second->token() != object.value("token"_L1).toString()) {
        qCInfo(lcEmulator) << "resume of unknown session on connection" << connection->id();
        sendOp(connection, int(Opcode::InvalidSession), false);
        emit resumeRefused(connection->id(), sessionId, *seq);
        return;
    }
    Session &session = *it->second;
    if (*seq > session.lastSeq()) {
        closeConnection(connection, CloseCodes::InvalidSeq, u"Invalid seq."_s);
        return;
    }
    if (!session.canReplayAfter(*seq)) {
        qCInfo(lcEmulator) << "resume from seq" << *seq << "is older than the replay buffer";
        m_sessions.erase(it);
        sendOp(connection, int(Opcode::InvalidSession), false);
        emit resumeRefused(connection->id(), sessionId, *seq);
        return;
    }
    if (ClientConnection *previous = connectionById(session.connectionId());
        previous && previous != connection) {
        previous->sessionId.clear();
        closeConnection(previous, CloseCodes::UnknownError,
                        u"Session resumed on another connection."_s);
    }
    session.attach(connection->id());
    connection->sessionId = sessionId;
    connection->state = ClientConnection::State::Authenticated;
    connection->authDeadline.stop();
    const QList<QByteArray> replay = session.replayAfter(*seq);
    qint64 replayedSeq = *seq;
    for (const QByteArray &json : replay) {
        connection->sendPayload(json);
        ++replayedSeq;
        noteDelivery(session, replayedSeq, session.messageIdAt(replayedSeq));
    }
    QJsonObject resumed;
    if (m_config.sendTrace)
        resumed.insert(u"_trace"_s, trace());
    pushDispatch(session, u"RESUMED"_s, resumed);
    qCInfo(lcEmulator) << "connection" << connection->id() << "resumed session" << sessionId
                       << "replaying" << replay.size();
    emit clientResumed(connection->id(), sessionId, int(replay.size()));
    m_pump->restartTrafficClock();
}

void EmulatorServer::onConnectionFinished(ClientConnection *connection)
{
    if (!m_connections.contains(connection->id()))
        return;
    int code = 1006;
    bool byServer = false;
    if (connection->closedByServer()) {
        code = connection->serverCloseCode();
        byServer = true;
    } else if (connection->peerSentClose()) {
        code = connection->peerCloseCode();
    }
    connection->state = ClientConnection::State::Closing;
    const auto it = m_sessions.find(connection->sessionId);
    if (it != m_sessions.end() && it->second->connectionId() == connection->id()) {
        if (endsSession(code, byServer)) {
            qCInfo(lcEmulator) << "session" << connection->sessionId << "ended by a" << code
                               << "close" << (byServer ? "from the server" : "from the client");
            m_sessions.erase(it);
        } else {
            it->second->detach(nowMs());
        }
    }
    m_connections.remove(connection->id());
    qCInfo(lcEmulator) << "connection" << connection->id() << "closed" << code
                       << (byServer ? "by the server" : "by the client");
    emit clientClosed(connection->id(), code, byServer);
    connection->deleteLater();
}

bool EmulatorServer::endsSession(int closeCode, bool byServer)
{
    // A client's 1000/1001 ends its session (reference §6). The server's own session-ending
    // codes (4007, 4009, 4003, and the fatal ones) tell the client to identify anew: keeping
    // the session would only let it buffer dispatches nobody can resume until it expires.
    if (!byServer)
        return closeCode == 1000 || closeCode == 1001;
    return CloseCodes::actionFor(closeCode) != CloseCodes::Action::Resume;
}

void EmulatorServer::expireSessions()
{
    const qint64 now = nowMs();
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        const Session &session = *it->second;
        if (session.connectionId() == 0
            && now - session.detachedAtMs() > m_config.sessionTimeoutMs) {
            qCInfo(lcEmulator) << "session" << session.id() << "expired";
            it = m_sessions.erase(it);
        } else {
            ++it;
        }
    }
}

QString EmulatorServer::newSessionId()
{
    QString id;
    do {
        id = QString::number(m_random.generate(), 16).rightJustified(16, u'0')
             + QString::number(m_random.generate(), 16).rightJustified(16, u'0');
    } while (m_sessions.count(id) != 0);
    return id;
}

QJsonArray EmulatorServer::trace() const
{
    return QJsonArray{u"[\"gatescope-emulator\",{\"micros\":0.0}]"_s};
}

void EmulatorServer::refreshSessionStartWindow()
{
    const qint64 now = nowMs();
    if (now - m_sessionStartWindowStartMs >= m_config.sessionStartResetAfterMs) {
        m_sessionStartWindowStartMs = now;
        m_sessionStartRemaining = m_config.sessionStartTotal;
    }
}

// ---- Dispatches and traffic ------------------------------------------------------------------

void EmulatorServer::pushDispatch(Session &session, const QString &type, const QJsonValue &d)
{
    pushJson(session, WireFormat::dispatch(type, session.nextSeq(), d));
}

void EmulatorServer::pushJson(Session &session, const QByteArray &json, quint64 messageId)
{
    session.record(session.lastSeq(), json, messageId);
    ClientConnection *connection = connectionById(session.connectionId());
    if (connection && connection->state == ClientConnection::State::Authenticated
        && !connection->silenced) {
        connection->sendPayload(json);
        noteDelivery(session, session.lastSeq(), messageId);
    }
}

void EmulatorServer::noteDelivery(const Session &session, qint64 seq, quint64 messageId)
{
    if (m_config.recordDeliveries && messageId != 0)
        m_deliveries.append({session.id(), seq, messageId});
}

void EmulatorServer::emitDispatch(const QString &type, const QJsonObject &d, quint64 guildId)
{
    for (auto &[id, session] : m_sessions) {
        const int shard = guildId == 0 ? 0 : Snowflake::shardFor(guildId, session->shardCount());
        if (shard == session->shardId())
            pushDispatch(*session, type, d);
    }
}

void EmulatorServer::generateEvents(int count)
{
    m_pump->generateEvents(count);
}

void EmulatorServer::setEventsPerSecond(double eventsPerSecond)
{
    m_pump->setEventsPerSecond(eventsPerSecond);
}

void EmulatorServer::injectNow(const Fault &fault)
{
    m_faultInjector->injectNow(fault);
}

} // namespace Gatescope::Emulator
