#include "core/connection/connectioncontroller.h"
#include "core/connection/shardstatsmodel.h"
#include "ui/alertsettingsdialog.h"
#include "ui/disconnecthistorymodel.h"
#include "ui/healthpanel.h"
#include "ui/operatoralerts.h"
#include "ui/shardsdock.h"
#include "ui/traynotifier.h"

#include <QAction>
#include <QCheckBox>
#include <QCoreApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;
using State = GatewayClient::State;
using Kind = NotificationPolicy::Kind;

/// The window's parts OperatorAlerts wires together, without a window.
struct Parts
{
    QWidget window;
    ConnectionController controller;
    ShardStatsModel shardStats;
    HealthPanel health;
    DisconnectHistoryModel history;
    ShardsDock dock{&shardStats};
    OperatorAlerts alerts{&window};
    qint64 now = 1000;

    Parts()
    {
        alerts.attach(&controller, &shardStats, &health, &history, &dock);
        alerts.health()->setClock([this] { return now; }, [this] { return now; });
        alerts.health()->setCheckInterval(0);
    }
    /// Shard @p shard of {0, 1} goes silent after the threshold.
    void silence(int shard)
    {
        shardStats.resetShards({0, 1});
        alerts.health()->resetShards({0, 1});
        for (int s : {0, 1}) {
            shardStats.setState(s, State::Ready);
            alerts.health()->noteState(s, State::Ready);
        }
        now += 1;
        alerts.health()->noteAck(shard);
        now += alerts.health()->silentAfterMs();
        alerts.health()->evaluate();
    }
};

class tst_OperatorAlerts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void silentShardShowsEverywhere();
    void reconnectFromTheShardsDock();
    void budgetShowsInTheHealthDock();
    void settingsDialogValidatesAndSaves();
};

void tst_OperatorAlerts::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"GatescopeTest"_s);
    QCoreApplication::setApplicationName(u"tst_operatoralerts"_s);
    QSettings().clear();
}

void tst_OperatorAlerts::silentShardShowsEverywhere()
{
    Parts parts;
    QCOMPARE(parts.alerts.health()->silentAfterMs(), ShardHealth::DefaultSilentAfterMs);
    QSignalSpy notified(parts.alerts.notifier(), &TrayNotifier::notified);
    parts.silence(1);
    // The Shards dock's row: badge text and role.
    const QModelIndex state = parts.shardStats.index(1, ShardStatsModel::State);
    QVERIFY(state.data(ShardStatsModel::SilentRole).toBool());
    QCOMPARE(state.data().toString(), u"Ready · silent"_s);
    QVERIFY(!parts.shardStats.index(0, 0).data(ShardStatsModel::SilentRole).toBool());
    // The history's row.
    QCOMPARE(parts.history.rowCount(), 1);
    QVERIFY(parts.history.index(0, 0).data(DisconnectHistoryModel::SilenceRole).toBool());
    const QString meaning
            = parts.history.index(0, DisconnectHistoryModel::Meaning).data().toString();
    QVERIFY2(meaning.startsWith(u"shard 1: silent: heartbeats acknowledged"_s),
             qPrintable(meaning));
    QCOMPARE(parts.history.index(0, DisconnectHistoryModel::FollowedBy).data().toString(),
             u"silent…"_s);
    // The tray's colour and the notification.
    QCOMPARE(parts.alerts.notifier()->level(), TrayStatus::Level::Warning);
    QCOMPARE(notified.count(), 1);
    // The next dispatch ends it everywhere.
    parts.now += 5000;
    parts.alerts.health()->noteDispatch(1);
    QVERIFY(!parts.shardStats.index(1, 0).data(ShardStatsModel::SilentRole).toBool());
    QCOMPARE(parts.history.index(0, DisconnectHistoryModel::FollowedBy).data().toString(),
             u"events again"_s);
    QCOMPARE(parts.history.entry(0).downtimeMs, ShardHealth::DefaultSilentAfterMs + 5001);
    QCOMPARE(parts.alerts.notifier()->level(), TrayStatus::Level::Ok);
    // A close after it is a row of its own; the silent row is left alone.
    parts.history.addDisconnect(4000, u"x"_s, GatewayClient::Initiator::Server,
                                CloseCodes::Action::Resume, 0, 1);
    QCOMPARE(parts.history.index(0, DisconnectHistoryModel::FollowedBy).data().toString(),
             u"events again"_s);
}

void tst_OperatorAlerts::reconnectFromTheShardsDock()
{
    Parts parts;
    parts.silence(0);
    QSignalSpy asked(&parts.dock, &ShardsDock::reconnectRequested);
    std::unique_ptr<QMenu> menu(parts.dock.contextMenuFor(parts.shardStats.index(0, 0)));
    QVERIFY(menu);
    auto *action = menu->findChild<QAction *>(u"reconnectShardAction"_s);
    QVERIFY(action);
    QVERIFY(action->isEnabled());
    QCOMPARE(action->text(), u"Reconnect shard 0 (resume)"_s);
    action->trigger();
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked.at(0).at(0).toInt(), 0);
    // A shard that is not Ready has nothing to resume.
    parts.shardStats.setState(1, State::Reconnecting);
    std::unique_ptr<QMenu> other(parts.dock.contextMenuFor(parts.shardStats.index(1, 0)));
    QVERIFY(!other->findChild<QAction *>(u"reconnectShardAction"_s)->isEnabled());
    QVERIFY(!parts.dock.contextMenuFor(QModelIndex()));
}

void tst_OperatorAlerts::budgetShowsInTheHealthDock()
{
    Parts parts;
    GatewayBotInfo info;
    info.sessionStartTotal = 1000;
    info.sessionStartRemaining = 42;
    info.sessionStartResetAfterMs = 3 * 3600 * 1000;
    info.maxConcurrency = 16;
    emit parts.controller.discoveryFinished(info);
    parts.alerts.budget()->noteIdentifies(2);
    const auto text = [&parts](const char *name) {
        return parts.health.findChild<QLabel *>(QString::fromLatin1(name))->text();
    };
    QVERIFY2(text("budgetValue").startsWith(u"40 / 1,000"_s), qPrintable(text("budgetValue")));
    QVERIFY2(text("runIdentifiesValue").contains(u"2 identifies, 2 in the last hour"_s),
             qPrintable(text("runIdentifiesValue")));
    QVERIFY(text("runIdentifiesValue").contains(u"max_concurrency 16"_s));
    QVERIFY2(parts.health.budgetWarningText().contains(u"40 of 1000 session starts left"_s),
             qPrintable(parts.health.budgetWarningText()));
    QVERIFY(!parts.health.findChild<QLabel *>(u"budgetWarning"_s)->isHidden());
    // Marked by an icon, not by a character a font may lack.
    QVERIFY(!parts.health.budgetWarningText().contains(u'\u26A0'));
    const auto *icon = parts.health.findChild<QLabel *>(u"budgetWarningIcon"_s);
    QVERIFY(icon && !icon->isHidden() && !icon->pixmap().isNull());
    QCOMPARE(parts.alerts.notifier()->level(), TrayStatus::Level::Idle); // nothing connected
}

void tst_OperatorAlerts::settingsDialogValidatesAndSaves()
{
    AlertSettingsDialog dialog;
    NotificationPolicy policy;
    policy.setEnabled(Kind::SilentShard, false);
    dialog.setValues(600000, policy);
    QCOMPARE(dialog.silentAfterEdit()->text(), u"10m"_s);
    QVERIFY(!dialog.checkBox(Kind::SilentShard)->isChecked());
    QVERIFY(dialog.checkBox(Kind::FatalClose)->isChecked());
    dialog.silentAfterEdit()->setText(u"10"_s);
    QVERIFY(!dialog.silentAfterMs());
    QVERIFY2(dialog.errorText().contains(u"is not a duration like 90s, 10m or 1h"_s),
             qPrintable(dialog.errorText()));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected)); // refused while the field is wrong
    dialog.silentAfterEdit()->setText(u"90s"_s);
    QVERIFY(dialog.errorText().isEmpty());
    QCOMPARE(dialog.silentAfterMs().value_or(-1), 90000);
    dialog.checkBox(Kind::BudgetWarning)->setChecked(false);
    dialog.applyTo(policy);
    QVERIFY(!policy.isEnabled(Kind::BudgetWarning));

    // Saved by OperatorAlerts, read back by the next window.
    {
        Parts parts;
        parts.alerts.setSilentAfterMs(90000, true);
        parts.alerts.notifier()->policy().setEnabled(Kind::FatalClose, false);
        parts.alerts.saveSettings();
    }
    Parts next;
    QCOMPARE(next.alerts.health()->silentAfterMs(), 90000);
    QVERIFY(!next.alerts.notifier()->policy().isEnabled(Kind::FatalClose));
    // The command line's value is for its run only.
    next.alerts.setSilentAfterMs(30000, false);
    QCOMPARE(QSettings().value(u"alerts/silentAfterMs"_s).toLongLong(), 90000);
    QSettings().clear();
}

QTEST_MAIN(tst_OperatorAlerts)
#include "tst_operatoralerts.moc"
