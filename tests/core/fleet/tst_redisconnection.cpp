#include "core/fleet/redisconnection.h"
#include "core/fleet/respwriter.h"

#include "redisserver.h"
#include "redistestclient.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_RedisConnection : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void endpointParsing_data();
    void endpointParsing();
    void replyTypes();
    void pipelinedRepliesComeInOrder();
    void encodedPipelineGetsEveryReplyInOrder();
    void authenticates();
    void wrongPasswordIsReported();
    void outageAnswersOwedRepliesAndReconnects();
    void tlsWithASelfSignedCertificate();
};

namespace {
RedisEndpoint endpointOf(const RedisServer &server)
{
    QString error;
    std::optional<RedisEndpoint> endpoint = RedisEndpoint::parse(server.url(), &error);
    if (!endpoint)
        qFatal("%s", qPrintable(error));
    return *endpoint;
}
} // namespace

void tst_RedisConnection::init()
{
    if (!RedisServer::available() && QByteArray(QTest::currentTestFunction()) != "endpointParsing")
        QSKIP(qPrintable(RedisServer::skipReason()));
}

void tst_RedisConnection::endpointParsing_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("plain") << u"redis://h:7000"_s << true << u"h"_s << 7000 << false
                           << u"gatescope"_s << QString();
    QTest::newRow("prefix") << u"redis://h/fleet1"_s << true << u"h"_s << 6379 << false
                            << u"fleet1"_s << QString();
    QTest::newRow("tls") << u"rediss://10.0.0.1:6380/p"_s << true << u"10.0.0.1"_s << 6380 << true
                         << u"p"_s << QString();
    QTest::newRow("password") << u"redis://:secret@h:7000"_s << false << QString() << 0 << false
                              << QString() << u"--redis-password-file"_s;
    QTest::newRow("user") << u"redis://u@h"_s << false << QString() << 0 << false << QString()
                          << u"password"_s;
    QTest::newRow("scheme") << u"http://h"_s << false << QString() << 0 << false << QString()
                            << u"redis://"_s;
    QTest::newRow("bad prefix") << u"redis://h/a b"_s << false << QString() << 0 << false
                                << QString() << u"prefix"_s;
    QTest::newRow("query") << u"redis://h/p?x=1"_s << false << QString() << 0 << false << QString()
                           << u"query"_s;
}

void tst_RedisConnection::endpointParsing()
{
    QFETCH(QString, url);
    QFETCH(bool, valid);
    QString error;
    const std::optional<RedisEndpoint> endpoint = RedisEndpoint::parse(url, &error);
    QCOMPARE(endpoint.has_value(), valid);
    if (!valid) {
        QFETCH(QString, errorPart);
        QVERIFY2(error.contains(errorPart), qPrintable(error));
        QVERIFY(!error.contains("secret"_L1));
        return;
    }
    QTEST(endpoint->host, "host");
    QTEST(int(endpoint->port), "port");
    QTEST(endpoint->tls, "tls");
    QTEST(endpoint->prefix, "prefix");
}

void tst_RedisConnection::replyTypes()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisTestClient client(endpointOf(server));
    QVERIFY(client.open());
    QCOMPARE(client.command({"SET", "k", QByteArray("v\0w", 3)}).string, "OK");
    const RedisReply value = client.command({"GET", "k"});
    QCOMPARE(value.type, RedisReply::Type::String);
    QCOMPARE(value.string, QByteArray("v\0w", 3));
    QVERIFY(client.command({"GET", "missing"}).isNil());
    const RedisReply count = client.command({"INCR", "n"});
    QCOMPARE(count.type, RedisReply::Type::Integer);
    QCOMPARE(count.integer, 1);
    const RedisReply error = client.command({"INCR", "k"});
    QVERIFY(error.isError());
    QVERIFY(!error.lost());
    client.command({"RPUSH", "l", "a", "b"});
    const RedisReply list = client.command({"LRANGE", "l", "0", "-1"});
    QCOMPARE(list.type, RedisReply::Type::Array);
    QCOMPARE(list.elements.size(), 2);
    QCOMPARE(list.elements.at(1).string, "b");
}

void tst_RedisConnection::pipelinedRepliesComeInOrder()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisTestClient client(endpointOf(server));
    QVERIFY(client.open());
    constexpr int Count = 20000;
    QList<qint64> seen;
    for (int i = 0; i < Count; ++i)
        client.connection().send({"INCR", "counter"},
                                 [&seen](const RedisReply &reply) { seen.append(reply.integer); });
    // All were written before the first reply could be read: one pipeline.
    QCOMPARE(client.connection().pendingReplies(), Count);
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), Count, 60000);
    for (int i = 0; i < Count; ++i)
        QCOMPARE(seen.at(i), i + 1);
}

void tst_RedisConnection::encodedPipelineGetsEveryReplyInOrder()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisTestClient client(endpointOf(server));
    QVERIFY(client.open());
    // More than one slice of replies for hiredis' reader (4 KiB), and an error among them.
    constexpr int Count = 5000;
    QByteArray commands;
    RespWriter writer(&commands);
    for (int i = 0; i < Count; ++i) {
        if (i == 1234)
            writer.command(2).argument("NOSUCHCOMMAND").argument("x");
        else
            writer.command(2).argument("INCR").argument("counter");
    }
    QList<RedisReply> seen;
    client.connection().send({"PING"_ba});
    client.connection().sendPipeline(commands, Count,
                                     [&seen](const RedisReply &reply) { seen.append(reply); });
    QCOMPARE(client.connection().pendingReplies(), Count + 1);
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), Count, 60000);
    for (int i = 0; i < Count; ++i) {
        if (i == 1234) {
            QVERIFY(seen.at(i).isError());
            QVERIFY(!seen.at(i).lost());
        } else {
            QCOMPARE(seen.at(i).integer, i < 1234 ? i + 1 : i);
        }
    }
    QCOMPARE(client.connection().pendingReplies(), 0);

    // Not connected: each of the commands is answered as lost, at once.
    client.connection().close();
    int lost = 0;
    client.connection().sendPipeline(
            commands, 3, [&lost](const RedisReply &reply) { lost += reply.lost() ? 1 : 0; });
    QCOMPARE(lost, 3);
}

void tst_RedisConnection::authenticates()
{
    RedisServer server;
    server.setPassword("s3cret-pass");
    QVERIFY(server.start());
    RedisEndpoint endpoint = endpointOf(server);
    endpoint.password = "s3cret-pass";
    RedisTestClient client(endpoint);
    QVERIFY(client.open());
    QCOMPARE(client.command({"PING"}).string, "PONG");
}

void tst_RedisConnection::wrongPasswordIsReported()
{
    RedisServer server;
    server.setPassword("right");
    QVERIFY(server.start());
    RedisEndpoint endpoint = endpointOf(server);
    endpoint.password = "wrong";
    RedisConnection connection(endpoint);
    QSignalSpy down(&connection, &RedisConnection::disconnected);
    QSignalSpy up(&connection, &RedisConnection::connected);
    connection.open();
    QVERIFY(down.wait(20000));
    QVERIFY2(down.first().first().toString().contains("AUTH refused"_L1),
             qPrintable(down.first().first().toString()));
    QCOMPARE(up.size(), 0);
    QVERIFY(!connection.isConnected());
}

void tst_RedisConnection::outageAnswersOwedRepliesAndReconnects()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisConnection connection(endpointOf(server));
    connection.setReconnectInterval(100);
    QSignalSpy up(&connection, &RedisConnection::connected);
    QSignalSpy down(&connection, &RedisConnection::disconnected);
    connection.open();
    QVERIFY(up.wait(20000));
    // BLOCK keeps a reply owed until the server goes.
    std::optional<RedisReply> owed;
    connection.send({"BLPOP", "never", "0"}, [&owed](const RedisReply &r) { owed = r; });
    server.stop();
    QTRY_VERIFY_WITH_TIMEOUT(owed.has_value(), 20000);
    QVERIFY(owed->lost());
    QCOMPARE(down.size(), 1);
    std::optional<RedisReply> refused;
    connection.send({"PING"}, [&refused](const RedisReply &r) { refused = r; });
    QVERIFY(refused && refused->lost());
    QVERIFY(server.start());
    QTRY_COMPARE_WITH_TIMEOUT(up.size(), 2, 30000);
    // Failed attempts while it was down are one outage, reported once.
    QCOMPARE(down.size(), 1);
    std::optional<RedisReply> pong;
    connection.send({"PING"}, [&pong](const RedisReply &r) { pong = r; });
    QTRY_VERIFY_WITH_TIMEOUT(pong.has_value(), 20000);
    QCOMPARE(pong->string, "PONG");
}

void tst_RedisConnection::tlsWithASelfSignedCertificate()
{
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (openssl.isEmpty())
        QSKIP("openssl is not installed: no certificate for the rediss:// test");
    QTemporaryDir dir;
    const QString cert = dir.filePath(u"cert.pem"_s);
    const QString key = dir.filePath(u"key.pem"_s);
    QProcess make;
    make.start(openssl, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s,
                         u"1"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s,
                         u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s, key, u"-out"_s, cert});
    QVERIFY(make.waitForFinished(60000));
    QCOMPARE(make.exitCode(), 0);
    RedisServer server;
    server.setTls(cert, key);
    server.setPassword("tls-pass");
    QVERIFY2(server.start(), server.output().constData());

    RedisEndpoint endpoint = endpointOf(server);
    QVERIFY(endpoint.tls);
    endpoint.password = "tls-pass";
    {
        // Not trusted: refused with the TLS error, never connected.
        RedisConnection untrusted(endpoint);
        QSignalSpy down(&untrusted, &RedisConnection::disconnected);
        untrusted.open();
        QVERIFY(down.wait(20000));
        QVERIFY2(down.first().first().toString().startsWith("TLS"_L1),
                 qPrintable(down.first().first().toString()));
        QVERIFY(!untrusted.isConnected());
    }
    QFile pem(cert);
    QVERIFY(pem.open(QIODevice::ReadOnly));
    endpoint.caCertificates = QSslCertificate::fromData(pem.readAll());
    RedisTestClient client(endpoint);
    QVERIFY(client.open());
    QCOMPARE(client.command({"PING"}).string, "PONG");
    QCOMPARE(client.command({"SET", "over-tls", "yes"}).string, "OK");
}

QTEST_GUILESS_MAIN(tst_RedisConnection)
#include "tst_redisconnection.moc"
