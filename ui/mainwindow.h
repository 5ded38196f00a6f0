#pragma once

#include "core/gateway/gatewayclient.h"
#include "core/io/exporttypes.h"
#include "ui/exportdialog.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <deque>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QSystemTrayIcon;

namespace Gatescope {
class ConnectionController;
class FleetShardsModel;
class FleetSubscriber;
struct RedisEndpoint;
class CsvSink;
class Directory;
class Exporter;
class MessageFilterModel;
class MessageModel;
class MessageStore;
class ShardStatsModel;
class ChannelTreeModel;
struct Message;
} // namespace Gatescope

namespace Gatescope::Ui {

class ConnectDialog;
class DetailsPanel;
class FeedArea;
class FeedPane;
class FeedView;
class FilterBar;
class HighlightRules;

class DisconnectHistoryModel;
class DisconnectHistoryPanel;
class FrameModel;
class FramesPanel;
class HealthPanel;
class OperatorAlerts;
class ShardsDock;
class ChannelTreeDock;
class SavedFilters;
class StateBadge;
class TokenVault;

/// The Gatescope window: the live feed in the middle, connection health, disconnect history,
/// message details and raw frames in docks that can be moved, and a status bar.
///
/// It drives a ConnectionController (connectToGateway() replaces the previous connection),
/// the window's front end of the one pipeline headless mode shares, and owns the message store
/// and models. The client runs in the controller's thread (inflate, decoding and heartbeats stay
/// off the GUI thread); its batches and signals arrive queued, and its counters are copied over
/// once a second, so the GUI never reads the client's state directly. Window geometry,
/// dock layout, column widths, the last filter and the connection settings persist in QSettings;
/// the token never does, and the window title never contains it.
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
    /// Closes any current connection and runs shards @p firstShard..@p lastShard of
    /// @p shardCount (0 = the count /gateway/bot recommends) through a ShardManager: one feed,
    /// the health of the whole range, every shard's closes in the history. False, with @p error,
    /// for a range the manager refuses.
    bool connectShards(const GatewayConfig &config, int firstShard, int lastShard, int shardCount,
                       QString *error);
    /// Closes any current connection and feeds the recording at @p path through a client in
    /// replay mode (@p speed: 1 = recorded pace, 0 = as fast as possible). Corrupt lines and
    /// the end show in the status bar.
    void replayRecording(const QString &path, double speed);
    /// Records every frame of this and later connections to @p path (JSON Lines, token
    /// redacted). False, with @p error, when the file cannot be written.
    bool setRecordFile(const QString &path, QString *error);
    /// `--session-file` (or the connect dialog's "Resume the session after a restart"):
    /// closing the window saves the sessions there, the next connection resumes them.
    void setSessionFile(const QString &path);
    /// Closes any current connection and watches a fleet (issue 14): the events every collector
    /// publishes to Redis reach the store, so the feed, filters and exports cover them all;
    /// the Shards dock shows every shard of every collector with its collector id, stale
    /// collectors and the events missing in a shard's sequence.
    void subscribeToFleet(const RedisEndpoint &endpoint, bool fromNow);
    /// The fleet the window watches (null when it watches none).
    FleetSubscriber *fleetSubscriber() const { return m_fleet; }
    FleetShardsModel *fleetShards() const { return m_fleetShards; }
    /// The pipeline the window drives (threads, clients, recording, replay).
    ConnectionController *controller() const { return m_controller; }

    HealthPanel *healthPanel() const { return m_health; }
    DisconnectHistoryModel *disconnectHistory() const { return m_history; }
    DisconnectHistoryPanel *disconnectHistoryPanel() const { return m_historyPanel; }
    FrameModel *frameModel() const { return m_frames; }
    FramesPanel *framesPanel() const { return m_framesPanel; }
    /// One row per shard of the connection (the Shards dock's model).
    ShardStatsModel *shardStats() const { return m_shardStats; }
    ShardsDock *shardsPanel() const { return m_shardsPanel; }
    ChannelTreeDock *channelTree() const { return m_channelTreePanel; }
    /// Silent-shard alarm, identify budget, tray icon and notifications.
    OperatorAlerts *alerts() const { return m_alerts; }
    /// The status bar's latency text ("latency 42 ms").
    QString latencyStatusText() const;
    QAction *pauseAction() const { return m_pauseAction; }
    QAction *exportAction() const { return m_exportAction; }
    QAction *clearAction() const { return m_clearAction; }
    QAction *loggingAction() const { return m_loggingAction; }

    Directory *directory() const { return m_directory; }
    MessageStore *store() const { return m_store; }
    /// The connection's counters as last copied from the client thread (once a second).
    const GatewayMetrics &metrics() const { return m_metrics; }
    MessageModel *messageModel() const { return m_model; }
    /// The tabs and splits of feeds.
    FeedArea *feedArea() const { return m_feedArea; }
    /// The pane that last had the focus: the details pane, the pause action, exports of the
    /// filtered or selected rows and channel selections act on it.
    FeedPane *currentPane() const;
    /// The current pane's filter model, view and filter bar.
    MessageFilterModel *filterModel() const;
    FeedView *feedView() const;
    FilterBar *filterBar() const;
    QAction *splitRightAction() const { return m_splitRightAction; }
    QAction *splitDownAction() const { return m_splitDownAction; }
    QAction *newTabAction() const { return m_newTabAction; }
    QAction *closePaneAction() const { return m_closePaneAction; }
    /// The saved filters (most recently used first) and the Feed menu's submenu listing them.
    SavedFilters *savedFilters() const { return m_savedFilters; }
    QMenu *savedFiltersMenu() const { return m_savedFiltersMenu; }
    DetailsPanel *detailsPanel() const { return m_details; }
    HighlightRules *highlights() const { return m_highlights; }
    CsvSink *logSink() const { return m_logSink; }

    /// Starts a chunked export without asking (the Export dialog ends here too). Progress shows
    /// in a cancellable dialog; exportFinished() tells the outcome. False if one is running.
    bool startExport(const QString &path, Gatescope::ExportFormat format, ExportDialog::Scope scope,
                     Gatescope::CsvOptions options);
    /// Streams every new message to one CSV file per day in @p folder; empty stops.
    bool setLoggingFolder(const QString &folder);
    /// Streams every new message to one CSV file (`--csv`). False, with @p error, when it
    /// cannot be written.
    bool setLoggingFile(const QString &path, QString *error);
    /// `--csv-events`: the CSV log gets an `event` column, and edits and deletes of stored
    /// messages become rows of their own (the store's messageChangedAs()). Before
    /// setLoggingFile().
    void setCsvEventRows(bool enabled);

    /// Where "Remember the token" keeps it (default: the system keyring, or the fallback
    /// without a D-Bus session; made when the connect dialog first opens). The window does not
    /// take ownership of a vault given here.
    void setTokenVault(TokenVault *vault) { m_tokenVault = vault; }
    TokenVault *tokenVault() const { return m_tokenVault; }

    /// Writes window state and settings now (also done on close).
    void saveSettings() const;

public slots:
    /// Opens the connect dialog (token, URLs, intents, or "Start demo").
    void showConnectDialog();
    /// File ▸ Open fleet…
    void showOpenFleetDialog();
    /// The connect dialog filled with @p config (the command line's URLs, intents, shard) over
    /// the saved settings, for the token the command line did not give.
    void askForToken(const Gatescope::GatewayConfig &config);
    void disconnectFromGateway();
    /// Asks what to export and starts it (Ctrl+E).
    void exportMessages();
    /// Empties the feed (Ctrl+L); the connection and counters stay.
    void clearFeed();
    void editHighlights();
    /// Restricts the current pane to @p channelId, or to @p guildId when the channel is 0 (both
    /// 0: every channel). The channel tree's selection ends here.
    void selectChannel(quint64 guildId, quint64 channelId);

signals:
    /// A started export ended: @p ok and the file is in place, or @p error says why.
    void exportFinished(bool ok, const QString &path, const QString &error);
    /// The connect dialog's "Start demo": the app starts an emulator, then calls
    /// setDemoMode(true) and connectToGateway() with the demo config.
    void demoRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createActions();
    void createPaneActions(QMenu *feedMenu, QAction *find);
    void showShortcuts();
    void keepToken(const ConnectDialog &dialog);
    void fillSavedFiltersMenu();
    void createDocks();
    void createStatusBar();
    void restoreSettings();
    /// The controller's signals to the views, once.
    void wireController();
    void resetConnectionViews(const GatewayConfig &config);
    void showFatal(int code, const QString &explanation);
    void onEventBatch(const Gatescope::GatewayEventBatch &events);
    void drainDispatches();
    void onStateChanged(GatewayClient::State state);
    void applySnapshot(const GatewayMetrics &metrics, const SessionInfo &session,
                       const std::optional<GatewayBotInfo> &botInfo);
    void stopClient();
    void showLoggingState();
    void clearLoggingState();
    void updateTitle();
    void updateFrameCapture();
    void createFeed();
    void wirePane(FeedPane *pane);
    void onCurrentPaneChanged(FeedPane *pane);
    void onMessagesAppended(int count);
    /// `--csv-events`: an edit or delete of @p row as a row of the CSV log.
    void logMessageChange(int row, int change);
    void onCurrentMessageChanged();
    void showFeedMenu(FeedPane *pane, const QPoint &position);
    void showRawJson(quint64 messageId);
    void notifyHighlight(int rule, const Message &message);
    void toggleLogging(bool enabled);
    QDockWidget *addDock(const QString &title, const QString &objectName, QWidget *content,
                         Qt::DockWidgetArea area);

    ConnectionController *m_controller = nullptr;
    bool m_replacing = false; ///< inside stopClient(): the old connection's closes are not shown
    int m_shardFirst = 0; ///< the range, for the title
    int m_shardLast = 0;
    QString m_replayName; ///< the recording being replayed, for the title
    std::optional<GatewayConfig> m_dialogOverride; ///< askForToken()'s config, used once
    /// Decoded events handed over by the clients, waiting for drainDispatches().
    std::deque<GatewayEventBatch> m_backlog;
    qsizetype m_backlogNext = 0; ///< the next event of m_backlog.front() to ingest
    QTimer m_drainTimer;
    TokenVault *m_tokenVault = nullptr;
    SessionInfo m_session; ///< copy of the client's session, for the title
    GatewayMetrics m_metrics; ///< copy of the client's (or the range's summed) metrics
    GatewayConfig m_lastConfig; ///< token cleared; used to prefill the connect dialog
    bool m_demo = false;
    bool m_layoutRestored = false;

    HealthPanel *m_health = nullptr;
    DisconnectHistoryModel *m_history = nullptr;
    DisconnectHistoryPanel *m_historyPanel = nullptr;
    FrameModel *m_frames = nullptr;
    FramesPanel *m_framesPanel = nullptr;
    QDockWidget *m_healthDock = nullptr;
    QDockWidget *m_historyDock = nullptr;
    QDockWidget *m_framesDock = nullptr;
    QDockWidget *m_detailsDock = nullptr;
    ShardStatsModel *m_shardStats = nullptr;
    ShardsDock *m_shardsPanel = nullptr;
    QDockWidget *m_shardsDock = nullptr;

    Directory *m_directory = nullptr;
    MessageStore *m_store = nullptr;
    MessageModel *m_model = nullptr;
    HighlightRules *m_highlights = nullptr;
    FeedArea *m_feedArea = nullptr;
    DetailsPanel *m_details = nullptr;
    CsvSink *m_logSink = nullptr;
    Exporter *m_exporter = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    OperatorAlerts *m_alerts = nullptr;
    qint64 m_lastNotificationMs = 0;

    QAction *m_connectAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_clearAction = nullptr;
    QAction *m_loggingAction = nullptr;
    QAction *m_highlightsAction = nullptr;
    QAction *m_splitRightAction = nullptr;
    QAction *m_splitDownAction = nullptr;
    QAction *m_newTabAction = nullptr;
    QAction *m_closePaneAction = nullptr;
    SavedFilters *m_savedFilters = nullptr;
    QMenu *m_savedFiltersMenu = nullptr;
    QMenu *m_viewMenu = nullptr;

    StateBadge *m_statusBadge = nullptr;
    QLabel *m_latencyLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    QLabel *m_highlightLabel = nullptr;
    QLabel *m_loggingLabel = nullptr;
    QLabel *m_loggingIcon = nullptr;
    QLabel *m_demoLabel = nullptr;

    ChannelTreeModel *m_channelTree = nullptr;
    ChannelTreeDock *m_channelTreePanel = nullptr;
    QDockWidget *m_channelTreeDock = nullptr;

    FleetSubscriber *m_fleet = nullptr;
    FleetShardsModel *m_fleetShards = nullptr;
    QString m_fleetName; ///< the fleet's URL for the title (never a password: it has none)
    QAction *m_openFleetAction = nullptr;
    void wireFleet();
    /// Stops watching the fleet (a connection or a replay takes its place).
    void closeFleet();
};

} // namespace Gatescope::Ui
