#include "ui/mainwindow.h"

#include "core/gateway/redaction.h"
#include "ui/connectdialog.h"
#include "ui/disconnecthistorymodel.h"
#include "ui/disconnecthistorypanel.h"
#include "ui/format.h"
#include "ui/framemodel.h"
#include "ui/framespanel.h"
#include "ui/healthpanel.h"
#include "ui/statebadge.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

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
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);

    m_history = new DisconnectHistoryModel(this);
    m_frames = new FrameModel(this);

    createActions();
    createDocks();
    createStatusBar();

    m_metricsTimer.setInterval(1000);
    connect(&m_metricsTimer, &QTimer::timeout, this, &MainWindow::refreshMetrics);
    m_metricsTimer.start();

    resize(1400, 880);
    restoreSettings();
    updateTitle();
    onStateChanged(GatewayClient::State::Disconnected);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    m_viewMenu = menuBar()->addMenu(tr("&View"));
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
    m_pauseAction->setToolTip(tr("Hold the feed still; messages are still received (Space)"));

    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    fileMenu->addAction(m_connectAction);
    fileMenu->addAction(m_disconnectAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quit);

    toolBar->addAction(m_connectAction);
    toolBar->addAction(m_disconnectAction);
    toolBar->addSeparator();
    toolBar->addAction(m_pauseAction);

    m_viewMenu->addAction(m_pauseAction);
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
    helpMenu->addAction(about);
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
    healthScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_healthDock = addDock(tr("Connection health"), u"healthDock"_s, healthScroll,
                           Qt::LeftDockWidgetArea);

    m_historyPanel = new DisconnectHistoryPanel(m_history);
    m_historyDock = addDock(tr("Disconnect history"), u"historyDock"_s, m_historyPanel,
                            Qt::LeftDockWidgetArea);

    m_framesPanel = new FramesPanel(m_frames);
    m_framesDock
            = addDock(tr("Raw frames"), u"framesDock"_s, m_framesPanel, Qt::BottomDockWidgetArea);
    // Frames are only captured while someone can see them: building a record per frame at
    // thousands of events per second is not free.
    connect(m_framesDock, &QDockWidget::visibilityChanged, this, &MainWindow::updateFrameCapture);

    resizeDocks({m_healthDock}, {380}, Qt::Horizontal);
    resizeDocks({m_framesDock}, {240}, Qt::Vertical);
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

void MainWindow::connectToGateway(const GatewayConfig &config)
{
    if (m_client) {
        // The old client's signals must not reach the views once the new one starts.
        m_client->disconnect(this);
        m_client->close();
        m_client->deleteLater();
    }
    m_lastConfig = config;
    m_lastConfig.token.clear();
    m_health->reset();
    m_historyPanel->setFatal(0, QString());

    auto *client = new GatewayClient(this);
    m_client = client;
    wireClient(client);
    client->setConfig(config);
    updateFrameCapture();
    updateTitle();
    client->open();
}

void MainWindow::wireClient(GatewayClient *client)
{
    connect(client, &GatewayClient::stateChanged, this, &MainWindow::onStateChanged);
    connect(client, &GatewayClient::latencyChanged, this, [this](int last, int smoothed) {
        m_health->setLatency(last, smoothed);
        m_latencyLabel->setText(tr("latency %1").arg(Format::latency(last)));
    });
    connect(client, &GatewayClient::heartbeatAckMissed, m_health, &HealthPanel::addAckMiss);
    connect(client, &GatewayClient::disconnected, this,
            [this](int code, const QString &reason, GatewayClient::Initiator initiator,
                   CloseCodes::Action action) {
                m_history->addDisconnect(code, Redaction::redact(reason), initiator, action);
            });
    connect(client, &GatewayClient::sessionEstablished, this,
            [this, client](const QString &, bool resumed, int replayed) {
                m_history->sessionEstablished(resumed, replayed);
                m_health->setSession(client->session());
                updateTitle();
            });
    connect(client, &GatewayClient::reconnectScheduled, this, [this](int attempt, int delayMs) {
        statusBar()->showMessage(
                tr("Reconnecting in %1 (attempt %2)").arg(Format::duration(delayMs)).arg(attempt),
                std::max(delayMs, 3000));
    });
    connect(client, &GatewayClient::connectionError, this, [this](const QString &message) {
        statusBar()->showMessage(Redaction::redact(message), 8000);
    });
    connect(client, &GatewayClient::fatalError, this, [this](int code, const QString &explanation) {
        const QString text = Redaction::redact(explanation);
        m_history->fatal(code, text);
        m_historyPanel->setFatal(code, text);
        m_historyDock->show();
        m_historyDock->raise();
        QApplication::alert(this);
    });
    connect(client, &GatewayClient::discoveryFinished, m_health, &HealthPanel::setBotInfo);
}

void MainWindow::updateFrameCapture()
{
    disconnect(m_frameConnection);
    if (m_client && m_framesDock->isVisible())
        m_frameConnection
                = connect(m_client, &GatewayClient::frameLogged, m_frames, &FrameModel::addFrame);
}

void MainWindow::onStateChanged(GatewayClient::State state)
{
    m_health->setState(state);
    m_statusBadge->setState(state);
    const bool active
            = state != GatewayClient::State::Disconnected && state != GatewayClient::State::Failed;
    m_disconnectAction->setEnabled(m_client && active);
    if (state == GatewayClient::State::Ready && m_client)
        m_health->setSession(m_client->session());
    refreshMetrics();
    updateTitle();
}

void MainWindow::refreshMetrics()
{
    if (!m_client)
        return;
    const GatewayMetrics &metrics = m_client->metrics();
    m_health->setMetrics(metrics);
    if (auto info = m_client->botInfo())
        m_health->setBotInfo(*info);
    m_rateLabel->setText(tr("%1 events/s").arg(metrics.eventsPerSecond, 0, 'f', 0));
}

void MainWindow::updateTitle()
{
    QString title = u"Gatescope"_s;
    if (m_client) {
        const QJsonObject user = m_client->session().user;
        const QString name = user.value(u"username"_s).toString();
        const QUrl url = m_client->config().gatewayUrl;
        QStringList parts;
        if (!name.isEmpty())
            parts << name;
        if (!url.host().isEmpty())
            parts << u"@ "_s + url.host();
        if (!parts.isEmpty())
            title += u" — "_s + parts.join(u' ');
    }
    if (m_demo)
        title += u" — DEMO"_s;
    // The title is shown by the window manager and task bars: never let a secret reach it.
    setWindowTitle(Redaction::redact(title));
}

void MainWindow::showConnectDialog()
{
    ConnectDialog dialog(this);
    QSettings settings;
    dialog.setConfig(m_lastConfig);
    dialog.loadSettings(settings);
    connect(&dialog, &ConnectDialog::demoRequested, this, &MainWindow::demoRequested);
    const int result = dialog.exec();
    if (result == QDialog::Accepted) {
        dialog.saveSettings(settings);
        setDemoMode(false);
        connectToGateway(dialog.config());
    } else if (result == ConnectDialog::DemoResult) {
        dialog.saveSettings(settings);
    }
}

void MainWindow::disconnectFromGateway()
{
    if (m_client)
        m_client->close();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(GeometryKey).toByteArray());
    restoreState(settings.value(StateKey).toByteArray(), WindowStateVersion);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(StateKey, saveState(WindowStateVersion));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    if (m_client)
        m_client->close();
    event->accept();
}

} // namespace Gatescope::Ui
