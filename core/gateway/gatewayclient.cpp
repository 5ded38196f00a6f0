#include "core/gateway/gatewayclient.h"

#include "core/gateway/eventbatcher.h"
#include "core/gateway/eventdecoder.h"
#include "core/gateway/gatewaydiscovery.h"
#include "core/gateway/gatewaysession.h"
#include "core/gateway/gatewaytransport.h"
#include "core/gateway/heartbeat.h"
#include "core/gateway/payload.h"
#include "core/gateway/redaction.h"
#include "core/gateway/sendlimiter.h"
#include "core/logging.h"
#include "core/store/stringinterner.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QMetaMethod>
#include <QMutex>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <deque>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

constexpr int MaxSendBytes = 4096;
/// Our own close code for connections we end but want to resume (never 1000/1001).
constexpr int ResumableCloseCode = 4000;
constexpr int UserCloseCode = 1000;

qint64 wallClockMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

/// How an identify gate's `proceed`, called from any thread, reaches a client that may be gone.
struct IdentifyGateRelay
{
    QMutex mutex;
    GatewayClient *client = nullptr; ///< null once the client is destroyed
};

struct GatewayClient::Private
{
    GatewayClient *q;
    GatewayConfig config;
    State state = State::Disconnected;
    GatewayMetrics metrics;
    GatewaySession session; ///< the socket-free state machine: what follows what
    std::optional<GatewayBotInfo> botInfo;
    QString failureReason;

    QElapsedTimer monotonic;
    Clock clock;

    GatewayTransport *transport = nullptr; ///< q's child: socket and zlib stream
    GatewayDiscovery *discovery = nullptr;
    SendLimiter limiter;
    StringInterner interner;
    EventDecoder decoder{&interner}; ///< one decode per payload, in this thread
    EventBatcher *batcher = nullptr; ///< q's child: events leave the thread in batches

    QTimer heartbeatTimer;
    QTimer handshakeTimer;
    QTimer helloTimer;
    QTimer reconnectTimer;
    QTimer sendQueueTimer;
    QTimer rateTimer;

    QUrl baseGatewayUrl; ///< from config or discovery, without query
    int replayedCount = 0;
    int heartbeatIntervalMs = 0;
    bool warnedLongHeartbeatOverride = false; ///< the override longer than Hello's, said once
    Heartbeat heartbeat;
    bool replaying = false;
    qint64 messageLimit = 0; ///< setMessageLimit(); 0 = none
    qint64 messagesCreated = 0;
    qint64 frameTimeMs = 0; ///< Unix ms of the incoming frame being handled (recorded, in a replay)
    /// Application payloads waiting for room in the rate limit, with their serialised form.
    std::deque<std::pair<Payload, QByteArray>> sendQueue;
    std::deque<quint64> dispatchesPerSecond;
    quint64 dispatchesAtLastTick = 0;
    std::shared_ptr<IdentifyGateRelay> gateRelay = std::make_shared<IdentifyGateRelay>();
    quint64 gateTicket = 0; ///< per Identify awaited: a late `proceed` of an older one is ignored

    explicit Private(GatewayClient *owner)
        : q(owner)
    {
        monotonic.start();
        clock = [this] {
            return monotonic.elapsed();
        };
        session.setClock([this] { return now(); });
    }

    qint64 now() const { return clock(); }

    void setState(State next);
    void applyConfig();

    void startDiscovery();
    void connectSocket(bool toResumeUrl);
    QUrl socketUrl(bool toResumeUrl) const;
    void retireSocket(int closeCode, const QString &reason);

    void onConnected();
    void onClosed(int code, const QString &reason, bool wasOpen);
    void handlePayload(QByteArrayView json, qsizetype wireBytes, bool padded);
    void handleHello(const QJsonValue &d);
    /// Counts @p event, follows READY/RESUMED (their `d` is @p data) and queues it for the
    /// next batch.
    void handleDispatch(GatewayEvent &&event, const QJsonObject &data);
    void handleDispatch(GatewayEvent &&event);
    void handleReady(const QJsonObject &d);
    void handleResumed();
    void handleInvalidSession(bool resumable);

    void startHeartbeating(int intervalMs, int firstBeatMs);
    void onHeartbeatDue();
    /// Sends op 1 with the last sequence; false (and a log line) when it could not be sent.
    bool sendHeartbeat(SendLimiter::Priority priority);
    void answerHeartbeatRequest();
    void handleHeartbeatAck(qint64 ackAt);
    void sendIdentify();
    /// Identify once config.identifyGate lets it (at once without a gate).
    void identifyThroughGate();
    void onIdentifyGateOpened(quint64 ticket);
    void sendResume();

    bool sendNow(const Payload &payload, SendLimiter::Priority priority, QString *error);
    void flushSendQueue();
    /// Writes one serialised payload, counts it and offers it to the frame log.
    void transmit(const Payload &payload, const QByteArray &json);
    /// Whether anything wants frames: frameLogged, framesReady or the payload log.
    bool framesWanted() const;
    void logFrame(FrameRecord::Direction direction, const Payload &payload, qsizetype wireBytes,
                  qint64 timeMs, const QString &rejected = QString());
    /// An incoming frame, logged from its bytes: no JSON tree, no second serialisation.
    void logIncoming(const EventDecoder::Result &decoded, QByteArrayView json, qsizetype wireBytes);
    void emitFrame(const FrameRecord &frame);
    void replayIncoming(const RecordedFrame &frame);
    /// The event a recorded dispatch carries (recordings hold payload trees, not bytes).
    GatewayEvent recordedEvent(const Payload &payload) const;
    void replayOutgoing(const RecordedFrame &frame);
    void replayClose(const RecordedFrame &frame);

    /// The connection is over for @p reason; decide what follows from @p action.
    void endConnection(int closeCode, const QString &reason, Initiator initiator,
                       CloseCodes::Action action);
    /// The connection is unusable (timeout, corrupt stream, bad payload): report the error,
    /// close with a code that keeps the session, and resume.
    void failConnection(const QString &reason, int reportedCode = ResumableCloseCode,
                        Initiator initiator = Initiator::Client);
    /// op 7: leave this connection and resume on a new one (the server asked).
    void resumeAtServerRequest(const QString &reason);
    /// Carries out what the session machine decided after a connection ended: stop, or report
    /// the close and reconnect.
    void follow(const GatewaySession::Decision &decision, int closeCode, const QString &reason,
                Initiator initiator);
    /// @p closeCode: what ended the connection (0 when discovery failed), for the counters.
    void scheduleReconnect(const GatewaySession::Decision &decision, int closeCode);
    void failFatally(int closeCode, const QString &explanation, Initiator initiator,
                     const QString &reason);
    /// Reports a fatal close (disconnected, Failed, fatalError); the socket is already gone.
    void reportFatal(int closeCode, const QString &explanation, Initiator initiator,
                     const QString &reason);
    /// The close counters: code, time, and no longer connected.
    void noteClose(int closeCode, qint64 timeMs);
    void dropSession();
    void stopConnectionTimers();
    void updateEventRate();
};

GatewayClient::GatewayClient(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    qRegisterMetaType<FrameRecord>();
    qRegisterMetaType<GatewayBotInfo>();
    qRegisterMetaType<RecordedFrame>();
    d->gateRelay->client = this;
    d->transport = new GatewayTransport(this);
    connect(d->transport, &GatewayTransport::opened, this, [this] { d->onConnected(); });
    connect(d->transport, &GatewayTransport::closed, this,
            [this](int code, const QString &reason, bool wasOpen) {
                d->onClosed(code, reason, wasOpen);
            });
    connect(d->transport, &GatewayTransport::openFailed, this,
            [this](const QString &reason) { d->failConnection(reason, 1006, Initiator::Network); });
    connect(d->transport, &GatewayTransport::streamFailed, this,
            [this](const QString &reason) { d->failConnection(reason); });
    connect(d->transport, &GatewayTransport::wireBytesReceived, this,
            [this](qsizetype bytes) { d->metrics.wireBytesIn += quint64(bytes); });
    // Direct: the payload is a view of the inflater's buffer, valid only during the signal.
    connect(
            d->transport, &GatewayTransport::payloadReceived, this,
            [this](QByteArrayView json, qsizetype wireBytes, bool padded) {
                d->handlePayload(json, wireBytes, padded);
            },
            Qt::DirectConnection);
    d->batcher = new EventBatcher(this);
    connect(d->batcher, &EventBatcher::eventsReady, this, &GatewayClient::eventsReady);
    connect(d->batcher, &EventBatcher::framesReady, this, &GatewayClient::framesReady);
    d->heartbeatTimer.setSingleShot(true);
    d->handshakeTimer.setSingleShot(true);
    d->helloTimer.setSingleShot(true);
    d->reconnectTimer.setSingleShot(true);
    d->sendQueueTimer.setSingleShot(true);
    d->rateTimer.setInterval(1000);
    connect(&d->heartbeatTimer, &QTimer::timeout, this, [this] { d->onHeartbeatDue(); });
    connect(&d->handshakeTimer, &QTimer::timeout, this, [this] {
        const QString reason = u"WebSocket handshake timed out after %1 s"_s.arg(
                d->config.handshakeTimeoutMs / 1000.0);
        d->failConnection(reason, 1006);
    });
    connect(&d->helloTimer, &QTimer::timeout, this, [this] {
        const QString reason = u"no HELLO within %1 s"_s.arg(d->config.helloTimeoutMs / 1000.0);
        d->failConnection(reason);
    });
    connect(&d->reconnectTimer, &QTimer::timeout, this, [this] {
        const bool resume = d->session.wantsResume();
        if (!resume && d->baseGatewayUrl.isEmpty())
            d->startDiscovery();
        else
            d->connectSocket(resume);
    });
    connect(&d->sendQueueTimer, &QTimer::timeout, this, [this] { d->flushSendQueue(); });
    connect(&d->rateTimer, &QTimer::timeout, this, [this] { d->updateEventRate(); });
    d->rateTimer.start();
}

QString GatewayClient::stateName(State state)
{
    return QString::fromLatin1(QMetaEnum::fromType<State>().valueToKey(int(state)));
}

std::optional<GatewayClient::State> GatewayClient::stateFromName(QStringView name)
{
    bool ok = false;
    const int value = QMetaEnum::fromType<State>().keyToValue(name.toLatin1().constData(), &ok);
    return ok ? std::optional(State(value)) : std::nullopt;
}

QString GatewayClient::initiatorName(Initiator initiator)
{
    return QString::fromLatin1(QMetaEnum::fromType<Initiator>().valueToKey(int(initiator)))
            .toLower();
}

std::optional<GatewayClient::Initiator> GatewayClient::initiatorFromName(QStringView name)
{
    for (Initiator initiator :
         {Initiator::Server, Initiator::Client, Initiator::Network, Initiator::User}) {
        if (name == initiatorName(initiator))
            return initiator;
    }
    return std::nullopt;
}

GatewayClient::~GatewayClient()
{
    // The transport (a child) aborts its socket later; nothing of it may reach d by then.
    d->transport->disconnect(this);
    QMutexLocker lock(&d->gateRelay->mutex);
    d->gateRelay->client = nullptr;
}

void GatewayClient::setConfig(const GatewayConfig &config)
{
    d->config = config;
    d->applyConfig();
}

void GatewayClient::Private::applyConfig()
{
    Redaction::registerSecret(config.token);
    session.setConfig(config);
    baseGatewayUrl = config.gatewayUrl;
    transport->setProxy(config.proxy);
}

const GatewayConfig &GatewayClient::config() const
{
    return d->config;
}

GatewayClient::State GatewayClient::state() const
{
    return d->state;
}

int GatewayClient::latencyMs() const
{
    return d->heartbeat.lastLatencyMs();
}

int GatewayClient::smoothedLatencyMs() const
{
    return d->heartbeat.smoothedLatencyMs();
}

const GatewayMetrics &GatewayClient::metrics() const
{
    return d->metrics;
}

const SessionInfo &GatewayClient::session() const
{
    return d->session.info();
}

std::optional<GatewayBotInfo> GatewayClient::botInfo() const
{
    return d->botInfo;
}

QString GatewayClient::failureReason() const
{
    return d->failureReason;
}

void GatewayClient::setClock(Clock clock)
{
    d->clock = clock ? std::move(clock) : Clock([this] { return d->monotonic.elapsed(); });
}

void GatewayClient::setRandom(Random random)
{
    d->session.setRandom(std::move(random));
}

void GatewayClient::Private::setState(State next)
{
    if (state == next)
        return;
    qCInfo(lcGateway).noquote() << "state" << stateName(state) << "->" << stateName(next);
    state = next;
    emit q->stateChanged(next);
}

void GatewayClient::open()
{
    if (d->replaying || (d->state != State::Disconnected && d->state != State::Failed))
        return;
    d->failureReason.clear();
    d->session.start();
    d->baseGatewayUrl = d->config.gatewayUrl;
    if (d->baseGatewayUrl.isEmpty())
        d->startDiscovery();
    else
        d->connectSocket(false);
}

void GatewayClient::close()
{
    if (d->replaying) {
        endReplay();
        return;
    }
    // Events already received leave before the session ends, so stopping loses none.
    d->batcher->flush();
    d->reconnectTimer.stop();
    if (d->discovery)
        d->discovery->abort();
    const bool wasConnected = d->transport->isActive();
    d->retireSocket(UserCloseCode, u"user disconnected"_s);
    d->stopConnectionTimers();
    // 1000 ends the session on Discord, so there is nothing left to resume.
    d->dropSession();
    d->metrics.connectedSinceMs = 0;
    if (wasConnected) {
        d->noteClose(UserCloseCode, wallClockMs());
        emit disconnected(UserCloseCode, u"user disconnected"_s, Initiator::User,
                          CloseCodes::Action::Identify);
    }
    d->setState(State::Disconnected);
}

void GatewayClient::openResuming(const ResumableSession &saved)
{
    if (d->replaying || (d->state != State::Disconnected && d->state != State::Failed))
        return;
    d->failureReason.clear();
    d->session.start();
    d->session.restoreSession(saved.sessionId, saved.resumeUrl, saved.sequence);
    d->baseGatewayUrl = d->config.gatewayUrl;
    if (!d->session.wantsResume()) {
        open();
        return;
    }
    if (saved.sequence >= 0)
        d->metrics.lastSeq = saved.sequence;
    qCInfo(lcGateway).noquote() << "resuming saved session" << saved.sessionId.left(8) << "at seq"
                                << saved.sequence;
    // A failed resume falls back to Identify: on the gateway URL, or after discovery when the
    // reconnect timer finds no base URL.
    d->connectSocket(true);
}

std::optional<GatewayClient::ResumableSession> GatewayClient::closeKeepingSession()
{
    if (d->replaying || d->state == State::Disconnected || d->state == State::Failed)
        return std::nullopt;
    // Handed over first and nothing handled after: the saved sequence is that of the last
    // event the consumer got, so a resume replays exactly what it did not.
    d->batcher->flush();
    d->reconnectTimer.stop();
    if (d->discovery)
        d->discovery->abort();
    std::optional<ResumableSession> saved;
    if (d->session.wantsResume()) {
        saved = ResumableSession{d->session.info().sessionId,
                                 d->session.lastSequence().value_or(-1),
                                 d->session.info().resumeGatewayUrl};
    }
    const QString reason = u"closing for a restart; the session is kept to resume"_s;
    const bool wasConnected = d->transport->isActive();
    // Not 1000/1001: those end the session on Discord (protocol §6).
    d->retireSocket(ResumableCloseCode, reason);
    d->stopConnectionTimers();
    d->dropSession();
    d->metrics.connectedSinceMs = 0;
    if (wasConnected) {
        d->noteClose(ResumableCloseCode, wallClockMs());
        emit disconnected(ResumableCloseCode, reason, Initiator::User,
                          saved ? CloseCodes::Action::Resume : CloseCodes::Action::Identify);
    }
    d->setState(State::Disconnected);
    return saved;
}

void GatewayClient::Private::startDiscovery()
{
    setState(State::Connecting);
    if (!discovery) {
        discovery = new GatewayDiscovery(q);
        QObject::connect(discovery, &GatewayDiscovery::finished, q,
                         [this](const GatewayBotInfo &info) {
                             botInfo = info;
                             baseGatewayUrl = info.url;
                             session.setBotInfo(info);
                             emit q->discoveryFinished(info);
                             connectSocket(false);
                         });
        QObject::connect(discovery, &GatewayDiscovery::failed, q,
                         [this](const QString &message, int httpStatus) {
                             if (httpStatus == 401) {
                                 failFatally(
                                         CloseCodes::AuthenticationFailed,
                                         CloseCodes::explanation(CloseCodes::AuthenticationFailed),
                                         Initiator::Server, message);
                                 return;
                             }
                             emit q->connectionError(message);
                             setState(State::Reconnecting);
                             scheduleReconnect(session.onDiscoveryFailed(), 0);
                         });
    }
    discovery->setProxy(config.proxy);
    discovery->start(config.apiUrl, config.token);
}

QUrl GatewayClient::Private::socketUrl(bool toResumeUrl) const
{
    QUrl url = toResumeUrl ? session.info().resumeGatewayUrl : baseGatewayUrl;
    // Resume URLs come without a path or query; the same v/encoding/compress must be appended.
    QUrlQuery query(url);
    query.removeAllQueryItems(u"v"_s);
    query.removeAllQueryItems(u"encoding"_s);
    query.removeAllQueryItems(u"compress"_s);
    query.addQueryItem(u"v"_s, u"10"_s);
    query.addQueryItem(u"encoding"_s, u"json"_s);
    if (config.compression != Compression::None)
        query.addQueryItem(u"compress"_s, compressionName(config.compression));
    if (url.path().isEmpty())
        url.setPath(u"/"_s);
    url.setQuery(query);
    return url;
}

void GatewayClient::Private::connectSocket(bool toResumeUrl)
{
    retireSocket(ResumableCloseCode, u"replaced by a new connection"_s);
    stopConnectionTimers();
    session.connectionStarted(toResumeUrl);
    limiter.reset();
    heartbeat.reset();
    replayedCount = 0;
    sendQueue.clear();
    setState(State::Connecting);

    const QUrl url = socketUrl(toResumeUrl);
    qCInfo(lcGateway).noquote() << "connecting to" << url.toDisplayString()
                                << (toResumeUrl ? "(resume)" : "");
    QNetworkRequest request(url);
    request.setRawHeader("User-Agent", GatewayDiscovery::userAgent());
    handshakeTimer.start(config.handshakeTimeoutMs);
    transport->open(request, config.compression, config.maxPayloadBytes);
}

void GatewayClient::Private::retireSocket(int closeCode, const QString &reason)
{
    transport->retire(closeCode, reason);
}

void GatewayClient::Private::stopConnectionTimers()
{
    heartbeatTimer.stop();
    handshakeTimer.stop();
    helloTimer.stop();
    sendQueueTimer.stop();
}

void GatewayClient::Private::onConnected()
{
    handshakeTimer.stop();
    session.connectionOpened();
    helloTimer.start(config.helloTimeoutMs);
    qCDebug(lcGateway) << "WebSocket open, waiting for HELLO";
}

void GatewayClient::Private::onClosed(int code, const QString &reason, bool wasOpen)
{
    const Initiator initiator = code == QWebSocketProtocol::CloseCodeAbnormalDisconnection
                                        ? Initiator::Network
                                        : Initiator::Server;
    // A socket that never opened is a failed connection attempt, whatever the code says.
    endConnection(code, reason, initiator,
                  wasOpen ? CloseCodes::actionFor(code) : CloseCodes::Action::Resume);
}

void GatewayClient::Private::endConnection(int closeCode, const QString &reason,
                                           Initiator initiator, CloseCodes::Action action)
{
    stopConnectionTimers();
    noteClose(closeCode, wallClockMs());
    follow(session.onConnectionEnded(closeCode, action, transport->wasOpened(),
                                     initiator == Initiator::Server),
           closeCode, reason, initiator);
}

void GatewayClient::Private::follow(const GatewaySession::Decision &decision, int closeCode,
                                    const QString &reason, Initiator initiator)
{
    if (decision.next == GatewaySession::Next::Stop) {
        failFatally(closeCode, decision.explanation, initiator, reason);
        return;
    }
    const CloseCodes::Action action = decision.action();
    qCInfo(lcGateway).noquote() << "connection closed:" << closeCode << Redaction::redact(reason)
                                << "->" << CloseCodes::actionName(action);
    emit q->disconnected(closeCode, Redaction::redact(reason), initiator, action);
    setState(State::Reconnecting);
    scheduleReconnect(decision, closeCode);
}

void GatewayClient::Private::failConnection(const QString &reason, int reportedCode,
                                            Initiator initiator)
{
    emit q->connectionError(reason);
    retireSocket(ResumableCloseCode, reason);
    endConnection(reportedCode, reason, initiator, CloseCodes::Action::Resume);
}

void GatewayClient::Private::resumeAtServerRequest(const QString &reason)
{
    retireSocket(ResumableCloseCode, reason);
    endConnection(ResumableCloseCode, reason, Initiator::Server, CloseCodes::Action::Resume);
}

void GatewayClient::Private::failFatally(int closeCode, const QString &explanation,
                                         Initiator initiator, const QString &reason)
{
    stopConnectionTimers();
    reconnectTimer.stop();
    retireSocket(ResumableCloseCode, reason);
    dropSession();
    reportFatal(closeCode, explanation, initiator, reason);
}

void GatewayClient::Private::reportFatal(int closeCode, const QString &explanation,
                                         Initiator initiator, const QString &reason)
{
    failureReason = explanation;
    qCWarning(lcGateway).noquote() << "fatal:" << closeCode << explanation;
    emit q->disconnected(closeCode, Redaction::redact(reason), initiator,
                         CloseCodes::Action::Fatal);
    setState(State::Failed);
    emit q->fatalError(closeCode, explanation);
}

void GatewayClient::Private::noteClose(int closeCode, qint64 timeMs)
{
    metrics.lastCloseCode = closeCode;
    metrics.lastCloseTimeMs = timeMs;
    metrics.connectedSinceMs = 0;
}

void GatewayClient::Private::scheduleReconnect(const GatewaySession::Decision &decision,
                                               int closeCode)
{
    // A slot of stateChanged(Reconnecting) or disconnected() may have closed the client (a
    // user's disconnect during the backoff): then no timer may bring the connection back.
    if (state != State::Reconnecting)
        return;
    const bool resume = decision.next == GatewaySession::Next::Resume;
    ++metrics.reconnects;
    ++metrics.reconnectsByCloseCode[closeCode];
    qCInfo(lcGateway) << "reconnect attempt" << decision.attempt << "in" << decision.delayMs << "ms"
                      << (resume ? "(resume)" : "(identify)");
    // Armed before the signal: a slot that calls close() must find the timer to stop.
    reconnectTimer.start(decision.delayMs);
    emit q->reconnectScheduled(decision.attempt, decision.delayMs);
}

void GatewayClient::Private::dropSession()
{
    // metrics.lastSeq stays: it reports the last sequence seen, for stats and the health view.
    session.dropSession();
}

void GatewayClient::Private::handlePayload(QByteArrayView json, qsizetype wireBytes, bool padded)
{
    ++metrics.framesIn;
    heartbeat.noteFrame();
    metrics.inflatedBytesIn += quint64(json.size());
    frameTimeMs = wallClockMs();
    EventDecoder::Result decoded = padded ? decoder.decodePadded(json) : decoder.decode(json);
    if (!decoded.ok()) {
        const QString reason
                = u"malformed payload from the gateway: %1"_s.arg(decoded.error.message);
        failConnection(reason);
        return;
    }
    logIncoming(decoded, json, wireBytes);

    switch (static_cast<Opcode>(decoded.op)) {
    case Opcode::Hello:
        handleHello(decoded.d());
        break;
    case Opcode::HeartbeatAck:
        handleHeartbeatAck(now());
        break;
    case Opcode::Heartbeat:
        answerHeartbeatRequest();
        break;
    case Opcode::Dispatch:
        handleDispatch(std::move(decoded.event));
        break;
    case Opcode::Reconnect: {
        const QString reason = u"server asked to reconnect (op 7)"_s;
        resumeAtServerRequest(reason);
        break;
    }
    case Opcode::InvalidSession:
        handleInvalidSession(decoded.d().toBool(false));
        break;
    default:
        qCDebug(lcGateway) << "ignoring" << opcodeName(decoded.op);
        break;
    }
}

void GatewayClient::Private::handleHello(const QJsonValue &d)
{
    helloTimer.stop();
    const GatewaySession::HelloPlan plan
            = session.onHello(d.toObject().value("heartbeat_interval"_L1).toInt(0));
    if (!plan.valid) {
        const QString reason = u"HELLO without a valid heartbeat_interval"_s;
        failConnection(reason);
        return;
    }
    startHeartbeating(plan.intervalMs, plan.firstBeatMs);
    if (plan.resume) {
        setState(State::Resuming);
        sendResume();
    } else {
        setState(State::Identifying);
        identifyThroughGate();
    }
}

void GatewayClient::Private::startHeartbeating(int intervalMs, int firstBeatMs)
{
    heartbeatIntervalMs = intervalMs;
    // GatewaySession only lets the override shorten Hello's interval: a longer one is not used.
    if (config.heartbeatIntervalOverrideMs > intervalMs && !warnedLongHeartbeatOverride) {
        warnedLongHeartbeatOverride = true;
        qCWarning(lcHeartbeat).noquote()
                << u"heartbeat interval %1 ms is longer than the server's %2 ms and is not used: "
                   "the server closes a connection that beats less often; beating every %2 ms"_s
                           .arg(config.heartbeatIntervalOverrideMs)
                           .arg(intervalMs);
    }
    // Keep room for every heartbeat of a window plus Identify/Resume and a server op 1 or two;
    // the beats' own part is theirs alone, so answers to an op 1 flood cannot take it.
    const int beatsPerWindow
            = int((SendLimiter::DefaultWindowMs + intervalMs - 1) / intervalMs) + 1;
    limiter.setReserved(beatsPerWindow + 4);
    limiter.setHeartbeatReserved(beatsPerWindow);
    heartbeat.reset();
    qCDebug(lcHeartbeat) << "interval" << intervalMs << "ms, first beat in" << firstBeatMs << "ms";
    heartbeatTimer.start(firstBeatMs);
    emit q->heartbeatStarted(intervalMs, firstBeatMs);
}

void GatewayClient::Private::onHeartbeatDue()
{
    switch (heartbeat.due()) {
    case Heartbeat::Due::Beat:
        break;
    case Heartbeat::Due::BusyBeat:
        // The ACK may sit behind frames still being read: the connection is busy, not dead.
        ++metrics.busyBeats;
        qCDebug(lcHeartbeat) << "beat due with" << heartbeat.beatsInFlight()
                             << "ACK(s) outstanding;" << heartbeat.framesSinceBeat()
                             << "frames since the last beat, beating on";
        break;
    case Heartbeat::Due::Zombie: {
        ++metrics.ackMisses;
        emit q->heartbeatAckMissed();
        const QString reason = u"no HEARTBEAT_ACK since the last heartbeat (zombie connection)"_s;
        qCWarning(lcHeartbeat).noquote() << reason;
        failConnection(reason);
        return;
    }
    }
    if (sendHeartbeat(SendLimiter::Priority::Heartbeat))
        heartbeat.noteBeatSent(now());
    heartbeatTimer.start(heartbeatIntervalMs);
}

void GatewayClient::Private::answerHeartbeatRequest()
{
    // One answer outstanding at a time: later requests are served by it (a flood of op 1
    // would otherwise spend the send budget), and only a sent answer restarts the interval.
    if (!heartbeat.shouldAnswerRequest()) {
        qCDebug(lcHeartbeat) << "op 1 while an answer waits for its ACK; coalesced";
        return;
    }
    if (!sendHeartbeat(SendLimiter::Priority::Reserved))
        return;
    heartbeat.noteRequestAnswered(now());
    // The answer counts as this interval's beat (reference §3: "timer reset optional"). Without
    // the reset a scheduled beat falling due while this one's ACK is in flight would be taken
    // for a zombie connection.
    if (heartbeatTimer.isActive())
        heartbeatTimer.start(heartbeatIntervalMs);
}

bool GatewayClient::Private::sendHeartbeat(SendLimiter::Priority priority)
{
    const std::optional<qint64> lastSeq = session.lastSequence();
    const QJsonValue seq = lastSeq ? QJsonValue(*lastSeq) : QJsonValue(QJsonValue::Null);
    QString error;
    if (!sendNow(Payload::make(Opcode::Heartbeat, seq), priority, &error)) {
        // Answers to op 1 may run out of room (the beats keep theirs): not worth a warning each.
        if (priority == SendLimiter::Priority::Heartbeat)
            qCWarning(lcHeartbeat).noquote() << "heartbeat not sent:" << error;
        else
            qCDebug(lcHeartbeat).noquote() << "op 1 not answered:" << error;
        return false;
    }
    return true;
}

void GatewayClient::Private::handleHeartbeatAck(qint64 ackAt)
{
    const std::optional<int> latency = heartbeat.noteAck(ackAt);
    if (!latency)
        return;
    qCDebug(lcHeartbeat) << "ACK after" << *latency << "ms";
    metrics.heartbeatLatency.observe(*latency);
    emit q->latencyChanged(*latency, heartbeat.smoothedLatencyMs());
}

void GatewayClient::Private::sendIdentify()
{
    QJsonObject properties{{u"os"_s, config.osName},
                           {u"browser"_s, config.browserName},
                           {u"device"_s, config.deviceName}};
    QJsonObject identify{{u"token"_s, config.token.reveal()},
                         {u"intents"_s, qint64(config.intents)},
                         {u"properties"_s, properties},
                         {u"large_threshold"_s, config.largeThreshold}};
    if (config.shardId >= 0)
        identify.insert(u"shard"_s, QJsonArray{config.shardId, config.shardCount});
    if (const std::optional<QString> refusal = session.identifyRefusal()) {
        failFatally(0, *refusal, Initiator::Client, u"session start limit reached"_s);
        return;
    }
    QString error;
    if (sendNow(Payload::make(Opcode::Identify, identify), SendLimiter::Priority::Reserved,
                &error)) {
        ++metrics.identifies;
        session.identifySent();
    } else
        qCWarning(lcGateway).noquote() << "identify not sent:" << error;
}

void GatewayClient::Private::identifyThroughGate()
{
    const quint64 ticket = ++gateTicket;
    if (!config.identifyGate) {
        sendIdentify();
        return;
    }
    config.identifyGate(config.shardId, [relay = gateRelay, ticket] {
        QMutexLocker lock(&relay->mutex);
        if (GatewayClient *client = relay->client)
            QMetaObject::invokeMethod(
                    client, [client, ticket] { client->d->onIdentifyGateOpened(ticket); },
                    Qt::QueuedConnection);
    });
}

void GatewayClient::Private::onIdentifyGateOpened(quint64 ticket)
{
    if (ticket != gateTicket || state != State::Identifying || !transport->isConnected())
        return;
    sendIdentify();
}

void GatewayClient::Private::sendResume()
{
    replayedCount = 0;
    const std::optional<qint64> lastSeq = session.lastSequence();
    QJsonObject resume{{u"token"_s, config.token.reveal()},
                       {u"session_id"_s, session.info().sessionId},
                       {u"seq"_s, lastSeq ? QJsonValue(*lastSeq) : QJsonValue(QJsonValue::Null)}};
    QString error;
    if (!sendNow(Payload::make(Opcode::Resume, resume), SendLimiter::Priority::Reserved, &error))
        qCWarning(lcGateway).noquote() << "resume not sent:" << error;
}

void GatewayClient::Private::handleInvalidSession(bool resumable)
{
    const QString reason = resumable ? u"invalid session (op 9), resumable"_s
                                     : u"invalid session (op 9), not resumable"_s;
    const GatewaySession::Decision decision = session.onInvalidSession(resumable);
    stopConnectionTimers();
    retireSocket(ResumableCloseCode, reason);
    noteClose(ResumableCloseCode, wallClockMs());
    // The server only said the session's state; closing this connection is Gatescope's doing.
    follow(decision, ResumableCloseCode, reason, Initiator::Client);
}

void GatewayClient::Private::handleDispatch(GatewayEvent &&event)
{
    // Only READY is read as a tree here (rare, and its fields drive the session).
    const QJsonObject data = event.type == "READY"_L1 ? event.data() : QJsonObject();
    handleDispatch(std::move(event), data);
}

void GatewayClient::Private::handleDispatch(GatewayEvent &&event, const QJsonObject &data)
{
    if (session.noteSequence(event.type, event.seq))
        metrics.lastSeq = event.seq;
    else if (event.seq >= 0)
        qCDebug(lcGateway) << "dispatch with sequence" << event.seq << "not after the last one;"
                           << "the sequence stays where it is";
    ++metrics.dispatches;
    ++metrics.dispatchesByType[event.type];
    event.receivedMs = frameTimeMs;
    event.shard = config.shardId;

    if (event.type == "READY"_L1) {
        handleReady(data);
    } else if (event.type == "RESUMED"_L1) {
        handleResumed();
    } else if (state == State::Resuming) {
        ++replayedCount;
    }
    const bool created = event.kind == GatewayEvent::Kind::MessageCreate;
    batcher->addEvent(std::move(event));
    if (created && messageLimit > 0 && ++messagesCreated == messageLimit)
        q->close();
}

void GatewayClient::Private::handleReady(const QJsonObject &d)
{
    session.onReady(d, baseGatewayUrl);
    metrics.connectedSinceMs = frameTimeMs;
    const SessionInfo &info = session.info();
    qCInfo(lcGateway).noquote() << "READY: session" << info.sessionId.left(8) << "with"
                                << info.guildIds.size() << "guilds";
    setState(State::Ready);
    emit q->sessionEstablished(info.sessionId, false, 0);
}

void GatewayClient::Private::handleResumed()
{
    session.onResumed();
    ++metrics.resumes;
    metrics.connectedSinceMs = frameTimeMs;
    qCInfo(lcGateway) << "RESUMED after" << replayedCount << "replayed events";
    setState(State::Ready);
    emit q->sessionEstablished(session.info().sessionId, true, replayedCount);
}

bool GatewayClient::beginReplay()
{
    if (d->replaying || d->transport->isActive() || d->discovery
        || (d->state != State::Disconnected && d->state != State::Failed))
        return false;
    d->replaying = true;
    d->failureReason.clear();
    d->dropSession();
    return true;
}

void GatewayClient::replayFrame(const RecordedFrame &frame)
{
    if (!d->replaying)
        return;
    if (frame.isClose())
        d->replayClose(frame);
    else if (frame.direction == FrameRecord::Direction::Incoming)
        d->replayIncoming(frame);
    else
        d->replayOutgoing(frame);
}

void GatewayClient::endReplay()
{
    if (!d->replaying)
        return;
    d->batcher->flush();
    d->replaying = false;
    d->heartbeat.reset();
    d->setState(State::Disconnected);
}

void GatewayClient::setBatchInterval(int ms)
{
    d->batcher->setInterval(ms);
}

void GatewayClient::setMessageLimit(qint64 count)
{
    d->messageLimit = std::max<qint64>(0, count);
    d->messagesCreated = 0;
}

void GatewayClient::flushEvents()
{
    d->batcher->flush();
}

bool GatewayClient::isReplaying() const
{
    return d->replaying;
}

qint64 GatewayClient::currentFrameTimeMs() const
{
    return d->frameTimeMs;
}

bool GatewayClient::reconnect(const QString &reason)
{
    if (d->replaying || d->state != State::Ready)
        return false;
    // What was received leaves first, so the resume continues right after it.
    d->batcher->flush();
    d->retireSocket(ResumableCloseCode, reason);
    d->endConnection(ResumableCloseCode, reason, Initiator::Client, CloseCodes::Action::Resume);
    return true;
}

void GatewayClient::Private::replayIncoming(const RecordedFrame &frame)
{
    ++metrics.framesIn;
    metrics.wireBytesIn += quint64(frame.wireBytes);
    metrics.inflatedBytesIn += quint64(frame.jsonBytes);
    frameTimeMs = frame.timeMs;
    const Payload &payload = frame.payload;
    const bool dispatch = payload.op == int(Opcode::Dispatch);
    GatewayEvent event = dispatch ? recordedEvent(payload) : GatewayEvent();
    logFrame(FrameRecord::Direction::Incoming, payload, frame.wireBytes, frame.timeMs,
             event.kind == GatewayEvent::Kind::Malformed ? event.error : QString());
    // Only what the recording shows happens: no heartbeats, no identifies, no reconnects.
    switch (static_cast<Opcode>(payload.op)) {
    case Opcode::Dispatch:
        handleDispatch(std::move(event), payload.d.toObject());
        break;
    case Opcode::Hello:
        heartbeat.reset(); // a new connection: the last one's beat will not be ACKed
        break;
    case Opcode::HeartbeatAck:
        handleHeartbeatAck(frame.timeMs);
        break;
    case Opcode::Reconnect:
    case Opcode::InvalidSession:
        setState(State::Reconnecting);
        break;
    default:
        break;
    }
}

GatewayEvent GatewayClient::Private::recordedEvent(const Payload &payload) const
{
    GatewayEvent event;
    event.type = payload.t;
    event.seq = payload.s.value_or(-1);
    event.rawData = payload.d.isObject()
                            ? QJsonDocument(payload.d.toObject()).toJson(QJsonDocument::Compact)
                            : QByteArray("null");
    decoder.classify(event, payload.d);
    return event;
}

void GatewayClient::Private::replayClose(const RecordedFrame &frame)
{
    const Initiator initiator = initiatorFromName(frame.closedBy).value_or(Initiator::Server);
    const CloseCodes::Action action = CloseCodes::actionFromName(frame.closeAction)
                                              .value_or(CloseCodes::actionFor(frame.closeCode));
    heartbeat.reset();
    noteClose(frame.closeCode, frame.timeMs);
    if (action == CloseCodes::Action::Fatal) {
        reportFatal(frame.closeCode, CloseCodes::explanation(frame.closeCode, config.intents),
                    initiator, frame.closeReason);
        return;
    }
    emit q->disconnected(frame.closeCode, Redaction::redact(frame.closeReason), initiator, action);
    // Live, every close that was neither the user's nor fatal scheduled a reconnect.
    if (initiator != Initiator::User) {
        ++metrics.reconnects;
        ++metrics.reconnectsByCloseCode[frame.closeCode];
    }
    setState(initiator == Initiator::User ? State::Disconnected : State::Reconnecting);
}

void GatewayClient::Private::replayOutgoing(const RecordedFrame &frame)
{
    ++metrics.framesOut;
    metrics.bytesOut += quint64(frame.wireBytes);
    const Payload &payload = frame.payload;
    logFrame(FrameRecord::Direction::Outgoing, payload, frame.wireBytes, frame.timeMs);
    switch (static_cast<Opcode>(payload.op)) {
    case Opcode::Heartbeat:
        heartbeat.noteBeatSent(frame.timeMs);
        break;
    case Opcode::Identify:
        ++metrics.identifies;
        setState(State::Identifying);
        break;
    case Opcode::Resume:
        replayedCount = 0;
        setState(State::Resuming);
        break;
    default:
        break;
    }
}

bool GatewayClient::sendPayload(int op, const QJsonValue &data, QString *error)
{
    if (!d->transport->isActive() || d->state != State::Ready) {
        if (error)
            *error = u"not connected"_s;
        return false;
    }
    Payload payload;
    payload.op = op;
    payload.d = data;
    const QByteArray json = payload.serialize();
    if (json.size() > MaxSendBytes) {
        if (error)
            *error = u"payload of %1 bytes is over Discord's 4096-byte limit; not sent"_s.arg(
                    json.size());
        qCWarning(lcGateway).noquote()
                << "refused to send" << opcodeName(op) << "of" << json.size() << "bytes";
        return false;
    }
    d->sendQueue.emplace_back(payload, json);
    d->flushSendQueue();
    return true;
}

void GatewayClient::Private::flushSendQueue()
{
    while (!sendQueue.empty() && transport->isActive()) {
        const qint64 wait = limiter.waitMs(SendLimiter::Priority::Normal, now());
        if (wait > 0) {
            sendQueueTimer.start(int(std::min<qint64>(wait, 60000)));
            return;
        }
        limiter.tryAcquire(SendLimiter::Priority::Normal, now());
        const auto [payload, json] = std::move(sendQueue.front());
        sendQueue.pop_front();
        transmit(payload, json);
    }
}

void GatewayClient::Private::transmit(const Payload &payload, const QByteArray &json)
{
    transport->send(json);
    ++metrics.framesOut;
    metrics.bytesOut += quint64(json.size());
    logFrame(FrameRecord::Direction::Outgoing, payload, json.size(), wallClockMs());
}

bool GatewayClient::Private::sendNow(const Payload &payload, SendLimiter::Priority priority,
                                     QString *error)
{
    if (!transport->isConnected()) {
        *error = u"not connected"_s;
        return false;
    }
    const QByteArray json = payload.serialize();
    if (json.size() > MaxSendBytes) {
        *error = u"payload of %1 bytes is over the 4096-byte limit"_s.arg(json.size());
        return false;
    }
    if (!limiter.tryAcquire(priority, now())) {
        *error = u"send rate limit reached (%1 per 60 s)"_s.arg(limiter.limit());
        return false;
    }
    transmit(payload, json);
    return true;
}

bool GatewayClient::Private::framesWanted() const
{
    return q->isSignalConnected(QMetaMethod::fromSignal(&GatewayClient::frameLogged))
           || q->isSignalConnected(QMetaMethod::fromSignal(&GatewayClient::framesReady))
           || lcPayload().isDebugEnabled();
}

void GatewayClient::Private::logFrame(FrameRecord::Direction direction, const Payload &payload,
                                      qsizetype wireBytes, qint64 timeMs, const QString &rejected)
{
    if (!framesWanted())
        return;
    FrameRecord frame;
    frame.timeMs = timeMs;
    frame.direction = direction;
    frame.op = payload.op;
    frame.type = payload.t;
    frame.seq = payload.s.value_or(-1);
    frame.wireBytes = wireBytes;
    // Outgoing Identify and Resume carry the token: this is the one tree copy they need.
    frame.json = Redaction::redactedJson(payload);
    frame.rejected = rejected;
    emitFrame(frame);
}

void GatewayClient::Private::logIncoming(const EventDecoder::Result &decoded, QByteArrayView json,
                                         qsizetype wireBytes)
{
    if (!framesWanted())
        return;
    FrameRecord frame;
    frame.timeMs = frameTimeMs;
    frame.direction = FrameRecord::Direction::Incoming;
    frame.op = decoded.op;
    frame.type = decoded.t;
    frame.seq = decoded.s.value_or(-1);
    frame.wireBytes = wireBytes;
    if (decoded.event.kind == GatewayEvent::Kind::Malformed)
        frame.rejected = decoded.event.error;
    // Whitespace between tokens may hold a line break (never inside a string): a recording
    // keeps one frame per line.
    frame.json = Redaction::redact(json.toByteArray());
    if (frame.json.contains('\n') || frame.json.contains('\r'))
        frame.json.replace('\n', ' ').replace('\r', ' ');
    emitFrame(frame);
}

void GatewayClient::Private::emitFrame(const FrameRecord &frame)
{
    qCDebug(lcPayload).noquote() << (frame.direction == FrameRecord::Direction::Incoming ? "<-"
                                                                                         : "->")
                                 << frame.json;
    emit q->frameLogged(frame);
    if (q->isSignalConnected(QMetaMethod::fromSignal(&GatewayClient::framesReady)))
        batcher->addFrame(frame);
}

void GatewayClient::Private::updateEventRate()
{
    constexpr size_t WindowSeconds = 5;
    dispatchesPerSecond.push_back(metrics.dispatches - dispatchesAtLastTick);
    dispatchesAtLastTick = metrics.dispatches;
    if (dispatchesPerSecond.size() > WindowSeconds)
        dispatchesPerSecond.pop_front();
    quint64 total = 0;
    for (quint64 count : dispatchesPerSecond)
        total += count;
    metrics.eventsPerSecond = double(total) / double(dispatchesPerSecond.size());
}

QString compressionName(Compression compression)
{
    switch (compression) {
    case Compression::ZlibStream:
        return u"zlib-stream"_s;
    case Compression::ZstdStream:
        return u"zstd-stream"_s;
    case Compression::None:
        break;
    }
    return u"none"_s;
}

std::optional<Compression> compressionFromName(const QString &name)
{
    if (name == "zlib-stream"_L1)
        return Compression::ZlibStream;
    if (name == "zstd-stream"_L1)
        return Compression::ZstdStream;
    if (name == "none"_L1)
        return Compression::None;
    return std::nullopt;
}

} // namespace Gatescope
