#include "core/gateway/snowflake.h"
#include "emulator/emulatorserver.h"
#include "rawclient.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Gatescope;
using namespace Gatescope::Emulator;

namespace {

ServerConfig fastConfig()
{
    ServerConfig config;
    config.heartbeatIntervalMs = 1000;
    config.heartbeatGraceMs = 1000;
    config.traffic.guildCount = 3;
    return config;
}

std::unique_ptr<EmulatorServer> startServer(const ServerConfig &config = fastConfig())
{
    auto server = std::make_unique<EmulatorServer>(config);
    QString error;
    if (!server->start(&error))
        qFatal("cannot start the emulator: %s", qPrintable(error));
    return server;
}

QString seqKey()
{
    return u"s"_s;
}

/// True if a dispatch sent now reaches @p client on a connection that is still open. Whatever
/// the server wrote to it before (a close, an ACK, op 7) has then been read, so a test that
/// advanced the clock can check that a deadline or a delay has not fired yet.
bool sentinelArrives(EmulatorServer &server, RawClient &client)
{
    const int before = client.countDispatch(u"SENTINEL"_s);
    server.emitDispatch(u"SENTINEL"_s, {});
    return QTest::qWaitFor(
                   [&] {
                       return client.disconnected || client.countDispatch(u"SENTINEL"_s) > before;
                   },
                   5000)
           && !client.disconnected;
}

/// Opens @p client on the gateway URL and identifies; returns the new session's id, empty if
/// it was not identified in time.
QString identifyNewSession(EmulatorServer &server, RawClient &client)
{
    QSignalSpy identified(&server, &EmulatorServer::clientIdentified);
    if (!client.openAndWait(server.gatewayUrl()))
        return {};
    client.identify();
    if (!identified.wait(5000))
        return {};
    return identified.first().at(1).toString();
}

/// Opens @p client on the resume URL and resumes @p sessionId from @p seq; checks that the
/// answer is RESUMED (@p resumable) or op 9 with d false. Callers that go on check
/// QTest::currentTestFailed() after it.
void resumeAndExpect(EmulatorServer &server, RawClient &client, const QString &sessionId,
                     qint64 seq, bool resumable)
{
    QVERIFY(client.openAndWait(server.resumeGatewayUrl()));
    client.resume(sessionId, seq);
    if (resumable) {
        QVERIFY(client.waitForDispatch(u"RESUMED"_s));
    } else {
        QVERIFY(client.waitForOp(9));
        QCOMPARE(client.payloads.last().value("d"_L1), QJsonValue(false));
    }
}

const QByteArray Heartbeat = "{\"op\":1,\"d\":null}";

} // namespace

class tst_EmulatorServer : public QObject
{
    Q_OBJECT

private slots:
    void helloFirstWithIntervalAndTrace();
    void heartbeatIsAcked();
    void closeCodes_data();
    void closeCodes();
    void binaryFrameFromClientIs4002();
    void rateLimitAllows120PerWindow();
    void heartbeatTimeoutCloses();
    void identifyBucketBreachGetsInvalidSession();
    void readyAndGuildCreateShape();
    void noGuildCreateWithoutGuildsIntent();
    void generatedTrafficIsSequenced();
    void resumeReplaysWithOriginalSequence();
    void resumeUnknownSessionGetsInvalidSession();
    void resumeSeqAheadIs4007();
    void resumeOlderThanBufferGetsInvalidSession();
    void clientCloseCodeDecidesSession_data();
    void clientCloseCodeDecidesSession();
    void serverCloseCodeDecidesSession_data();
    void serverCloseCodeDecidesSession();
    void replayBufferIsBoundedInBytes();
    void resumableCloseKeepsSessionWhenWritesFail();
    void zlibStreamInflatesWithPlainZlib_data();
    void zlibStreamInflatesWithPlainZlib();
    void httpDiscovery();
    void resumeUrlDiffersAndCanBeDown();
    void injectedFaults_data();
    void injectedFaults();
    void ackDelayAndStopAcks();
    void slowWritePacesOutput();
    void scheduledFaults();
    void messageLimitStopsGeneration();
    void rateTimerGeneratesOnlyWithSessions();
    void trafficWaitsForAClientThatStopsReading();
    void shardRouting();
    void opsAfterAuth_data();
    void opsAfterAuth();
    void authTimeoutIs4003();
    void noSessionStartsLeftGetsInvalidSession();
    void resumeTakesOverAnAttachedSession();
    void deliveriesRecordLiveAndReplayedMessages();
    void reconnectFaultClosesIfClientStays();
    void deterministicBySeed();
};

void tst_EmulatorServer::helloFirstWithIntervalAndTrace()
{
    auto server = startServer();
    QSignalSpy connected(server.get(), &EmulatorServer::clientConnected);
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    QVERIFY(client.waitForOp(10));
    const QJsonObject hello = client.payloads.first();
    QCOMPARE(hello.value("op"_L1).toInt(), 10);
    QCOMPARE(hello.value("d"_L1).toObject().value("heartbeat_interval"_L1).toInt(), 1000);
    QVERIFY(hello.value("d"_L1).toObject().value("_trace"_L1).isArray());
    QVERIFY(client.textMessages.first().startsWith("{\"t\":null,\"s\":null,\"op\":10,\"d\":"));
    QCOMPARE(connected.size(), 1);
    QCOMPARE(connected.first().at(1).toUrl().query(), u"v=10&encoding=json"_s);
}

void tst_EmulatorServer::heartbeatIsAcked()
{
    auto server = startServer();
    QSignalSpy received(server.get(), &EmulatorServer::payloadReceived);
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.send("{\"op\":1,\"d\":null}");
    QVERIFY(client.waitForOp(11));
    QCOMPARE(client.textMessages.last(), "{\"t\":null,\"s\":null,\"op\":11,\"d\":null}"_ba);
    QVERIFY(!client.disconnected);
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.first().at(1).toByteArray(), "{\"op\":1,\"d\":null}"_ba);
}

void tst_EmulatorServer::closeCodes_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QByteArrayList>("payloads");
    QTest::addColumn<int>("repeatLast");
    QTest::addColumn<quint32>("granted");
    QTest::addColumn<int>("maxGuilds");
    QTest::addColumn<int>("expected");

    const QString ok = u"v=10&encoding=json"_s;
    const QByteArray props = "\"properties\":{\"os\":\"l\",\"browser\":\"b\",\"device\":\"d\"}";
    const auto identify = [&](const QByteArray &token, const QByteArray &intents,
                              const QByteArray &extra = {}) {
        return "{\"op\":2,\"d\":{\"token\":\"" + token + "\",\"intents\":" + intents + "," + props
               + extra + "}}";
    };
    const QByteArray good = identify("test-token", "513");
    const quint32 all = Intents::Privileged;

    QTest::newRow("4001 unknown op")
            << ok << QByteArrayList{"{\"op\":99,\"d\":null}"} << 1 << all << 2500 << 4001;
    QTest::newRow("4001 server op from client")
            << ok << QByteArrayList{"{\"op\":11,\"d\":null}"} << 1 << all << 2500 << 4001;
    QTest::newRow("4001 identify without intents")
            << ok << QByteArrayList{"{\"op\":2,\"d\":{\"token\":\"test-token\"," + props + "}}"}
            << 1 << all << 2500 << 4001;
    QTest::newRow("4001 heartbeat with a string")
            << ok << QByteArrayList{"{\"op\":1,\"d\":\"x\"}"} << 1 << all << 2500 << 4001;
    QTest::newRow("4002 bad JSON")
            << ok << QByteArrayList{"{\"op\":1,"} << 1 << all << 2500 << 4002;
    QTest::newRow("4002 not an object")
            << ok << QByteArrayList{"[1,2,3]"} << 1 << all << 2500 << 4002;
    QTest::newRow("4002 oversized")
            << ok
            << QByteArrayList{identify("test-token", "513",
                                       ",\"pad\":\"" + QByteArray(4100, 'x') + "\"")}
            << 1 << all << 2500 << 4002;
    QTest::newRow("4003 presence before identify")
            << ok
            << QByteArrayList{"{\"op\":3,\"d\":{\"since\":null,\"activities\":[],\"status\":"
                              "\"online\",\"afk\":false}}"}
            << 1 << all << 2500 << 4003;
    QTest::newRow("4004 bad token")
            << ok << QByteArrayList{identify("wrong", "513")} << 1 << all << 2500 << 4004;
    QTest::newRow("4005 second identify")
            << ok << QByteArrayList{good, good} << 1 << all << 2500 << 4005;
    QTest::newRow("4005 resume after identify")
            << ok
            << QByteArrayList{good, "{\"op\":6,\"d\":{\"token\":\"test-token\",\"session_id\":"
                                    "\"x\",\"seq\":1}}"}
            << 1 << all << 2500 << 4005;
    QTest::newRow("4008 rate limit")
            << ok << QByteArrayList{"{\"op\":1,\"d\":null}"} << 121 << all << 2500 << 4008;
    QTest::newRow("4010 shard id >= count")
            << ok << QByteArrayList{identify("test-token", "513", ",\"shard\":[1,1]")} << 1 << all
            << 2500 << 4010;
    QTest::newRow("4010 malformed shard")
            << ok << QByteArrayList{identify("test-token", "513", ",\"shard\":[\"0\"]")} << 1 << all
            << 2500 << 4010;
    QTest::newRow("4011 too many guilds") << ok << QByteArrayList{good} << 1 << all << 2 << 4011;
    QTest::newRow("4012 v=9") << u"v=9&encoding=json"_s << QByteArrayList{} << 0 << all << 2500
                              << 4012;
    QTest::newRow("4012 no v") << u"encoding=json"_s << QByteArrayList{} << 0 << all << 2500
                               << 4012;
    QTest::newRow("1003 etf") << u"v=10&encoding=etf"_s << QByteArrayList{} << 0 << all << 2500
                              << 1003;
    QTest::newRow("1003 unknown compress") << u"v=10&encoding=json&compress=brotli"_s
                                           << QByteArrayList{} << 0 << all << 2500 << 1003;
    QTest::newRow("4013 undefined intent")
            << ok << QByteArrayList{identify("test-token", "1073741824")} << 1 << all << 2500
            << 4013;
    QTest::newRow("4014 message content not granted")
            << ok << QByteArrayList{identify("test-token", "33280")} << 1
            << quint32(Intents::GuildMembers) << 2500 << 4014;
}

void tst_EmulatorServer::closeCodes()
{
    QFETCH(QString, query);
    QFETCH(QByteArrayList, payloads);
    QFETCH(int, repeatLast);
    QFETCH(quint32, granted);
    QFETCH(int, maxGuilds);
    QFETCH(int, expected);

    ServerConfig config = fastConfig();
    config.privilegedGranted = granted;
    config.maxGuildsPerShard = maxGuilds;
    auto server = startServer(config);
    QSignalSpy closed(server.get(), &EmulatorServer::clientClosed);
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl(), query));
    QVERIFY(client.waitForOp(10));
    for (qsizetype i = 0; i < payloads.size(); ++i) {
        const int times = i == payloads.size() - 1 ? repeatLast : 1;
        for (int n = 0; n < times; ++n)
            client.send(payloads.at(i));
    }
    QVERIFY(client.waitForClose());
    QCOMPARE(client.closeCode, expected);
    QVERIFY(!client.closeReason.isEmpty());
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(closed.first().at(1).toInt(), expected);
    QCOMPARE(closed.first().at(2).toBool(), true);
}

void tst_EmulatorServer::binaryFrameFromClientIs4002()
{
    auto server = startServer();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.socket.sendBinaryMessage("{\"op\":1,\"d\":null}"_ba);
    QVERIFY(client.waitForClose());
    QCOMPARE(client.closeCode, 4002);
}

void tst_EmulatorServer::rateLimitAllows120PerWindow()
{
    ServerConfig config = fastConfig();
    config.rateLimitWindowMs = 1000;
    auto server = startServer(config);
    // The window is counted on the server's clock: a manual one, so no test time is waited.
    server->clock().useManualTime();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    for (int i = 0; i < 120; ++i)
        client.send("{\"op\":1,\"d\":null}");
    QVERIFY(client.waitForOp(11, 120));
    QVERIFY(!client.disconnected);
    // The window slides: once it has passed, another 120 are allowed...
    server->clock().advance(config.rateLimitWindowMs);
    for (int i = 0; i < 120; ++i)
        client.send("{\"op\":1,\"d\":null}");
    QVERIFY(client.waitForOp(11, 240));
    QVERIFY(!client.disconnected);
    // ...but not one more inside it.
    client.send("{\"op\":1,\"d\":null}");
    QVERIFY(client.waitForClose());
    QCOMPARE(client.closeCode, 4008);
}

void tst_EmulatorServer::heartbeatTimeoutCloses()
{
    // interval + grace after Hello, and again after each heartbeat; READY does not reset it.
    const ServerConfig config = fastConfig();
    const int deadlineMs = config.heartbeatIntervalMs + config.heartbeatGraceMs;
    auto server = startServer(config);
    server->clock().useManualTime();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    server->clock().advance(deadlineMs - 1);
    QVERIFY(sentinelArrives(*server, client));

    client.send(Heartbeat);
    QVERIFY(client.waitForOp(11));
    server->clock().advance(deadlineMs - 1);
    QVERIFY(sentinelArrives(*server, client));
    server->clock().advance(1);
    QVERIFY(client.waitForClose());
    QCOMPARE(client.closeCode, 4009);
}

void tst_EmulatorServer::identifyBucketBreachGetsInvalidSession()
{
    ServerConfig config = fastConfig();
    config.identifyWindowMs = 300;
    auto server = startServer(config);
    server->clock().useManualTime();
    RawClient first;
    RawClient second;
    QVERIFY(first.openAndWait(server->gatewayUrl()));
    QVERIFY(second.openAndWait(server->gatewayUrl()));
    first.identify();
    QVERIFY(first.waitForDispatch(u"READY"_s));
    second.identify();
    QVERIFY(second.waitForOp(9));
    QCOMPARE(second.find([](const QJsonObject &p) {
                       return p.value("op"_L1).toInt() == 9;
                   }).value("d"_L1),
             QJsonValue(false));
    QVERIFY(!second.disconnected);
    // After the window the same connection may identify again (op 9 did not authenticate it).
    server->clock().advance(300);
    second.identify();
    QVERIFY(second.waitForDispatch(u"READY"_s));
}

void tst_EmulatorServer::readyAndGuildCreateShape()
{
    auto server = startServer();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify(37377, "test-token", ",\"shard\":[0,1]");
    QVERIFY(client.waitForDispatch(u"READY"_s));
    QTRY_COMPARE(client.countDispatch(u"GUILD_CREATE"_s), 3);
    const QJsonObject ready = client.dispatch(u"READY"_s);
    QCOMPARE(ready.value(seqKey()).toInt(), 1);
    const QJsonObject d = ready.value("d"_L1).toObject();
    QCOMPARE(d.value("v"_L1).toInt(), 10);
    QVERIFY(d.value("user"_L1).toObject().contains("id"_L1));
    QVERIFY(!d.value("session_id"_L1).toString().isEmpty());
    QCOMPARE(QUrl(d.value("resume_gateway_url"_L1).toString()), server->resumeGatewayUrl());
    QVERIFY(server->resumeGatewayUrl() != server->gatewayUrl());
    QCOMPARE(d.value("shard"_L1).toArray(), (QJsonArray{0, 1}));
    QVERIFY(d.value("application"_L1).toObject().contains("flags"_L1));
    QVERIFY(d.value("_trace"_L1).isArray());
    const QJsonArray guilds = d.value("guilds"_L1).toArray();
    QCOMPARE(guilds.size(), 3);
    for (const QJsonValue &guild : guilds)
        QCOMPARE(guild.toObject().value("unavailable"_L1), QJsonValue(true));
    qint64 expectedSeq = 2;
    for (const QJsonObject &payload : std::as_const(client.payloads)) {
        if (payload.value("t"_L1) != "GUILD_CREATE"_L1)
            continue;
        QCOMPARE(payload.value(seqKey()).toInteger(), expectedSeq++);
        const QJsonArray channels = payload.value("d"_L1).toObject().value("channels"_L1).toArray();
        QVERIFY(!channels.isEmpty());
        for (const QJsonValue &channel : channels)
            QVERIFY(!channel.toObject().contains("guild_id"_L1));
    }
    QCOMPARE(server->sessionCount(), 1);
    QCOMPARE(server->lastSequence(d.value("session_id"_L1).toString()), 4);
}

void tst_EmulatorServer::noGuildCreateWithoutGuildsIntent()
{
    auto server = startServer();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify(512, "test-token"); // GUILD_MESSAGES only
    QVERIFY(client.waitForDispatch(u"READY"_s));
    const QJsonObject d = client.dispatch(u"READY"_s).value("d"_L1).toObject();
    QCOMPARE(d.value("guilds"_L1).toArray().size(), 3); // still listed, as unavailable stubs
    // GUILD_CREATE is queued together with READY, so nothing after READY means none was sent.
    QCOMPARE(server->lastSequence(d.value("session_id"_L1).toString()), 1);
    QCOMPARE(client.countDispatch(u"GUILD_CREATE"_s), 0);
}

void tst_EmulatorServer::generatedTrafficIsSequenced()
{
    auto server = startServer();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify(Intents::MonitorDefault);
    QVERIFY(client.waitForDispatch(u"READY"_s));
    server->generateEvents(200);
    const QString sessionId = client.dispatch(u"READY"_s)
                                      .value("d"_L1)
                                      .toObject()
                                      .value("session_id"_L1)
                                      .toString();
    const qint64 last = server->lastSequence(sessionId);
    QVERIFY(last > 4);
    QTRY_COMPARE(qint64(client.payloads.last().value(seqKey()).toInteger()), last);
    qint64 expected = 1;
    for (const QJsonObject &payload : std::as_const(client.payloads)) {
        if (payload.value("op"_L1).toInt() == 0)
            QCOMPARE(payload.value(seqKey()).toInteger(), expected++);
    }
    QVERIFY(client.countDispatch(u"MESSAGE_CREATE"_s) > 0);
}

void tst_EmulatorServer::resumeReplaysWithOriginalSequence()
{
    auto server = startServer();
    QSignalSpy resumed(server.get(), &EmulatorServer::clientResumed);
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    for (int i = 0; i < 5; ++i)
        server->emitDispatch(u"TEST_EVENT"_s, {{u"n"_s, i}});
    QTRY_COMPARE(client.countDispatch(u"TEST_EVENT"_s), 5);
    const QString sessionId = client.dispatch(u"READY"_s)
                                      .value("d"_L1)
                                      .toObject()
                                      .value("session_id"_L1)
                                      .toString();
    // READY 1, GUILD_CREATE 2-4, TEST_EVENT 5-9; the client saw up to 7, then the TCP drops.
    client.socket.abort();
    QTRY_COMPARE(server->connectionCount(), 0);
    for (int i = 5; i < 8; ++i)
        server->emitDispatch(u"TEST_EVENT"_s, {{u"n"_s, i}});
    QCOMPARE(server->lastSequence(sessionId), 12);

    RawClient again;
    resumeAndExpect(*server, again, sessionId, 7, true);
    if (QTest::currentTestFailed())
        return;
    QList<qint64> seqs;
    for (const QJsonObject &payload : std::as_const(again.payloads)) {
        if (payload.value("op"_L1).toInt() == 0)
            seqs.append(payload.value(seqKey()).toInteger());
    }
    QCOMPARE(seqs, (QList<qint64>{8, 9, 10, 11, 12, 13}));
    QCOMPARE(again.payloads.last().value("t"_L1).toString(), u"RESUMED"_s);
    QVERIFY(again.payloads.last().value("d"_L1).toObject().contains("_trace"_L1));
    QCOMPARE(resumed.size(), 1);
    QCOMPARE(resumed.first().at(2).toInt(), 5);
    server->emitDispatch(u"LIVE"_s, {});
    QVERIFY(again.waitForDispatch(u"LIVE"_s));
    QCOMPARE(again.dispatch(u"LIVE"_s).value(seqKey()).toInt(), 14);
}

void tst_EmulatorServer::resumeUnknownSessionGetsInvalidSession()
{
    auto server = startServer();
    RawClient client;
    resumeAndExpect(*server, client, u"0123456789abcdef"_s, 3, false);
}

void tst_EmulatorServer::resumeSeqAheadIs4007()
{
    auto server = startServer();
    RawClient client;
    const QString sessionId = identifyNewSession(*server, client);
    QVERIFY(!sessionId.isEmpty());
    client.socket.close(QWebSocketProtocol::CloseCode(4000));
    QTRY_COMPARE(server->connectionCount(), 0);
    RawClient again;
    QVERIFY(again.openAndWait(server->resumeGatewayUrl()));
    again.resume(sessionId, server->lastSequence(sessionId) + 1);
    QVERIFY(again.waitForClose());
    QCOMPARE(again.closeCode, 4007);
}

void tst_EmulatorServer::resumeOlderThanBufferGetsInvalidSession()
{
    ServerConfig config = fastConfig();
    config.replayBufferSize = 4;
    auto server = startServer(config);
    RawClient client;
    const QString sessionId = identifyNewSession(*server, client);
    QVERIFY(!sessionId.isEmpty());
    client.socket.abort();
    QTRY_COMPARE(server->connectionCount(), 0);
    for (int i = 0; i < 10; ++i)
        server->emitDispatch(u"TEST_EVENT"_s, {});
    RawClient again;
    resumeAndExpect(*server, again, sessionId, 2, false);
}

void tst_EmulatorServer::clientCloseCodeDecidesSession_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("resumable");
    QTest::newRow("1000 ends") << 1000 << false;
    QTest::newRow("1001 ends") << 1001 << false;
    QTest::newRow("4000 keeps") << 4000 << true;
    // 4200 as some libraries use it; 1012 is answered with 1002 by Qt 6.4 (not a valid code there).
    QTest::newRow("4200 keeps") << 4200 << true;
}

void tst_EmulatorServer::clientCloseCodeDecidesSession()
{
    QFETCH(int, code);
    QFETCH(bool, resumable);
    auto server = startServer();
    QSignalSpy closed(server.get(), &EmulatorServer::clientClosed);
    RawClient client;
    const QString sessionId = identifyNewSession(*server, client);
    QVERIFY(!sessionId.isEmpty());
    client.socket.close(QWebSocketProtocol::CloseCode(code));
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(closed.first().at(1).toInt(), code);
    QCOMPARE(closed.first().at(2).toBool(), false);
    QCOMPARE(server->sessionCount(), resumable ? 1 : 0);
    RawClient again;
    resumeAndExpect(*server, again, sessionId, 4, resumable);
}

void tst_EmulatorServer::serverCloseCodeDecidesSession_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("resumable");
    QTest::newRow("4000 keeps") << 4000 << true;
    QTest::newRow("unknown 4321 keeps") << 4321 << true;
    QTest::newRow("4007 ends") << 4007 << false;
    QTest::newRow("4009 ends") << 4009 << false;
}

void tst_EmulatorServer::serverCloseCodeDecidesSession()
{
    // A session-ending close from the server tells the client to identify anew; a session kept
    // behind it would only buffer dispatches nobody resumes (the long soak's 4.6 GB).
    QFETCH(int, code);
    QFETCH(bool, resumable);
    auto server = startServer();
    QSignalSpy refused(server.get(), &EmulatorServer::resumeRefused);
    RawClient client;
    const QString sessionId = identifyNewSession(*server, client);
    QVERIFY(!sessionId.isEmpty());
    server->injectNow(Fault::close(code, u"test"_s));
    QVERIFY(client.waitForClose());
    QCOMPARE(client.closeCode, code);
    QTRY_COMPARE(server->connectionCount(), 0);
    QCOMPARE(server->sessionCount(), resumable ? 1 : 0);
    RawClient again;
    resumeAndExpect(*server, again, sessionId, 4, resumable);
    if (QTest::currentTestFailed())
        return;
    if (resumable) {
        QCOMPARE(refused.size(), 0);
    } else {
        QTRY_COMPARE(refused.size(), 1);
        QCOMPARE(refused.first().at(1).toString(), sessionId);
        QCOMPARE(refused.first().at(2).toLongLong(), 4);
    }
}

void tst_EmulatorServer::replayBufferIsBoundedInBytes()
{
    ServerConfig config = fastConfig();
    config.replayBufferBytes = 4096;
    auto server = startServer(config);
    QSignalSpy refused(server.get(), &EmulatorServer::resumeRefused);
    RawClient client;
    const QString sessionId = identifyNewSession(*server, client);
    QVERIFY(!sessionId.isEmpty());
    client.socket.abort();
    QTRY_COMPARE(server->connectionCount(), 0);
    // 40 dispatches of about 550 bytes while detached: five times what the session may keep.
    for (int i = 0; i < 40; ++i)
        server->emitDispatch(u"TEST_EVENT"_s, {{u"padding"_s, QString(500, u'x')}});
    QVERIFY2(server->replayBufferedBytes() <= 4096,
             qPrintable(u"%1 bytes buffered"_s.arg(server->replayBufferedBytes())));
    const qint64 last = server->lastSequence(sessionId);

    // The newest dispatches are kept: a resume four behind gets them...
    RawClient recent;
    resumeAndExpect(*server, recent, sessionId, last - 4, true);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(recent.countDispatch(u"TEST_EVENT"_s), 4);
    recent.socket.abort();
    QTRY_COMPARE(server->connectionCount(), 0);

    // ...one from before the dropped bytes gets op 9 false, and the server says which.
    RawClient old;
    resumeAndExpect(*server, old, sessionId, 4, false);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.first().at(2).toLongLong(), 4);
    QCOMPARE(server->sessionCount(), 0);
}

void tst_EmulatorServer::resumableCloseKeepsSessionWhenWritesFail()
{
    // The long soak's extra identifies: a client closed a zombie connection with 4000 while the
    // server was still writing; the write failed first, Qt aborted the socket with its default
    // close code 1000, and the emulator ended the session the client then tried to resume.
    auto server = startServer();
    QSignalSpy closed(server.get(), &EmulatorServer::clientClosed);
    RawClient client;
    const QString sessionId = identifyNewSession(*server, client);
    QVERIFY(!sessionId.isEmpty());
    QTRY_COMPARE(client.countDispatch(u"GUILD_CREATE"_s), 3);
    client.socket.close(QWebSocketProtocol::CloseCode(4000));
    // The server writes before it reads the close frame: the peer's kernel answers with a reset
    // and a later write fails.
    for (int i = 0; i < 20 && closed.isEmpty(); ++i)
        server->generateEvents(20);
    QTRY_COMPARE(closed.size(), 1);
    QVERIFY2(closed.first().at(1).toInt() != 1000,
             qPrintable(u"close read as %1"_s.arg(closed.first().at(1).toInt())));
    QCOMPARE(server->sessionCount(), 1);
    RawClient again;
    resumeAndExpect(*server, again, sessionId, 4, true);
}

void tst_EmulatorServer::zlibStreamInflatesWithPlainZlib_data()
{
    QTest::addColumn<bool>("split");
    QTest::newRow("whole") << false;
    QTest::newRow("split frames") << true;
}

void tst_EmulatorServer::zlibStreamInflatesWithPlainZlib()
{
    QFETCH(bool, split);
    ServerConfig config = fastConfig();
    config.splitFrames = split;
    auto server = startServer(config);
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl(), u"v=10&encoding=json&compress=zlib-stream"_s,
                               true));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    server->generateEvents(50);
    client.send("{\"op\":1,\"d\":1}");
    QVERIFY(client.waitForOp(11));
    QVERIFY(!client.inflateFailed);
    QCOMPARE(client.invalidPayloads, 0);
    QVERIFY(client.textMessages.isEmpty());
    const QByteArray first = client.binaryMessages.first();
    QVERIFY(first.startsWith("\x78\x9c") || first.startsWith("\x78\xda"));
    QCOMPARE(client.payloads.first().value("op"_L1).toInt(), 10);
    int withoutMarker = 0;
    for (const QByteArray &message : std::as_const(client.binaryMessages))
        withoutMarker += !message.endsWith(QByteArrayView("\x00\x00\xff\xff", 4));
    if (split)
        QVERIFY2(withoutMarker > 0, "split frames should leave messages without the marker");
    else
        QCOMPARE(withoutMarker, 0);
    QVERIFY(client.payloads.size() >= 6);
}

void tst_EmulatorServer::httpDiscovery()
{
    auto server = startServer();
    QNetworkAccessManager manager;
    const auto get = [&](const QString &path, const QByteArray &authorization) {
        QNetworkRequest request(QUrl(server->apiUrl().toString() + path));
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        std::unique_ptr<QNetworkReply> reply(manager.get(request));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        // No reply in time gives status -1, which no check below accepts.
        if (!reply->isFinished() && !finished.wait(30000))
            return std::pair{-1, QJsonObject()};
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        return std::pair{status, QJsonDocument::fromJson(reply->readAll()).object()};
    };
    auto [status, body] = get(u"/gateway"_s, {});
    QCOMPARE(status, 200);
    QCOMPARE(body.value("url"_L1).toString(), server->gatewayUrl().toString());

    std::tie(status, body) = get(u"/gateway/bot"_s, "Bot test-token");
    QCOMPARE(status, 200);
    QCOMPARE(body.value("shards"_L1).toInt(), 1);
    const QJsonObject limit = body.value("session_start_limit"_L1).toObject();
    QCOMPARE(limit.value("total"_L1).toInt(), 1000);
    QCOMPARE(limit.value("remaining"_L1).toInt(), 1000);
    QCOMPARE(limit.value("max_concurrency"_L1).toInt(), 1);
    QVERIFY(limit.value("reset_after"_L1).toInteger() > 0);

    QCOMPARE(get(u"/gateway/bot"_s, {}).first, 401);
    QCOMPARE(get(u"/gateway/bot"_s, "Bot wrong").first, 401);
    QCOMPARE(get(u"/gateway/bot"_s, "test-token").first, 401);
    QCOMPARE(get(u"/users/@me"_s, "Bot test-token").first, 404);

    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    std::tie(status, body) = get(u"/gateway/bot"_s, "Bot test-token");
    QCOMPARE(body.value("session_start_limit"_L1).toObject().value("remaining"_L1).toInt(), 999);
}

void tst_EmulatorServer::resumeUrlDiffersAndCanBeDown()
{
    auto server = startServer();
    QVERIFY(server->resumeGatewayUrl() != server->gatewayUrl());
    QSignalSpy connected(server.get(), &EmulatorServer::clientConnected);
    RawClient resumeClient;
    QVERIFY(resumeClient.openAndWait(server->resumeGatewayUrl()));
    QTRY_COMPARE(connected.size(), 1);
    QCOMPARE(connected.first().at(1).toUrl().path(), server->resumeGatewayUrl().path());

    server->setResumeEndpointAvailable(false);
    RawClient refused;
    QVERIFY(!refused.openAndWait(server->resumeGatewayUrl()));
    QVERIFY(refused.disconnected);
    QCOMPARE(connected.size(), 1);
    RawClient main;
    QVERIFY(main.openAndWait(server->gatewayUrl()));
}

void tst_EmulatorServer::injectedFaults_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<bool>("zlib");
    QTest::addColumn<int>("expectedClose"); // 0 = stays open
    QTest::addColumn<int>("expectedOp"); // -1 = none expected

    QTest::newRow("drop") << u"drop@at:0ms"_s << false << 1006 << -1;
    QTest::newRow("op7") << u"op7@at:0ms"_s << false << 0 << 7;
    QTest::newRow("op9 true") << u"op9:true@at:0ms"_s << false << 0 << 9;
    QTest::newRow("op9 false") << u"op9:false@at:0ms"_s << false << 0 << 9;
    QTest::newRow("close 4321") << u"close:4321:bye@at:0ms"_s << false << 4321 << -1;
    QTest::newRow("garbage") << u"garbage:100@at:0ms"_s << false << 0 << -1;
    QTest::newRow("truncated zlib") << u"truncated-zlib@at:0ms"_s << true << 0 << -1;
    QTest::newRow("invalid json") << u"invalid-json@at:0ms"_s << false << 0 << -1;
    QTest::newRow("oversized") << u"oversized:20k@at:0ms"_s << false << 0 << 0;
    QTest::newRow("op1 unanswered") << u"op1@at:0ms"_s << false << 4009 << 1;
}

void tst_EmulatorServer::injectedFaults()
{
    QFETCH(QString, spec);
    QFETCH(bool, zlib);
    QFETCH(int, expectedClose);
    QFETCH(int, expectedOp);

    ServerConfig config = fastConfig();
    config.heartbeatIntervalMs = 5000;
    config.heartbeatGraceMs = 200;
    config.reconnectCloseDelayMs = 60000;
    auto server = startServer(config);
    server->clock().useManualTime();
    QSignalSpy identified(server.get(), &EmulatorServer::clientIdentified);
    RawClient client;
    QVERIFY(client.openAndWait(
            server->gatewayUrl(),
            zlib ? u"v=10&encoding=json&compress=zlib-stream"_s : u"v=10&encoding=json"_s, zlib));
    client.identify();
    QVERIFY(identified.wait(5000));
    QTRY_COMPARE(client.countDispatch(u"GUILD_CREATE"_s), 3);
    const QString sessionId = identified.first().at(1).toString();
    const qsizetype before = client.payloads.size();
    const qsizetype binaryBefore = client.binaryMessages.size();
    const qsizetype rawBefore = client.rawPayloads.size();

    const std::optional<Fault> fault = Fault::parse(spec);
    QVERIFY(fault);
    QSignalSpy applied(server.get(), &EmulatorServer::faultApplied);
    server->faults().add(*fault);
    QCOMPARE(applied.size(), 0);
    server->clock().advance(0); // at:0ms is due now
    QCOMPARE(applied.size(), 1);

    if (expectedOp >= 0) {
        QVERIFY(QTest::qWaitFor([&] { return client.payloads.size() > before; }, 5000));
        const QJsonObject payload = client.payloads.at(before);
        QCOMPARE(payload.value("op"_L1).toInt(), expectedOp);
        if (spec.startsWith("op9"_L1)) {
            const bool resumable = spec.contains("true"_L1);
            QCOMPARE(payload.value("d"_L1), QJsonValue(resumable));
            QCOMPARE(server->sessionCount(), resumable ? 1 : 0);
        }
        if (spec.startsWith("oversized"_L1)) {
            QVERIFY(client.rawPayloads.last().size() >= 20 * 1024);
            QCOMPARE(payload.value("t"_L1).toString(), u"GATESCOPE_OVERSIZED"_s);
            QCOMPARE(qint64(payload.value("s"_L1).toInteger()), server->lastSequence(sessionId));
        }
    }
    if (spec.startsWith("garbage"_L1)) {
        QTRY_COMPARE(client.binaryMessages.size(), binaryBefore + 1);
        QCOMPARE(client.binaryMessages.last().size(), 100);
    }
    if (spec.startsWith("truncated"_L1)) {
        QTRY_COMPARE(client.binaryMessages.size(), binaryBefore + 1);
        QVERIFY(!client.binaryMessages.last().endsWith(QByteArrayView("\x00\x00\xff\xff", 4)));
        // The next payload completes the marker but cannot be a clean continuation.
        server->emitDispatch(u"AFTER"_s, {});
        QVERIFY(QTest::qWaitFor([&] { return client.inflateFailed || client.invalidPayloads > 0; },
                                5000));
    }
    if (spec.startsWith("invalid-json"_L1)) {
        QTRY_COMPARE(client.rawPayloads.size(), rawBefore + 1);
        QCOMPARE(client.invalidPayloads, 1);
    }
    if (expectedClose != 0) {
        if (expectedClose == 4009) {
            // op 1 wants its answer within the grace; then the heartbeat deadline closes.
            server->clock().advance(config.heartbeatGraceMs - 1);
            QVERIFY(sentinelArrives(*server, client));
            server->clock().advance(1);
        }
        QVERIFY(client.waitForClose());
        if (expectedClose != 1006)
            QCOMPARE(client.closeCode, expectedClose);
        QTRY_COMPARE(server->connectionCount(), 0);
        // A drop or a resumable close keeps the session; 4009 ends it.
        QCOMPARE(server->sessionCount(), expectedClose == 4009 ? 0 : 1);
    } else {
        QVERIFY(!client.disconnected);
    }
}

void tst_EmulatorServer::ackDelayAndStopAcks()
{
    auto server = startServer();
    server->clock().useManualTime();
    QSignalSpy received(server.get(), &EmulatorServer::payloadReceived);
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));

    server->injectNow(Fault::ackDelay(200, 200));
    client.send(Heartbeat);
    QTRY_COMPARE(received.size(), 2);
    server->clock().advance(199);
    QVERIFY(sentinelArrives(*server, client));
    QCOMPARE(client.countOp(11), 0);
    server->clock().advance(1);
    QVERIFY(client.waitForOp(11));

    // Stopped ACKs are not sent late either: not after the delay, not ever.
    server->injectNow(Fault::make(Fault::Kind::StopAcks));
    client.send(Heartbeat);
    QTRY_COMPARE(received.size(), 3);
    server->clock().advance(1000);
    QVERIFY(sentinelArrives(*server, client));
    QCOMPARE(client.countOp(11), 1);

    server->injectNow(Fault::make(Fault::Kind::ResumeAcks));
    client.send(Heartbeat);
    QVERIFY(client.waitForOp(11, 2));
}

void tst_EmulatorServer::slowWritePacesOutput()
{
    auto server = startServer();
    server->clock().useManualTime();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    QTRY_COMPARE(client.countDispatch(u"GUILD_CREATE"_s), 3);
    // 5000 B/s pays for 100 bytes per 20 ms tick of the pacing, which starts with the first
    // payload held back.
    server->injectNow(Fault::withBytes(Fault::Kind::SlowWrite, 5000));
    for (int i = 0; i < 3; ++i)
        server->emitDispatch(u"PADDED"_s, {{u"p"_s, QString(1000, u'x')}});
    const qint64 held = server->heldBackBytes();
    QCOMPARE(held % 3, 0); // three payloads of one size
    const qint64 each = held / 3;
    QVERIFY(each > 1000);
    // Payload n leaves at the first tick by which the rate has paid for it and those before.
    qint64 pacedMs = 0;
    for (int n = 1; n <= 3; ++n) {
        const qint64 leavesAtMs = 20 * ((n * each + 99) / 100);
        server->clock().advance(leavesAtMs - 1 - pacedMs);
        QCOMPARE(server->heldBackBytes(), held - (n - 1) * each);
        server->clock().advance(1);
        pacedMs = leavesAtMs;
        QCOMPARE(server->heldBackBytes(), held - n * each);
        QTRY_COMPARE(client.countDispatch(u"PADDED"_s), n);
    }
}

void tst_EmulatorServer::scheduledFaults()
{
    auto server = startServer();
    server->clock().useManualTime();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    QVERIFY(server->faults().addSpec(u"close:4000@after:5"_s));
    QVERIFY(server->faults().addSpec(u"op7@every:50ms"_s));
    for (int n = 1; n <= 2; ++n) {
        server->clock().advance(49);
        QVERIFY(sentinelArrives(*server, client));
        QCOMPARE(client.countOp(7), n - 1);
        server->clock().advance(1);
        QVERIFY(client.waitForOp(7, n));
    }
    QVERIFY(!client.disconnected);
    while (server->messagesGenerated() < 5 && !client.disconnected)
        server->generateEvents(1);
    QVERIFY(client.waitForClose());
    QCOMPARE(client.closeCode, 4000);
}

void tst_EmulatorServer::messageLimitStopsGeneration()
{
    ServerConfig config = fastConfig();
    config.messageLimit = 5;
    auto server = startServer(config);
    QSignalSpy sent(server.get(), &EmulatorServer::messagesSent);
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    server->generateEvents(1000);
    QCOMPARE(server->messagesGenerated(), 5);
    QVERIFY(!sent.isEmpty());
    QCOMPARE(sent.last().at(0).toLongLong(), 5);
    QTRY_COMPARE(client.countDispatch(u"MESSAGE_CREATE"_s), 5);
}

void tst_EmulatorServer::rateTimerGeneratesOnlyWithSessions()
{
    ServerConfig config = fastConfig();
    config.burstSize = 4;
    config.traffic.messageShare = 1.0; // every event counts in messagesGenerated()
    auto server = startServer(config);
    server->clock().useManualTime();
    server->setEventsPerSecond(400); // a tick every 10 ms of the manual clock, 4 events each
    server->clock().advance(1000); // nobody connects: the timer runs, but nothing is generated
    QCOMPARE(server->messagesGenerated(), 0);
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    // The rate counts from READY: the second without a session is not owed.
    server->clock().advance(99);
    QCOMPARE(server->messagesGenerated(), 36);
    server->clock().advance(1);
    QCOMPARE(server->messagesGenerated(), 40);
    QTRY_COMPARE(client.countDispatch(u"MESSAGE_CREATE"_s), 40);
    server->setEventsPerSecond(0);
    server->clock().advance(1000);
    QCOMPARE(server->messagesGenerated(), 40);
}

void tst_EmulatorServer::trafficWaitsForAClientThatStopsReading()
{
    ServerConfig config = fastConfig();
    config.heartbeatIntervalMs = 60000; // the client below never beats
    config.eventsPerSecond = 200000;
    config.maxPendingBytes = 512 * 1024;
    auto server = startServer(config);
    server->clock().useManualTime();

    // A bare TCP client: upgrade, Identify in a masked frame, then read nothing more.
    QTcpSocket tcp;
    tcp.connectToHost(QHostAddress::LocalHost, server->port());
    QVERIFY(tcp.waitForConnected(5000));
    tcp.write("GET /?v=10&encoding=json HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
              "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              "Sec-WebSocket-Version: 13\r\n\r\n");
    QByteArray received;
    QTRY_VERIFY((received += tcp.readAll()).contains("\"op\":10"));
    const QByteArray identify
            = "{\"op\":2,\"d\":{\"token\":\"test-token\",\"intents\":513,"
              "\"properties\":{\"os\":\"x\",\"browser\":\"x\",\"device\":\"x\"}}}";
    QVERIFY(identify.size() < 126); // fits the 7-bit length
    const char mask[4] = {0x11, 0x22, 0x33, 0x44};
    QByteArray frame(1, char(0x81)); // FIN + text
    frame += char(0x80 | identify.size()); // masked
    frame.append(mask, 4);
    for (qsizetype i = 0; i < identify.size(); ++i)
        frame += char(identify.at(i) ^ mask[i % 4]);
    tcp.setReadBufferSize(1);
    tcp.write(frame);

    QSignalSpy sent(server.get(), &EmulatorServer::messagesSent);
    // The kernel's buffers fill, then the server's (20 ms of traffic per event loop turn)...
    QVERIFY(QTest::qWaitFor(
            [&] {
                server->clock().advance(20);
                return server->pendingBytes() > config.maxPendingBytes;
            },
            60000));
    QVERIFY(!sent.isEmpty());
    // ...then the traffic pauses: a second of ticks that all find the backlog.
    sent.clear();
    server->clock().advance(1000);
    QCOMPARE(sent.size(), 0);
    // At most one tick's worth (20 ms of 200,000 events/s) beyond the limit.
    QCOMPARE_LT(server->pendingBytes(), config.maxPendingBytes + 8 * 1024 * 1024);
    QCOMPARE(server->connectionCount(), 1);
}

void tst_EmulatorServer::shardRouting()
{
    ServerConfig config = fastConfig();
    config.traffic.guildCount = 8;
    config.traffic.dmShare = 0.2;
    config.maxConcurrency = 2;
    auto server = startServer(config);
    RawClient shard0;
    RawClient shard1;
    QVERIFY(shard0.openAndWait(server->gatewayUrl()));
    QVERIFY(shard1.openAndWait(server->gatewayUrl()));
    shard0.identify(Intents::MonitorDefault, "test-token", ",\"shard\":[0,2]");
    shard1.identify(Intents::MonitorDefault, "test-token", ",\"shard\":[1,2]");
    QVERIFY(shard0.waitForDispatch(u"READY"_s));
    QVERIFY(shard1.waitForDispatch(u"READY"_s));
    QSet<QString> seen;
    int total = 0;
    for (int shard = 0; shard < 2; ++shard) {
        const RawClient &client = shard == 0 ? shard0 : shard1;
        const QJsonArray guilds
                = client.dispatch(u"READY"_s).value("d"_L1).toObject().value("guilds"_L1).toArray();
        for (const QJsonValue &guild : guilds) {
            const QString id = guild.toObject().value("id"_L1).toString();
            QCOMPARE(Snowflake::shardFor(*Snowflake::parse(id), 2), shard);
            seen.insert(id);
            ++total;
        }
    }
    QCOMPARE(total, 8);
    QCOMPARE(seen.size(), 8);

    server->generateEvents(400);
    const QString sid0 = shard0.dispatch(u"READY"_s)
                                 .value("d"_L1)
                                 .toObject()
                                 .value("session_id"_L1)
                                 .toString();
    const QString sid1 = shard1.dispatch(u"READY"_s)
                                 .value("d"_L1)
                                 .toObject()
                                 .value("session_id"_L1)
                                 .toString();
    QTRY_COMPARE(qint64(shard0.payloads.last().value("s"_L1).toInteger()),
                 server->lastSequence(sid0));
    QTRY_COMPARE(qint64(shard1.payloads.last().value("s"_L1).toInteger()),
                 server->lastSequence(sid1));
    int dms = 0;
    for (int shard = 0; shard < 2; ++shard) {
        const RawClient &client = shard == 0 ? shard0 : shard1;
        for (const QJsonObject &payload : client.payloads) {
            if (payload.value("t"_L1) != "MESSAGE_CREATE"_L1)
                continue;
            const QJsonObject d = payload.value("d"_L1).toObject();
            if (!d.contains("guild_id"_L1)) {
                QCOMPARE(shard, 0);
                ++dms;
                continue;
            }
            const std::optional<quint64> guild
                    = Snowflake::parse(d.value("guild_id"_L1).toString());
            QVERIFY(guild);
            QCOMPARE(Snowflake::shardFor(*guild, 2), shard);
        }
    }
    QVERIFY(dms > 0);
}

void tst_EmulatorServer::deterministicBySeed()
{
    const auto capture = [](quint64 seed) {
        ServerConfig config = fastConfig();
        config.seed = seed;
        config.traffic.seed = seed;
        auto server = startServer(config);
        RawClient client;
        if (!client.openAndWait(server->gatewayUrl()))
            return QList<QByteArray>();
        client.identify();
        if (!QTest::qWaitFor([&] { return client.countDispatch(u"GUILD_CREATE"_s) == 3; }, 5000))
            return QList<QByteArray>();
        // The resume URL names the port, the only part that may differ between two runs.
        QList<QByteArray> messages;
        for (QByteArray message : std::as_const(client.textMessages))
            messages.append(message.replace("127.0.0.1:" + QByteArray::number(server->port()),
                                            "127.0.0.1:PORT"));
        return messages;
    };
    const QList<QByteArray> first = capture(42);
    const QList<QByteArray> second = capture(42);
    const QList<QByteArray> other = capture(43);
    QCOMPARE(first.size(), 5); // Hello, READY, 3 GUILD_CREATE
    QCOMPARE(first, second); // READY (session id included) and guilds are byte-identical
    QVERIFY(first != other);
}

void tst_EmulatorServer::opsAfterAuth_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("expectedClose"); // 0 = accepted
    QTest::newRow("presence ok") << "{\"op\":3,\"d\":{\"since\":null,\"activities\":[],"
                                    "\"status\":\"online\",\"afk\":false}}"_ba
                                 << 0;
    QTest::newRow("presence without status")
            << "{\"op\":3,\"d\":{\"since\":null,\"activities\":[],\"afk\":false}}"_ba << 4001;
    QTest::newRow("members ok")
            << "{\"op\":8,\"d\":{\"guild_id\":\"41771983423143937\",\"query\":\"\",\"limit\":0}}"_ba
            << 0;
    QTest::newRow("members without guild") << "{\"op\":8,\"d\":{\"limit\":0}}"_ba << 4001;
    QTest::newRow("voice state null d") << "{\"op\":4,\"d\":null}"_ba << 4001;
}

void tst_EmulatorServer::opsAfterAuth()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, expectedClose);
    auto server = startServer();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    client.send(payload);
    client.send("{\"op\":1,\"d\":1}");
    if (expectedClose == 0) {
        QVERIFY(client.waitForOp(11));
        QVERIFY(!client.disconnected);
    } else {
        QVERIFY(client.waitForClose());
        QCOMPARE(client.closeCode, expectedClose);
    }
}

void tst_EmulatorServer::authTimeoutIs4003()
{
    ServerConfig config = fastConfig();
    config.authTimeoutMs = 100;
    auto server = startServer(config);
    server->clock().useManualTime();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    QVERIFY(client.waitForOp(10)); // Hello: the deadline runs from here
    server->clock().advance(config.authTimeoutMs - 1);
    client.send(Heartbeat); // answered, but it does not authenticate
    QVERIFY(client.waitForOp(11));
    QVERIFY(!client.disconnected);
    server->clock().advance(1);
    QVERIFY(client.waitForClose());
    QCOMPARE(client.closeCode, 4003);
}

void tst_EmulatorServer::noSessionStartsLeftGetsInvalidSession()
{
    ServerConfig config = fastConfig();
    config.sessionStartRemaining = 0;
    auto server = startServer(config);
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForOp(9));
    QCOMPARE(client.payloads.last().value("d"_L1), QJsonValue(false));
    QCOMPARE(server->sessionCount(), 0);
}

void tst_EmulatorServer::resumeTakesOverAnAttachedSession()
{
    auto server = startServer();
    RawClient first;
    const QString sessionId = identifyNewSession(*server, first);
    QVERIFY(!sessionId.isEmpty());
    RawClient second;
    resumeAndExpect(*server, second, sessionId, 1, true);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(first.waitForClose());
    QCOMPARE(first.closeCode, 4000);
    server->emitDispatch(u"AFTER"_s, {});
    QVERIFY(second.waitForDispatch(u"AFTER"_s));
    QCOMPARE(server->sessionCount(), 1);
}

void tst_EmulatorServer::reconnectFaultClosesIfClientStays()
{
    ServerConfig config = fastConfig();
    config.reconnectCloseDelayMs = 100;
    auto server = startServer(config);
    server->clock().useManualTime();
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    server->injectNow(Fault::make(Fault::Kind::Reconnect));
    QVERIFY(client.waitForOp(7));
    QCOMPARE(client.payloads.last().value("d"_L1), QJsonValue(QJsonValue::Null));
    server->clock().advance(config.reconnectCloseDelayMs - 1);
    QVERIFY(sentinelArrives(*server, client));
    server->clock().advance(1);
    QVERIFY(client.waitForClose());
    QCOMPARE(client.closeCode, 4000);
    QTRY_COMPARE(server->connectionCount(), 0);
    QCOMPARE(server->sessionCount(), 1);
}

void tst_EmulatorServer::deliveriesRecordLiveAndReplayedMessages()
{
    ServerConfig config = fastConfig();
    config.recordDeliveries = true;
    config.traffic.messageShare = 1.0;
    auto server = startServer(config);
    RawClient client;
    QVERIFY(client.openAndWait(server->gatewayUrl()));
    client.identify();
    QVERIFY(client.waitForDispatch(u"READY"_s));
    server->generateEvents(3);
    QTRY_COMPARE(client.countDispatch(u"MESSAGE_CREATE"_s), 3);
    const QString sessionId = client.dispatch(u"READY"_s)
                                      .value("d"_L1)
                                      .toObject()
                                      .value("session_id"_L1)
                                      .toString();
    QCOMPARE(server->deliveries().size(), 3);
    const qint64 lastSeen = server->lastSequence(sessionId);
    client.socket.abort();
    QTRY_COMPARE(server->connectionCount(), 0);
    // Generated while detached: buffered, not delivered until the resume replays them.
    server->generateEvents(2);
    QCOMPARE(server->deliveries().size(), 3);

    RawClient again;
    resumeAndExpect(*server, again, sessionId, lastSeen - 1, true);
    if (QTest::currentTestFailed())
        return;
    const QList<EmulatorServer::Delivery> &deliveries = server->deliveries();
    QCOMPARE(deliveries.size(), 6); // the last live one again, then the two buffered ones
    QList<qint64> seqs;
    for (const EmulatorServer::Delivery &delivery : deliveries) {
        QCOMPARE(delivery.sessionId, sessionId);
        QVERIFY(delivery.messageId != 0);
        seqs.append(delivery.seq);
    }
    QCOMPARE(seqs, (QList<qint64>{lastSeen - 2, lastSeen - 1, lastSeen, lastSeen, lastSeen + 1,
                                  lastSeen + 2}));
    QCOMPARE(deliveries.at(3).messageId, deliveries.at(2).messageId);
    QCOMPARE(QString::number(deliveries.at(5).messageId),
             again.payloads.at(again.payloads.size() - 2)
                     .value("d"_L1)
                     .toObject()
                     .value("id"_L1)
                     .toString());
}

QTEST_GUILESS_MAIN(tst_EmulatorServer)
#include "tst_emulatorserver.moc"
