#include "core/connection/connectioncontroller.h"
#include "core/connection/identifybudget.h"
#include "core/connection/shardhealth.h"
#include "core/connection/shardstatsmodel.h"
#include "emulator/emulatorserver.h"
#include "fastgatewayconfig.h"
#include "ui/traynotifier.h"

#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;
using State = GatewayClient::State;
using Level = TrayStatus::Level;
using Kind = NotificationPolicy::Kind;

class tst_TrayNotifier : public QObject
{
    Q_OBJECT

private slots:
    void levelFollowsTheShardsAndTheBudget();
    void silenceAndBudgetNotifyOncePerMinute();
    void refusedDiscoveryIsAnError();
};

void tst_TrayNotifier::levelFollowsTheShardsAndTheBudget()
{
    qint64 now = 1000;
    ShardStatsModel model;
    ShardHealth health;
    health.setClock([&now] { return now; }, [&now] { return now; });
    health.setSilentAfterMs(60000);
    model.attachHealth(&health);
    IdentifyBudget budget;
    TrayNotifier notifier(&model);
    notifier.attach(nullptr, &health, &budget);
    QSignalSpy levels(&notifier, &TrayNotifier::levelChanged);
    QCOMPARE(notifier.level(), Level::Idle);

    model.resetShards({0, 1});
    health.resetShards({0, 1});
    for (int shard : {0, 1}) {
        model.setState(shard, State::Ready);
        health.noteState(shard, State::Ready);
    }
    QCOMPARE(notifier.level(), Level::Ok);
    now += 61000;
    health.noteAck(0);
    health.noteDispatch(1);
    health.evaluate(); // shard 0 is silent
    QCOMPARE(notifier.level(), Level::Warning);
    QVERIFY2(notifier.toolTip().contains(u"1 silent shard"_s), qPrintable(notifier.toolTip()));
    health.noteDispatch(0);
    QCOMPARE(notifier.level(), Level::Ok);

    GatewayBotInfo low;
    low.sessionStartTotal = 1000;
    low.sessionStartRemaining = 10;
    budget.setLimit(low);
    QCOMPARE(notifier.level(), Level::Warning);
    model.setState(1, State::Failed);
    QCOMPARE(notifier.level(), Level::Error);
    // Warning (one of two up), Ok, Warning (silent), Ok, Warning (budget), Error.
    QCOMPARE(levels.count(), 6);
    QCOMPARE(levels.constLast().at(0).value<Level>(), Level::Error);
    // Offscreen there is no tray: nothing was shown, everything was decided.
    QVERIFY(!notifier.showTrayIcon());
    QVERIFY(!notifier.trayIcon());
}

void tst_TrayNotifier::silenceAndBudgetNotifyOncePerMinute()
{
    qint64 now = 1000;
    ShardStatsModel model;
    ShardHealth health;
    health.setClock([&now] { return now; }, [&now] { return now; });
    health.setSilentAfterMs(60000);
    IdentifyBudget budget;
    TrayNotifier notifier(&model);
    qint64 policyNow = 0;
    notifier.policy().setClock([&policyNow] { return policyNow; });
    notifier.attach(nullptr, &health, &budget);
    QSignalSpy notified(&notifier, &TrayNotifier::notified);

    const auto goSilent = [&] {
        health.resetShards({3});
        health.noteState(3, State::Ready);
        now += 1;
        health.noteAck(3);
        now += 60000;
        health.evaluate();
    };
    goSilent();
    QCOMPARE(notified.count(), 1);
    QCOMPARE(notified.at(0).at(0).value<Kind>(), Kind::SilentShard);
    QCOMPARE(notified.at(0).at(1).toString(), u"Shard 3 is silent"_s);
    QVERIFY(notified.at(0).at(2).toString().contains(u"no event came for 1 min"_s));
    health.noteDispatch(3);
    policyNow += 60000;
    goSilent(); // again, a minute after the first: allowed
    QCOMPARE(notified.count(), 2);
    health.noteDispatch(3);
    policyNow += 59999;
    goSilent(); // within the minute: held back
    QCOMPARE(notified.count(), 2);
    QCOMPARE(notifier.policy().heldBack(Kind::SilentShard), 1);

    notifier.policy().setEnabled(Kind::BudgetWarning, false);
    GatewayBotInfo low;
    low.sessionStartTotal = 1000;
    low.sessionStartRemaining = 1;
    budget.setLimit(low);
    QCOMPARE(notified.count(), 2); // switched off
    notifier.policy().setEnabled(Kind::BudgetWarning, true);
    GatewayBotInfo plenty = low;
    plenty.sessionStartRemaining = 900;
    budget.setLimit(plenty); // cleared
    budget.setLimit(low); // raised again
    QCOMPARE(notified.count(), 3);
    QCOMPARE(notified.constLast().at(0).value<Kind>(), Kind::BudgetWarning);
    QVERIFY(notified.constLast().at(2).toString().contains(u"1 of 1000 session starts left"_s));
}

void tst_TrayNotifier::refusedDiscoveryIsAnError()
{
    // A range whose discovery is refused (HTTP 401) fails before any shard has a row: the icon
    // must be red, not the grey of "not connected".
    Emulator::ServerConfig config;
    config.tokens = {u"MTAxNTk2.tst-tray-notifier.c2VjcmV0"_s};
    Emulator::EmulatorServer server(config);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    ConnectionController controller;
    ShardStatsModel model;
    model.attach(&controller);
    TrayNotifier notifier(&model);
    notifier.attach(&controller, nullptr, nullptr);
    QSignalSpy notified(&notifier, &TrayNotifier::notified);

    GatewayConfig client = fastGatewayConfig();
    client.token = u"MTAxNTk2.not-accepted.c2VjcmV0"_s;
    client.apiUrl = server.apiUrl();
    QVERIFY2(controller.connectShards(client, 0, 1, 2, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 1, 60000);
    QCOMPARE(notified.at(0).at(0).value<Kind>(), Kind::FatalClose);
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Failed, 10000);
    QCOMPARE(notifier.level(), Level::Error);
    QVERIFY2(notifier.toolTip().contains(u"failed"_s), qPrintable(notifier.toolTip()));
    controller.stop();
}

QTEST_MAIN(tst_TrayNotifier)
#include "tst_traynotifier.moc"
