#pragma once

#include "ui/notificationpolicy.h"
#include "ui/traystatus.h"

#include <QObject>
#include <QPointer>

class QSystemTrayIcon;

namespace Gatescope {
class ConnectionController;
class IdentifyBudget;
class ShardHealth;
class ShardStatsModel;
} // namespace Gatescope

namespace Gatescope::Ui {

/// The system tray icon and desktop notifications. The icon's colour is the worst shard state
/// (TrayStatus, from ShardStatsModel's rows and the budget warning); notifications
/// (QSystemTrayIcon::showMessage) tell of a fatal close, a silent shard and an identify budget
/// warning, each switchable and rate-limited by its NotificationPolicy.
///
/// The deciding is done without a tray: level(), levelChanged() and notified() work on the
/// offscreen platform too, where showTrayIcon() finds no tray and nothing is shown.
///
/// Thread affinity: the GUI thread. Owns its QSystemTrayIcon; the model, controller, health and
/// budget are not owned.
class TrayNotifier : public QObject
{
    Q_OBJECT

public:
    explicit TrayNotifier(ShardStatsModel *model, QObject *parent = nullptr);

    /// Follows the connection's fatal closes, @p health's silences and @p budget's warnings
    /// (any may be null).
    void attach(ConnectionController *controller, ShardHealth *health, IdentifyBudget *budget);

    NotificationPolicy &policy() { return m_policy; }
    TrayStatus::Level level() const { return m_level; }
    QString toolTip() const;
    /// Creates and shows the tray icon when the desktop has a tray; false (and nothing shown)
    /// when it has none.
    bool showTrayIcon();
    /// The tray icon, or null before showTrayIcon() or without a tray.
    QSystemTrayIcon *trayIcon() const { return m_tray; }

public slots:
    /// Works the level out again from the model and the budget.
    void refresh();
    /// Shows @p title / @p text as a notification of @p kind if its policy allows (notified()
    /// says so, with or without a tray).
    void notify(Gatescope::Ui::NotificationPolicy::Kind kind, const QString &title,
                const QString &text);

signals:
    void levelChanged(Gatescope::Ui::TrayStatus::Level level);
    /// A notification passed its policy (and was shown, when there is a tray).
    void notified(Gatescope::Ui::NotificationPolicy::Kind kind, const QString &title,
                  const QString &text);
    /// The user clicked the icon or a notification: the window should come forward.
    void activated();

private:
    int silentShards() const;

    ShardStatsModel *m_model;
    QPointer<ConnectionController> m_controller;
    QPointer<IdentifyBudget> m_budget;
    NotificationPolicy m_policy;
    TrayStatus::Level m_level = TrayStatus::Level::Idle;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace Gatescope::Ui
