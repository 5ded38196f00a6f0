#include "core/connection/shardstatsmodel.h"
#include "fastgatewayconfig.h"
#include "shardedserverconfig.h"

#include "emulator/emulatorserver.h"

#include <QAbstractItemModelTester>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Emulator::EmulatorServer;
using State = GatewayClient::State;

namespace {
const QString Token = u"MTAxNTk2.tst-shard-stats.c2VjcmV0"_s;
} // namespace

class tst_ShardStatsModel : public QObject
{
    Q_OBJECT

private slots:
    void rowsFollowSignals();
    void latencyHistoryIsBounded();
    void fourShardsGiveFourRows();
    void singleConnectionIsOneRow();
};

void tst_ShardStatsModel::rowsFollowSignals()
{
    ShardStatsModel model;
    QAbstractItemModelTester tester(&model);
    model.resetShards({0, 1, 2});
    QCOMPARE(model.rowCount(), 3);
    model.setState(1, State::Ready);
    model.addLatency(1, 42);
    model.noteClose(2, 4000, u"unknown error"_s);
    // A shard that was not announced gets a row in order.
    model.setState(5, State::Connecting);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.stats(3).shard, 5);
    QCOMPARE(model.stats(1).state, State::Ready);
    QCOMPARE(model.data(model.index(1, ShardStatsModel::Latency)).toString(), u"42 ms"_s);
    QCOMPARE(model.data(model.index(0, ShardStatsModel::Latency)).toString(), u"—"_s);
    QCOMPARE(model.data(model.index(2, ShardStatsModel::LastClose)).toString(),
             u"4000 unknown error"_s);

    ConnectionController::ShardSnapshot snapshot;
    snapshot.shard = 2;
    snapshot.metrics.lastSeq = 77;
    snapshot.metrics.reconnects = 3;
    snapshot.metrics.eventsPerSecond = 12.5;
    snapshot.guildCount = 4;
    model.applySnapshots({snapshot});
    QCOMPARE(model.stats(2).lastSeq, 77);
    QCOMPARE(model.stats(2).reconnects, 3);
    QCOMPARE(model.data(model.index(2, ShardStatsModel::EventsPerSecond)).toString(), u"12.5"_s);
    // A later copy without a session (closed) keeps the guild count READY gave.
    snapshot.guildCount = 0;
    model.applySnapshots({snapshot});
    QCOMPARE(model.stats(2).guilds, 4);

    const QJsonObject json = model.toJson().at(2).toObject();
    QCOMPARE(json.value("shard"_L1).toInt(), 2);
    QCOMPARE(json.value("last_close_code"_L1).toInt(), 4000);
    QCOMPARE(json.value("reconnects"_L1).toInt(), 3);
    QCOMPARE(json.value("state"_L1).toString(), u"Disconnected"_s);
}

void tst_ShardStatsModel::latencyHistoryIsBounded()
{
    ShardStatsModel model;
    model.resetShards({0});
    for (int ms = 1; ms <= ShardStatsModel::HistoryLength + 5; ++ms)
        model.addLatency(0, ms);
    const auto history = model.data(model.index(0, 0), ShardStatsModel::LatencyHistoryRole)
                                 .value<QList<int>>();
    QCOMPARE(history.size(), ShardStatsModel::HistoryLength);
    QCOMPARE(history.constFirst(), 6);
    QCOMPARE(history.constLast(), ShardStatsModel::HistoryLength + 5);
}

void tst_ShardStatsModel::fourShardsGiveFourRows()
{
    EmulatorServer server(shardedServerConfig(Token, 4));
    QVERIFY(server.start());

    ConnectionController controller;
    ShardStatsModel model;
    QAbstractItemModelTester tester(&model);
    model.attach(&controller);
    GatewayConfig client = fastGatewayConfig();
    client.token = Token;
    client.apiUrl = server.apiUrl();
    client.minIdentifyIntervalMs = 60;
    QString error;
    QVERIFY2(controller.connectShards(client, 0, 3, 0, &error), qPrintable(error));
    QCOMPARE(model.rowCount(), 4);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Ready, 15000);
    server.generateEvents(200);
    for (int row = 0; row < 4; ++row) {
        QCOMPARE(model.stats(row).shard, row);
        QTRY_COMPARE_WITH_TIMEOUT(model.stats(row).state, State::Ready, 5000);
        QTRY_VERIFY2_WITH_TIMEOUT(
                model.stats(row).lastSeq > 1,
                qPrintable(u"row %1 seq %2"_s.arg(row).arg(model.stats(row).lastSeq)), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(model.stats(row).latencyMs >= 0, 10000);
        QVERIFY(model.stats(row).guilds > 0);
    }
    controller.stop();
    model.applySnapshots(controller.shardSnapshots());
    for (int row = 0; row < 4; ++row) {
        QCOMPARE(model.stats(row).state, State::Disconnected);
        QCOMPARE(model.stats(row).lastCloseCode, 1000);
        QVERIFY(model.stats(row).guilds > 0);
    }
}

void tst_ShardStatsModel::singleConnectionIsOneRow()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    EmulatorServer server(config);
    QVERIFY(server.start());
    ConnectionController controller;
    ShardStatsModel model;
    model.attach(&controller);
    GatewayConfig client = fastGatewayConfig();
    client.token = Token;
    client.gatewayUrl = server.gatewayUrl();
    controller.connectTo(client);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.stats(0).shard, -1);
    QTRY_COMPARE_WITH_TIMEOUT(model.stats(0).state, State::Ready, 5000);
    controller.stop();
    QCOMPARE(model.stats(0).state, State::Disconnected);
}

QTEST_GUILESS_MAIN(tst_ShardStatsModel)
#include "tst_shardstatsmodel.moc"
