#include "core/connection/connectioncontroller.h"
#include "core/connection/shardhealth.h"
#include "core/connection/shardstatsmodel.h"
#include "fastgatewayconfig.h"

#include "emulator/emulatorserver.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Emulator::EmulatorServer;
using Emulator::Fault;
using State = GatewayClient::State;

namespace {
const QString Token = u"MTAxNTk2.tst-shard-health.c2VjcmV0"_s;
constexpr qint64 Wall0 = 1'780'000'000'000; // a Unix ms for the injected wall clock

/// A clock the test moves by hand: monotonic and wall time advance together.
struct FakeClock
{
    qint64 ms = 1000;
    void install(ShardHealth &health)
    {
        health.setClock([this] { return ms; }, [this] { return Wall0 + ms; });
    }
};

/// Moves the clock on and waits for ACKs, twice: dispatches sent before the silence may still
/// sit in the client's batcher (up to 16 ms) when the first ACK after them arrives, and must
/// not share its time.
bool acksAfterTheLastDispatch(FakeClock &clock, QSignalSpy &acks)
{
    for (int round = 0; round < 2; ++round) {
        clock.ms += 1;
        const qsizetype before = acks.count();
        if (!QTest::qWaitFor([&] { return acks.count() >= before + 2; }, 10000))
            return false;
    }
    return true;
}

/// An emulator that heartbeats every 100 ms, so ACKs come quickly.
Emulator::ServerConfig quickAckServer()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.heartbeatIntervalMs = 100;
    return config;
}

/// @p health follows @p controller on @p clock, evaluated only when the test says so.
void followWithFakeClock(ShardHealth &health, FakeClock &clock, ConnectionController &controller,
                         qint64 silentAfterMs)
{
    clock.install(health);
    health.setCheckInterval(0);
    health.setSilentAfterMs(silentAfterMs);
    health.attach(&controller);
}

/// @p shard of a new connection becomes Ready now, gets an ACK @p ackAfterMs later, and is
/// evaluated @p evaluateAfterMs after becoming Ready.
void makeSilent(FakeClock &clock, ShardHealth &health, int shard, qint64 ackAfterMs,
                qint64 evaluateAfterMs)
{
    health.resetShards({shard});
    health.noteState(shard, State::Ready);
    clock.ms += ackAfterMs;
    health.noteAck(shard);
    clock.ms += evaluateAfterMs - ackAfterMs;
    health.evaluate();
}

GatewayEvent eventOf(int shard)
{
    GatewayEvent event;
    event.type = u"TYPING_START"_s;
    event.shard = shard;
    return event;
}
} // namespace

class tst_ShardHealth : public QObject
{
    Q_OBJECT

private slots:
    void raisesAfterThreshold_data();
    void raisesAfterThreshold();
    void needsAcksAfterTheLastDispatch();
    void silenceEnds_data();
    void silenceEnds();
    void batchesNameTheirShards();
    void modelAndJsonCarryTheFacts();
    void emulatorSilenceRaisesAndDispatchClears();
    void reconnectResumesASilentShard();
};

void tst_ShardHealth::raisesAfterThreshold_data()
{
    QTest::addColumn<qint64>("silentAfterMs");
    QTest::newRow("default 10 min") << ShardHealth::DefaultSilentAfterMs;
    QTest::newRow("90 s") << qint64(90000);
    QTest::newRow("1 h") << qint64(3600000);
}

void tst_ShardHealth::raisesAfterThreshold()
{
    QFETCH(qint64, silentAfterMs);
    FakeClock clock;
    ShardHealth health;
    clock.install(health);
    health.setSilentAfterMs(silentAfterMs);
    QSignalSpy started(&health, &ShardHealth::silenceStarted);
    health.resetShards({0, 1});
    health.noteState(0, State::Ready);
    health.noteState(1, State::Ready);
    const qint64 readyAt = clock.ms;
    // Heartbeats keep being acknowledged every 41 s; shard 1 keeps receiving events.
    while (clock.ms - readyAt < silentAfterMs - 1) {
        clock.ms = std::min(clock.ms + 41250, readyAt + silentAfterMs - 1);
        health.noteAck(0);
        health.noteAck(1);
        health.noteDispatch(1);
        health.evaluate();
    }
    QCOMPARE(started.count(), 0);
    QVERIFY(!health.isSilent(0));
    QCOMPARE(health.facts(0).msSinceDispatch, silentAfterMs - 1);

    clock.ms = readyAt + silentAfterMs;
    health.evaluate();
    QCOMPARE(started.count(), 1);
    QCOMPARE(started.at(0).at(0).toInt(), 0);
    QCOMPARE(started.at(0).at(1).toLongLong(), silentAfterMs);
    QCOMPARE(started.at(0).at(2).toLongLong(), Wall0 + readyAt);
    QVERIFY(health.isSilent(0));
    QVERIFY(!health.isSilent(1));
    QCOMPARE(health.silentCount(), 1);
    const ShardHealthFacts facts = health.facts(0);
    QVERIFY(facts.silent);
    QCOMPARE(facts.silentSinceMs, Wall0 + readyAt);
    QCOMPARE(facts.msSinceDispatch, silentAfterMs);
    QVERIFY(facts.msSinceAck >= 0 && facts.msSinceAck < 41250);
    // Raised once, not at every evaluation.
    clock.ms += 5000;
    health.evaluate();
    QCOMPARE(started.count(), 1);
}

void tst_ShardHealth::needsAcksAfterTheLastDispatch()
{
    // No ACK since the last dispatch: a dead connection (the client's zombie check handles it),
    // not a silent one.
    FakeClock clock;
    ShardHealth health;
    clock.install(health);
    health.setSilentAfterMs(60000);
    health.resetShards({-1});
    health.noteAck(-1);
    clock.ms += 10;
    health.noteState(-1, State::Ready);
    clock.ms += 120000;
    health.evaluate();
    QVERIFY(!health.isSilent(-1));
    // Not Ready: not silent either, however long.
    health.noteAck(-1);
    health.noteState(-1, State::Resuming);
    clock.ms += 120000;
    health.evaluate();
    QVERIFY(!health.isSilent(-1));
}

void tst_ShardHealth::silenceEnds_data()
{
    QTest::addColumn<bool>("byDispatch");
    QTest::newRow("on the next dispatch") << true;
    QTest::newRow("on leaving Ready") << false;
}

void tst_ShardHealth::silenceEnds()
{
    QFETCH(bool, byDispatch);
    FakeClock clock;
    ShardHealth health;
    clock.install(health);
    health.setSilentAfterMs(60000);
    QSignalSpy ended(&health, &ShardHealth::silenceEnded);
    makeSilent(clock, health, 3, 30000, 75000);
    QVERIFY(health.isSilent(3));
    if (byDispatch)
        health.noteDispatch(3);
    else
        health.noteState(3, State::Reconnecting);
    QVERIFY(!health.isSilent(3));
    QCOMPARE(ended.count(), 1);
    QCOMPARE(ended.at(0).at(0).toInt(), 3);
    QCOMPARE(ended.at(0).at(1).toLongLong(), 75000);
    QCOMPARE(ended.at(0).at(2).toBool(), byDispatch);
    QCOMPARE(health.facts(3).silentSinceMs, 0);
    QCOMPARE(health.facts(3).msSinceDispatch, byDispatch ? 0 : 75000);
    // A new connection forgets the old shards without raising anything.
    health.resetShards({3, 4});
    QCOMPARE(health.shards(), (QList<int>{3, 4}));
    QCOMPARE(health.facts(4).msSinceDispatch, -1);
    QCOMPARE(ended.count(), 1);
}

void tst_ShardHealth::batchesNameTheirShards()
{
    FakeClock clock;
    ShardHealth health;
    clock.install(health);
    health.resetShards({0, 1, 2});
    clock.ms += 100;
    health.noteEvents({eventOf(0), eventOf(0), eventOf(2)});
    clock.ms += 50;
    QCOMPARE(health.facts(0).msSinceDispatch, 50);
    QCOMPARE(health.facts(1).msSinceDispatch, -1);
    QCOMPARE(health.facts(2).msSinceDispatch, 50);
}

void tst_ShardHealth::modelAndJsonCarryTheFacts()
{
    FakeClock clock;
    ShardHealth health;
    clock.install(health);
    health.setSilentAfterMs(60000);
    ShardStatsModel model;
    model.attachHealth(&health);
    model.resetShards({0, 1});
    health.resetShards({0, 1});
    health.noteState(0, State::Ready);
    model.setState(0, State::Ready);
    clock.ms += 61000;
    health.noteAck(0);
    health.evaluate();
    QVERIFY(model.stats(0).silent);
    QVERIFY(model.data(model.index(0, 0), ShardStatsModel::SilentRole).toBool());
    QCOMPARE(model.data(model.index(0, ShardStatsModel::State)).toString(), u"Ready · silent"_s);
    QCOMPARE(model.data(model.index(0, ShardStatsModel::LastDispatch)).toString(),
             u"1 min 1 s ago"_s);
    const QJsonObject silent = model.toJson().at(0).toObject();
    QCOMPARE(silent.value("silent"_L1).toBool(), true);
    QCOMPARE(silent.value("silent_since"_L1).toString(),
             QDateTime::fromMSecsSinceEpoch(Wall0 + 1000, Qt::UTC).toString(Qt::ISODateWithMs));
    QCOMPARE(silent.value("ms_since_dispatch"_L1).toInteger(), 61000);
    QCOMPARE(silent.value("ms_since_ack"_L1).toInteger(), 0);
    const QJsonObject quiet = model.toJson().at(1).toObject();
    QCOMPARE(quiet.value("silent"_L1).toBool(), false);
    QVERIFY(quiet.value("silent_since"_L1).isNull());
    QVERIFY(quiet.value("ms_since_dispatch"_L1).isNull());
}

void tst_ShardHealth::emulatorSilenceRaisesAndDispatchClears()
{
    EmulatorServer server(quickAckServer());
    QVERIFY(server.start());
    ConnectionController controller;
    FakeClock clock;
    ShardHealth health;
    followWithFakeClock(health, clock, controller, ShardHealth::DefaultSilentAfterMs);
    QSignalSpy started(&health, &ShardHealth::silenceStarted);
    QSignalSpy ended(&health, &ShardHealth::silenceEnded);
    QSignalSpy acks(&controller, &ConnectionController::latencyChanged);
    QSignalSpy batches(&controller, &ConnectionController::eventsReady);

    GatewayConfig client = fastGatewayConfig();
    client.token = Token;
    client.gatewayUrl = server.gatewayUrl();
    controller.connectTo(client);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Ready, 10000);
    // READY's batch first: events generated before it was handed over could share it.
    QTRY_VERIFY_WITH_TIMEOUT(batches.count() >= 1, 10000);
    const qsizetype batchesBefore = batches.count();
    server.generateEvents(3);
    QTRY_VERIFY_WITH_TIMEOUT(batches.count() > batchesBefore, 10000);

    server.injectNow(Fault::silence());
    server.generateEvents(5); // recorded for the session, never sent
    QVERIFY(acksAfterTheLastDispatch(clock, acks));
    health.evaluate();
    QCOMPARE(started.count(), 0); // ACKs, but not yet ten minutes without a dispatch

    clock.ms += ShardHealth::DefaultSilentAfterMs;
    health.evaluate();
    QCOMPARE(started.count(), 1);
    QCOMPARE(started.at(0).at(0).toInt(), -1);
    QVERIFY(health.isSilent(-1));
    QCOMPARE(controller.state(), State::Ready); // connected all along

    server.injectNow(Fault::silence(-1, true));
    server.generateEvents(2);
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 10000);
    QCOMPARE(ended.at(0).at(2).toBool(), true); // ended by a dispatch
    QVERIFY(!health.isSilent(-1));
    controller.stop();
}

void tst_ShardHealth::reconnectResumesASilentShard()
{
    EmulatorServer server(quickAckServer());
    QVERIFY(server.start());
    ConnectionController controller;
    FakeClock clock;
    ShardHealth health;
    followWithFakeClock(health, clock, controller, 90000);
    QSignalSpy acks(&controller, &ConnectionController::latencyChanged);
    QSignalSpy sessions(&controller, &ConnectionController::sessionEstablished);

    GatewayConfig client = fastGatewayConfig();
    client.token = Token;
    client.gatewayUrl = server.gatewayUrl();
    QVERIFY(!controller.reconnectShard(-1)); // nothing runs yet
    controller.connectTo(client);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Ready, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(sessions.count(), 1, 10000);
    server.injectNow(Fault::silence());
    server.generateEvents(5);
    QVERIFY(acksAfterTheLastDispatch(clock, acks));
    clock.ms += 90000;
    health.evaluate();
    QVERIFY(health.isSilent(-1));

    QVERIFY(!controller.reconnectShard(7)); // not a shard of this connection
    QVERIFY(controller.reconnectShard(-1));
    QTRY_COMPARE_WITH_TIMEOUT(sessions.count(), 2, 10000);
    QCOMPARE(sessions.at(1).at(2).toBool(), true); // resumed
    QVERIFY2(sessions.at(1).at(3).toInt() >= 5,
             qPrintable(u"replayed %1"_s.arg(sessions.at(1).at(3).toInt())));
    QTRY_VERIFY_WITH_TIMEOUT(health.facts(-1).msSinceDispatch == 0, 10000);
    QVERIFY(!health.isSilent(-1));
    controller.stop();
}

QTEST_GUILESS_MAIN(tst_ShardHealth)
#include "tst_shardhealth.moc"
