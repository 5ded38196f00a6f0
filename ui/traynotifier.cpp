#include "ui/traynotifier.h"

#include "core/connection/connectioncontroller.h"
#include "core/connection/durationtext.h"
#include "core/connection/identifybudget.h"
#include "core/connection/shardhealth.h"
#include "core/connection/shardstatsmodel.h"

#include <QSystemTrayIcon>

namespace Gatescope::Ui {

namespace {
QString shardName(int shard)
{
    return shard >= 0 ? QObject::tr("Shard %1").arg(shard) : QObject::tr("The connection");
}
} // namespace

TrayNotifier::TrayNotifier(ShardStatsModel *model, QObject *parent)
    : QObject(parent)
    , m_model(model)
{
    connect(model, &QAbstractItemModel::dataChanged, this, &TrayNotifier::refresh);
    connect(model, &QAbstractItemModel::modelReset, this, &TrayNotifier::refresh);
    connect(model, &QAbstractItemModel::rowsInserted, this, &TrayNotifier::refresh);
}

void TrayNotifier::attach(ConnectionController *controller, ShardHealth *health,
                          IdentifyBudget *budget)
{
    using Kind = NotificationPolicy::Kind;
    if (controller) {
        m_controller = controller;
        connect(controller, &ConnectionController::stateChanged, this, &TrayNotifier::refresh);
        connect(controller, &ConnectionController::fatalError, this,
                [this](int shard, int code, const QString &explanation) {
                    notify(Kind::FatalClose,
                           tr("%1 stopped (close %2)").arg(shardName(shard)).arg(code),
                           explanation);
                });
    }
    if (health) {
        connect(health, &ShardHealth::silenceStarted, this,
                [this](int shard, qint64 msSinceDispatch) {
                    notify(Kind::SilentShard, tr("%1 is silent").arg(shardName(shard)),
                           tr("Heartbeats are acknowledged but no event came for %1.")
                                   .arg(DurationText::human(msSinceDispatch)));
                });
    }
    if (budget) {
        m_budget = budget;
        connect(budget, &IdentifyBudget::warningChanged, this,
                [this](bool warning, const QString &text) {
                    refresh();
                    if (warning)
                        notify(Kind::BudgetWarning, tr("Identify budget"), text);
                });
    }
    refresh();
}

int TrayNotifier::silentShards() const
{
    int silent = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        silent += m_model->stats(row).silent ? 1 : 0;
    return silent;
}

QString TrayNotifier::toolTip() const
{
    return TrayStatus::describe(m_level, silentShards(), m_budget && m_budget->warning());
}

void TrayNotifier::refresh()
{
    TrayStatus::Level level = TrayStatus::worst(*m_model, m_budget && m_budget->warning());
    // A range whose discovery was refused fails before any shard has a row in the model.
    if (m_controller && m_controller->state() == GatewayClient::State::Failed)
        level = TrayStatus::Level::Error;
    const bool changed = level != m_level;
    m_level = level; // before the tooltip, which describes it
    if (m_tray) {
        m_tray->setToolTip(toolTip());
        if (changed)
            m_tray->setIcon(TrayStatus::icon(level));
    }
    if (changed)
        emit levelChanged(level);
}

bool TrayNotifier::showTrayIcon()
{
    if (m_tray)
        return true;
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return false;
    m_tray = new QSystemTrayIcon(TrayStatus::icon(m_level), this);
    m_tray->setToolTip(toolTip());
    connect(m_tray, &QSystemTrayIcon::activated, this, &TrayNotifier::activated);
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayNotifier::activated);
    m_tray->show();
    return true;
}

void TrayNotifier::notify(NotificationPolicy::Kind kind, const QString &title, const QString &text)
{
    if (!m_policy.allow(kind))
        return;
    if (m_tray && QSystemTrayIcon::supportsMessages()) {
        const auto icon = kind == NotificationPolicy::Kind::FatalClose ? QSystemTrayIcon::Critical
                                                                       : QSystemTrayIcon::Warning;
        m_tray->showMessage(title, text, icon, 10000);
    }
    emit notified(kind, title, text);
}

} // namespace Gatescope::Ui
