#include "core/connection/connectioncontroller.h"
#include "fastgatewayconfig.h"
#include "lateconnections.h"

#include "emulator/emulatorserver.h"

#include <QFile>
#include <QMutex>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Emulator::EmulatorServer;
using Emulator::Fault;
using State = GatewayClient::State;

namespace {

const QString Token = u"MTAxNTk2.tst-controller-shutdown.c2VjcmV0"_s;
constexpr int ShardCount = 3;
constexpr int BackoffMs = 500; ///< every backoff timer fires within it; waited past after the stop

/// How the run ends.
enum class Ending {
    Stop, ///< the user's disconnect: 1000 to every open socket
    KeepSessions, ///< a quit that keeps the sessions: 4000, session file written
    Destroy, ///< the controller (and its gateway thread) destroyed
};

/// The state the shards are in when the run ends.
enum class Scenario {
    Connecting, ///< shard 0 waits for a WebSocket handshake that never comes, 1-2 pending
    Identifying, ///< shard 0 waits for its Identify slot (socket open), 1-2 pending
    Mixed, ///< shard 0 Ready, shard 1 waits for its Identify slot, shard 2 pending
    /// Every shard closed with 4000 by the server: each waits out its backoff (jittered, so
    /// some may have resumed by the end)
    Backoff,
    /// Every shard told to reconnect (op 7): each resumes (some may be Ready by the end)
    Resuming,
};

/// An identify gate (GatewayConfig::identifyGate) that lets only some shards through and holds
/// the others for ever. Called in the gateway thread.
struct HeldGate
{
    QMutex mutex;
    QSet<int> allowed;
    std::vector<std::function<void()>> held;

    IdentifyGate gate()
    {
        return [this](int shard, std::function<void()> proceed) {
            QMutexLocker lock(&mutex);
            if (allowed.contains(shard))
                proceed();
            else
                held.push_back(std::move(proceed));
        };
    }
};

/// One close the emulator saw.
struct Close
{
    int connectionId = 0;
    int code = 0;
    bool byServer = false;
};

} // namespace

Q_DECLARE_METATYPE(Ending)
Q_DECLARE_METATYPE(Scenario)

/// A controller running shards 0-2 of 3 stopped (by the user, by a quit that keeps the
/// sessions, or by its destruction) in every state a shard can be in: no crash, every socket
/// closed once and with the right code, no new connection afterwards, and the session file
/// written only when a quit keeps sessions.
class tst_ControllerShutdown : public QObject
{
    Q_OBJECT

private slots:
    void endInEveryState_data();
    void endInEveryState();
};

void tst_ControllerShutdown::endInEveryState_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<Ending>("ending");
    QTest::addColumn<int>("sessions"); ///< sessions a quit can keep in that state
    const QList<std::pair<const char *, Scenario>> scenarios{
            {"connecting", Scenario::Connecting}, {"identifying", Scenario::Identifying},
            {"mixed", Scenario::Mixed},           {"backoff", Scenario::Backoff},
            {"resuming", Scenario::Resuming},
    };
    const QList<std::pair<const char *, Ending>> endings{
            {"stop", Ending::Stop},
            {"quit keeping sessions", Ending::KeepSessions},
            {"controller destroyed", Ending::Destroy},
    };
    for (const auto &[scenarioName, scenario] : scenarios) {
        const int sessions
                = scenario == Scenario::Mixed
                          ? 1
                          : (scenario == Scenario::Backoff || scenario == Scenario::Resuming
                                     ? ShardCount
                                     : 0);
        for (const auto &[endingName, ending] : endings)
            QTest::addRow("%s, %s", scenarioName, endingName) << scenario << ending << sessions;
    }
}

void tst_ControllerShutdown::endInEveryState()
{
    QFETCH(Scenario, scenario);
    QFETCH(Ending, ending);
    QFETCH(int, sessions);

    Emulator::ServerConfig serverConfig;
    serverConfig.tokens = {Token};
    // Discord's interval: no heartbeat or ACK crosses the stop.
    serverConfig.heartbeatIntervalMs = 41250;
    serverConfig.identifyWindowMs = 50;
    serverConfig.traffic.guildCount = 2;
    EmulatorServer server(serverConfig);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QList<Close> closes;
    connect(&server, &EmulatorServer::clientClosed, this,
            [&closes](int id, int code, bool byServer) {
                closes.append({id, code, byServer});
            });
    QSet<int> connectionIds;
    connect(&server, &EmulatorServer::clientConnected, this,
            [&connectionIds](int id) { connectionIds.insert(id); });
    QSignalSpy connected(&server, &EmulatorServer::clientConnected);
    QSignalSpy payloads(&server, &EmulatorServer::payloadReceived);

    // Accepts TCP and never answers the WebSocket handshake.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QSignalSpy silentConnected(&silent, &QTcpServer::newConnection);

    HeldGate gate;
    if (scenario == Scenario::Mixed)
        gate.allowed = {0};
    else if (scenario == Scenario::Backoff || scenario == Scenario::Resuming)
        gate.allowed = {0, 1, 2};

    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    config.gatewayUrl = scenario == Scenario::Connecting
                                ? QUrl(u"ws://127.0.0.1:%1"_s.arg(silent.serverPort()))
                                : server.gatewayUrl();
    config.minIdentifyIntervalMs = 60;
    config.backoffBaseMs = BackoffMs;
    config.backoffCapMs = BackoffMs;
    config.handshakeTimeoutMs = 60000; // the silent server holds Connecting
    config.identifyGate = gate.gate();

    QTemporaryDir dir;
    const QString sessionPath = dir.filePath(u"session.json"_s);
    // Declared before the controller: its destruction delivers its last signals to them.
    QHash<int, State> shardStates;
    QHash<State, QSet<int>> seen; // the shards that reached each state
    const auto allShardsAre = [&shardStates](State state) {
        for (int shard = 0; shard < ShardCount; ++shard) {
            if (shardStates.value(shard, State::Disconnected) != state)
                return false;
        }
        return true;
    };
    auto controller = std::make_unique<ConnectionController>();
    controller->setSessionFile(sessionPath);
    connect(controller.get(), &ConnectionController::shardStateChanged, this,
            [&](int shard, State state) {
                shardStates.insert(shard, state);
                seen[state].insert(shard);
            });
    QVERIFY2(controller->connectShards(config, 0, ShardCount - 1, ShardCount, &error),
             qPrintable(error));

    std::unique_ptr<QTcpSocket> silentSocket;
    switch (scenario) {
    case Scenario::Connecting:
        QVERIFY(silentConnected.wait(15000));
        silentSocket.reset(silent.nextPendingConnection());
        QTRY_COMPARE_WITH_TIMEOUT(shardStates.value(0), State::Connecting, 15000);
        break;
    case Scenario::Identifying:
        QTRY_COMPARE_WITH_TIMEOUT(shardStates.value(0), State::Identifying, 15000);
        break;
    case Scenario::Mixed:
        QTRY_COMPARE_WITH_TIMEOUT(shardStates.value(0), State::Ready, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(shardStates.value(1), State::Identifying, 15000);
        QCOMPARE(shardStates.value(2, State::Disconnected), State::Disconnected);
        break;
    case Scenario::Backoff:
        QTRY_VERIFY_WITH_TIMEOUT(allShardsAre(State::Ready), 15000);
        server.injectNow(Fault::close(4000, u"test"_s));
        QTRY_COMPARE_WITH_TIMEOUT(seen.value(State::Reconnecting).size(), ShardCount, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(closes.size() >= ShardCount, 15000); // the first connections
        break;
    case Scenario::Resuming:
        QTRY_VERIFY_WITH_TIMEOUT(allShardsAre(State::Ready), 15000);
        server.injectNow(Fault::make(Fault::Kind::Reconnect));
        QTRY_COMPARE_WITH_TIMEOUT(seen.value(State::Resuming).size(), ShardCount, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(closes.size() >= ShardCount, 15000); // the first connections
        break;
    }
    // The sockets open at the end: known in the states that hold; in the others a resume may
    // be on its way, so they are counted from the closes after the end.
    const qsizetype closesBefore = closes.size();
    int openAtEnd = -1;
    if (scenario == Scenario::Connecting || scenario == Scenario::Identifying
        || scenario == Scenario::Mixed) {
        openAtEnd = server.connectionCount();
        QCOMPARE(openAtEnd,
                 scenario == Scenario::Identifying ? 1 : (scenario == Scenario::Mixed ? 2 : 0));
    }

    const qsizetype connectedBeforeEnd = connected.size();
    QString line;
    switch (ending) {
    case Ending::Stop:
        controller->stop();
        QVERIFY(!controller->isActive());
        break;
    case Ending::KeepSessions:
        line = controller->stopKeepingSessions();
        QVERIFY(!controller->isActive());
        break;
    case Ending::Destroy:
        controller.reset();
        break;
    }

    // Every socket open at the end is closed by the client, once, with the ending's code.
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 15000);
    const int expectedCode = ending == Ending::KeepSessions ? 4000 : 1000;
    const QList<Close> ended = closes.mid(closesBefore);
    if (openAtEnd >= 0)
        QCOMPARE(ended.size(), openAtEnd);
    int aborted = 0;
    for (const Close &close : ended) {
        QVERIFY(!close.byServer);
        // A resume whose handshake the server finished but the client had not yet seen has
        // no WebSocket to send a close frame on: it is aborted (1006, resumable).
        if (openAtEnd < 0 && close.code == 1006) {
            ++aborted;
            continue;
        }
        QCOMPARE(close.code, expectedCode);
    }
    QSet<int> closedIds;
    int userCloses = 0;
    for (const Close &close : std::as_const(closes)) {
        QVERIFY2(!closedIds.contains(close.connectionId), "a connection closed twice");
        closedIds.insert(close.connectionId);
        userCloses += close.code == 1000 ? 1 : 0;
    }
    // A 1000 ends a session on Discord: only the user's disconnect (or the controller's
    // destruction, which is documented as stop()) sends it.
    QCOMPARE(userCloses, ending == Ending::KeepSessions ? 0 : int(ended.size()) - aborted);
    if (silentSocket)
        QTRY_COMPARE_WITH_TIMEOUT(silentSocket->state(), QAbstractSocket::UnconnectedState, 15000);

    if (ending == Ending::KeepSessions) {
        if (sessions > 0)
            QVERIFY2(line.contains(u"%1 session(s) saved"_s.arg(sessions)), qPrintable(line));
        else
            QVERIFY2(line.contains(u"no session to keep"_s), qPrintable(line));
    }
    QCOMPARE(QFile::exists(sessionPath), ending == Ending::KeepSessions && sessions > 0);

    // No timer of the stopped connections fires later: no new connection anywhere. In the
    // rows where a resume can be on its way, the server may still accept one the client
    // aborted at the end; it never carries a payload (no Resume, no heartbeat).
    const qsizetype silentConnections = silentConnected.size();
    connected.wait(BackoffMs + BackoffMs / 2);
    QCOMPARE(silentConnected.size(), silentConnections);
    controller.reset();
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 15000);
    if (openAtEnd >= 0)
        QCOMPARE(connected.size(), connectedBeforeEnd);
    QVERIFY(lateConnectionsThatSpoke(connected, connectedBeforeEnd, payloads).isEmpty());
    // Every connection closed once.
    QTRY_COMPARE_WITH_TIMEOUT(closes.size(), connectionIds.size(), 15000);
    QSet<int> everClosed;
    for (const Close &close : std::as_const(closes))
        everClosed.insert(close.connectionId);
    QCOMPARE(everClosed, connectionIds);
}

QTEST_GUILESS_MAIN(tst_ControllerShutdown)
#include "tst_controllershutdown.moc"
