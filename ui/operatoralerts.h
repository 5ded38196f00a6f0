#pragma once

#include "core/connection/identifybudget.h"
#include "core/connection/shardhealth.h"

#include <QObject>

class QAction;
class QWidget;

namespace Gatescope {
class ConnectionController;
class ShardStatsModel;
} // namespace Gatescope

namespace Gatescope::Ui {

class DisconnectHistoryModel;
class HealthPanel;
class ShardsDock;
class TrayNotifier;

/// The window's operator signals in one place, so MainWindow wires them in a few lines: the
/// silent-shard alarm (ShardHealth: a badge in the Shards dock, a row in the disconnect
/// history, "Reconnect this shard" in the dock's menu), the identify budget (IdentifyBudget, in
/// the health dock with its warning), and the tray icon with desktop notifications
/// (TrayNotifier). Settings (threshold, notification switches) persist in QSettings under
/// `alerts/` and are edited in AlertSettingsDialog (settingsAction()).
///
/// Thread affinity: the GUI thread. Owns the health tracker, the budget and the tray notifier;
/// the controller, model, panels and window are not owned.
class OperatorAlerts : public QObject
{
    Q_OBJECT

public:
    /// @p window is brought forward when the tray icon or a notification is clicked, and
    /// parents the settings dialog.
    explicit OperatorAlerts(QWidget *window);

    /// Wires everything to the window's parts (none may be null).
    void attach(ConnectionController *controller, ShardStatsModel *shardStats,
                HealthPanel *healthPanel, DisconnectHistoryModel *history, ShardsDock *shardsDock);

    ShardHealth *health() { return &m_health; }
    IdentifyBudget *budget() { return &m_budget; }
    TrayNotifier *notifier() const { return m_notifier; }
    /// "Alerts and notifications…": opens the settings dialog.
    QAction *settingsAction() const { return m_settingsAction; }

    /// The silent-shard threshold; @p save keeps it in the settings (the command line's
    /// `--silent-after` applies to its run only).
    void setSilentAfterMs(qint64 ms, bool save);

    void loadSettings();
    void saveSettings() const;

public slots:
    /// Opens AlertSettingsDialog and applies (and saves) what it says.
    void editSettings();

private:
    QWidget *m_window;
    ShardHealth m_health;
    IdentifyBudget m_budget;
    TrayNotifier *m_notifier = nullptr;
    QAction *m_settingsAction = nullptr;
};

} // namespace Gatescope::Ui
