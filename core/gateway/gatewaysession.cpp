#include "core/gateway/gatewaysession.h"

#include "core/gateway/sendlimiter.h"
#include "core/gateway/snowflake.h"
#include "core/logging.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QWebSocketProtocol>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Gatescope {

static_assert(GatewaySession::MinHeartbeatIntervalMs
                      == SendLimiter::DefaultWindowMs / (SendLimiter::DefaultLimit / 2),
              "beats may use at most half of the send budget");

namespace {

GatewaySession::Clock realClock()
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return [timer] {
        return timer->elapsed();
    };
}

GatewaySession::Random realRandom()
{
    return [] {
        return QRandomGenerator::global()->generateDouble();
    };
}

} // namespace

CloseCodes::Action GatewaySession::Decision::action() const
{
    switch (next) {
    case Next::Resume:
        return CloseCodes::Action::Resume;
    case Next::Identify:
        return CloseCodes::Action::Identify;
    case Next::Stop:
        break;
    }
    return CloseCodes::Action::Fatal;
}

GatewaySession::GatewaySession()
    : m_clock(realClock())
    , m_random(realRandom())
{
    setConfig(m_config);
}

void GatewaySession::setConfig(const GatewayConfig &config)
{
    m_config = config;
    m_backoff = ExponentialBackoff(config.backoffBaseMs, config.backoffCapMs,
                                   [this] { return draw(); });
}

void GatewaySession::setClock(Clock clock)
{
    m_clock = clock ? std::move(clock) : realClock();
}

void GatewaySession::setRandom(Random random)
{
    m_random = random ? std::move(random) : realRandom();
}

double GatewaySession::draw() const
{
    return std::clamp(m_random(), 0.0, std::nextafter(1.0, 0.0));
}

void GatewaySession::start()
{
    m_backoff.reset();
    m_resumeUrlFailures = 0;
    m_closesBeforeReady.clear();
}

void GatewaySession::setBotInfo(const GatewayBotInfo &info)
{
    m_botInfo = info;
    if (info.sessionStartTotal > 0)
        m_sessionStartsLeft = info.sessionStartRemaining;
}

bool GatewaySession::wantsResume() const
{
    return !m_info.sessionId.isEmpty() && m_info.resumeGatewayUrl.isValid();
}

void GatewaySession::connectionStarted(bool toResumeUrl)
{
    m_toResumeUrl = toResumeUrl;
    m_identifiedOnThisConnection = false;
}

void GatewaySession::connectionOpened()
{
    if (m_toResumeUrl)
        m_resumeUrlFailures = 0;
}

GatewaySession::HelloPlan GatewaySession::onHello(int serverIntervalMs)
{
    HelloPlan plan;
    if (serverIntervalMs <= 0)
        return plan;
    plan.valid = true;
    plan.intervalMs = serverIntervalMs;
    const int override = m_config.heartbeatIntervalOverrideMs;
    if (override > 0 && override < serverIntervalMs)
        plan.intervalMs = std::max(override, MinHeartbeatIntervalMs);
    plan.firstBeatMs = int(plan.intervalMs * draw());
    plan.resume = !m_info.sessionId.isEmpty() && m_toResumeUrl;
    return plan;
}

std::optional<QString> GatewaySession::identifyRefusal() const
{
    if (!m_sessionStartsLeft || *m_sessionStartsLeft > 0)
        return std::nullopt;
    return u"The bot's session start limit is used up (%1 per day, resets in %2 min): no more "
           u"Identify until then, or Discord resets the token."_s.arg(m_botInfo->sessionStartTotal)
                   .arg((m_botInfo->sessionStartResetAfterMs + 59999) / 60000);
}

void GatewaySession::identifySent()
{
    m_lastIdentifyAt = now();
    m_identifiedOnThisConnection = true;
    if (m_sessionStartsLeft)
        --*m_sessionStartsLeft;
}

bool GatewaySession::noteSequence(const QString &type, qint64 seq)
{
    // READY starts a new session's numbering; otherwise the sequence only moves forward: a
    // stray lower `s` must not make a later Resume ask for events already shown.
    if (type == "READY"_L1)
        m_lastSeq.reset();
    if (seq < 0 || (m_lastSeq && seq <= *m_lastSeq))
        return false;
    m_lastSeq = seq;
    return true;
}

void GatewaySession::onReady(const QJsonObject &d, const QUrl &fallbackResumeUrl)
{
    m_info.sessionId = d.value("session_id"_L1).toString();
    m_info.resumeGatewayUrl = QUrl(d.value("resume_gateway_url"_L1).toString());
    if (!m_info.resumeGatewayUrl.isValid() || m_info.resumeGatewayUrl.scheme().isEmpty())
        m_info.resumeGatewayUrl = fallbackResumeUrl;
    m_info.user = d.value("user"_L1).toObject();
    m_info.guildIds.clear();
    const QJsonArray guilds = d.value("guilds"_L1).toArray();
    for (const QJsonValue &guild : guilds) {
        if (const auto id = Snowflake::parse(guild.toObject().value("id"_L1).toString()))
            m_info.guildIds.append(*id);
    }
    const QJsonArray shard = d.value("shard"_L1).toArray();
    m_info.shardId = shard.size() == 2 ? shard.at(0).toInt() : m_config.shardId;
    m_info.shardCount = shard.size() == 2 ? shard.at(1).toInt() : m_config.shardCount;
    m_backoff.reset();
    m_identifiedOnThisConnection = false;
    m_closesBeforeReady.clear();
}

void GatewaySession::onResumed()
{
    m_backoff.reset();
    m_closesBeforeReady.clear();
}

GatewaySession::Decision GatewaySession::onConnectionEnded(int closeCode, CloseCodes::Action action,
                                                           bool opened, bool closedByServer)
{
    if (action == CloseCodes::Action::Fatal) {
        dropSession();
        return Decision{Next::Stop, 0, 0, CloseCodes::explanation(closeCode, m_config.intents)};
    }
    // A resume URL that cannot be reached twice in a row is given up: fall back to Identify.
    if (action == CloseCodes::Action::Resume && m_toResumeUrl && !opened) {
        ++m_resumeUrlFailures;
        if (m_resumeUrlFailures >= m_config.resumeUrlAttempts) {
            qCWarning(lcGateway) << "resume URL unreachable after" << m_resumeUrlFailures
                                 << "tries; identifying on the gateway URL instead";
            action = CloseCodes::Action::Identify;
        }
    }
    if (action == CloseCodes::Action::Resume && m_info.sessionId.isEmpty())
        action = CloseCodes::Action::Identify;
    if (auto stop = stopIfNeverReady(closeCode, closedByServer))
        return *stop;
    if (action == CloseCodes::Action::Identify)
        dropSession();
    return reconnect(action == CloseCodes::Action::Resume);
}

GatewaySession::Decision GatewaySession::onInvalidSession(bool resumable)
{
    constexpr int OwnCloseCode = 4000; // what the client closes with after op 9
    if (resumable && !m_info.sessionId.isEmpty())
        return onConnectionEnded(OwnCloseCode, CloseCodes::Action::Resume, true);
    if (auto stop = stopIfNeverReady(OwnCloseCode))
        return *stop;
    // op 9 false: the session is gone. Wait a random 1–5 s (old docs) before identifying, and
    // longer when it keeps happening, so a loop cannot burn the daily session-start budget.
    dropSession();
    const int span
            = std::max(0, m_config.invalidSessionMaxDelayMs - m_config.invalidSessionMinDelayMs);
    const int wait = m_config.invalidSessionMinDelayMs + std::min(span, int(draw() * (span + 1)));
    return reconnect(false, wait);
}

GatewaySession::Decision GatewaySession::onDiscoveryFailed()
{
    return reconnect(false);
}

GatewaySession::Decision GatewaySession::reconnect(bool resume, int minimumDelayMs)
{
    Decision decision;
    decision.next = resume ? Next::Resume : Next::Identify;
    decision.attempt = m_backoff.attempt() + 1;
    decision.delayMs = std::max(minimumDelayMs, m_backoff.next());
    if (!resume && m_lastIdentifyAt >= 0) {
        const qint64 identifyAllowedIn = m_lastIdentifyAt + m_config.minIdentifyIntervalMs - now();
        decision.delayMs = int(std::max<qint64>(decision.delayMs, identifyAllowedIn));
    }
    return decision;
}

std::optional<GatewaySession::Decision> GatewaySession::stopIfNeverReady(int closeCode, bool counts)
{
    if (!m_identifiedOnThisConnection)
        return std::nullopt;
    m_identifiedOnThisConnection = false;
    if (!counts)
        return std::nullopt;
    m_closesBeforeReady.append(closeCode);
    if (m_closesBeforeReady.size() < MaxClosesBeforeReady)
        return std::nullopt;
    Decision stop{Next::Stop, 0, 0, neverReadyExplanation()};
    m_closesBeforeReady.clear();
    dropSession();
    return stop;
}

QString GatewaySession::neverReadyExplanation() const
{
    // "4000 ×3" or "4000 ×2, 1006 ×1", in the order the codes first came.
    QList<int> codes;
    for (int code : m_closesBeforeReady) {
        if (!codes.contains(code))
            codes.append(code);
    }
    QStringList counts;
    bool onlyNetwork = true;
    for (int code : std::as_const(codes)) {
        counts.append(u"%1 ×%2"_s.arg(code).arg(m_closesBeforeReady.count(code)));
        onlyNetwork &= code == QWebSocketProtocol::CloseCodeAbnormalDisconnection;
    }
    QString text = u"The session closed before READY %1 times in a row (close %2); stopped "
                   u"identifying."_s.arg(m_closesBeforeReady.size())
                           .arg(counts.join(", "_L1));
    if (!onlyNetwork)
        text += u" The token may be invalid or lack the intents."_s;
    return text;
}

void GatewaySession::restoreSession(const QString &sessionId, const QUrl &resumeUrl,
                                    qint64 sequence)
{
    if (sessionId.isEmpty() || !resumeUrl.isValid() || resumeUrl.scheme().isEmpty())
        return;
    m_info = SessionInfo();
    m_info.sessionId = sessionId;
    m_info.resumeGatewayUrl = resumeUrl;
    m_info.shardId = m_config.shardId;
    m_info.shardCount = m_config.shardCount;
    m_lastSeq.reset();
    if (sequence >= 0)
        m_lastSeq = sequence;
    m_resumeUrlFailures = 0;
}

void GatewaySession::dropSession()
{
    m_info = SessionInfo();
    m_lastSeq.reset();
    m_resumeUrlFailures = 0;
}

} // namespace Gatescope
