#include "core/metrics/metricsregistry.h"
#include "core/metrics/metricsserver.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;

/// MetricsServer over a real loopback socket, asked by QNetworkAccessManager.
class tst_MetricsServer : public QObject
{
    Q_OBJECT

private slots:
    void parsesListenAddresses_data();
    void parsesListenAddresses();
    void servesMetricsOnGet();
    void otherPathsAre404_data();
    void otherPathsAre404();
    void otherMethodsAre405_data();
    void otherMethodsAre405();
    void portInUseIsAnError();

private:
    struct Reply
    {
        int status = 0;
        QByteArray contentType;
        QByteArray body;
        QByteArray allow;
    };
    Reply request(const QByteArray &method, const QString &url);
};

tst_MetricsServer::Reply tst_MetricsServer::request(const QByteArray &method, const QString &url)
{
    QNetworkAccessManager manager;
    QNetworkRequest request{QUrl(url)};
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    std::unique_ptr<QNetworkReply> reply(manager.sendCustomRequest(request, method));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(30000))
        return {};
    return Reply{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                 reply->header(QNetworkRequest::ContentTypeHeader).toByteArray(), reply->readAll(),
                 reply->rawHeader("Allow")};
}

void tst_MetricsServer::parsesListenAddresses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("address"); ///< empty: refused
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("error"); ///< part of the message when refused
    QTest::newRow("ipv4 loopback") << u"127.0.0.1:9464"_s << u"127.0.0.1"_s << 9464 << QString();
    QTest::newRow("any port") << u"127.0.0.1:0"_s << u"127.0.0.1"_s << 0 << QString();
    QTest::newRow("localhost") << u"localhost:9464"_s << u"127.0.0.1"_s << 9464 << QString();
    QTest::newRow("ipv6") << u"[::1]:9464"_s << u"::1"_s << 9464 << QString();
    QTest::newRow("all ipv4") << u"0.0.0.0:80"_s << u"0.0.0.0"_s << 80 << QString();
    QTest::newRow("max port") << u"127.0.0.1:65535"_s << u"127.0.0.1"_s << 65535 << QString();
    QTest::newRow("port too big") << u"127.0.0.1:65536"_s << QString() << 0 << u"port"_s;
    QTest::newRow("negative port") << u"127.0.0.1:-1"_s << QString() << 0 << u"port"_s;
    QTest::newRow("plus port") << u"127.0.0.1:+80"_s << QString() << 0 << u"port"_s;
    QTest::newRow("no port") << u"127.0.0.1:"_s << QString() << 0 << u"port"_s;
    QTest::newRow("word port") << u"127.0.0.1:http"_s << QString() << 0 << u"port"_s;
    QTest::newRow("no colon") << u"9464"_s << QString() << 0 << u"ADDR:PORT"_s;
    QTest::newRow("empty") << QString() << QString() << 0 << u"ADDR:PORT"_s;
    QTest::newRow("no address") << u":9464"_s << QString() << 0 << u"address"_s;
    QTest::newRow("host name") << u"example.com:9464"_s << QString() << 0 << u"address"_s;
    QTest::newRow("bad ipv4") << u"127.0.0.256:9464"_s << QString() << 0 << u"address"_s;
    QTest::newRow("ipv6 unbracketed") << u"::1:9464"_s << QString() << 0 << u"address"_s;
    QTest::newRow("ipv4 bracketed") << u"[127.0.0.1]:9464"_s << QString() << 0 << u"address"_s;
}

void tst_MetricsServer::parsesListenAddresses()
{
    QFETCH(QString, text);
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(QString, error);
    QString message;
    const std::optional<MetricsServer::ListenAddress> parsed
            = MetricsServer::parseListenAddress(text, &message);
    if (address.isEmpty()) {
        QVERIFY(!parsed);
        QVERIFY2(message.contains(error), qPrintable(message));
        return;
    }
    QVERIFY2(parsed, qPrintable(message));
    QCOMPARE(parsed->address, QHostAddress(address));
    QCOMPARE(parsed->port, quint16(port));
}

void tst_MetricsServer::servesMetricsOnGet()
{
    MetricsRegistry registry;
    int scrapes = 0;
    registry.addProvider([&scrapes](MetricsSnapshot &s) {
        ++scrapes;
        s.addCounter(u"gatescope_test_total"_s, u"Scrapes seen"_s, scrapes);
    });
    MetricsServer server(&registry);
    QString error;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY(server.serverPort() != 0);
    QCOMPARE(server.url(), u"http://127.0.0.1:%1/metrics"_s.arg(server.serverPort()));
    for (int expected = 1; expected <= 2; ++expected) {
        // Each scrape collects again.
        const Reply reply = request("GET", server.url());
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.contentType, QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QCOMPARE(reply.body, "# HELP gatescope_test_total Scrapes seen\n"
                             "# TYPE gatescope_test_total counter\n"
                             "gatescope_test_total "
                                     + QByteArray::number(expected) + "\n");
    }
    // A query string does not change the path.
    QCOMPARE(request("GET", server.url() + u"?x=1"_s).status, 200);
    QCOMPARE(server.scrapes(), 3);
}

void tst_MetricsServer::otherPathsAre404_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("root") << u"/"_s;
    QTest::newRow("metrics/") << u"/metrics/"_s;
    QTest::newRow("longer") << u"/metricsx"_s;
    QTest::newRow("below") << u"/metrics/extra"_s;
    QTest::newRow("other") << u"/favicon.ico"_s;
}

void tst_MetricsServer::otherPathsAre404()
{
    QFETCH(QString, path);
    MetricsRegistry registry;
    MetricsServer server(&registry);
    QString error;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    const Reply reply
            = request("GET", u"http://127.0.0.1:%1%2"_s.arg(server.serverPort()).arg(path));
    QCOMPARE(reply.status, 404);
    QCOMPARE(server.scrapes(), 0);
}

void tst_MetricsServer::otherMethodsAre405_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::newRow("POST") << QByteArray("POST");
    QTest::newRow("PUT") << QByteArray("PUT");
    QTest::newRow("DELETE") << QByteArray("DELETE");
}

void tst_MetricsServer::otherMethodsAre405()
{
    QFETCH(QByteArray, method);
    MetricsRegistry registry;
    int calls = 0;
    registry.addProvider([&calls](MetricsSnapshot &) { ++calls; });
    MetricsServer server(&registry);
    QString error;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    const Reply reply = request(method, server.url());
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.allow, QByteArray("GET"));
    QCOMPARE(calls, 0);
}

void tst_MetricsServer::portInUseIsAnError()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    MetricsRegistry registry;
    MetricsServer server(&registry);
    QString error;
    QVERIFY(!server.listen(QHostAddress::LocalHost, taken.serverPort(), &error));
    QVERIFY2(error.contains(u"in use"_s, Qt::CaseInsensitive), qPrintable(error));
    QVERIFY(!server.isListening());
    QCOMPARE(server.serverPort(), 0);
    QVERIFY(server.url().isEmpty());
}

QTEST_GUILESS_MAIN(tst_MetricsServer)
#include "tst_metricsserver.moc"
