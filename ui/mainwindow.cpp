#include "ui/mainwindow.h"

#include "core/connection/connectioncontroller.h"
#include "core/connection/shardstatsmodel.h"
#include "core/fleet/fleetshardsmodel.h"
#include "core/fleet/fleetsubscriber.h"
#include "core/gateway/redaction.h"
#include "core/io/csvsink.h"
#include "core/io/exporter.h"
#include "core/store/channeltreemodel.h"
#include "core/store/directory.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "ui/channeltreedock.h"
#include "ui/connectdialog.h"
#include "ui/detailspanel.h"
#include "ui/disconnecthistorymodel.h"
#include "ui/disconnecthistorypanel.h"
#include "ui/feedarea.h"
#include "ui/feedpane.h"
#include "ui/feedview.h"
#include "ui/filterbar.h"
#include "ui/format.h"
#include "ui/framemodel.h"
#include "ui/framespanel.h"
#include "ui/healthpanel.h"
#include "ui/highlightdialog.h"
#include "ui/highlightrules.h"
#include "ui/icons.h"
#include "ui/openfleetdialog.h"
#include "ui/operatoralerts.h"
#include "ui/savedfilters.h"
#include "ui/shardsdock.h"
#include "ui/shortcutsdialog.h"
#include "ui/statebadge.h"
#include "ui/tokenvault.h"
#include "ui/traynotifier.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QThread>
#include <QToolBar>
#include <QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

// Resources of a static library must be registered by hand (outside any namespace).
static void initResources()
{
    Q_INIT_RESOURCE(gatescope);
}

namespace Gatescope::Ui {

namespace {
const auto GeometryKey = u"window/geometry"_s;
const auto StateKey = u"window/state"_s;
const auto HeaderKey = u"feed/header"_s;
const auto FilterKey = u"feed/filter"_s;
const auto LayoutKey = u"feed/layout"_s;
const auto LoggingFolderKey = u"logging/folder"_s;
const auto LoggingEnabledKey = u"logging/enabled"_s;
const auto ExportFolderKey = u"export/folder"_s;
// Desktop notifications for highlights: at most one per this interval.
constexpr qint64 NotificationIntervalMs = 5000;
/// Longest the GUI thread spends on queued dispatches before it lets the event loop run. A
/// stall is one slice plus the paint of the batch before it (the feeds' repaints take several
/// ms at 20,000 msg/s), so the slice is kept short; the rate is the same either way.
constexpr qint64 DrainSliceMs = 4;

QString messageLink(const Gatescope::Message &m)
{
    return u"https://discord.com/channels/%1/%2/%3"_s.arg(
            m.isDm() ? u"@me"_s : QString::number(m.guildId), QString::number(m.channelId),
            QString::number(m.id));
}
constexpr int WindowStateVersion = 1;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    initResources();
    setObjectName(u"MainWindow"_s);
    setWindowIcon(QIcon(u":/gatescope/icon.png"_s));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks
                   | QMainWindow::AllowTabbedDocks);
    setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);

    m_history = new DisconnectHistoryModel(this);
    m_shardStats = new ShardStatsModel(this);
    m_frames = new FrameModel(this);
    m_directory = new Directory(this);
    m_store = new MessageStore(m_directory, this);
    m_model = new MessageModel(m_store, this);
    m_highlights = new HighlightRules(this);
    m_logSink = new CsvSink(this);

    // First launch: most of the screen, so the feed's content column has room beside the docks
    // (restoreSettings() replaces this with the saved geometry later).
    const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1600, 1000);
    resize(std::min(1720, available.width() * 9 / 10), std::min(1040, available.height() * 9 / 10));
    createActions();
    createFeed();
    createDocks();
    createStatusBar();

    m_drainTimer.setObjectName(u"drainTimer"_s); // named for profiles
    m_drainTimer.setInterval(0);
    m_drainTimer.callOnTimeout(this, &MainWindow::drainDispatches);
    m_controller = new ConnectionController(this);
    m_shardStats->attach(m_controller);
    wireController();
    m_alerts = new OperatorAlerts(this);
    m_alerts->attach(m_controller, m_shardStats, m_health, m_history, m_shardsPanel);
    m_viewMenu->addAction(m_alerts->settingsAction());
    m_tray = m_alerts->notifier()->trayIcon(); // highlight notifications share the status icon

    restoreSettings();
    updateTitle();
    onStateChanged(GatewayClient::State::Disconnected);
}

MainWindow::~MainWindow()
{
    // QMainWindow's destructor deletes the docks after this body has run; a dock hidden then
    // emits visibilityChanged, which must not reach a slot of a MainWindow that is no longer one.
    const QList<QDockWidget *> docks = findChildren<QDockWidget *>();
    for (QDockWidget *dock : docks)
        dock->disconnect(this);
    // Nothing of the last connection reaches the views while the window goes.
    m_controller->disconnect(this);
    delete m_controller;
    m_controller = nullptr; // docks hidden while the widgets go must not reach it
}

void MainWindow::stopClient()
{
    // The replaced connection's last events still reach the store; its closing does not reach
    // the disconnect history (it was not a disconnect the user asked to watch).
    m_replacing = true;
    m_controller->stop();
    m_replacing = false;
    m_history->endPending();
}

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    QMenu *feedMenu = menuBar()->addMenu(tr("F&eed"));
    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));

    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(u"mainToolBar"_s);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->setMovable(false);

    m_connectAction = new QAction(tr("&Connect…"), this);
    m_connectAction->setShortcut(QKeySequence(u"Ctrl+K"_s));
    m_connectAction->setToolTip(tr("Connect with a bot token, or start the demo (Ctrl+K)"));
    connect(m_connectAction, &QAction::triggered, this, &MainWindow::showConnectDialog);

    m_disconnectAction = new QAction(tr("&Disconnect"), this);
    m_disconnectAction->setToolTip(tr("Close the connection (code 1000: the session ends)"));
    connect(m_disconnectAction, &QAction::triggered, this, &MainWindow::disconnectFromGateway);

    m_pauseAction = new QAction(tr("&Pause"), this);
    m_pauseAction->setObjectName(u"pauseAction"_s);
    m_pauseAction->setCheckable(true);
    m_pauseAction->setShortcut(QKeySequence(Qt::Key_Space));
    m_pauseAction->setIcon(Icons::icon(Icons::Kind::Pause));
    m_pauseAction->setToolTip(tr("Hold the feed still; messages are still received (Space)"));

    m_exportAction = new QAction(tr("&Export…"), this);
    m_exportAction->setShortcut(QKeySequence(u"Ctrl+E"_s));
    m_exportAction->setToolTip(tr("Export messages to CSV or JSON Lines (Ctrl+E)"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportMessages);

    m_clearAction = new QAction(tr("C&lear"), this);
    m_clearAction->setShortcut(QKeySequence(u"Ctrl+L"_s));
    m_clearAction->setToolTip(tr("Empty the feed; the connection stays (Ctrl+L)"));
    connect(m_clearAction, &QAction::triggered, this, &MainWindow::clearFeed);

    m_loggingAction = new QAction(tr("&Log to folder"), this);
    m_loggingAction->setObjectName(u"loggingAction"_s);
    m_loggingAction->setCheckable(true);
    m_loggingAction->setToolTip(tr("Write every new message to a CSV file per day in a folder"));
    connect(m_loggingAction, &QAction::toggled, this, &MainWindow::toggleLogging);

    m_highlightsAction = new QAction(tr("&Highlights…"), this);
    m_highlightsAction->setToolTip(
            tr("Tint, count and get notified about messages matching rules"));
    connect(m_highlightsAction, &QAction::triggered, this, &MainWindow::editHighlights);

    auto *find = new QAction(tr("&Find"), this);
    find->setShortcut(QKeySequence(u"Ctrl+F"_s));
    find->setObjectName(u"findAction"_s);
    find->setToolTip(tr("Focus the current feed's filter"));
    connect(find, &QAction::triggered, this, [this] { currentPane()->focusFilter(); });

    createPaneActions(feedMenu, find);

    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    fileMenu->addAction(m_connectAction);
    m_openFleetAction = new QAction(tr("Open &fleet…"), this);
    m_openFleetAction->setObjectName(u"openFleetAction"_s);
    m_openFleetAction->setToolTip(tr("Watch every collector that publishes to a Redis"));
    connect(m_openFleetAction, &QAction::triggered, this, &MainWindow::showOpenFleetDialog);
    fileMenu->addAction(m_openFleetAction);
    fileMenu->addAction(m_disconnectAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_exportAction);
    fileMenu->addAction(m_loggingAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quit);

    toolBar->addAction(m_connectAction);
    toolBar->addAction(m_disconnectAction);
    toolBar->addSeparator();
    toolBar->addAction(m_pauseAction);
    toolBar->addAction(m_clearAction);
    toolBar->addSeparator();
    toolBar->addAction(m_exportAction);
    toolBar->addAction(m_loggingAction);
    toolBar->addAction(m_highlightsAction);

    m_viewMenu->addAction(m_clearAction);
    m_viewMenu->addAction(m_highlightsAction);
    m_viewMenu->addSeparator();

    auto *about = new QAction(tr("&About Gatescope"), this);
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Gatescope"),
                           tr("<h3>Gatescope %1</h3><p>A monitor for Discord gateway "
                              "connections: live messages, connection health, raw frames.</p>"
                              "<p><a href=\"%2\">%2</a></p>")
                                   .arg(QStringLiteral(GATESCOPE_VERSION),
                                        QStringLiteral(GATESCOPE_PROJECT_URL)));
    });
    auto *shortcuts = new QAction(tr("&Keyboard shortcuts"), this);
    shortcuts->setObjectName(u"shortcutsAction"_s);
    shortcuts->setIcon(Icons::icon(Icons::Kind::Keyboard));
    shortcuts->setShortcut(QKeySequence::HelpContents);
    connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    helpMenu->addAction(shortcuts);
    helpMenu->addAction(about);
}

void MainWindow::createPaneActions(QMenu *feedMenu, QAction *find)
{
    auto *jump = new QAction(tr("&Jump to newest"), this);
    jump->setObjectName(u"jumpAction"_s);
    jump->setIcon(Icons::icon(Icons::Kind::JumpToNewest));
    jump->setShortcuts({QKeySequence(u"Ctrl+End"_s), QKeySequence(Qt::Key_End)});
    jump->setToolTip(tr("Show the newest message of the current feed and follow again"));
    connect(jump, &QAction::triggered, this, [this] { currentPane()->jumpToNewest(); });

    auto *mention = new QAction(tr("Next &mention"), this);
    mention->setObjectName(u"nextMentionAction"_s);
    mention->setIcon(Icons::icon(Icons::Kind::NextMention));
    mention->setShortcuts({QKeySequence(Qt::Key_F3), QKeySequence(u"Ctrl+M"_s)});
    mention->setToolTip(tr("Select the next message of the current feed that mentions someone"));
    connect(mention, &QAction::triggered, this, [this] {
        if (!currentPane()->nextMention())
            statusBar()->showMessage(tr("No message with a mention in this feed"), 4000);
    });

    m_splitRightAction = new QAction(tr("Split &right"), this);
    m_splitRightAction->setObjectName(u"splitRightAction"_s);
    m_splitRightAction->setIcon(Icons::icon(Icons::Kind::SplitRight));
    m_splitRightAction->setShortcut(QKeySequence(u"Ctrl+Shift+R"_s));
    m_splitRightAction->setToolTip(tr("A second feed beside the current one, with its own filter"));
    connect(m_splitRightAction, &QAction::triggered, this,
            [this] { m_feedArea->splitCurrent(Qt::Horizontal); });

    m_splitDownAction = new QAction(tr("Split &down"), this);
    m_splitDownAction->setObjectName(u"splitDownAction"_s);
    m_splitDownAction->setIcon(Icons::icon(Icons::Kind::SplitDown));
    m_splitDownAction->setShortcut(QKeySequence(u"Ctrl+Shift+D"_s));
    m_splitDownAction->setToolTip(tr("A second feed below the current one, with its own filter"));
    connect(m_splitDownAction, &QAction::triggered, this,
            [this] { m_feedArea->splitCurrent(Qt::Vertical); });

    m_newTabAction = new QAction(tr("New &tab"), this);
    m_newTabAction->setObjectName(u"newTabAction"_s);
    m_newTabAction->setIcon(Icons::icon(Icons::Kind::NewTab));
    m_newTabAction->setShortcut(QKeySequence(u"Ctrl+T"_s));
    m_newTabAction->setToolTip(tr("A feed of every channel in a tab of its own"));
    connect(m_newTabAction, &QAction::triggered, this, [this] { m_feedArea->newTab(); });

    m_closePaneAction = new QAction(tr("&Close feed"), this);
    m_closePaneAction->setObjectName(u"closePaneAction"_s);
    m_closePaneAction->setIcon(Icons::icon(Icons::Kind::Close));
    m_closePaneAction->setShortcut(QKeySequence(u"Ctrl+W"_s));
    m_closePaneAction->setToolTip(tr("Close the current feed (the last one stays)"));
    connect(m_closePaneAction, &QAction::triggered, this,
            [this] { m_feedArea->closeCurrentPane(); });

    feedMenu->addAction(find);
    feedMenu->addAction(m_pauseAction);
    feedMenu->addAction(jump);
    feedMenu->addAction(mention);
    feedMenu->addSeparator();
    feedMenu->addAction(m_splitRightAction);
    feedMenu->addAction(m_splitDownAction);
    feedMenu->addAction(m_newTabAction);
    feedMenu->addAction(m_closePaneAction);
    feedMenu->addSeparator();

    m_savedFilters = new SavedFilters(this);
    connect(m_savedFilters, &SavedFilters::changed, this, [this] {
        QSettings settings;
        m_savedFilters->store(settings);
    });
    m_savedFiltersMenu = feedMenu->addMenu(tr("&Saved filters"));
    m_savedFiltersMenu->setObjectName(u"savedFiltersMenu"_s);
    auto *saveFilter = new QAction(tr("&Save this filter"), this);
    saveFilter->setObjectName(u"saveFilterAction"_s);
    saveFilter->setShortcut(QKeySequence(u"Ctrl+Shift+S"_s));
    saveFilter->setToolTip(tr("Keep the current feed's filter in the Saved filters menu"));
    connect(saveFilter, &QAction::triggered, this, [this] {
        const QString query = filterBar()->query().trimmed();
        if (query.isEmpty())
            statusBar()->showMessage(tr("The filter is empty: nothing to save"), 4000);
        else if (filterBar()->errorText().isEmpty())
            m_savedFilters->save(query);
        else
            statusBar()->showMessage(tr("The filter has an error: not saved"), 4000);
    });
    m_savedFiltersMenu->addAction(saveFilter);
    connect(m_savedFiltersMenu, &QMenu::aboutToShow, this, &MainWindow::fillSavedFiltersMenu);
    fillSavedFiltersMenu();
}

void MainWindow::fillSavedFiltersMenu()
{
    // The save action stays; the list after it is made afresh, most recently used first.
    const QList<QAction *> actions = m_savedFiltersMenu->actions();
    for (QAction *action : actions) {
        if (action->objectName() != u"saveFilterAction"_s) {
            m_savedFiltersMenu->removeAction(action);
            action->deleteLater();
        }
    }
    const QStringList filters = m_savedFilters->filters();
    if (filters.isEmpty())
        return;
    m_savedFiltersMenu->addSeparator();
    for (const QString &query : filters) {
        QString text = query.size() > 60 ? query.left(59) + u'…' : query;
        auto *apply = m_savedFiltersMenu->addAction(text.replace(u'&', u"&&"_s));
        apply->setObjectName(u"savedFilter"_s);
        apply->setToolTip(query);
        connect(apply, &QAction::triggered, this, [this, query] {
            filterBar()->setQuery(query); // marks it used through queryApplied
        });
    }
    m_savedFiltersMenu->addSeparator();
    m_savedFiltersMenu->addAction(tr("Forget saved filters"), m_savedFilters, &SavedFilters::clear);
}

void MainWindow::showShortcuts()
{
    auto *dialog = new ShortcutsDialog(ShortcutsDialog::entries(menuBar()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

QDockWidget *MainWindow::addDock(const QString &title, const QString &objectName, QWidget *content,
                                 Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable
                      | QDockWidget::DockWidgetFloatable);
    addDockWidget(area, dock);
    m_viewMenu->addAction(dock->toggleViewAction());
    return dock;
}

void MainWindow::createDocks()
{
    m_health = new HealthPanel;
    m_health->setObjectName(u"healthPanel"_s);
    auto *healthScroll = new QScrollArea;
    healthScroll->setWidget(m_health);
    healthScroll->setWidgetResizable(true);
    healthScroll->setFrameShape(QFrame::NoFrame);
    healthScroll->setMinimumWidth(300);
    m_healthDock = addDock(tr("Connection health"), u"healthDock"_s, healthScroll,
                           Qt::LeftDockWidgetArea);

    m_historyPanel = new DisconnectHistoryPanel(m_history);
    m_historyDock = addDock(tr("Disconnect history"), u"historyDock"_s, m_historyPanel,
                            Qt::BottomDockWidgetArea);

    m_details = new DetailsPanel;
    m_detailsDock = addDock(tr("Details"), u"detailsDock"_s, m_details, Qt::RightDockWidgetArea);

    m_framesPanel = new FramesPanel(m_frames);
    m_framesDock
            = addDock(tr("Raw frames"), u"framesDock"_s, m_framesPanel, Qt::BottomDockWidgetArea);
    // Frames are only captured while someone can see them: building a record per frame at
    // thousands of events per second is not free.
    connect(m_framesDock, &QDockWidget::visibilityChanged, this, &MainWindow::updateFrameCapture);
    splitDockWidget(m_historyDock, m_framesDock, Qt::Horizontal);

    m_shardsPanel = new ShardsDock(m_shardStats);
    m_shardsDock = addDock(tr("Shards"), u"shardsDock"_s, m_shardsPanel, Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_historyDock, m_shardsDock);
    m_historyDock->raise();
    connect(m_shardsPanel, &ShardsDock::shardSelected, this, [this](int shard) {
        FilterBar *bar = filterBar();
        bar->setQuery(ShardsDock::withShardTerm(bar->query(), shard));
    });

    m_channelTree = new ChannelTreeModel(m_store, this);
    m_channelTreePanel = new ChannelTreeDock(m_channelTree);
    m_channelTreeDock = addDock(tr("Servers"), u"channelTreeDock"_s, m_channelTreePanel,
                                Qt::LeftDockWidgetArea);
    splitDockWidget(m_channelTreeDock, m_healthDock, Qt::Vertical);
    // The tree only names a place; the current feed turns it into its filter.
    m_feedArea->setLocationResolver([this](quint64 guildId, quint64 channelId) {
        const QModelIndex row = m_channelTree->indexOf(guildId, channelId);
        const QString label = row.isValid() ? row.data().toString()
                                            : QString::number(channelId ? channelId : guildId);
        return qMakePair(m_channelTree->filterTerm(guildId, channelId), label);
    });
    connect(m_channelTreePanel, &ChannelTreeDock::channelSelected, this,
            &MainWindow::selectChannel);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // Dock sizes only take once the window has its size; a restored layout wins.
    if (m_layoutRestored)
        return;
    m_layoutRestored = true;
    resizeDocks({m_healthDock, m_detailsDock}, {370, 300}, Qt::Horizontal);
    resizeDocks({m_historyDock, m_framesDock}, {width() * 2 / 5, width() * 3 / 5}, Qt::Horizontal);
    resizeDocks({m_historyDock}, {250}, Qt::Vertical);
}

void MainWindow::createStatusBar()
{
    m_statusBadge = new StateBadge;
    m_statusBadge->setObjectName(u"statusStateBadge"_s);
    m_statusBadge->setCompact(true);
    statusBar()->addWidget(m_statusBadge);
    m_latencyLabel = new QLabel;
    m_latencyLabel->setObjectName(u"statusLatency"_s);
    m_latencyLabel->setText(tr("latency %1").arg(Format::latency(-1)));
    statusBar()->addWidget(m_latencyLabel);
    m_rateLabel = new QLabel;
    m_rateLabel->setObjectName(u"statusRate"_s);
    statusBar()->addWidget(m_rateLabel);

    m_highlightLabel = new QLabel;
    m_highlightLabel->setObjectName(u"statusHighlights"_s);
    statusBar()->addWidget(m_highlightLabel);
    m_loggingIcon = new QLabel;
    m_loggingIcon->setObjectName(u"statusLoggingIcon"_s);
    const int iconSize = fontMetrics().height() * 3 / 4;
    m_loggingIcon->setPixmap(Icons::icon(Icons::Kind::Recording).pixmap(iconSize, iconSize));
    m_loggingIcon->hide();
    statusBar()->addPermanentWidget(m_loggingIcon);
    m_loggingLabel = new QLabel;
    m_loggingLabel->setObjectName(u"statusLogging"_s);
    statusBar()->addPermanentWidget(m_loggingLabel);

    m_demoLabel = new QLabel(tr("DEMO"));
    m_demoLabel->setObjectName(u"demoLabel"_s);
    m_demoLabel->setToolTip(tr("Connected to the built-in emulated gateway: the traffic is "
                               "generated, nothing here comes from Discord."));
    m_demoLabel->setStyleSheet(u"QLabel#demoLabel { background: #bf8700; color: white; "
                               "font-weight: bold; border-radius: 3px; padding: 1px 8px; }"_s);
    m_demoLabel->hide();
    statusBar()->addPermanentWidget(m_demoLabel);
}

void MainWindow::setDemoMode(bool demo)
{
    m_demo = demo;
    m_demoLabel->setVisible(demo);
    updateTitle();
}

QString MainWindow::latencyStatusText() const
{
    return m_latencyLabel->text();
}

void MainWindow::resetConnectionViews(const GatewayConfig &config)
{
    stopClient();
    closeFleet();
    m_lastConfig = config;
    m_lastConfig.token.clear();
    m_session = SessionInfo();
    m_health->reset();
    m_historyPanel->setFatal(0, QString());
}

void MainWindow::connectToGateway(const GatewayConfig &config)
{
    m_replayName.clear();
    resetConnectionViews(config);
    m_controller->connectTo(config);
    updateTitle();
    updateFrameCapture();
}

bool MainWindow::connectShards(const GatewayConfig &config, int firstShard, int lastShard,
                               int shardCount, QString *error)
{
    m_replayName.clear();
    resetConnectionViews(config);
    if (!m_controller->connectShards(config, firstShard, lastShard, shardCount, error)) {
        updateTitle();
        return false;
    }
    m_shardFirst = firstShard;
    m_shardLast = lastShard;
    m_shardsDock->show();
    m_shardsDock->raise(); // a range is what the Shards dock is for
    // Room for up to 8 rows, plus the dock's title and tabs.
    const int rows = std::min(lastShard - firstShard + 1, 8);
    resizeDocks({m_shardsDock}, {m_shardsPanel->heightForRows(rows) + 60}, Qt::Vertical);
    updateTitle();
    updateFrameCapture();
    return true;
}

void MainWindow::replayRecording(const QString &path, double speed)
{
    m_replayName = QFileInfo(path).fileName();
    resetConnectionViews(GatewayConfig());
    QString error;
    if (!m_controller->replay(path, speed, &error))
        statusBar()->showMessage(tr("Replay: %1").arg(error), 10000);
    updateTitle();
    updateFrameCapture();
}

bool MainWindow::setRecordFile(const QString &path, QString *error)
{
    // Frames are written in the gateway thread, where they are made: none crosses threads.
    return m_controller->setRecordFile(path, error);
}

void MainWindow::showFatal(int code, const QString &explanation)
{
    const QString text = Redaction::redact(explanation);
    m_history->fatal(code, text);
    m_historyPanel->setFatal(code, text);
    m_historyDock->show();
    m_historyDock->raise();
    QApplication::alert(this);
}

void MainWindow::wireController()
{
    ConnectionController *c = m_controller;
    const auto tag = [](int shard) {
        return shard >= 0 ? tr("shard %1: ").arg(shard) : QString();
    };
    connect(c, &ConnectionController::stateChanged, this, &MainWindow::onStateChanged);
    connect(c, &ConnectionController::discoveryFinished, m_health, &HealthPanel::setBotInfo);
    connect(c, &ConnectionController::fatalError, this,
            [this](int shard, int code, const QString &explanation) {
                showFatal(code, shard >= 0 ? tr("shard %1: %2").arg(shard).arg(explanation)
                                           : explanation);
            });
    connect(c, &ConnectionController::errorOccurred, this,
            [this](const QString &message) { showFatal(0, message); });
    connect(c, &ConnectionController::sessionFileStatus, this,
            [this](const QString &line) { statusBar()->showMessage(line, 15000); });
    connect(c, &ConnectionController::latencyChanged, this, [this](int, int last, int smoothed) {
        m_health->setLatency(last, smoothed);
        m_latencyLabel->setText(tr("latency %1").arg(Format::latency(last)));
    });
    connect(c, &ConnectionController::heartbeatAckMissed, m_health, &HealthPanel::addAckMiss);
    connect(c, &ConnectionController::disconnected, this,
            [this, tag](int shard, int code, const QString &reason,
                        GatewayClient::Initiator initiator, CloseCodes::Action action) {
                if (!m_replacing)
                    m_history->addDisconnect(code, tag(shard) + Redaction::redact(reason),
                                             initiator, action, 0, shard);
            });
    connect(c, &ConnectionController::sessionEstablished, this,
            [this](int shard, const QString &, bool resumed, int replayed) {
                m_history->sessionEstablished(resumed, replayed, 0, shard);
                m_controller->refreshMetrics();
            });
    connect(c, &ConnectionController::reconnectScheduled, this,
            [this, tag](int shard, int attempt, int delayMs) {
                statusBar()->showMessage(tag(shard)
                                                 + tr("Reconnecting in %1 (attempt %2)")
                                                           .arg(Format::duration(delayMs))
                                                           .arg(attempt),
                                         std::max(delayMs, 3000));
            });
    connect(c, &ConnectionController::connectionError, this,
            [this, tag](int shard, const QString &message) {
                statusBar()->showMessage(tag(shard) + Redaction::redact(message), 8000);
            });
    connect(c, &ConnectionController::recordError, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Recording stopped: %1").arg(message));
    });
    connect(c, &ConnectionController::replayCorruptLine, this,
            [this](qint64 line, const QString &reason) {
                statusBar()->showMessage(tr("Replay: line %1 skipped (%2)").arg(line).arg(reason),
                                         10000);
            });
    connect(c, &ConnectionController::replayFinished, this,
            [this](qint64 frames, qint64 corruptLines) {
                statusBar()->showMessage(tr("Replay finished: %1 frames, %2 corrupt lines skipped")
                                                 .arg(frames)
                                                 .arg(corruptLines),
                                         10000);
            });
    connect(c, &ConnectionController::metricsUpdated, this, [this] {
        applySnapshot(m_controller->metrics(), m_controller->session(), m_controller->botInfo());
        if (m_controller->isRange() && m_controller->shardCount() > 0)
            m_health->setShardRange(m_shardFirst, m_shardLast, m_controller->shardCount());
    });
    // One route for every event: the store takes messages, the directory learns names. Events
    // come decoded, in batches (one posted event per ~16 ms rather than one per message).
    connect(c, &ConnectionController::eventsReady, this, &MainWindow::onEventBatch);
    connect(c, &ConnectionController::framesReady, m_frames, &FrameModel::addFrames);
}

void MainWindow::onEventBatch(const GatewayEventBatch &events)
{
    m_backlog.push_back(events); // shared, not copied event by event
    if (!m_drainTimer.isActive())
        m_drainTimer.start();
}

void MainWindow::drainDispatches()
{
    // Handle the backlog in slices so that painting, input and the store's batch timer run in
    // between: a backlog that built up while the thread was busy must not become one long stall.
    QElapsedTimer slice;
    slice.start();
    while (!m_backlog.empty()) {
        const GatewayEventBatch &batch = m_backlog.front();
        m_store->ingestEvent(batch.at(m_backlogNext));
        if (++m_backlogNext == batch.size()) {
            m_backlog.pop_front();
            m_backlogNext = 0;
        }
        // Checked after every event: one GUILD_CREATE can take a millisecond of its own.
        if (slice.elapsed() >= DrainSliceMs)
            break;
    }
    if (m_backlog.empty())
        m_drainTimer.stop();
}

void MainWindow::updateFrameCapture()
{
    // Frames are only collected (and redacted) while the raw frames dock is shown.
    if (m_controller)
        m_controller->setFramesWanted(m_framesDock->isVisible());
}

void MainWindow::onStateChanged(GatewayClient::State state)
{
    if (state == GatewayClient::State::Disconnected)
        m_history->endPending(); // closed: no reconnect will complete the rows
    m_health->setState(state);
    m_statusBadge->setState(state);
    const bool active
            = state != GatewayClient::State::Disconnected && state != GatewayClient::State::Failed;
    m_disconnectAction->setEnabled(m_controller->isActive() && active);
    m_controller->refreshMetrics();
    updateTitle();
}

void MainWindow::applySnapshot(const GatewayMetrics &metrics, const SessionInfo &session,
                               const std::optional<GatewayBotInfo> &botInfo)
{
    m_metrics = metrics;
    m_health->setMetrics(metrics);
    if (botInfo)
        m_health->setBotInfo(*botInfo);
    if (session.sessionId != m_session.sessionId
        || session.resumeGatewayUrl != m_session.resumeGatewayUrl) {
        m_session = session;
        m_health->setSession(session);
        updateTitle();
    }
    m_rateLabel->setText(tr("%1 events/s").arg(metrics.eventsPerSecond, 0, 'f', 0));
}

void MainWindow::updateTitle()
{
    QString title = u"Gatescope"_s;
    if (m_controller->isActive()) {
        const QString name = m_session.user.value(u"username"_s).toString();
        const QUrl url
                = m_lastConfig.gatewayUrl.isEmpty() ? m_lastConfig.apiUrl : m_lastConfig.gatewayUrl;
        QStringList parts;
        if (!name.isEmpty())
            parts << name;
        if (!url.host().isEmpty())
            parts << u"@ "_s + url.host();
        if (!parts.isEmpty())
            title += u" — "_s + parts.join(u' ');
    }
    if (m_controller->isRange())
        title += u" — shards %1–%2"_s.arg(m_shardFirst).arg(m_shardLast);
    if (!m_replayName.isEmpty())
        title += u" — replay of "_s + m_replayName;
    if (m_demo)
        title += u" — DEMO"_s;
    if (m_fleet)
        title += u" — fleet "_s + m_fleetName;
    // The title is shown by the window manager and task bars: never let a secret reach it.
    setWindowTitle(Redaction::redact(title));
}

void MainWindow::showOpenFleetDialog()
{
    OpenFleetDialog dialog(this);
    QSettings settings;
    dialog.loadSettings(settings);
    if (dialog.exec() != QDialog::Accepted)
        return;
    dialog.saveSettings(settings);
    QString error;
    if (const std::optional<RedisEndpoint> endpoint = dialog.endpoint(&error))
        subscribeToFleet(*endpoint, dialog.fromNow());
    else
        statusBar()->showMessage(tr("Open fleet: %1").arg(error), 10000);
}

void MainWindow::subscribeToFleet(const RedisEndpoint &endpoint, bool fromNow)
{
    if (m_controller->isActive())
        stopClient();
    closeFleet();
    FleetSubscriber::Options options;
    options.fromNow = fromNow;
    m_fleet = new FleetSubscriber(endpoint, options, this);
    m_fleetName = endpoint.displayUrl();
    if (!m_fleetShards)
        m_fleetShards = new FleetShardsModel(this);
    m_fleetShards->setShards({});
    m_shardsPanel->showFleet(m_fleetShards);
    wireFleet();
    m_fleet->open();
    m_shardsDock->show();
    m_shardsDock->raise();
    statusBar()->showMessage(tr("Fleet: connecting to %1…").arg(m_fleetName), 10000);
    updateTitle();
}

void MainWindow::closeFleet()
{
    if (!m_fleet)
        return;
    delete m_fleet;
    m_fleet = nullptr;
    m_fleetName.clear();
    m_shardsPanel->showConnection();
}

void MainWindow::wireFleet()
{
    FleetSubscriber *fleet = m_fleet;
    // The same route as a live connection's events: the store, the feed, filters and exports.
    connect(fleet, &FleetSubscriber::eventsReady, this, &MainWindow::onEventBatch);
    const auto refresh = [this, fleet] {
        m_fleetShards->setShards(fleet->shards());
    };
    connect(fleet, &FleetSubscriber::shardChanged, this, refresh);
    connect(fleet, &FleetSubscriber::gapDetected, this,
            [this, refresh](const QString &collector, int shard, qint64 nextSeq, qint64 missing) {
                refresh();
                statusBar()->showMessage(tr("Fleet: %n event(s) missing in %1's shard %2 before "
                                            "sequence %3",
                                            nullptr, int(missing))
                                                 .arg(collector)
                                                 .arg(shard)
                                                 .arg(nextSeq),
                                         15000);
            });
    connect(fleet, &FleetSubscriber::collectorStale, this, [this](const QString &collector) {
        statusBar()->showMessage(
                tr("Fleet: collector %1 stopped publishing (stale)").arg(collector), 15000);
    });
    connect(fleet, &FleetSubscriber::collectorBack, this, [this](const QString &collector) {
        statusBar()->showMessage(tr("Fleet: collector %1 publishes again").arg(collector), 8000);
    });
    connect(fleet, &FleetSubscriber::reading, this,
            [this] { statusBar()->showMessage(tr("Fleet: reading %1").arg(m_fleetName), 8000); });
    connect(fleet->connection(), &RedisConnection::disconnected, this,
            [this](const QString &reason) {
                statusBar()->showMessage(tr("Fleet: Redis unreachable (%1); retrying").arg(reason),
                                         15000);
            });
    // Events counts and sequences move with every batch; the table follows once a second.
    auto *timer = new QTimer(fleet);
    connect(timer, &QTimer::timeout, this, refresh);
    timer->start(1000);
}

void MainWindow::showConnectDialog()
{
    ConnectDialog dialog(this);
    QSettings settings;
    dialog.setConfig(m_lastConfig);
    dialog.loadSettings(settings);
    if (m_dialogOverride) {
        dialog.setConfig(*m_dialogOverride);
        m_dialogOverride.reset();
    }
    connect(&dialog, &ConnectDialog::demoRequested, this, &MainWindow::demoRequested);
    if (!m_tokenVault)
        m_tokenVault = TokenVault::createDefault(this);
    dialog.setTokenVault(m_tokenVault);
    const int result = dialog.exec();
    if (result == QDialog::Accepted) {
        dialog.saveSettings(settings);
        keepToken(dialog);
        setDemoMode(false);
        setSessionFile(dialog.sessionFile());
        connectToGateway(dialog.config());
    } else if (result == ConnectDialog::DemoResult) {
        dialog.saveSettings(settings);
    }
}

void MainWindow::keepToken(const ConnectDialog &dialog)
{
    if (dialog.rememberToken()) {
        connect(
                m_tokenVault, &TokenVault::writeFinished, this,
                [this](bool stored, const QString &notice) {
                    statusBar()->showMessage(stored ? tr("Token kept in the system keyring")
                                                    : Redaction::redact(notice),
                                             stored ? 5000 : 20000);
                },
                Qt::SingleShotConnection);
        m_tokenVault->write(dialog.config().token);
    } else if (dialog.vaultHadToken()) {
        // Unchecked: a token remembered earlier is forgotten.
        m_tokenVault->erase();
    }
}

void MainWindow::askForToken(const GatewayConfig &config)
{
    m_dialogOverride = config;
    showConnectDialog();
}

void MainWindow::setSessionFile(const QString &path)
{
    m_controller->setSessionFile(path);
}

void MainWindow::disconnectFromGateway()
{
    m_controller->disconnectFromGateway();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(GeometryKey).toByteArray());
    m_layoutRestored = restoreState(settings.value(StateKey).toByteArray(), WindowStateVersion);
    // The layout of tabs and splits; a window saved before there were splits has one feed's
    // header and filter, which go to its one pane.
    if (!m_feedArea->restoreLayout(settings.value(LayoutKey).toByteArray())) {
        const QByteArray header = settings.value(HeaderKey).toByteArray();
        if (!header.isEmpty())
            feedView()->horizontalHeader()->restoreState(header);
        filterBar()->setQuery(settings.value(FilterKey).toString());
    }
    m_highlights->load(settings);
    m_savedFilters->load(settings);
    if (settings.value(LoggingEnabledKey, false).toBool()
        && !settings.value(LoggingFolderKey).toString().isEmpty())
        m_loggingAction->setChecked(true);
    setSessionFile(ConnectDialog::sessionFileFromSettings(settings));
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(StateKey, saveState(WindowStateVersion));
    settings.setValue(HeaderKey, feedView()->horizontalHeader()->saveState());
    settings.setValue(FilterKey, filterBar()->query());
    settings.setValue(LayoutKey, m_feedArea->saveLayout());
    settings.setValue(LoggingEnabledKey, m_loggingAction->isChecked());
    m_highlights->save(settings);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    // Closing the window is no user's disconnect: with a session file the sessions stay
    // resumable (4000) and are saved for the next start.
    if (m_controller->sessionFile().isEmpty())
        m_controller->disconnectFromGateway();
    else
        m_controller->stopKeepingSessions();
    m_logSink->close();
    event->accept();
}

void MainWindow::createFeed()
{
    m_feedArea = new FeedArea(m_model, m_store, m_directory, m_highlights, this);
    connect(m_feedArea, &FeedArea::paneCreated, this, &MainWindow::wirePane);
    connect(m_feedArea, &FeedArea::currentPaneChanged, this, &MainWindow::onCurrentPaneChanged);
    const QList<FeedPane *> first = m_feedArea->panes(); // made before the signal was connected
    for (FeedPane *pane : first)
        wirePane(pane);
    setCentralWidget(m_feedArea);
    onCurrentPaneChanged(currentPane());

    connect(m_pauseAction, &QAction::toggled, this,
            [this](bool paused) { currentPane()->setPaused(paused); });
    connect(m_store, &MessageStore::appended, this, &MainWindow::onMessagesAppended);
    connect(m_store, &MessageStore::messageChangedAs, this,
            [this](int row, MessageStore::Change change) { logMessageChange(row, int(change)); });
    connect(m_store, &MessageStore::messageChanged, this, [this](int row) {
        if (m_details->messageId() != 0 && m_store->at(row).id == m_details->messageId())
            onCurrentMessageChanged();
    });
    connect(m_directory, &Directory::changed, this, [this] { m_highlights->resolve(m_directory); });
    connect(m_highlights, &HighlightRules::highlighted, this, &MainWindow::notifyHighlight);
    connect(m_highlights, &HighlightRules::rulesChanged, this, [this] {
        m_highlights->resolve(m_directory);
        const QList<FeedPane *> panes = m_feedArea->panes();
        for (FeedPane *pane : panes)
            pane->feedView()->viewport()->update();
    });
}

void MainWindow::wirePane(FeedPane *pane)
{
    connect(pane->filterBar(), &FilterBar::queryApplied, m_savedFilters, &SavedFilters::markUsed);
    connect(pane->feedView(), &QWidget::customContextMenuRequested, this,
            [this, pane](const QPoint &position) { showFeedMenu(pane, position); });
    connect(pane, &FeedPane::currentMessageChanged, this, [this, pane] {
        if (pane == currentPane())
            onCurrentMessageChanged();
    });
    connect(pane, &FeedPane::pausedChanged, this, [this, pane](bool paused) {
        if (pane == currentPane()) {
            const QSignalBlocker blocker(m_pauseAction);
            m_pauseAction->setChecked(paused);
        }
    });
}

void MainWindow::onCurrentPaneChanged(FeedPane *pane)
{
    if (!pane || !m_details)
        return;
    {
        const QSignalBlocker blocker(m_pauseAction);
        m_pauseAction->setChecked(pane->isPaused());
    }
    m_closePaneAction->setEnabled(m_feedArea->paneCount() > 1);
    onCurrentMessageChanged();
}

FeedPane *MainWindow::currentPane() const
{
    return m_feedArea->currentPane();
}

MessageFilterModel *MainWindow::filterModel() const
{
    return currentPane()->filterModel();
}

FeedView *MainWindow::feedView() const
{
    return currentPane()->feedView();
}

FilterBar *MainWindow::filterBar() const
{
    return currentPane()->filterBar();
}

void MainWindow::selectChannel(quint64 guildId, quint64 channelId)
{
    currentPane()->selectChannel(guildId, channelId);
}

void MainWindow::onMessagesAppended(int count)
{
    const int total = m_store->count();
    const int first = std::max(0, total - count);
    const bool logging = m_logSink->isOpen();
    if (m_highlights->isEmpty() && !logging)
        return;
    for (int row = first; row < total; ++row) {
        const Message &m = m_store->at(row);
        if (!m_highlights->isEmpty())
            m_highlights->count(m);
        if (logging)
            m_logSink->append(ExportRow{&m, m_directory->guildName(m.guildId),
                                        m_directory->channelName(m.channelId)});
    }
    if (!m_highlights->isEmpty())
        m_highlightLabel->setText(
                tr("%1 highlighted").arg(Format::count(m_highlights->totalHits())));
}

void MainWindow::setCsvEventRows(bool enabled)
{
    m_logSink->setEventRows(enabled);
}

void MainWindow::logMessageChange(int row, int change)
{
    if (!m_logSink->isOpen() || !m_logSink->eventRows())
        return;
    CsvWriter::Event event = CsvWriter::Event::Update;
    switch (MessageStore::Change(change)) {
    case MessageStore::Change::Edit:
        break;
    case MessageStore::Change::Delete:
        event = CsvWriter::Event::Delete;
        break;
    case MessageStore::Change::DeleteBulk:
        event = CsvWriter::Event::DeleteBulk;
        break;
    case MessageStore::Change::Merge:
        return; // a replayed create: the message was logged when it came first
    }
    // The window has the stored message: unlike headless, a delete row keeps its author and
    // content, and an edit row the whole message as it now is.
    const Message m = m_store->at(row);
    m_logSink->appendEvent(event, ExportRow{&m, m_directory->guildName(m.guildId),
                                            m_directory->channelName(m.channelId)});
}

void MainWindow::notifyHighlight(int rule, const Message &message)
{
    if (isActiveWindow() || !m_highlights->rules().value(rule).notify)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_lastNotificationMs < NotificationIntervalMs)
        return;
    m_lastNotificationMs = now;
    QApplication::alert(this);
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            showNormal();
            activateWindow();
        });
        m_tray->show();
    }
    const QString where = m_directory->channelLabel(message.channelId);
    m_tray->showMessage(tr("%1 in %2").arg(message.displayAuthor(), where),
                        message.content.left(200), QSystemTrayIcon::Information, 5000);
}

void MainWindow::onCurrentMessageChanged()
{
    const QModelIndex current = feedView()->currentIndex();
    if (!current.isValid()) {
        m_details->clear();
        return;
    }
    const QModelIndex source = filterModel()->mapToSource(current);
    const Message &m = m_model->message(source.row());
    m_details->setMessage(m, m_directory->guildName(m.guildId),
                          m_directory->channelLabel(m.channelId), m_store->rawJson(m.id));
}

void MainWindow::showFeedMenu(FeedPane *pane, const QPoint &position)
{
    const QModelIndex index = pane->feedView()->indexAt(position);
    if (!index.isValid())
        return;
    const Message m = m_model->message(pane->filterModel()->mapToSource(index).row());
    FilterBar *bar = pane->filterBar();
    QMenu menu(this);
    const QString author = m.displayAuthor();
    menu.addAction(tr("Filter by author “%1”").arg(author), this,
                   [bar, m] { bar->addTerm(u"from:"_s + QString::number(m.authorId)); });
    menu.addAction(tr("Filter by channel %1").arg(m_directory->channelLabel(m.channelId)), this,
                   [bar, m] { bar->addTerm(u"in:"_s + QString::number(m.channelId)); });
    if (!m.isDm()) {
        const QString guild = m_directory->guildName(m.guildId);
        menu.addAction(tr("Filter by guild “%1”")
                               .arg(guild.isEmpty() ? QString::number(m.guildId) : guild),
                       this, [bar, m] { bar->addTerm(u"guild:"_s + QString::number(m.guildId)); });
    }
    menu.addSeparator();
    menu.addAction(tr("Copy message id"), this,
                   [m] { QApplication::clipboard()->setText(QString::number(m.id)); });
    menu.addAction(tr("Copy message link"), this,
                   [m] { QApplication::clipboard()->setText(messageLink(m)); });
    menu.addAction(tr("Copy content"), this,
                   [m] { QApplication::clipboard()->setText(m.content); });
    menu.addSeparator();
    menu.addAction(tr("Show raw JSON…"), this, [this, m] { showRawJson(m.id); });
    menu.exec(pane->feedView()->viewport()->mapToGlobal(position));
}

void MainWindow::showRawJson(quint64 messageId)
{
    const QByteArray raw = m_store->rawJson(messageId);
    const QJsonDocument doc = QJsonDocument::fromJson(raw);
    QString text
            = raw.isEmpty()
                      ? tr("The raw JSON of this message is not available.")
                      : Redaction::redact(QString::fromUtf8(doc.isNull() ? raw : doc.toJson()));
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Message %1").arg(messageId));
    auto *layout = new QVBoxLayout(dialog);
    auto *edit = new QPlainTextEdit(text, dialog);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(edit);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->resize(640, 560);
    dialog->show();
}

void MainWindow::clearFeed()
{
    m_store->clear();
    m_details->clear();
    const QList<FeedPane *> panes = m_feedArea->panes();
    for (FeedPane *pane : panes)
        pane->filterBar()->updateCount();
}

void MainWindow::editHighlights()
{
    HighlightDialog dialog(m_highlights->rules(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_highlights->setRules(dialog.rules());
    QSettings settings;
    m_highlights->save(settings);
    m_highlightLabel->setText(m_highlights->isEmpty() ? QString() : tr("0 highlighted"));
}

void MainWindow::exportMessages()
{
    const QModelIndexList selected = feedView()->selectionModel()->selectedRows();
    ExportDialog dialog(m_store->count(), filterModel()->rowCount(), selected.size(), this);
    QSettings settings;
    const QString folder
            = settings.value(ExportFolderKey,
                             QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                      .toString();
    dialog.setPath(QDir(folder).filePath(u"gatescope-%1.csv"_s.arg(
            QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_s))));
    if (dialog.exec() != QDialog::Accepted)
        return;
    settings.setValue(ExportFolderKey, QFileInfo(dialog.path()).absolutePath());
    startExport(dialog.path(), dialog.format(), dialog.scope(), dialog.csvOptions());
}

bool MainWindow::startExport(const QString &path, ExportFormat format, ExportDialog::Scope scope,
                             CsvOptions options)
{
    if (m_exporter)
        return false;
    // Copy the rows now: the ring may evict them while the export runs chunk by chunk.
    // Message is implicitly shared, so this is a reference-count bump per string.
    auto rows = std::make_shared<QList<Message>>();
    switch (scope) {
    case ExportDialog::Scope::All:
        rows->reserve(m_store->count());
        for (int row = 0; row < m_store->count(); ++row)
            rows->append(m_store->at(row));
        break;
    case ExportDialog::Scope::Filtered: {
        const MessageFilterModel *filter = filterModel();
        rows->reserve(filter->rowCount());
        for (int row = 0; row < filter->rowCount(); ++row)
            rows->append(m_model->message(filter->mapToSource(filter->index(row, 0)).row()));
        break;
    }
    case ExportDialog::Scope::Selected: {
        const MessageFilterModel *filter = filterModel();
        QModelIndexList selected = feedView()->selectionModel()->selectedRows();
        std::sort(selected.begin(), selected.end());
        for (const QModelIndex &index : std::as_const(selected))
            rows->append(m_model->message(filter->mapToSource(index).row()));
        break;
    }
    }

    m_exporter = new Exporter(this);
    m_exporter->setPath(path);
    m_exporter->setFormat(format);
    m_exporter->setCsvOptions(options);
    Directory *directory = m_directory;
    m_exporter->setRows(rows->size(), [rows, directory](qsizetype i) {
        const Message &m = rows->at(i);
        return ExportRow{&m, directory->guildName(m.guildId), directory->channelName(m.channelId)};
    });

    auto *progress = new QProgressDialog(
            tr("Exporting %1 messages…").arg(Format::count(quint64(rows->size()))), tr("Cancel"), 0,
            100, this);
    progress->setObjectName(u"exportProgress"_s);
    progress->setWindowTitle(tr("Export"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    connect(progress, &QProgressDialog::canceled, m_exporter, &Exporter::cancel);
    connect(m_exporter, &Exporter::progress, progress, [progress](qint64 done, qint64 total) {
        progress->setValue(total > 0 ? int(done * 100 / total) : 100);
    });
    connect(m_exporter, &Exporter::finished, this,
            [this, progress, path, count = rows->size()](bool ok, const QString &error) {
                progress->deleteLater();
                m_exporter->deleteLater();
                m_exporter = nullptr;
                if (ok)
                    statusBar()->showMessage(tr("Exported %1 messages to %2")
                                                     .arg(Format::count(quint64(count)), path),
                                             8000);
                else
                    statusBar()->showMessage(tr("Export failed: %1").arg(error), 10000);
                emit exportFinished(ok, path, error);
            });
    m_exporter->start();
    return true;
}

void MainWindow::toggleLogging(bool enabled)
{
    if (!enabled) {
        setLoggingFolder(QString());
        return;
    }
    QSettings settings;
    QString folder = settings.value(LoggingFolderKey).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) {
        folder = QFileDialog::getExistingDirectory(
                this, tr("Log messages to folder"),
                QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation));
    }
    if (folder.isEmpty() || !setLoggingFolder(folder)) {
        const QSignalBlocker blocker(m_loggingAction);
        m_loggingAction->setChecked(false);
    }
}

bool MainWindow::setLoggingFile(const QString &path, QString *error)
{
    m_logSink->close();
    m_logSink->setFilePath(path);
    if (!m_logSink->open()) {
        *error = m_logSink->errorString();
        clearLoggingState();
        return false;
    }
    showLoggingState();
    return true;
}

void MainWindow::showLoggingState()
{
    m_loggingIcon->show();
    m_loggingLabel->setText(
            tr("logging to %1").arg(QFileInfo(m_logSink->currentFilePath()).fileName()));
    m_loggingLabel->setToolTip(m_logSink->currentFilePath());
    m_loggingLabel->setStyleSheet(u"color: #cf222e;"_s);
    const QSignalBlocker blocker(m_loggingAction);
    m_loggingAction->setChecked(true);
}

void MainWindow::clearLoggingState()
{
    m_loggingIcon->hide();
    m_loggingLabel->clear();
}

bool MainWindow::setLoggingFolder(const QString &folder)
{
    m_logSink->close();
    if (folder.isEmpty()) {
        clearLoggingState();
        const QSignalBlocker blocker(m_loggingAction);
        m_loggingAction->setChecked(false);
        return true;
    }
    m_logSink->setRotatingFolder(folder);
    if (!m_logSink->open()) {
        QMessageBox::warning(this, tr("Continuous logging"),
                             tr("Cannot write to %1: %2").arg(folder, m_logSink->errorString()));
        clearLoggingState();
        return false;
    }
    QSettings settings;
    settings.setValue(LoggingFolderKey, folder);
    showLoggingState();
    return true;
}

} // namespace Gatescope::Ui
