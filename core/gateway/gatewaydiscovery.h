#pragma once

#include "core/gateway/gatewaytypes.h"
#include "core/gateway/proxysettings.h"

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

namespace Gatescope {

/// `GET {api}/gateway/bot` (protocol §1): the gateway URL, the recommended shard count and the
/// session start limit. A small job object in the libQuotient style: start(), then exactly one of
/// finished() or failed().
class GatewayDiscovery : public QObject
{
    Q_OBJECT

public:
    explicit GatewayDiscovery(QObject *parent = nullptr);
    ~GatewayDiscovery() override;

    /// The User-Agent Discord asks for: `DiscordBot (<url>, <version>)`.
    static QByteArray userAgent();

    /// The proxy the next start() goes through (default: the system proxy).
    void setProxy(const ProxySettings &proxy) { m_proxySettings = proxy; }
    /// Registers @p token with Redaction first, so nothing this request logs (a URL, an error
    /// string of the network stack) can carry it.
    void start(const QUrl &apiUrl, const BotToken &token, int timeoutMs = 30000);
    void abort();

    /// Parses a /gateway/bot body; nullopt (with @p error) when it is not one.
    static std::optional<GatewayBotInfo> parse(const QByteArray &body, QString *error);

signals:
    void finished(const Gatescope::GatewayBotInfo &info);
    /// @p httpStatus is 0 for network errors; 401 means the token was rejected.
    void failed(const QString &message, int httpStatus);

private:
    void onReplyFinished();

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    ProxySettings m_proxySettings;
    QNetworkProxy m_proxy; ///< what the current request goes through
};

} // namespace Gatescope
