#include "core/gateway/proxysettings.h"

#include <QHostAddress>
#include <QNetworkProxyFactory>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

enum class ProxyProblem { Refused, Closed, TimedOut, NotFound, Authentication, Protocol };

QString problemText(ProxyProblem problem, const QNetworkProxy &proxy)
{
    const QString name = ProxySettings::describe(proxy);
    switch (problem) {
    case ProxyProblem::Refused:
        return u"%1 refused the connection (is it running on that port?)"_s.arg(name);
    case ProxyProblem::Closed:
        return u"%1 closed the connection before the gateway was reached"_s.arg(name);
    case ProxyProblem::TimedOut:
        return u"%1 did not answer in time"_s.arg(name);
    case ProxyProblem::NotFound:
        return u"%1 was not found (its host name does not resolve)"_s.arg(name);
    case ProxyProblem::Authentication:
        return u"%1 asked for a user name and password, and none or the wrong ones were given"_s
                .arg(name);
    case ProxyProblem::Protocol:
        return u"%1 refused the tunnel or did not answer as a proxy"_s.arg(name);
    }
    return name;
}

} // namespace

std::optional<ProxySettings> ProxySettings::parse(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty() || text.compare("system"_L1, Qt::CaseInsensitive) == 0)
        return ProxySettings{};
    if (text.compare("none"_L1, Qt::CaseInsensitive) == 0
        || text.compare("direct"_L1, Qt::CaseInsensitive) == 0)
        return none();
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    const bool knownScheme = scheme == "http"_L1 || scheme == "socks5"_L1;
    const auto refuse = [&](const QString &why) -> std::optional<ProxySettings> {
        // The input may hold a password: name only what was wrong, never echo the text.
        *error = u"%1; expected http://host:port or socks5://[user:pass@]host:port"_s.arg(why);
        return std::nullopt;
    };
    if (!url.isValid() || url.scheme().isEmpty())
        return refuse(u"not a proxy URL"_s);
    if (!knownScheme)
        return refuse(u"the scheme %1 is not supported"_s.arg(url.scheme()));
    if (url.host().isEmpty())
        return refuse(u"the proxy URL has no host"_s);
    if (url.port() <= 0)
        return refuse(u"the proxy URL has no port"_s);
    if (!url.path().isEmpty() && url.path() != "/"_L1)
        return refuse(u"a proxy URL has no path"_s);
    if (url.hasQuery() || url.hasFragment())
        return refuse(u"a proxy URL has no query or fragment"_s);
    if (scheme == "http"_L1 && !url.userName().isEmpty())
        return refuse(u"a user name and password are supported for socks5:// only"_s);
    ProxySettings settings;
    settings.mode = Mode::Url;
    settings.url = url.adjusted(QUrl::RemovePath);
    return settings;
}

QString ProxySettings::text(bool withPassword) const
{
    switch (mode) {
    case Mode::System:
        return {};
    case Mode::None:
        return u"none"_s;
    case Mode::Url:
        return url.toString(withPassword ? QUrl::None : QUrl::RemovePassword);
    }
    return {};
}

QString ProxySettings::name() const
{
    switch (mode) {
    case Mode::System:
        return u"the system proxy"_s;
    case Mode::None:
        return u"no proxy"_s;
    case Mode::Url:
        return describe(proxyFor({}));
    }
    return {};
}

QNetworkProxy ProxySettings::proxyFor(const QUrl &target) const
{
    switch (mode) {
    case Mode::None:
        return QNetworkProxy(QNetworkProxy::NoProxy);
    case Mode::Url: {
        const auto type = url.scheme().compare("socks5"_L1, Qt::CaseInsensitive) == 0
                                  ? QNetworkProxy::Socks5Proxy
                                  : QNetworkProxy::HttpProxy;
        return QNetworkProxy(type, url.host(), quint16(url.port()), url.userName(), url.password());
    }
    case Mode::System:
        break;
    }
    // A gateway on this machine (demo mode, an emulator) is never reached through the system's
    // proxy, which would not know it; an explicit --proxy still applies.
    const QHostAddress address(target.host());
    if (target.host() == "localhost"_L1 || address.isLoopback())
        return QNetworkProxy(QNetworkProxy::NoProxy);
    QUrl query = target;
    if (query.scheme() == "ws"_L1)
        query.setScheme(u"http"_s);
    else if (query.scheme() == "wss"_L1)
        query.setScheme(u"https"_s);
    const QList<QNetworkProxy> proxies
            = QNetworkProxyFactory::systemProxyForQuery(QNetworkProxyQuery(query));
    return proxies.value(0, QNetworkProxy(QNetworkProxy::NoProxy));
}

QString ProxySettings::describe(const QNetworkProxy &proxy)
{
    QString kind;
    switch (proxy.type()) {
    case QNetworkProxy::HttpProxy:
    case QNetworkProxy::HttpCachingProxy:
        kind = u"HTTP"_s;
        break;
    case QNetworkProxy::Socks5Proxy:
        kind = u"SOCKS5"_s;
        break;
    case QNetworkProxy::FtpCachingProxy:
        kind = u"FTP"_s;
        break;
    case QNetworkProxy::NoProxy:
    case QNetworkProxy::DefaultProxy:
        return u"no proxy"_s;
    }
    return u"the %1 proxy %2:%3"_s.arg(kind, proxy.hostName()).arg(proxy.port());
}

QString ProxySettings::socketError(QAbstractSocket::SocketError error, const QNetworkProxy &proxy)
{
    switch (error) {
    case QAbstractSocket::ProxyConnectionRefusedError:
        return problemText(ProxyProblem::Refused, proxy);
    case QAbstractSocket::ProxyConnectionClosedError:
        return problemText(ProxyProblem::Closed, proxy);
    case QAbstractSocket::ProxyConnectionTimeoutError:
        return problemText(ProxyProblem::TimedOut, proxy);
    case QAbstractSocket::ProxyNotFoundError:
        return problemText(ProxyProblem::NotFound, proxy);
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return problemText(ProxyProblem::Authentication, proxy);
    case QAbstractSocket::ProxyProtocolError:
        return problemText(ProxyProblem::Protocol, proxy);
    default:
        return {};
    }
}

QString ProxySettings::replyError(QNetworkReply::NetworkError error, const QNetworkProxy &proxy)
{
    switch (error) {
    case QNetworkReply::ProxyConnectionRefusedError:
        return problemText(ProxyProblem::Refused, proxy);
    case QNetworkReply::ProxyConnectionClosedError:
        return problemText(ProxyProblem::Closed, proxy);
    case QNetworkReply::ProxyTimeoutError:
        return problemText(ProxyProblem::TimedOut, proxy);
    case QNetworkReply::ProxyNotFoundError:
        return problemText(ProxyProblem::NotFound, proxy);
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return problemText(ProxyProblem::Authentication, proxy);
    case QNetworkReply::UnknownProxyError:
        return problemText(ProxyProblem::Protocol, proxy);
    default:
        break;
    }
    // Through an HTTP proxy the only TCP connection is the one to the proxy (it answers for
    // the server with an HTTP status), so plain connection errors are the proxy's. QNAM reports
    // them so rather than as proxy errors.
    if (proxy.type() != QNetworkProxy::HttpProxy)
        return {};
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return problemText(ProxyProblem::Refused, proxy);
    case QNetworkReply::RemoteHostClosedError:
        return problemText(ProxyProblem::Closed, proxy);
    case QNetworkReply::HostNotFoundError:
        return problemText(ProxyProblem::NotFound, proxy);
    case QNetworkReply::TimeoutError:
        return problemText(ProxyProblem::TimedOut, proxy);
    default:
        return {};
    }
}

} // namespace Gatescope
