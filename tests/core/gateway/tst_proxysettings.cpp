#include "core/gateway/proxysettings.h"
#include "fastgatewayconfig.h"
#include "loopbackproxy.h"

#include "core/gateway/gatewayclient.h"
#include "core/gateway/gatewaydiscovery.h"
#include "emulator/emulatorserver.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Kind = LoopbackProxy::Kind;

Q_DECLARE_METATYPE(ProxySettings::Mode)
Q_DECLARE_METATYPE(LoopbackProxy::Kind)

namespace {
const QString Token = u"MTAxNTk2.tst-proxy-settings.c2VjcmV0"_s;
const QString User = u"gatescope"_s;
const QString Password = u"s3cret-proxy-pw"_s;
} // namespace

/// ProxySettings (parsing, names, errors) and the gateway and discovery through real proxies on
/// loopback: tinyproxy (HTTP CONNECT) and microsocks (SOCKS5), which prove the traffic went
/// through them by their own logs.
class tst_ProxySettings : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void textAndNameLeaveThePasswordOut();
    void urlProxyForEveryTarget();
    void systemProxySkipsLoopback();
    void errorsNameTheProxy_data();
    void errorsNameTheProxy();
    void gatewayAndDiscoveryGoThroughTheProxy_data();
    void gatewayAndDiscoveryGoThroughTheProxy();
    void refusedProxyIsNamed_data();
    void refusedProxyIsNamed();
    void wrongSocksPasswordIsNamed();

private:
    std::unique_ptr<Emulator::EmulatorServer> startEmulator();
    /// Opens a client with @p config and returns its first connectionError() (empty if none came).
    QString firstConnectionError(const GatewayConfig &config);
};

QString tst_ProxySettings::firstConnectionError(const GatewayConfig &config)
{
    GatewayClient client;
    client.setConfig(config);
    QSignalSpy errors(&client, &GatewayClient::connectionError);
    client.open();
    if (!errors.wait(20000))
        return {};
    const QString message = errors.constFirst().constFirst().toString();
    client.close();
    return message;
}

std::unique_ptr<Emulator::EmulatorServer> tst_ProxySettings::startEmulator()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.heartbeatIntervalMs = 1000;
    auto server = std::make_unique<Emulator::EmulatorServer>(config);
    if (!server->start())
        qFatal("the emulator did not start");
    return server;
}

void tst_ProxySettings::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<ProxySettings::Mode>("mode");
    QTest::addColumn<QString>("error");
    using Mode = ProxySettings::Mode;
    QTest::newRow("empty: system") << u""_s << true << Mode::System << QString();
    QTest::newRow("system") << u"system"_s << true << Mode::System << QString();
    QTest::newRow("none") << u"none"_s << true << Mode::None << QString();
    QTest::newRow("direct") << u" Direct "_s << true << Mode::None << QString();
    QTest::newRow("http") << u"http://proxy.local:3128"_s << true << Mode::Url << QString();
    QTest::newRow("http with slash")
            << u"http://10.0.0.1:8080/"_s << true << Mode::Url << QString();
    QTest::newRow("socks5") << u"socks5://127.0.0.1:1080"_s << true << Mode::Url << QString();
    QTest::newRow("socks5 with user")
            << u"socks5://me:pw@127.0.0.1:1080"_s << true << Mode::Url << QString();
    QTest::newRow("no scheme") << u"proxy.local:3128"_s << false << Mode::System
                               << u"is not supported"_s;
    QTest::newRow("https") << u"https://proxy.local:3128"_s << false << Mode::System
                           << u"the scheme https is not supported"_s;
    QTest::newRow("socks4") << u"socks4://proxy.local:1080"_s << false << Mode::System
                            << u"the scheme socks4 is not supported"_s;
    QTest::newRow("no port") << u"http://proxy.local"_s << false << Mode::System
                             << u"has no port"_s;
    QTest::newRow("no host") << u"socks5://:1080"_s << false << Mode::System << u"no host"_s;
    QTest::newRow("a path") << u"http://proxy.local:3128/x"_s << false << Mode::System
                            << u"has no path"_s;
    QTest::newRow("http with user")
            << u"http://me:pw@proxy.local:3128"_s << false << Mode::System << u"socks5:// only"_s;
    QTest::newRow("garbage") << u"http://[::1:3128"_s << false << Mode::System
                             << u"not a proxy URL"_s;
}

void tst_ProxySettings::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(ProxySettings::Mode, mode);
    QFETCH(QString, error);
    QString message;
    const std::optional<ProxySettings> parsed = ProxySettings::parse(text, &message);
    QCOMPARE(parsed.has_value(), ok);
    if (ok) {
        QCOMPARE(parsed->mode, mode);
        // What text() writes, parse() reads back as the same proxy.
        QString again;
        const auto reparsed = ProxySettings::parse(parsed->text(), &again);
        QVERIFY(reparsed);
        QCOMPARE(reparsed->mode, parsed->mode);
        QCOMPARE(reparsed->url, parsed->url);
        return;
    }
    QVERIFY2(message.contains(error), qPrintable(message));
    QVERIFY2(message.contains(u"expected http://host:port"_s), qPrintable(message));
    QVERIFY(!message.contains(u"pw"_s));
}

void tst_ProxySettings::textAndNameLeaveThePasswordOut()
{
    QString error;
    const auto proxy
            = ProxySettings::parse(u"socks5://me:%1@127.0.0.1:1080"_s.arg(Password), &error);
    QVERIFY(proxy);
    QCOMPARE(proxy->text(), u"socks5://me:%1@127.0.0.1:1080"_s.arg(Password));
    QCOMPARE(proxy->text(false), u"socks5://me@127.0.0.1:1080"_s);
    QCOMPARE(proxy->name(), u"the SOCKS5 proxy 127.0.0.1:1080"_s);
    QCOMPARE(ProxySettings().name(), u"the system proxy"_s);
    QCOMPARE(ProxySettings::none().name(), u"no proxy"_s);
}

void tst_ProxySettings::urlProxyForEveryTarget()
{
    QString error;
    const auto socks = ProxySettings::parse(u"socks5://me:pw@127.0.0.1:1080"_s, &error);
    QVERIFY(socks);
    for (const QUrl &target :
         {QUrl(u"wss://gateway.discord.gg/?v=10"_s), QUrl(u"https://discord.com/api/v10"_s),
          QUrl(u"ws://127.0.0.1:9"_s)}) {
        const QNetworkProxy proxy = socks->proxyFor(target);
        QCOMPARE(proxy.type(), QNetworkProxy::Socks5Proxy);
        QCOMPARE(proxy.hostName(), u"127.0.0.1"_s);
        QCOMPARE(proxy.port(), quint16(1080));
        QCOMPARE(proxy.user(), u"me"_s);
        QCOMPARE(proxy.password(), u"pw"_s);
    }
    const auto http = ProxySettings::parse(u"http://proxy.local:3128"_s, &error);
    QVERIFY(http);
    QCOMPARE(http->proxyFor(QUrl(u"wss://gateway.discord.gg"_s)).type(), QNetworkProxy::HttpProxy);
    QCOMPARE(ProxySettings::none().proxyFor(QUrl(u"wss://gateway.discord.gg"_s)).type(),
             QNetworkProxy::NoProxy);
}

void tst_ProxySettings::systemProxySkipsLoopback()
{
    // Even with a system proxy configured, a gateway on this machine is reached directly.
    qputenv("http_proxy", "http://192.0.2.1:3128");
    qputenv("https_proxy", "http://192.0.2.1:3128");
    qputenv("all_proxy", "http://192.0.2.1:3128");
    const ProxySettings system;
    for (const QString &url : {u"ws://127.0.0.1:5000/"_s, u"http://localhost:8080/api/v10"_s,
                               u"ws://[::1]:5000"_s, u"ws://127.3.2.1:1"_s}) {
        QCOMPARE(system.proxyFor(QUrl(url)).type(), QNetworkProxy::NoProxy);
    }
    const QNetworkProxy remote = system.proxyFor(QUrl(u"wss://gateway.discord.gg/?v=10"_s));
    qunsetenv("http_proxy");
    qunsetenv("https_proxy");
    qunsetenv("all_proxy");
    QCOMPARE(remote.type(), QNetworkProxy::HttpProxy);
    QCOMPARE(remote.hostName(), u"192.0.2.1"_s);
}

void tst_ProxySettings::errorsNameTheProxy_data()
{
    QTest::addColumn<int>("socketError");
    QTest::addColumn<int>("replyError");
    QTest::addColumn<QString>("says");
    QTest::newRow("refused") << int(QAbstractSocket::ProxyConnectionRefusedError)
                             << int(QNetworkReply::ProxyConnectionRefusedError) << u"refused"_s;
    QTest::newRow("closed") << int(QAbstractSocket::ProxyConnectionClosedError)
                            << int(QNetworkReply::ProxyConnectionClosedError) << u"closed"_s;
    QTest::newRow("timeout") << int(QAbstractSocket::ProxyConnectionTimeoutError)
                             << int(QNetworkReply::ProxyTimeoutError) << u"in time"_s;
    QTest::newRow("not found") << int(QAbstractSocket::ProxyNotFoundError)
                               << int(QNetworkReply::ProxyNotFoundError) << u"not found"_s;
    QTest::newRow("authentication")
            << int(QAbstractSocket::ProxyAuthenticationRequiredError)
            << int(QNetworkReply::ProxyAuthenticationRequiredError) << u"password"_s;
    QTest::newRow("protocol") << int(QAbstractSocket::ProxyProtocolError)
                              << int(QNetworkReply::UnknownProxyError) << u"tunnel"_s;
}

void tst_ProxySettings::errorsNameTheProxy()
{
    QFETCH(int, socketError);
    QFETCH(int, replyError);
    QFETCH(QString, says);
    const QNetworkProxy proxy(QNetworkProxy::Socks5Proxy, u"10.1.2.3"_s, 1080, User, Password);
    for (const QString &text :
         {ProxySettings::socketError(QAbstractSocket::SocketError(socketError), proxy),
          ProxySettings::replyError(QNetworkReply::NetworkError(replyError), proxy)}) {
        QVERIFY2(text.startsWith(u"the SOCKS5 proxy 10.1.2.3:1080 "_s), qPrintable(text));
        QVERIFY2(text.contains(says), qPrintable(text));
        QVERIFY(!text.contains(Password) && !text.contains(User));
    }
    // Errors that are not the proxy's are left to the caller's usual wording.
    QVERIFY(ProxySettings::socketError(QAbstractSocket::ConnectionRefusedError, proxy).isEmpty());
    QVERIFY(ProxySettings::replyError(QNetworkReply::ConnectionRefusedError, proxy).isEmpty());
}

void tst_ProxySettings::gatewayAndDiscoveryGoThroughTheProxy_data()
{
    QTest::addColumn<LoopbackProxy::Kind>("kind");
    QTest::addColumn<bool>("withPassword");
    QTest::newRow("tinyproxy, HTTP CONNECT") << Kind::Http << false;
    QTest::newRow("microsocks, SOCKS5") << Kind::Socks5 << false;
    QTest::newRow("microsocks, SOCKS5 with user and password") << Kind::Socks5 << true;
}

void tst_ProxySettings::gatewayAndDiscoveryGoThroughTheProxy()
{
    QFETCH(LoopbackProxy::Kind, kind);
    QFETCH(bool, withPassword);
    if (const QString missing = LoopbackProxy::missing(kind); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    LoopbackProxy proxy(kind);
    QVERIFY(withPassword ? proxy.start(User, Password) : proxy.start());
    auto server = startEmulator();

    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    config.apiUrl = server->apiUrl(); // no gateway URL: discovery first, then the socket
    QString error;
    const auto settings = ProxySettings::parse(
            proxy.url(withPassword ? User + u':' + Password : QString()), &error);
    QVERIFY2(settings, qPrintable(error));
    config.proxy = *settings;
    GatewayClient client;
    client.setConfig(config);
    QSignalSpy discovered(&client, &GatewayClient::discoveryFinished);
    QSignalSpy errors(&client, &GatewayClient::connectionError);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), GatewayClient::State::Ready, 30000);
    QCOMPARE(discovered.size(), 1);
    QCOMPARE(errors.size(), 0);

    // The proxy's own log: the discovery request and the WebSocket tunnel went through it.
    const quint16 port = server->port();
    if (kind == Kind::Http) {
        QTRY_COMPARE_WITH_TIMEOUT(proxy.requestsTo(port, "/api/v10/gateway/bot"), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(proxy.tunnelsTo(port), 1, 10000);
    } else {
        // One tunnel for the discovery's HTTP request, one for the WebSocket.
        QTRY_COMPARE_WITH_TIMEOUT(proxy.tunnelsTo(port), 2, 10000);
    }
    QVERIFY(!proxy.log().contains(Token.toUtf8()) || kind == Kind::Http);
    client.close();
}

void tst_ProxySettings::refusedProxyIsNamed_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<bool>("discovery");
    QTest::newRow("http, gateway") << u"http"_s << false;
    QTest::newRow("http, discovery") << u"http"_s << true;
    QTest::newRow("socks5, gateway") << u"socks5"_s << false;
    QTest::newRow("socks5, discovery") << u"socks5"_s << true;
}

void tst_ProxySettings::refusedProxyIsNamed()
{
    QFETCH(QString, scheme);
    QFETCH(bool, discovery);
    auto server = startEmulator();
    const quint16 closed = LoopbackProxy::closedPort();
    const QString credentials = scheme == "socks5"_L1 ? User + u':' + Password + u'@' : QString();
    QString error;
    const auto settings = ProxySettings::parse(
            scheme + u"://"_s + credentials + u"127.0.0.1:"_s + QString::number(closed), &error);
    QVERIFY2(settings, qPrintable(error));

    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    config.proxy = *settings;
    if (discovery)
        config.apiUrl = server->apiUrl();
    else
        config.gatewayUrl = server->gatewayUrl();
    const QString message = firstConnectionError(config);
    const QString kind = scheme == "socks5"_L1 ? u"SOCKS5"_s : u"HTTP"_s;
    QVERIFY2(message.contains(u"the %1 proxy 127.0.0.1:%2 "_s.arg(kind).arg(closed)),
             qPrintable(message));
    QVERIFY2(message.contains(u"refused"_s), qPrintable(message));
    QVERIFY(!message.contains(Password));
    QVERIFY(!message.contains(QString::number(server->port())));
}

void tst_ProxySettings::wrongSocksPasswordIsNamed()
{
    if (const QString missing = LoopbackProxy::missing(Kind::Socks5); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    LoopbackProxy proxy(Kind::Socks5);
    QVERIFY(proxy.start(User, Password));
    auto server = startEmulator();
    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    config.gatewayUrl = server->gatewayUrl();
    QString error;
    const auto settings = ProxySettings::parse(proxy.url(User + u":wrong-password"_s), &error);
    QVERIFY(settings);
    config.proxy = *settings;
    const QString message = firstConnectionError(config);
    QVERIFY2(message.contains(u"the SOCKS5 proxy 127.0.0.1:%1 "_s.arg(proxy.port())),
             qPrintable(message));
    QVERIFY(!message.contains(u"wrong-password"_s));
}

QTEST_GUILESS_MAIN(tst_ProxySettings)
#include "tst_proxysettings.moc"
