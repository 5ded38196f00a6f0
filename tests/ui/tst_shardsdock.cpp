#include "core/connection/shardstatsmodel.h"
#include "core/fleet/fleetshardsmodel.h"
#include "core/gateway/snowflake.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "emulator/emulatorserver.h"
#include "shardedserverconfig.h"
#include "ui/filterbar.h"
#include "ui/mainwindow.h"
#include "ui/shardsdock.h"
#include "ui/shardstatedelegate.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

class tst_ShardsDock : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void withShardTerm_data();
    void withShardTerm();
    void fourShardsAndSelectingOneFilters();
    void fleetColoursStaleAndGaps();
};

void tst_ShardsDock::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"GatescopeTest"_s);
    QCoreApplication::setApplicationName(u"tst_shardsdock"_s);
    QSettings().clear();
}

void tst_ShardsDock::withShardTerm_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("shard");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QString() << 2 << u"shard:2"_s;
    QTest::newRow("added") << u"from:alice error"_s << 3 << u"from:alice error shard:3"_s;
    QTest::newRow("replaced at the start") << u"shard:1 error"_s << 0 << u"shard:0 error"_s;
    QTest::newRow("replaced inside") << u"a shard:12 b"_s << 4 << u"a shard:4 b"_s;
    QTest::newRow("replaced at the end") << u"a SHARD:7"_s << 5 << u"a shard:5"_s;
    QTest::newRow("text that only looks like it") << u"myshard:1"_s << 2 << u"myshard:1 shard:2"_s;
}

void tst_ShardsDock::withShardTerm()
{
    QFETCH(QString, query);
    QFETCH(int, shard);
    QFETCH(QString, expected);
    QCOMPARE(ShardsDock::withShardTerm(query, shard), expected);
}

void tst_ShardsDock::fourShardsAndSelectingOneFilters()
{
    Emulator::ServerConfig serverConfig = shardedServerConfig(u"MTAx.shards-dock.c2VjcmV0"_s, 4);
    serverConfig.eventsPerSecond = 0; // only what the test generates
    Emulator::EmulatorServer server(serverConfig);
    QVERIFY(server.start());

    MainWindow window;
    window.show();
    GatewayConfig config;
    config.token = serverConfig.tokens.constFirst();
    config.apiUrl = server.apiUrl();
    QString error;
    QVERIFY2(window.connectShards(config, 0, 3, 0, &error), qPrintable(error));
    QTableView *view = window.shardsPanel()->view();
    QCOMPARE(view->model()->rowCount(), 4);
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), GatewayClient::State::Ready, 15000);
    for (int row = 0; row < 4; ++row) {
        QCOMPARE(view->model()->index(row, ShardStatsModel::Shard).data().toString(),
                 QString::number(row));
        QTRY_COMPARE_WITH_TIMEOUT(view->model()->index(row, ShardStatsModel::State).data(),
                                  QVariant(u"Ready"_s), 5000);
    }
    server.generateEvents(400);
    QTRY_VERIFY_WITH_TIMEOUT(window.store()->count() >= 350, 10000);
    window.disconnectFromGateway();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), GatewayClient::State::Disconnected,
                              5000);

    // Selecting shard 2's row (the third) filters the feed to shard 2.
    view->selectRow(2);
    QCOMPARE(window.filterBar()->query(), u"shard:2"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!window.filterModel()->isBusy(), 5000);
    int expected = 0;
    for (int row = 0; row < window.store()->count(); ++row) {
        const Message m = window.store()->at(row);
        expected += (m.guildId != 0 ? Snowflake::shardFor(m.guildId, 4) : 0) == 2 ? 1 : 0;
    }
    QVERIFY(expected > 10);
    QCOMPARE(window.filterModel()->rowCount(), expected);
    for (int row = 0; row < window.filterModel()->rowCount(); ++row) {
        const quint64 id = window.filterModel()
                                   ->index(row, 0)
                                   .data(MessageModel::MessageIdRole)
                                   .toULongLong();
        QCOMPARE(window.store()->find(id)->shard, 2);
    }
    // Another shard replaces the term rather than adding a second one.
    view->selectRow(1);
    QCOMPARE(window.filterBar()->query(), u"shard:1"_s);
}

void tst_ShardsDock::fleetColoursStaleAndGaps()
{
    ShardStatsModel connection;
    ShardsDock dock(&connection);
    FleetShardsModel fleet;
    dock.showFleet(&fleet);
    QTableView *view = dock.view();
    auto *state = qobject_cast<ShardStateDelegate *>(
            view->itemDelegateForColumn(FleetShardsModel::State));
    auto *gaps = qobject_cast<ShardStateDelegate *>(
            view->itemDelegateForColumn(FleetShardsModel::Missing));
    QVERIFY(state);
    QVERIFY(state->showsState());
    QVERIFY(gaps);
    QVERIFY(!gaps->showsState());
    QVERIFY(!view->itemDelegateForColumn(FleetShardsModel::Latency)); // no sparkline for a fleet
    dock.showFleet(&fleet); // again: the same delegates
    QCOMPARE(view->itemDelegateForColumn(FleetShardsModel::State), state);
    dock.showConnection();
    QVERIFY(view->itemDelegateForColumn(ShardStatsModel::Latency));
}

QTEST_MAIN(tst_ShardsDock)
#include "tst_shardsdock.moc"
