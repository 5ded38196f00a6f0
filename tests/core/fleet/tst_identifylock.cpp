#include "core/fleet/identifylock.h"
#include "core/gateway/gatewayclient.h"
#include "emulator/emulatorserver.h"
#include "emulator/fault.h"
#include "fastgatewayconfig.h"
#include "redisserver.h"
#include "redistestclient.h"

#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

/// The fleet's identify lock (issue 14 item 3) and the client's identify gate behind it.
class tst_IdentifyLock : public QObject
{
    Q_OBJECT

private slots:
    void applicationKeyNeverHoldsTheToken();
    void gateHoldsIdentifyButNotResume();
    void secondCollectorWaitsForTheLock();
    void bucketsAreIndependent();
};

void tst_IdentifyLock::applicationKeyNeverHoldsTheToken()
{
    // A Discord token starts with the application id in base64.
    QCOMPARE(IdentifyLock::applicationKeyOf(u"MTIzNDU2Nzg5MDEyMzQ1Njc4.GxYz12.abcdefgh"_s),
             u"123456789012345678"_s);
    const QString emulatorToken = u"test-token-with-no-id"_s;
    const QString key = IdentifyLock::applicationKeyOf(emulatorToken);
    QCOMPARE(key.size(), 17);
    QVERIFY(key.startsWith(u'h'));
    QVERIFY(!key.contains(u"token"_s));
    QCOMPARE(IdentifyLock::applicationKeyOf(emulatorToken), key); // stable across collectors
}

void tst_IdentifyLock::gateHoldsIdentifyButNotResume()
{
    Emulator::ServerConfig serverConfig;
    serverConfig.heartbeatIntervalMs = 1000;
    Emulator::EmulatorServer server(serverConfig);
    QVERIFY(server.start());
    GatewayConfig config = fastGatewayConfig();
    config.token = BotToken(u"test-token"_s);
    config.gatewayUrl = server.gatewayUrl();
    QList<std::function<void()>> waiting;
    config.identifyGate = [&waiting](int shardId, std::function<void()> proceed) {
        QCOMPARE(shardId, -1);
        waiting.append(std::move(proceed));
    };
    GatewayClient client;
    client.setConfig(config);
    QSignalSpy identified(&server, &Emulator::EmulatorServer::clientIdentified);
    QSignalSpy resumed(&server, &Emulator::EmulatorServer::clientResumed);
    QSignalSpy started(&client, &GatewayClient::heartbeatStarted);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(waiting.size(), 1, 20000);
    // Hello arrived and the gate was asked; nothing leaves until it opens. A heartbeat's ACK
    // proves the connection is served meanwhile.
    QSignalSpy latency(&client, &GatewayClient::latencyChanged);
    QVERIFY(latency.wait(20000));
    QCOMPARE(identified.size(), 0);
    QCOMPARE(client.state(), GatewayClient::State::Identifying);
    waiting.first()();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), GatewayClient::State::Ready, 20000);
    QCOMPARE(identified.size(), 1);

    // op 7: the client resumes without asking the gate.
    server.injectNow(Emulator::Fault::make(Emulator::Fault::Kind::Reconnect));
    QVERIFY(resumed.wait(20000));
    QCOMPARE(waiting.size(), 1);
    QCOMPARE(identified.size(), 1);
    // A late call of an old `proceed` does nothing.
    waiting.first()();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), GatewayClient::State::Ready, 20000);
    QCOMPARE(identified.size(), 1);
    client.close();
}

void tst_IdentifyLock::secondCollectorWaitsForTheLock()
{
    if (!RedisServer::available())
        QSKIP(qPrintable(RedisServer::skipReason()));
    RedisServer redis;
    QVERIFY(redis.start());
    const RedisEndpoint endpoint = *RedisEndpoint::parse(redis.url(u"lk"_s), nullptr);
    IdentifyLock first(endpoint, u"c1"_s, u"42"_s);
    IdentifyLock second(endpoint, u"c2"_s, u"42"_s);
    QSignalSpy firstUp(first.connection(), &RedisConnection::connected);
    QSignalSpy secondUp(second.connection(), &RedisConnection::connected);
    first.open();
    second.open();
    QVERIFY(firstUp.wait(20000));
    QVERIFY(second.connection()->isConnected() || secondUp.wait(20000));
    RedisTestClient probe(endpoint);
    QVERIFY(probe.open());

    bool firstProceeded = false;
    first.acquire(0, [&] { firstProceeded = true; });
    QTRY_VERIFY_WITH_TIMEOUT(firstProceeded, 20000);
    QCOMPARE(probe.command({"GET", "lk:identify:42:0"}).string, "c1");
    const qint64 ttl = probe.command({"PTTL", "lk:identify:42:0"}).integer;
    // 5 s after the Identify leaves, plus the margin: never less than 5 s from now.
    QCOMPARE_GT(ttl, 5000);
    QCOMPARE_LE(ttl, 5000 + IdentifyLock::DefaultMarginMs);

    QSignalSpy waiting(&second, &IdentifyLock::waiting);
    bool secondProceeded = false;
    bool heldWhenSecondProceeded = true;
    second.acquire(1, [&] {
        secondProceeded = true;
        // The first lock has expired by now: the second collector holds the bucket.
        heldWhenSecondProceeded = false;
    });
    QVERIFY(waiting.wait(20000));
    QCOMPARE(waiting.first().at(1).toString(), u"c1"_s);
    QVERIFY(!secondProceeded);
    QTRY_VERIFY_WITH_TIMEOUT(secondProceeded, 30000);
    QVERIFY(!heldWhenSecondProceeded);
    QCOMPARE(probe.command({"GET", "lk:identify:42:0"}).string, "c2");
    QTRY_COMPARE_WITH_TIMEOUT(second.identifiesToday(), 2, 20000);
    const QByteArray day = "lk:identifies:42:"
                           + QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd"_s).toLatin1();
    QCOMPARE(probe.command({"GET", day}).string, "2");
    QCOMPARE_GT(probe.command({"TTL", day}).integer, 86400);
}

void tst_IdentifyLock::bucketsAreIndependent()
{
    if (!RedisServer::available())
        QSKIP(qPrintable(RedisServer::skipReason()));
    RedisServer redis;
    QVERIFY(redis.start());
    const RedisEndpoint endpoint = *RedisEndpoint::parse(redis.url(u"lk"_s), nullptr);
    IdentifyLock lock(endpoint, u"c1"_s, u"42"_s);
    lock.setMaxConcurrency(2);
    QSignalSpy up(lock.connection(), &RedisConnection::connected);
    lock.open();
    QVERIFY(up.wait(20000));
    QSignalSpy waiting(&lock, &IdentifyLock::waiting);
    int proceeded = 0;
    lock.acquire(0, [&] { ++proceeded; });
    lock.acquire(1, [&] { ++proceeded; });
    QTRY_COMPARE_WITH_TIMEOUT(proceeded, 2, 20000);
    QCOMPARE(waiting.size(), 0);
    // Shard 2 shares shard 0's bucket.
    lock.acquire(2, [&] { ++proceeded; });
    QVERIFY(waiting.wait(20000));
    QCOMPARE(proceeded, 2);
}

QTEST_GUILESS_MAIN(tst_IdentifyLock)
#include "tst_identifylock.moc"
