#include "ui/operatoralerts.h"

#include "core/connection/connectioncontroller.h"
#include "core/connection/shardstatsmodel.h"
#include "ui/alertsettingsdialog.h"
#include "ui/disconnecthistorymodel.h"
#include "ui/healthpanel.h"
#include "ui/shardsdock.h"
#include "ui/traynotifier.h"

#include <QAction>
#include <QSettings>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
const QString SilentAfterKey = u"alerts/silentAfterMs"_s;
} // namespace

OperatorAlerts::OperatorAlerts(QWidget *window)
    : QObject(window)
    , m_window(window)
{
    m_settingsAction = new QAction(tr("&Alerts and Notifications…"), this);
    m_settingsAction->setObjectName(u"alertSettingsAction"_s);
    connect(m_settingsAction, &QAction::triggered, this, &OperatorAlerts::editSettings);
}

void OperatorAlerts::attach(ConnectionController *controller, ShardStatsModel *shardStats,
                            HealthPanel *healthPanel, DisconnectHistoryModel *history,
                            ShardsDock *shardsDock)
{
    m_health.attach(controller);
    shardStats->attachHealth(&m_health);
    m_budget.attach(controller);
    connect(&m_health, &ShardHealth::silenceStarted, history,
            [history](int shard, qint64, qint64 silentSinceMs) {
                history->addSilence(shard, silentSinceMs);
            });
    connect(&m_health, &ShardHealth::silenceEnded, history, &DisconnectHistoryModel::endSilence);
    connect(&m_budget, &IdentifyBudget::changed, healthPanel,
            [this, healthPanel] { healthPanel->setIdentifyBudget(m_budget); });
    connect(shardsDock, &ShardsDock::reconnectRequested, controller,
            &ConnectionController::reconnectShard);

    m_notifier = new TrayNotifier(shardStats, this);
    loadSettings();
    m_notifier->attach(controller, &m_health, &m_budget);
    m_notifier->showTrayIcon();
    connect(m_notifier, &TrayNotifier::activated, m_window, [this] {
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
    });
}

void OperatorAlerts::setSilentAfterMs(qint64 ms, bool save)
{
    m_health.setSilentAfterMs(ms);
    if (save)
        QSettings().setValue(SilentAfterKey, ms);
}

void OperatorAlerts::loadSettings()
{
    const QSettings settings;
    m_health.setSilentAfterMs(
            settings.value(SilentAfterKey, ShardHealth::DefaultSilentAfterMs).toLongLong());
    if (m_notifier)
        m_notifier->policy().load(settings);
}

void OperatorAlerts::saveSettings() const
{
    QSettings settings;
    settings.setValue(SilentAfterKey, m_health.silentAfterMs());
    if (m_notifier)
        m_notifier->policy().save(settings);
}

void OperatorAlerts::editSettings()
{
    AlertSettingsDialog dialog(m_window);
    dialog.setValues(m_health.silentAfterMs(), m_notifier->policy());
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_health.setSilentAfterMs(dialog.silentAfterMs().value_or(m_health.silentAfterMs()));
    dialog.applyTo(m_notifier->policy());
    saveSettings();
}

} // namespace Gatescope::Ui
