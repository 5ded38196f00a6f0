#include "core/gateway/gatewayclient.h"
#include "fastgatewayconfig.h"

#include "core/gateway/payload.h"
#include "core/gateway/redaction.h"
#include "core/io/framerecorder.h"
#include "core/io/replayer.h"
#include "emulator/emulatorserver.h"
#include "emulator/fault.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Emulator::EmulatorServer;
using Emulator::Fault;
using State = GatewayClient::State;
using Action = CloseCodes::Action;

namespace {

const QString Token = u"MTAxNTk2.tst-gateway-client.c2VjcmV0"_s;

/// Everything one emulator + one client test needs, with the payloads the server saw.
struct Rig
{
    std::unique_ptr<EmulatorServer> server;
    std::unique_ptr<GatewayClient> client;
    QList<QPair<int, QJsonObject>> received; ///< (connection, payload) as the server saw them
    QList<QPair<int, QUrl>> connections;
    QList<qint64> dispatchSeqs;
    int messageCreates = 0;
    QList<State> states;

    int countOp(int op) const
    {
        int n = 0;
        for (const auto &entry : received)
            n += entry.second.value("op"_L1).toInt(-1) == op ? 1 : 0;
        return n;
    }
    /// The last dispatch's sequence handed over so far, -1 before any.
    qint64 lastDispatchSeq() const
    {
        return dispatchSeqs.isEmpty() ? -1 : dispatchSeqs.constLast();
    }
    int lastConnection() const
    {
        return connections.isEmpty() ? -1 : connections.constLast().first;
    }
    QList<int> opsOn(int connection) const
    {
        QList<int> ops;
        for (const auto &entry : received) {
            if (entry.first == connection)
                ops.append(entry.second.value("op"_L1).toInt(-1));
        }
        return ops;
    }
};

Emulator::ServerConfig fastServerConfig()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.heartbeatIntervalMs = 250;
    config.heartbeatGraceMs = 2000;
    config.traffic.guildCount = 3;
    config.reconnectCloseDelayMs = 500;
    config.identifyWindowMs = 100;
    return config;
}

GatewayConfig fastClientConfig(const EmulatorServer &server, Compression compression)
{
    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    config.gatewayUrl = server.gatewayUrl();
    config.compression = compression;
    config.minIdentifyIntervalMs = 150;
    return config;
}

std::unique_ptr<Rig> makeRig(Emulator::ServerConfig serverConfig = fastServerConfig(),
                             Compression compression = Compression::ZlibStream)
{
    auto rig = std::make_unique<Rig>();
    rig->server = std::make_unique<EmulatorServer>(serverConfig);
    QString error;
    if (!rig->server->start(&error))
        qFatal("emulator did not start: %s", qPrintable(error));
    Rig *r = rig.get();
    QObject::connect(r->server.get(), &EmulatorServer::payloadReceived, r->server.get(),
                     [r](int connection, const QByteArray &json) {
                         r->received.append({connection, QJsonDocument::fromJson(json).object()});
                     });
    QObject::connect(r->server.get(), &EmulatorServer::clientConnected, r->server.get(),
                     [r](int connection, const QUrl &url) {
                         r->connections.append({connection, url});
                     });
    rig->client = std::make_unique<GatewayClient>();
    rig->client->setConfig(fastClientConfig(*rig->server, compression));
    QObject::connect(r->client.get(), &GatewayClient::eventsReady, r->client.get(),
                     [r](const GatewayEventBatch &events) {
                         for (const GatewayEvent &event : events) {
                             r->dispatchSeqs.append(event.seq);
                             if (event.kind == GatewayEvent::Kind::MessageCreate)
                                 ++r->messageCreates;
                         }
                     });
    QObject::connect(r->client.get(), &GatewayClient::stateChanged, r->client.get(),
                     [r](State state) { r->states.append(state); });
    return rig;
}

bool isContiguous(const QList<qint64> &seqs)
{
    for (qsizetype i = 1; i < seqs.size(); ++i) {
        if (seqs.at(i) != seqs.at(i - 1) + 1)
            return false;
    }
    return !seqs.isEmpty() && seqs.constFirst() == 1;
}

/// A tiny scripted gateway for what the strict emulator will not send (a dispatch whose `s`
/// goes backwards): Hello on every connection; Identify gets READY (s=1) and the dispatches
/// given to it; Resume gets every dispatch after the requested seq, then RESUMED.
class ScriptedGateway : public QObject
{
public:
    ScriptedGateway()
    {
        if (!m_server.listen(QHostAddress::LocalHost))
            qFatal("scripted gateway did not listen");
        QObject::connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            QWebSocket *socket = m_server.nextPendingConnection();
            m_sockets.append(socket);
            QObject::connect(socket, &QWebSocket::textMessageReceived, this,
                             [this, socket](const QString &text) { onText(socket, text); });
            send(socket, QJsonObject{{u"op"_s, 10},
                                     {u"d"_s, QJsonObject{{u"heartbeat_interval"_s, 60000}}}});
        });
    }
    ~ScriptedGateway() override { qDeleteAll(m_sockets); }

    QUrl url() const { return QUrl(u"ws://127.0.0.1:%1"_s.arg(m_server.serverPort())); }
    /// Dispatches sent after READY, as (s, message id); what a Resume replays comes from here.
    QList<QPair<qint64, QString>> script;
    /// The sequence each Resume asked for.
    QList<qint64> resumeSeqs;
    /// Drop the TCP connection right after the script was sent.
    bool dropAfterScript = true;

    static QJsonObject messageCreate(qint64 seq, const QString &id)
    {
        const QJsonObject author{{u"id"_s, u"80351110224678912"_s}, {u"username"_s, u"a"_s}};
        const QJsonObject d{{u"id"_s, id},
                            {u"channel_id"_s, u"41771983423143937"_s},
                            {u"author"_s, author},
                            {u"content"_s, u"message "_s + id},
                            {u"timestamp"_s, u"2026-01-01T00:00:00.000000+00:00"_s}};
        return QJsonObject{{u"op"_s, 0}, {u"t"_s, u"MESSAGE_CREATE"_s}, {u"s"_s, seq}, {u"d"_s, d}};
    }

private:
    void send(QWebSocket *socket, const QJsonObject &payload)
    {
        socket->sendTextMessage(
                QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
    }
    void onText(QWebSocket *socket, const QString &text)
    {
        const QJsonObject payload = QJsonDocument::fromJson(text.toUtf8()).object();
        const int op = payload.value("op"_L1).toInt(-1);
        if (op == 1) {
            send(socket, QJsonObject{{u"op"_s, 11}});
        } else if (op == 2) {
            const QJsonObject ready{{u"v"_s, 10},
                                    {u"session_id"_s, u"scripted-session"_s},
                                    {u"resume_gateway_url"_s, url().toString()},
                                    {u"user"_s, QJsonObject{{u"id"_s, u"1"_s}, {u"bot"_s, true}}},
                                    {u"guilds"_s, QJsonArray()}};
            send(socket,
                 QJsonObject{{u"op"_s, 0}, {u"t"_s, u"READY"_s}, {u"s"_s, 1}, {u"d"_s, ready}});
            for (const auto &[seq, id] : std::as_const(script))
                send(socket, messageCreate(seq, id));
            socket->flush();
            if (dropAfterScript)
                socket->abort();
        } else if (op == 6) {
            const qint64 from = payload.value("d"_L1).toObject().value("seq"_L1).toInteger(-1);
            resumeSeqs.append(from);
            // Replays in the order the session sent them, as Discord does: every event after
            // the requested one.
            qint64 highest = 1;
            for (const auto &[seq, id] : std::as_const(script)) {
                if (seq > from && seq > highest)
                    send(socket, messageCreate(seq, id));
                highest = std::max(highest, seq);
            }
            send(socket, QJsonObject{{u"op"_s, 0},
                                     {u"t"_s, u"RESUMED"_s},
                                     {u"s"_s, QJsonValue::Null},
                                     {u"d"_s, QJsonObject()}});
        }
    }

    QWebSocketServer m_server{u"scripted"_s, QWebSocketServer::NonSecureMode};
    QList<QWebSocket *> m_sockets;
};

} // namespace

class tst_GatewayClient : public QObject
{
    Q_OBJECT

private slots:
    void handshakeAndReady_data();
    void handshakeAndReady();
    void discoveryThroughGatewayBot();
    void discoveryWithWrongTokenIsFatal();
    void heartbeatAckGivesLatency();
    void jitterFollowsTheRandomSource_data();
    void jitterFollowsTheRandomSource();
    void serverHeartbeatRequestIsAnsweredAtOnce();
    void heartbeatRequestFloodLeavesRoomForBeats_data();
    void heartbeatRequestFloodLeavesRoomForBeats();
    void answeredRequestIsThisIntervalsBeat();
    void zombieConnectionResumes();
    void busyConnectionIsNoZombie();
    void reconnectOpResumesWithoutLosingEvents();
    void invalidSessionResumable();
    void invalidSessionNotResumableIdentifiesAgain();
    void closeCodesAreClassified_data();
    void closeCodesAreClassified();
    void tcpDropResumes();
    void sequenceOnlyMovesForward();
    void resumeUrlDownFallsBackToIdentify();
    void closesBeforeReadyStopTheIdentifyLoop_data();
    void closesBeforeReadyStopTheIdentifyLoop();
    void closeBeforeReadyOnceStillIdentifiesAgain();
    void sendLimiterHoldsThe121stSend();
    void oversizedSendIsRefused();
    void splitZlibPayloadsAreReassembled();
    void corruptZlibReconnectsWithFreshInflater();
    void invalidJsonReconnects();
    void helloTimeoutReconnects();
    void userCloseEndsTheSession();
    void closeHandsOverEveryEventReceived();
    void tokenNeverLogged();
    void replayReproducesALiveSession();
    void replayIsRefusedWhileConnected();
};

void tst_GatewayClient::handshakeAndReady_data()
{
    QTest::addColumn<Compression>("compression");
    QTest::newRow("zlib-stream") << Compression::ZlibStream;
    QTest::newRow("none") << Compression::None;
}

void tst_GatewayClient::handshakeAndReady()
{
    QFETCH(Compression, compression);
    auto rig = makeRig(fastServerConfig(), compression);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    rig->client->open();
    QVERIFY(established.wait(5000));
    QCOMPARE(rig->client->state(), State::Ready);
    QCOMPARE(rig->states, (QList<State>{State::Connecting, State::Identifying, State::Ready}));
    QCOMPARE(established.at(0).at(1).toBool(), false);

    const SessionInfo &session = rig->client->session();
    QVERIFY(!session.sessionId.isEmpty());
    QCOMPARE(session.resumeGatewayUrl, rig->server->resumeGatewayUrl());
    QVERIFY(session.user.value("bot"_L1).toBool());
    QCOMPARE(session.guildIds.size(), 3);

    // The query string carries v, encoding and the compression mode.
    const QUrlQuery query(rig->connections.constFirst().second);
    QCOMPARE(query.queryItemValue(u"v"_s), u"10"_s);
    QCOMPARE(query.queryItemValue(u"encoding"_s), u"json"_s);
    QCOMPARE(query.hasQueryItem(u"compress"_s), compression == Compression::ZlibStream);

    // Identify: bare token, intents, properties, large_threshold.
    QCOMPARE(rig->countOp(2), 1);
    QJsonObject identify;
    for (const auto &entry : rig->received) {
        if (entry.second.value("op"_L1).toInt() == 2)
            identify = entry.second.value("d"_L1).toObject();
    }
    QCOMPARE(identify.value("token"_L1).toString(), Token);
    QCOMPARE(identify.value("intents"_L1).toInteger(), qint64(Intents::MonitorDefault));
    QVERIFY(identify.value("properties"_L1).toObject().contains("os"_L1));
    QCOMPARE(identify.value("large_threshold"_L1).toInt(), 50);
    QCOMPARE(rig->client->metrics().identifies, 1);
}

void tst_GatewayClient::discoveryThroughGatewayBot()
{
    auto rig = makeRig();
    GatewayConfig config = rig->client->config();
    config.gatewayUrl = QUrl();
    config.apiUrl = rig->server->apiUrl();
    rig->client->setConfig(config);
    QSignalSpy discovered(rig->client.get(), &GatewayClient::discoveryFinished);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    rig->client->open();
    QVERIFY(established.wait(5000));
    QCOMPARE(discovered.size(), 1);
    QVERIFY(rig->client->botInfo().has_value());
    QCOMPARE(rig->client->botInfo()->url.host(), u"127.0.0.1"_s);
    QCOMPARE(rig->client->botInfo()->sessionStartTotal, 1000);
}

void tst_GatewayClient::discoveryWithWrongTokenIsFatal()
{
    auto rig = makeRig();
    GatewayConfig config = rig->client->config();
    config.gatewayUrl = QUrl();
    config.apiUrl = rig->server->apiUrl();
    config.token = u"wrong-token"_s;
    rig->client->setConfig(config);
    QSignalSpy fatal(rig->client.get(), &GatewayClient::fatalError);
    rig->client->open();
    QVERIFY(fatal.wait(5000));
    QCOMPARE(fatal.at(0).at(0).toInt(), 4004);
    QCOMPARE(rig->client->state(), State::Failed);
    QVERIFY(rig->connections.isEmpty());
}

void tst_GatewayClient::heartbeatAckGivesLatency()
{
    auto rig = makeRig();
    rig->server->injectNow(Fault::ackDelay(40, 40));
    QSignalSpy latency(rig->client.get(), &GatewayClient::latencyChanged);
    rig->client->open();
    QTRY_VERIFY_WITH_TIMEOUT(latency.size() >= 3, 5000);
    for (const QList<QVariant> &args : latency) {
        QVERIFY2(args.at(0).toInt() >= 40, qPrintable(args.at(0).toString()));
        QVERIFY(args.at(1).toInt() >= 40);
    }
    QCOMPARE(rig->client->latencyMs(), latency.constLast().at(0).toInt());
    // Heartbeats carry the last sequence number seen (READY and GUILD_CREATEs here).
    QJsonValue lastBeat;
    for (const auto &entry : rig->received) {
        if (entry.second.value("op"_L1).toInt() == 1)
            lastBeat = entry.second.value("d"_L1);
    }
    QVERIFY(lastBeat.isDouble());
    QVERIFY(lastBeat.toInteger() >= 1);
}

void tst_GatewayClient::jitterFollowsTheRandomSource_data()
{
    QTest::addColumn<double>("draw");
    QTest::newRow("0") << 0.0;
    QTest::newRow("0.25") << 0.25;
    QTest::newRow("0.7") << 0.7;
    QTest::newRow("just under 1") << 0.999;
}

void tst_GatewayClient::jitterFollowsTheRandomSource()
{
    // The first beat waits interval × draw, and each reconnect waits draw × its backoff ceiling
    // (full jitter), with the draw from the injected source: no wall-clock measurement.
    QFETCH(double, draw);
    Emulator::ServerConfig serverConfig = fastServerConfig();
    serverConfig.heartbeatIntervalMs = 600;
    auto rig = makeRig(serverConfig);
    GatewayConfig config = rig->client->config();
    config.backoffBaseMs = 40;
    config.backoffCapMs = 1000;
    rig->client->setConfig(config);
    int draws = 0;
    rig->client->setRandom([&draws, draw] {
        ++draws;
        return draw;
    });
    QSignalSpy started(rig->client.get(), &GatewayClient::heartbeatStarted);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy reconnects(rig->client.get(), &GatewayClient::reconnectScheduled);
    rig->client->open();
    QVERIFY(established.wait(5000));
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.at(0).at(0).toInt(), 600);
    QCOMPARE(started.at(0).at(1).toInt(), int(600 * draw));

    // Two drops in a row before the session is back: ceilings 40, then 80.
    rig->server->setResumeEndpointAvailable(false);
    rig->server->injectNow(Fault::make(Fault::Kind::DropTcp));
    QTRY_VERIFY_WITH_TIMEOUT(reconnects.size() >= 2, 5000);
    rig->server->setResumeEndpointAvailable(true);
    QCOMPARE(reconnects.at(0).at(0).toInt(), 1);
    QCOMPARE(reconnects.at(0).at(1).toInt(), std::min(39, int(40 * draw)));
    QCOMPARE(reconnects.at(1).at(0).toInt(), 2);
    QCOMPARE(reconnects.at(1).at(1).toInt(), std::min(79, int(80 * draw)));
    QVERIFY(draws >= 3);
    rig->client->close();
}

void tst_GatewayClient::serverHeartbeatRequestIsAnsweredAtOnce()
{
    Emulator::ServerConfig serverConfig = fastServerConfig();
    serverConfig.heartbeatIntervalMs = 60000; // only the jittered first beat would come by itself
    auto rig = makeRig(serverConfig);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy latency(rig->client.get(), &GatewayClient::latencyChanged);
    rig->client->open();
    QVERIFY(established.wait(5000));
    // Each request once the previous answer was ACKed gets its own answer.
    for (int i = 0; i < 3; ++i) {
        const int before = rig->countOp(1);
        const qsizetype acks = latency.size();
        rig->server->injectNow(Fault::make(Fault::Kind::RequestHeartbeat));
        QTRY_COMPARE_WITH_TIMEOUT(rig->countOp(1), before + 1, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(latency.size() > acks, 3000);
    }
    QCOMPARE(rig->client->state(), State::Ready);
}

void tst_GatewayClient::heartbeatRequestFloodLeavesRoomForBeats_data()
{
    QTest::addColumn<int>("ackDelayMs");
    QTest::newRow("ACK at once") << 0;
    QTest::newRow("ACK after 150 ms") << 150;
}

void tst_GatewayClient::heartbeatRequestFloodLeavesRoomForBeats()
{
    // 200 op 1 in a second. Answered one by one they would spend the 120-per-60 s budget and
    // the client's own beats would be refused until the server dropped the connection.
    QFETCH(int, ackDelayMs);
    Emulator::ServerConfig serverConfig = fastServerConfig();
    serverConfig.heartbeatIntervalMs = 1500;
    serverConfig.heartbeatGraceMs = 3000;
    auto rig = makeRig(serverConfig);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy disconnected(rig->client.get(), &GatewayClient::disconnected);
    QSignalSpy closed(rig->server.get(), &EmulatorServer::clientClosed);
    rig->client->open();
    QVERIFY(established.wait(5000));
    if (ackDelayMs > 0)
        rig->server->injectNow(Fault::ackDelay(ackDelayMs, ackDelayMs));
    int requests = 0;
    QTimer flood;
    flood.setInterval(5);
    connect(&flood, &QTimer::timeout, this, [&] {
        rig->server->injectNow(Fault::make(Fault::Kind::RequestHeartbeat));
        if (++requests == 200)
            flood.stop();
    });
    const int beforeFlood = rig->countOp(1);
    flood.start();
    QTRY_COMPARE_WITH_TIMEOUT(requests, 200, 10000);
    const int afterFlood = rig->countOp(1);
    // With slow ACKs most requests were served by an answer still in flight.
    if (ackDelayMs > 0)
        QVERIFY2(afterFlood - beforeFlood < 60, qPrintable(QString::number(afterFlood)));
    // The scheduled beats still go out, and the server never closes the connection.
    QTRY_VERIFY_WITH_TIMEOUT(rig->countOp(1) >= afterFlood + 3, 15000);
    QVERIFY(disconnected.isEmpty());
    QVERIFY(closed.isEmpty());
    QCOMPARE(established.size(), 1);
    QCOMPARE(rig->client->state(), State::Ready);
    QVERIFY(rig->countOp(1) + rig->countOp(2) <= 120);
}

void tst_GatewayClient::answeredRequestIsThisIntervalsBeat()
{
    // Beats every 400 ms, each ACKed 300 ms later. An op 1 right after an ACK is answered at
    // once; its own ACK comes 300 ms later, after the next regular beat would have been due
    // (100 ms after the ACK). Only if answering restarts the interval is that no zombie.
    Emulator::ServerConfig serverConfig = fastServerConfig();
    serverConfig.heartbeatIntervalMs = 400;
    auto rig = makeRig(serverConfig);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy missed(rig->client.get(), &GatewayClient::heartbeatAckMissed);
    QSignalSpy latency(rig->client.get(), &GatewayClient::latencyChanged);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->server->injectNow(Fault::ackDelay(300, 300));
    QVERIFY(latency.wait(3000));
    QVERIFY(latency.wait(3000)); // an ACK that the 300 ms delay already applied to
    rig->server->injectNow(Fault::make(Fault::Kind::RequestHeartbeat));
    const qsizetype acks = latency.size();
    QTRY_VERIFY_WITH_TIMEOUT(latency.size() >= acks + 3, 5000);
    QCOMPARE(missed.size(), 0);
    QCOMPARE(established.size(), 1);
    QCOMPARE(rig->client->state(), State::Ready);
}

void tst_GatewayClient::zombieConnectionResumes()
{
    auto rig = makeRig();
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy missed(rig->client.get(), &GatewayClient::heartbeatAckMissed);
    QSignalSpy closed(rig->server.get(), &EmulatorServer::clientClosed);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->server->injectNow(Fault::make(Fault::Kind::StopAcks));
    QTRY_COMPARE_WITH_TIMEOUT(missed.size(), 1, 5000);
    rig->server->injectNow(Fault::make(Fault::Kind::ResumeAcks));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 5000);
    QCOMPARE(established.at(1).at(1).toBool(), true);
    // Closed by the client with a code that keeps the session (never 1000/1001).
    QVERIFY(!closed.isEmpty());
    const int code = closed.at(0).at(1).toInt();
    QVERIFY2(code != 1000 && code != 1001, qPrintable(QString::number(code)));
    QCOMPARE(closed.at(0).at(2).toBool(), false);
    QCOMPARE(rig->connections.constLast().second.host(), rig->server->resumeGatewayUrl().host());
    QCOMPARE(rig->connections.constLast().second.path(),
             rig->server->resumeGatewayUrl().path().isEmpty()
                     ? u"/"_s
                     : rig->server->resumeGatewayUrl().path());
    QCOMPARE(rig->opsOn(rig->lastConnection()).value(0), 6);
    QCOMPARE(rig->client->metrics().identifies, 1);
    QCOMPARE(rig->client->metrics().resumes, 1);
}

void tst_GatewayClient::busyConnectionIsNoZombie()
{
    // Each ACK comes 700 ms after its beat while beats fall due every 250 ms and events keep
    // arriving: like an ACK queued behind a flood of frames. Frames are proof of life, so the
    // client beats on instead of dropping the connection as a zombie.
    auto rig = makeRig();
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy missed(rig->client.get(), &GatewayClient::heartbeatAckMissed);
    QSignalSpy latency(rig->client.get(), &GatewayClient::latencyChanged);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->server->setEventsPerSecond(400);
    rig->server->injectNow(Fault::ackDelay(700, 700));
    QTRY_VERIFY_WITH_TIMEOUT(latency.size() >= 6, 10000);
    rig->server->setEventsPerSecond(0);
    QCOMPARE(missed.size(), 0);
    QCOMPARE(established.size(), 1);
    QCOMPARE(rig->client->state(), State::Ready);
    QCOMPARE_GE(rig->client->metrics().busyBeats, 2);
    QCOMPARE_GE(latency.constLast().at(0).toInt(), 600);
}

void tst_GatewayClient::reconnectOpResumesWithoutLosingEvents()
{
    Emulator::ServerConfig serverConfig = fastServerConfig();
    serverConfig.heartbeatIntervalMs = 5000;
    auto rig = makeRig(serverConfig);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy disconnected(rig->client.get(), &GatewayClient::disconnected);
    rig->client->open();
    QVERIFY(established.wait(5000));
    const QString sessionId = rig->client->session().sessionId;
    rig->server->generateEvents(40);
    const qint64 seqBefore = rig->server->lastSequence(sessionId);
    QVERIFY(seqBefore > 30);
    QTRY_COMPARE_WITH_TIMEOUT(rig->lastDispatchSeq(), seqBefore, 5000);

    // Events generated while the client is away must be replayed on resume. (Not every generated
    // event is a dispatch for this connection: typing and reactions need intents it lacks.)
    qint64 seqWhileAway = -1;
    QObject::connect(
            rig->client.get(), &GatewayClient::disconnected, rig->server.get(),
            [&] {
                rig->server->generateEvents(25);
                seqWhileAway = rig->server->lastSequence(sessionId);
            },
            Qt::SingleShotConnection);
    rig->server->injectNow(Fault::make(Fault::Kind::Reconnect));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 5000);
    QCOMPARE(disconnected.at(0).at(3).value<Action>(), Action::Resume);
    QCOMPARE(established.at(1).at(1).toBool(), true);
    QVERIFY(seqWhileAway > seqBefore + 10);
    QCOMPARE(established.at(1).at(2).toInt(), int(seqWhileAway - seqBefore));

    rig->server->generateEvents(30);
    const qint64 serverSeq = rig->server->lastSequence(rig->client->session().sessionId);
    QTRY_COMPARE_WITH_TIMEOUT(rig->lastDispatchSeq(), serverSeq, 5000);
    // RESUMED has no sequence number of its own.
    QList<qint64> seqs = rig->dispatchSeqs;
    seqs.removeAll(-1);
    QVERIFY2(isContiguous(seqs), "an event was lost or delivered twice");
    QCOMPARE(seqs.constLast(), serverSeq);
}

void tst_GatewayClient::invalidSessionResumable()
{
    auto rig = makeRig();
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    rig->client->open();
    QVERIFY(established.wait(5000));
    const QString sessionId = rig->client->session().sessionId;
    QSignalSpy disconnected(rig->client.get(), &GatewayClient::disconnected);
    QSignalSpy closed(rig->server.get(), &EmulatorServer::clientClosed);
    rig->server->injectNow(Fault::invalidSession(true));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 5000);
    QCOMPARE(established.at(1).at(1).toBool(), true);
    QCOMPARE(rig->client->session().sessionId, sessionId);
    // Gatescope closed that connection itself: the history must not blame the server.
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.at(0).at(2).value<GatewayClient::Initiator>(),
             GatewayClient::Initiator::Client);
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 5000);
    QCOMPARE(closed.at(0).at(2).toBool(), false); // the server saw the client close
}

void tst_GatewayClient::invalidSessionNotResumableIdentifiesAgain()
{
    auto rig = makeRig();
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy disconnected(rig->client.get(), &GatewayClient::disconnected);
    rig->client->open();
    QVERIFY(established.wait(5000));
    const QString sessionId = rig->client->session().sessionId;
    rig->server->injectNow(Fault::invalidSession(false));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 5000);
    QCOMPARE(established.at(1).at(1).toBool(), false);
    QVERIFY(rig->client->session().sessionId != sessionId);
    QCOMPARE(disconnected.at(0).at(3).value<Action>(), Action::Identify);
    QCOMPARE(disconnected.at(0).at(2).value<GatewayClient::Initiator>(),
             GatewayClient::Initiator::Client);
    QCOMPARE(rig->client->metrics().identifies, 2);
    QCOMPARE(rig->opsOn(rig->lastConnection()).value(0), 2);
}

void tst_GatewayClient::closeCodesAreClassified_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<Action>("action");
    QTest::newRow("4000") << 4000 << Action::Resume;
    QTest::newRow("4001") << 4001 << Action::Resume;
    QTest::newRow("4002") << 4002 << Action::Resume;
    QTest::newRow("4003") << 4003 << Action::Identify;
    QTest::newRow("4004") << 4004 << Action::Fatal;
    QTest::newRow("4005") << 4005 << Action::Identify;
    QTest::newRow("4006") << 4006 << Action::Resume;
    QTest::newRow("4007") << 4007 << Action::Identify;
    QTest::newRow("4008") << 4008 << Action::Resume;
    QTest::newRow("4009") << 4009 << Action::Identify;
    QTest::newRow("4010") << 4010 << Action::Fatal;
    QTest::newRow("4011") << 4011 << Action::Fatal;
    QTest::newRow("4012") << 4012 << Action::Fatal;
    QTest::newRow("4013") << 4013 << Action::Fatal;
    QTest::newRow("4014") << 4014 << Action::Fatal;
    QTest::newRow("1000 from server") << 1000 << Action::Resume;
    QTest::newRow("1001 from server") << 1001 << Action::Resume;
}

void tst_GatewayClient::closeCodesAreClassified()
{
    QFETCH(int, code);
    QFETCH(Action, action);
    auto rig = makeRig();
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy disconnected(rig->client.get(), &GatewayClient::disconnected);
    QSignalSpy fatal(rig->client.get(), &GatewayClient::fatalError);
    QSignalSpy reconnects(rig->client.get(), &GatewayClient::reconnectScheduled);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->server->injectNow(Fault::close(code));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 5000);
    QCOMPARE(disconnected.at(0).at(0).toInt(), code);
    QCOMPARE(disconnected.at(0).at(2).value<GatewayClient::Initiator>(),
             GatewayClient::Initiator::Server);
    QCOMPARE(disconnected.at(0).at(3).value<Action>(), action);

    if (action == Action::Fatal) {
        QCOMPARE(rig->client->state(), State::Failed);
        QCOMPARE(fatal.size(), 1);
        QVERIFY(!rig->client->failureReason().isEmpty());
        QCOMPARE(reconnects.size(), 0);
        // No retry: nothing is scheduled and no new connection is being made.
        const qsizetype connections = rig->connections.size();
        QCoreApplication::processEvents();
        QCOMPARE(rig->connections.size(), connections);
        QCOMPARE(reconnects.size(), 0);
        return;
    }
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 5000);
    const int expectedOp = action == Action::Resume ? 6 : 2;
    QCOMPARE(rig->opsOn(rig->lastConnection()).value(0), expectedOp);
    QCOMPARE(established.at(1).at(1).toBool(), action == Action::Resume);
}

void tst_GatewayClient::tcpDropResumes()
{
    auto rig = makeRig();
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy disconnected(rig->client.get(), &GatewayClient::disconnected);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->server->injectNow(Fault::make(Fault::Kind::DropTcp));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 5000);
    QCOMPARE(disconnected.at(0).at(0).toInt(), 1006);
    QCOMPARE(disconnected.at(0).at(2).value<GatewayClient::Initiator>(),
             GatewayClient::Initiator::Network);
    QCOMPARE(established.at(1).at(1).toBool(), true);
}

void tst_GatewayClient::sequenceOnlyMovesForward()
{
    // s = 2..5, then a stray s = 3 (a different message), then the TCP connection drops. The
    // Resume must ask for 5: asking for 3 gets 4 and 5 replayed, shown a second time.
    ScriptedGateway gateway;
    gateway.script
            = {{2, u"1002"_s}, {3, u"1003"_s}, {4, u"1004"_s}, {5, u"1005"_s}, {3, u"1099"_s}};
    GatewayClient client;
    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    config.gatewayUrl = gateway.url();
    config.compression = Compression::None;
    client.setConfig(config);
    QStringList shown;
    connect(&client, &GatewayClient::eventsReady, this, [&shown](const GatewayEventBatch &events) {
        for (const GatewayEvent &event : events) {
            if (event.kind == GatewayEvent::Kind::MessageCreate)
                shown.append(QString::number(event.message.id));
        }
    });
    QSignalSpy established(&client, &GatewayClient::sessionEstablished);
    client.open();
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 10000);
    QCOMPARE(established.at(1).at(1).toBool(), true);
    client.flushEvents();
    QCOMPARE(shown, (QStringList{u"1002"_s, u"1003"_s, u"1004"_s, u"1005"_s, u"1099"_s}));
    QCOMPARE(gateway.resumeSeqs, QList<qint64>{5});
    QCOMPARE(client.metrics().lastSeq, 5);
    client.close();
}

void tst_GatewayClient::resumeUrlDownFallsBackToIdentify()
{
    auto rig = makeRig();
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy errors(rig->client.get(), &GatewayClient::connectionError);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->server->setResumeEndpointAvailable(false);
    rig->server->injectNow(Fault::make(Fault::Kind::DropTcp));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 10000);
    QCOMPARE(established.at(1).at(1).toBool(), false);
    QVERIFY(errors.size() >= 2);
    QCOMPARE(rig->client->metrics().identifies, 2);
    QCOMPARE(rig->connections.constLast().second.path(),
             rig->server->gatewayUrl().path().isEmpty() ? u"/"_s
                                                        : rig->server->gatewayUrl().path());
}

void tst_GatewayClient::closesBeforeReadyStopTheIdentifyLoop_data()
{
    QTest::addColumn<bool>("invalidSession");
    QTest::newRow("close 4000 after Identify") << false;
    QTest::newRow("op 9 false after Identify") << true;
}

void tst_GatewayClient::closesBeforeReadyStopTheIdentifyLoop()
{
    // Like Spacebar with a bad token: the server ends every session right after Identify,
    // before READY. Three in a row and the client stops, saying why, instead of looping.
    QFETCH(bool, invalidSession);
    auto rig = makeRig();
    Rig *r = rig.get();
    QObject::connect(r->server.get(), &EmulatorServer::payloadReceived, r->server.get(),
                     [r, invalidSession](int, const QByteArray &json) {
                         if (QJsonDocument::fromJson(json).object().value("op"_L1).toInt() != 2)
                             return;
                         r->server->injectNow(invalidSession ? Fault::invalidSession(false)
                                                             : Fault::close(4000));
                     });
    QSignalSpy fatal(rig->client.get(), &GatewayClient::fatalError);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    rig->client->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->client->state(), State::Failed, 10000);
    QCOMPARE(fatal.size(), 1);
    QCOMPARE(established.size(), 0);
    QCOMPARE(rig->client->metrics().identifies, 3);
    QCOMPARE(rig->countOp(2), 3);
    const int code = fatal.at(0).at(0).toInt();
    QCOMPARE(code, 4000);
    QVERIFY(CloseCodes::actionFor(code) != Action::Fatal); // how headless tells it apart
    const QString explanation = fatal.at(0).at(1).toString();
    QVERIFY2(explanation.contains(u"before READY 3 times"_s), qPrintable(explanation));
    QVERIFY2(explanation.contains(u"4000 ×3"_s), qPrintable(explanation));
    QVERIFY2(explanation.contains(u"token may be invalid or lack the intents"_s),
             qPrintable(explanation));
    QCOMPARE(rig->client->failureReason(), explanation);
    // Stopped for good: nothing is scheduled and no new connection is being made.
    const qsizetype connections = rig->connections.size();
    QCoreApplication::processEvents();
    QCOMPARE(rig->connections.size(), connections);
}

void tst_GatewayClient::closeBeforeReadyOnceStillIdentifiesAgain()
{
    // Two closes before READY, then a READY: the count starts over, and the next two closes
    // before READY do not stop the client.
    auto rig = makeRig();
    Rig *r = rig.get();
    int toRefuse = 2;
    QObject::connect(r->server.get(), &EmulatorServer::payloadReceived, r->server.get(),
                     [r, &toRefuse](int, const QByteArray &json) {
                         if (QJsonDocument::fromJson(json).object().value("op"_L1).toInt() != 2
                             || toRefuse <= 0)
                             return;
                         --toRefuse;
                         r->server->injectNow(Fault::close(4000));
                     });
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    rig->client->open();
    QVERIFY(established.wait(10000));
    QCOMPARE(rig->client->metrics().identifies, 3);
    toRefuse = 2;
    rig->server->injectNow(Fault::invalidSession(false));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 10000);
    QCOMPARE(rig->client->metrics().identifies, 6);
    QCOMPARE(rig->client->state(), State::Ready);
}

void tst_GatewayClient::sendLimiterHoldsThe121stSend()
{
    // A Discord-like interval: 250 ms beats alone would fill the 120/60 s budget.
    Emulator::ServerConfig serverConfig = fastServerConfig();
    serverConfig.heartbeatIntervalMs = 2000;
    auto rig = makeRig(serverConfig);
    qint64 fakeNow = 1'000'000;
    rig->client->setClock([&fakeNow] { return fakeNow; });
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy closed(rig->server.get(), &EmulatorServer::clientClosed);
    rig->client->open();
    QVERIFY(established.wait(5000));
    const QJsonObject presence{{u"since"_s, QJsonValue::Null},
                               {u"activities"_s, QJsonArray()},
                               {u"status"_s, u"online"_s},
                               {u"afk"_s, false}};
    for (int i = 0; i < 200; ++i)
        QVERIFY(rig->client->sendPayload(3, presence));
    // The frozen clock never lets the window slide: the queue stops below 120 payloads, with
    // room left over for heartbeats, and the server never has to close with 4008.
    QTRY_VERIFY_WITH_TIMEOUT(rig->countOp(3) > 0, 3000);
    const int presences = rig->countOp(3);
    QVERIFY2(presences >= 60 && presences < 120, qPrintable(QString::number(presences)));
    // Heartbeats still get through from the reserved room while the queue stays where it is.
    const int beatsBefore = rig->countOp(1);
    QTRY_VERIFY_WITH_TIMEOUT(rig->countOp(1) >= beatsBefore + 2, 6000);
    QCOMPARE(rig->countOp(3), presences);
    QVERIFY(rig->countOp(3) + rig->countOp(1) + rig->countOp(2) <= 120);
    QVERIFY(closed.isEmpty());
    QCOMPARE(rig->client->state(), State::Ready);
}

void tst_GatewayClient::oversizedSendIsRefused()
{
    Emulator::ServerConfig serverConfig = fastServerConfig();
    serverConfig.heartbeatIntervalMs = 5000;
    auto rig = makeRig(serverConfig);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    rig->client->open();
    QVERIFY(established.wait(5000));
    QString error;
    const QJsonObject huge{
            {u"guild_id"_s, u"1"_s}, {u"query"_s, QString(5000, u'x')}, {u"limit"_s, 0}};
    QVERIFY(!rig->client->sendPayload(8, huge, &error));
    QVERIFY2(error.contains(u"4096"_s), qPrintable(error));
    QVERIFY(rig->client->sendPayload(
            8, QJsonObject{{u"guild_id"_s, u"1"_s}, {u"query"_s, u""_s}, {u"limit"_s, 0}}));
    QTRY_COMPARE_WITH_TIMEOUT(rig->countOp(8), 1, 3000);
    QCOMPARE(rig->client->state(), State::Ready);
}

void tst_GatewayClient::splitZlibPayloadsAreReassembled()
{
    Emulator::ServerConfig serverConfig = fastServerConfig();
    serverConfig.splitFrames = true;
    serverConfig.heartbeatIntervalMs = 5000;
    auto rig = makeRig(serverConfig);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy errors(rig->client.get(), &GatewayClient::connectionError);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->server->generateEvents(200);
    const qint64 serverSeq = rig->server->lastSequence(rig->client->session().sessionId);
    QTRY_COMPARE_WITH_TIMEOUT(rig->lastDispatchSeq(), serverSeq, 5000);
    QVERIFY(rig->messageCreates > 50);
    QCOMPARE(errors.size(), 0);
    // More frames than payloads arrived: payloads really were split.
    QVERIFY(rig->client->metrics().framesIn > 0);
    QVERIFY(isContiguous(rig->dispatchSeqs));
}

void tst_GatewayClient::corruptZlibReconnectsWithFreshInflater()
{
    auto rig = makeRig();
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy errors(rig->client.get(), &GatewayClient::connectionError);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->server->injectNow(Fault::withBytes(Fault::Kind::Garbage, 64));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 5000);
    QVERIFY(!errors.isEmpty());
    QVERIFY2(errors.at(0).at(0).toString().contains(u"zlib"_s),
             qPrintable(errors.at(0).at(0).toString()));
    // A reused inflater would choke on the new stream's header; a fresh one reads it.
    rig->server->generateEvents(20);
    const qint64 serverSeq = rig->server->lastSequence(rig->client->session().sessionId);
    QTRY_COMPARE_WITH_TIMEOUT(rig->lastDispatchSeq(), serverSeq, 5000);
    QCOMPARE(errors.size(), 1);
}

void tst_GatewayClient::invalidJsonReconnects()
{
    auto rig = makeRig(fastServerConfig(), Compression::None);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy errors(rig->client.get(), &GatewayClient::connectionError);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->server->generateEvents(10);
    QTRY_VERIFY_WITH_TIMEOUT(rig->dispatchSeqs.size() >= 10, 5000);
    const qsizetype before = rig->dispatchSeqs.size();
    rig->server->injectNow(Fault::make(Fault::Kind::InvalidJson));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 5000);
    QVERIFY(errors.at(0).at(0).toString().contains(u"JSON"_s));
    // Nothing already received was lost.
    QVERIFY(rig->dispatchSeqs.size() >= before);
}

void tst_GatewayClient::helloTimeoutReconnects()
{
    // A WebSocket server that accepts and then says nothing.
    QWebSocketServer silent(u"silent"_s, QWebSocketServer::NonSecureMode);
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QList<QWebSocket *> sockets;
    connect(&silent, &QWebSocketServer::newConnection, this,
            [&] { sockets.append(silent.nextPendingConnection()); });
    GatewayClient client;
    GatewayConfig config;
    config.token = Token;
    config.gatewayUrl = QUrl(u"ws://127.0.0.1:%1"_s.arg(silent.serverPort()));
    config.helloTimeoutMs = 200;
    config.backoffBaseMs = 50;
    config.backoffCapMs = 100;
    client.setConfig(config);
    QSignalSpy errors(&client, &GatewayClient::connectionError);
    QSignalSpy reconnects(&client, &GatewayClient::reconnectScheduled);
    client.open();
    QVERIFY(errors.wait(3000));
    QVERIFY(errors.at(0).at(0).toString().contains(u"HELLO"_s));
    QTRY_VERIFY_WITH_TIMEOUT(sockets.size() >= 2, 3000);
    QVERIFY(reconnects.size() >= 1);
    client.close();
    qDeleteAll(sockets);
}

void tst_GatewayClient::userCloseEndsTheSession()
{
    auto rig = makeRig();
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy closed(rig->server.get(), &EmulatorServer::clientClosed);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->client->close();
    QCOMPARE(rig->client->state(), State::Disconnected);
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 3000);
    QCOMPARE(closed.at(0).at(1).toInt(), 1000);
    QTRY_COMPARE_WITH_TIMEOUT(rig->server->sessionCount(), 0, 3000);
}

void tst_GatewayClient::closeHandsOverEveryEventReceived()
{
    // Events leave in batches; with a batch interval longer than the test, everything received
    // (READY included) waits in the client's thread until close() hands it over, decoded.
    auto rig = makeRig();
    rig->client->setBatchInterval(600000);
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    QSignalSpy batches(rig->client.get(), &GatewayClient::eventsReady);
    rig->client->open();
    QVERIFY(established.wait(5000));
    rig->server->generateEvents(100);
    const qint64 serverSeq = rig->server->lastSequence(rig->client->session().sessionId);
    QTRY_COMPARE_WITH_TIMEOUT(rig->client->metrics().lastSeq, serverSeq, 5000);
    QCOMPARE(batches.size(), 0);
    rig->client->close();
    QCOMPARE(batches.size(), 1);
    QVERIFY(isContiguous(rig->dispatchSeqs));
    QCOMPARE(rig->dispatchSeqs.constLast(), serverSeq);
    const auto events = batches.at(0).at(0).value<GatewayEventBatch>();
    QCOMPARE(events.constFirst().type, u"READY"_s);
    QVERIFY(rig->messageCreates > 0);
    for (const GatewayEvent &event : events) {
        QVERIFY(event.receivedMs > 0);
        QCOMPARE(event.shard, -1);
        QVERIFY(!event.rawData.isEmpty());
        if (event.kind == GatewayEvent::Kind::MessageCreate)
            QVERIFY(event.message.id != 0);
    }
}

namespace {
QStringList *capturedLines = nullptr;
QtMessageHandler previousHandler = nullptr;
void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (capturedLines)
        capturedLines->append(message);
    if (previousHandler && type >= QtWarningMsg)
        previousHandler(type, context, message);
}
} // namespace

void tst_GatewayClient::tokenNeverLogged()
{
    QStringList lines;
    capturedLines = &lines;
    previousHandler = qInstallMessageHandler(captureMessage);
    QLoggingCategory::setFilterRules(u"gatescope.*=true"_s);
    {
        auto rig = makeRig();
        QStringList frames;
        connect(rig->client.get(), &GatewayClient::frameLogged, this,
                [&frames](const FrameRecord &frame) {
                    frames.append(QString::fromUtf8(frame.json));
                });
        QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
        rig->client->open();
        QVERIFY(established.wait(5000));
        rig->server->injectNow(Fault::make(Fault::Kind::Reconnect));
        QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 5000);
        rig->server->injectNow(Fault::close(4004));
        QTRY_COMPARE_WITH_TIMEOUT(rig->client->state(), State::Failed, 5000);
        QVERIFY(frames.size() > 5);
        bool sawRedactedIdentify = false;
        for (const QString &frame : std::as_const(frames)) {
            QVERIFY2(!frame.contains(Token), qPrintable(frame));
            sawRedactedIdentify |= frame.contains(u"[redacted]"_s);
        }
        QVERIFY(sawRedactedIdentify);
    }
    QLoggingCategory::setFilterRules(QString());
    qInstallMessageHandler(previousHandler);
    capturedLines = nullptr;
    QVERIFY(lines.size() > 10);
    for (const QString &line : std::as_const(lines))
        QVERIFY2(!line.contains(Token), qPrintable(line));
}

namespace {
/// What a consumer sees of a session: the dispatches with their times, and the messages.
struct Observed
{
    QList<std::tuple<QString, qint64, qint64>> dispatches; ///< type, seq, frame time
    QList<QString> messageIds;
    QList<bool> sessions; ///< resumed flags
    QList<int> latencies;
    QList<QPair<int, GatewayClient::Initiator>> closes;
};

void observe(GatewayClient *client, Observed *seen)
{
    QObject::connect(client, &GatewayClient::eventsReady, client,
                     [seen](const GatewayEventBatch &events) {
                         for (const GatewayEvent &event : events) {
                             seen->dispatches.append({event.type, event.seq, event.receivedMs});
                             if (event.kind == GatewayEvent::Kind::MessageCreate)
                                 seen->messageIds.append(QString::number(event.message.id));
                         }
                     });
    QObject::connect(
            client, &GatewayClient::sessionEstablished, client,
            [seen](const QString &, bool resumed, int) { seen->sessions.append(resumed); });
    QObject::connect(client, &GatewayClient::latencyChanged, client,
                     [seen](int last, int) { seen->latencies.append(last); });
    QObject::connect(client, &GatewayClient::disconnected, client,
                     [seen](int code, const QString &, GatewayClient::Initiator initiator,
                            CloseCodes::Action) {
                         seen->closes.append({code, initiator});
                     });
}
} // namespace

void tst_GatewayClient::replayReproducesALiveSession()
{
    // Live: a session with traffic, a heartbeat or two and a resume after op 7, recorded.
    Emulator::ServerConfig serverConfig = fastServerConfig();
    serverConfig.eventsPerSecond = 400;
    auto rig = makeRig(serverConfig);
    Observed live;
    observe(rig->client.get(), &live);
    QByteArray recording;
    connect(rig->client.get(), &GatewayClient::frameLogged, this,
            [&recording](const FrameRecord &frame) {
                recording += FrameRecorder::encodeLine(frame);
            });
    connect(rig->client.get(), &GatewayClient::disconnected, this,
            [&recording](int code, const QString &reason, GatewayClient::Initiator initiator,
                         CloseCodes::Action action) {
                recording += FrameRecorder::encodeCloseLine(QDateTime::currentMSecsSinceEpoch(),
                                                            code, reason, initiator, action);
            });
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    rig->client->open();
    QVERIFY(established.wait(5000));
    QTRY_VERIFY_WITH_TIMEOUT(live.messageIds.size() >= 20 && !live.latencies.isEmpty(), 5000);
    rig->server->injectNow(Fault::make(Fault::Kind::Reconnect));
    QTRY_COMPARE_WITH_TIMEOUT(established.size(), 2, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(live.messageIds.size() >= 40, 5000);
    rig->client->close();
    QVERIFY(!recording.contains(Token.toUtf8()));

    // Replay into a fresh client: the same signals, in the same order, at the recorded times,
    // and nothing touches the network.
    QTemporaryDir dir;
    QFile file(dir.filePath(u"session.jsonl"_s));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(recording) == recording.size());
    file.close();
    GatewayClient replayed;
    Observed seen;
    observe(&replayed, &seen);
    QList<State> states;
    connect(&replayed, &GatewayClient::stateChanged, this,
            [&states](State state) { states.append(state); });
    Replayer replayer;
    QVERIFY(replayer.open(file.fileName()));
    replayer.setSpeed(0);
    connect(&replayer, &Replayer::frameReady, &replayed, &GatewayClient::replayFrame);
    QSignalSpy finished(&replayer, &Replayer::finished);
    QVERIFY(replayed.beginReplay());
    replayer.start();
    QVERIFY(finished.wait(10000));
    replayed.flushEvents(); // as a front end does at the end of a replay
    QCOMPARE(replayer.corruptLines(), 0);
    QCOMPARE(seen.dispatches, live.dispatches);
    QCOMPARE(seen.messageIds, live.messageIds);
    QCOMPARE(seen.sessions, (QList<bool>{false, true}));
    QCOMPARE(seen.latencies.size(), live.latencies.size());
    // Why each connection ended: op 7's resume, then the user's 1000.
    QCOMPARE(live.closes.size(), 2);
    QCOMPARE(live.closes.constLast(), qMakePair(1000, GatewayClient::Initiator::User));
    QCOMPARE(seen.closes, live.closes);
    QCOMPARE(replayed.metrics().identifies, 1);
    QCOMPARE(replayed.metrics().resumes, 1);
    QCOMPARE(replayed.metrics().framesIn, rig->client->metrics().framesIn);
    QVERIFY(replayed.metrics().inflatedBytesIn > 0);
    QVERIFY(!states.contains(State::Connecting));
    QCOMPARE(states.constFirst(), State::Identifying);
    QVERIFY(states.contains(State::Resuming));
    QVERIFY(states.contains(State::Reconnecting));
    QCOMPARE(replayed.state(), State::Disconnected); // the recorded user close
    QVERIFY(replayed.isReplaying());
    replayed.close();
    QCOMPARE(replayed.state(), State::Disconnected);
    QVERIFY(!replayed.isReplaying());
}

void tst_GatewayClient::replayIsRefusedWhileConnected()
{
    auto rig = makeRig();
    QSignalSpy established(rig->client.get(), &GatewayClient::sessionEstablished);
    rig->client->open();
    QVERIFY(established.wait(5000));
    QVERIFY(!rig->client->beginReplay());
    RecordedFrame frame;
    frame.payload = Payload::dispatch(u"MESSAGE_CREATE"_s, 999999, QJsonObject());
    rig->client->flushEvents();
    const qsizetype before = rig->dispatchSeqs.size();
    rig->client->replayFrame(frame);
    rig->client->flushEvents();
    QCOMPARE(rig->dispatchSeqs.size(), before);
    rig->client->close();
}

QTEST_GUILESS_MAIN(tst_GatewayClient)
#include "tst_gatewayclient.moc"
