#include "core/connection/connectioncontroller.h"
#include "core/connection/identifybudget.h"
#include "fastgatewayconfig.h"

#include "emulator/emulatorserver.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Emulator::EmulatorServer;
using State = GatewayClient::State;

namespace {
const QString Token = u"MTAxNTk2.tst-identify-budget.c2VjcmV0"_s;
constexpr qint64 Wall0 = 1'780'000'000'000;

struct FakeClock
{
    qint64 ms = 5000;
    void install(IdentifyBudget &budget)
    {
        budget.setClock([this] { return ms; }, [this] { return Wall0 + ms; });
    }
};

GatewayBotInfo limit(int total, int remaining, qint64 resetAfterMs = 3600000)
{
    GatewayBotInfo info;
    info.sessionStartTotal = total;
    info.sessionStartRemaining = remaining;
    info.sessionStartResetAfterMs = resetAfterMs;
    info.maxConcurrency = 4;
    return info;
}

ConnectionController::ShardSnapshot snapshotOf(int shard, int identifies)
{
    ConnectionController::ShardSnapshot snapshot;
    snapshot.shard = shard;
    snapshot.metrics.identifies = identifies;
    return snapshot;
}
} // namespace

class tst_IdentifyBudget : public QObject
{
    Q_OBJECT

private slots:
    void unknownWithoutDiscovery();
    void lowRemainingWarns_data();
    void lowRemainingWarns();
    void remainingCountsIdentifiesSinceDiscovery();
    void manyIdentifiesInAnHourWarn();
    void resetRestoresTheTotal();
    void snapshotsCountPerShard();
    void emulatorLowRemainingWarns();
};

void tst_IdentifyBudget::unknownWithoutDiscovery()
{
    IdentifyBudget budget;
    QVERIFY(!budget.isKnown());
    QCOMPARE(budget.remaining(), -1);
    QCOMPARE(budget.resetAfterMs(), -1);
    QVERIFY(!budget.warning());
    const QJsonObject json = budget.toJson();
    QVERIFY(json.value("total"_L1).isNull());
    QVERIFY(json.value("remaining"_L1).isNull());
    QVERIFY(json.value("reset_at"_L1).isNull());
    QCOMPARE(json.value("identifies"_L1).toInt(), 0);
    QCOMPARE(json.value("warning"_L1).toBool(), false);
    // A discovery without session_start_limit changes nothing.
    budget.setLimit(GatewayBotInfo());
    QVERIFY(!budget.isKnown());
}

void tst_IdentifyBudget::lowRemainingWarns_data()
{
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("remaining");
    QTest::addColumn<bool>("warning");
    QTest::newRow("full") << 1000 << 1000 << false;
    QTest::newRow("exactly 10 %") << 1000 << 100 << false;
    QTest::newRow("just under 10 %") << 1000 << 99 << true;
    QTest::newRow("none left") << 1000 << 0 << true;
    QTest::newRow("small total") << 10 << 1 << false;
    QTest::newRow("small total, none") << 10 << 0 << true;
}

void tst_IdentifyBudget::lowRemainingWarns()
{
    QFETCH(int, total);
    QFETCH(int, remaining);
    QFETCH(bool, warning);
    IdentifyBudget budget;
    QSignalSpy changed(&budget, &IdentifyBudget::warningChanged);
    budget.setLimit(limit(total, remaining));
    QCOMPARE(budget.lowRemaining(), warning);
    QCOMPARE(budget.warning(), warning);
    QCOMPARE(changed.count(), warning ? 1 : 0);
    if (warning) {
        QVERIFY2(budget.warningText().contains(
                         u"%1 of %2 session starts left"_s.arg(remaining).arg(total)),
                 qPrintable(budget.warningText()));
        QCOMPARE(changed.at(0).at(1).toString(), budget.warningText());
    }
}

void tst_IdentifyBudget::remainingCountsIdentifiesSinceDiscovery()
{
    FakeClock clock;
    IdentifyBudget budget;
    clock.install(budget);
    budget.noteIdentifies(2); // before discovery: the run's count, not the budget's
    budget.setLimit(limit(1000, 101, 7200000));
    QCOMPARE(budget.total(), 1000);
    QCOMPARE(budget.remaining(), 101);
    QCOMPARE(budget.maxConcurrency(), 4);
    QCOMPARE(budget.resetAfterMs(), 7200000);
    QCOMPARE(budget.resetAtMs(), Wall0 + clock.ms + 7200000);
    QVERIFY(!budget.warning());
    QSignalSpy changed(&budget, &IdentifyBudget::warningChanged);
    budget.noteIdentifies(2);
    QCOMPARE(budget.remaining(), 99);
    QCOMPARE(budget.identifiesThisRun(), 4);
    QVERIFY(budget.warning());
    QCOMPARE(changed.count(), 1);
    clock.ms += 1000;
    QCOMPARE(budget.resetAfterMs(), 7199000);
    const QJsonObject json = budget.toJson();
    QCOMPARE(json.value("total"_L1).toInt(), 1000);
    QCOMPARE(json.value("remaining"_L1).toInt(), 99);
    QCOMPARE(json.value("reset_after_ms"_L1).toInteger(), 7199000);
    QCOMPARE(json.value("reset_at"_L1).toString(),
             QDateTime::fromMSecsSinceEpoch(Wall0 + 5000 + 7200000, Qt::UTC)
                     .toString(Qt::ISODateWithMs));
    QCOMPARE(json.value("max_concurrency"_L1).toInt(), 4);
    QCOMPARE(json.value("identifies"_L1).toInt(), 4);
    QCOMPARE(json.value("identifies_last_hour"_L1).toInt(), 4);
    QCOMPARE(json.value("warning"_L1).toBool(), true);
    // A new discovery's figure replaces the estimate.
    budget.setLimit(limit(1000, 500));
    QCOMPARE(budget.remaining(), 500);
    QVERIFY(!budget.warning());
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).toBool(), false);
}

void tst_IdentifyBudget::manyIdentifiesInAnHourWarn()
{
    FakeClock clock;
    IdentifyBudget budget;
    clock.install(budget);
    budget.setLimit(limit(100000, 100000, 86400000));
    QSignalSpy changed(&budget, &IdentifyBudget::warningChanged);
    // One identify a minute for 50 minutes: 50 in the hour is allowed.
    for (int i = 0; i < IdentifyBudget::HourlyIdentifyLimit; ++i) {
        budget.noteIdentifies(1);
        clock.ms += 60000;
    }
    QCOMPARE(budget.identifiesLastHour(), 50);
    QVERIFY(!budget.warning());
    budget.noteIdentifies(1); // the 51st within the hour
    QVERIFY(budget.manyIdentifies());
    QCOMPARE(changed.count(), 1);
    QVERIFY2(budget.warningText().contains(u"51 identifies in the last hour"_s),
             qPrintable(budget.warningText()));
    // An hour after the first, it has left the window.
    clock.ms = 5000 + IdentifyBudget::HourMs;
    budget.refresh();
    QCOMPARE(budget.identifiesLastHour(), 50);
    QVERIFY(!budget.warning());
    QCOMPARE(changed.count(), 2);
    QCOMPARE(budget.identifiesThisRun(), 51);
}

void tst_IdentifyBudget::resetRestoresTheTotal()
{
    FakeClock clock;
    IdentifyBudget budget;
    clock.install(budget);
    budget.setLimit(limit(1000, 5, 60000));
    QVERIFY(budget.warning());
    clock.ms += 60000;
    budget.refresh();
    QCOMPARE(budget.remaining(), 1000);
    QCOMPARE(budget.resetAfterMs(), -1);
    QVERIFY(!budget.warning());
    budget.noteIdentifies(3);
    QCOMPARE(budget.remaining(), 997);
    // A discovery without a reset time leaves it unknown rather than passed.
    budget.setLimit(limit(1000, 5, 0));
    QCOMPARE(budget.resetAfterMs(), -1);
    QCOMPARE(budget.remaining(), 5);
    QVERIFY(budget.warning());
}

void tst_IdentifyBudget::snapshotsCountPerShard()
{
    IdentifyBudget budget;
    budget.applySnapshots({snapshotOf(0, 1), snapshotOf(1, 1)});
    QCOMPARE(budget.identifiesThisRun(), 2);
    budget.applySnapshots({snapshotOf(0, 1), snapshotOf(1, 3)});
    QCOMPARE(budget.identifiesThisRun(), 4);
    // A new connection's counters start again: what they say is new.
    budget.resetShards();
    budget.applySnapshots({snapshotOf(0, 1)});
    QCOMPARE(budget.identifiesThisRun(), 5);
    // A shard's new client (its counter went down) without a new connection.
    budget.applySnapshots({snapshotOf(0, 0)});
    budget.applySnapshots({snapshotOf(0, 1)});
    QCOMPARE(budget.identifiesThisRun(), 6);
}

void tst_IdentifyBudget::emulatorLowRemainingWarns()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.sessionStartTotal = 1000;
    config.sessionStartRemaining = 60;
    config.sessionStartResetAfterMs = 3600000;
    EmulatorServer server(config);
    QVERIFY(server.start());
    ConnectionController controller;
    IdentifyBudget budget;
    budget.attach(&controller);
    QSignalSpy warnings(&budget, &IdentifyBudget::warningChanged);

    GatewayConfig client = fastGatewayConfig();
    client.token = Token;
    client.apiUrl = server.apiUrl(); // discovery: /gateway/bot gives session_start_limit
    controller.connectTo(client);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Ready, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(budget.identifiesThisRun(), 1, 10000);
    QVERIFY(budget.isKnown());
    QCOMPARE(budget.total(), 1000);
    QCOMPARE(budget.remaining(), 59);
    QCOMPARE(server.sessionStartRemaining(), 59); // the estimate is the server's count
    QVERIFY(budget.warning());
    QCOMPARE(warnings.count(), 1);
    QVERIFY2(warnings.at(0).at(1).toString().contains(u"60 of 1000 session starts left"_s),
             qPrintable(warnings.at(0).at(1).toString()));
    controller.stop();
}

QTEST_GUILESS_MAIN(tst_IdentifyBudget)
#include "tst_identifybudget.moc"
