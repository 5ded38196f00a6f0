#pragma once

#include "core/gateway/gatewayclient.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class QAction;
class QDockWidget;
class QLabel;

namespace Gatescope::Ui {

class DisconnectHistoryModel;
class DisconnectHistoryPanel;
class FrameModel;
class FramesPanel;
class HealthPanel;
class StateBadge;

/// The Gatescope window: the live feed in the middle, connection health, disconnect history,
/// message details and raw frames in docks that can be moved, and a status bar.
///
/// It owns one GatewayClient per connection (connectToGateway() replaces the previous one) and
/// the message store and models. Window geometry, dock layout, column widths, the last filter
/// and the connection settings persist in QSettings; the token never does, and the window
/// title never contains it.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Demo mode: shows the DEMO label in the status bar and the title.
    void setDemoMode(bool demo);
    bool isDemoMode() const { return m_demo; }

    /// Closes any current connection and connects with @p config (the token is kept in memory
    /// only, inside the client).
    void connectToGateway(const GatewayConfig &config);
    /// The client of the current connection; null before the first connectToGateway().
    GatewayClient *client() const { return m_client; }

    HealthPanel *healthPanel() const { return m_health; }
    DisconnectHistoryModel *disconnectHistory() const { return m_history; }
    DisconnectHistoryPanel *disconnectHistoryPanel() const { return m_historyPanel; }
    FrameModel *frameModel() const { return m_frames; }
    FramesPanel *framesPanel() const { return m_framesPanel; }
    /// The status bar's latency text ("latency 42 ms").
    QString latencyStatusText() const;
    QAction *pauseAction() const { return m_pauseAction; }

    /// Writes window state and settings now (also done on close).
    void saveSettings() const;

public slots:
    /// Opens the connect dialog (token, URLs, intents, or "Start demo").
    void showConnectDialog();
    void disconnectFromGateway();

signals:
    /// The connect dialog's "Start demo": the app starts an emulator, then calls
    /// setDemoMode(true) and connectToGateway() with the demo config.
    void demoRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createDocks();
    void createStatusBar();
    void restoreSettings();
    void wireClient(GatewayClient *client);
    void onStateChanged(GatewayClient::State state);
    void refreshMetrics();
    void updateTitle();
    void updateFrameCapture();
    QDockWidget *addDock(const QString &title, const QString &objectName, QWidget *content,
                         Qt::DockWidgetArea area);

    QPointer<GatewayClient> m_client;
    GatewayConfig m_lastConfig; ///< token cleared; used to prefill the connect dialog
    bool m_demo = false;

    HealthPanel *m_health = nullptr;
    DisconnectHistoryModel *m_history = nullptr;
    DisconnectHistoryPanel *m_historyPanel = nullptr;
    FrameModel *m_frames = nullptr;
    FramesPanel *m_framesPanel = nullptr;
    QDockWidget *m_healthDock = nullptr;
    QDockWidget *m_historyDock = nullptr;
    QDockWidget *m_framesDock = nullptr;
    QMetaObject::Connection m_frameConnection;

    QAction *m_connectAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QMenu *m_viewMenu = nullptr;

    StateBadge *m_statusBadge = nullptr;
    QLabel *m_latencyLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    QLabel *m_demoLabel = nullptr;
    QTimer m_metricsTimer;
};

} // namespace Gatescope::Ui
