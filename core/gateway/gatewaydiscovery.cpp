#include "core/gateway/gatewaydiscovery.h"

#include "core/gateway/redaction.h"
#include "core/logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace Gatescope {

GatewayDiscovery::GatewayDiscovery(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{ }

GatewayDiscovery::~GatewayDiscovery()
{
    abort();
}

QByteArray GatewayDiscovery::userAgent()
{
    return QByteArrayLiteral("DiscordBot (" GATESCOPE_PROJECT_URL ", " GATESCOPE_VERSION
                             ") Gatescope");
}

void GatewayDiscovery::start(const QUrl &apiUrl, const BotToken &token, int timeoutMs)
{
    Redaction::registerSecret(token);
    abort();
    QUrl url = apiUrl;
    QString path = url.path();
    if (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + u"/gateway/bot"_s);

    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bot " + token.reveal().toUtf8());
    request.setRawHeader("User-Agent", userAgent());
    request.setTransferTimeout(timeoutMs);
    m_proxy = m_proxySettings.proxyFor(url);
    m_network->setProxy(m_proxy);
    qCInfo(lcDiscovery) << "GET" << url.toDisplayString();
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &GatewayDiscovery::onReplyFinished);
}

void GatewayDiscovery::abort()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
}

std::optional<GatewayBotInfo> GatewayDiscovery::parse(const QByteArray &body, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject()) {
        *error = u"the /gateway/bot answer is not a JSON object"_s;
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    GatewayBotInfo info;
    info.url = QUrl(object.value("url"_L1).toString());
    if (!info.url.isValid() || !(info.url.scheme() == "ws"_L1 || info.url.scheme() == "wss"_L1)) {
        *error = u"the /gateway/bot answer has no ws:// or wss:// url"_s;
        return std::nullopt;
    }
    info.shards = std::max(1, object.value("shards"_L1).toInt(1));
    const QJsonObject limit = object.value("session_start_limit"_L1).toObject();
    info.sessionStartTotal = limit.value("total"_L1).toInt();
    info.sessionStartRemaining = limit.value("remaining"_L1).toInt();
    info.sessionStartResetAfterMs = qint64(limit.value("reset_after"_L1).toDouble());
    info.maxConcurrency = std::max(1, limit.value("max_concurrency"_L1).toInt(1));
    return info;
}

void GatewayDiscovery::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError && status == 0) {
        const QString proxyProblem = ProxySettings::replyError(reply->error(), m_proxy);
        const QString cause = Redaction::redact(reply->errorString());
        const bool proxied = m_proxy.type() != QNetworkProxy::NoProxy;
        QString message = u"gateway discovery failed: %1"_s.arg(cause);
        if (!proxyProblem.isEmpty())
            message = u"gateway discovery failed: %1 (%2)"_s.arg(proxyProblem, cause);
        else if (proxied)
            message = u"gateway discovery through %1 failed: %2"_s.arg(
                    ProxySettings::describe(m_proxy), cause);
        qCWarning(lcDiscovery).noquote() << message;
        emit failed(message, 0);
        return;
    }
    if (status != 200) {
        const QString message = status == 401
                                        ? u"gateway discovery: the token was rejected (HTTP 401)"_s
                                        : u"gateway discovery: HTTP %1"_s.arg(status);
        qCWarning(lcDiscovery).noquote() << message;
        emit failed(message, status);
        return;
    }
    QString error;
    const std::optional<GatewayBotInfo> info = parse(body, &error);
    if (!info) {
        qCWarning(lcDiscovery).noquote() << error;
        emit failed(error, status);
        return;
    }
    qCInfo(lcDiscovery).noquote() << "gateway" << info->url.toDisplayString() << "shards"
                                  << info->shards << "session starts" << info->sessionStartRemaining
                                  << "/" << info->sessionStartTotal;
    emit finished(*info);
}

} // namespace Gatescope
