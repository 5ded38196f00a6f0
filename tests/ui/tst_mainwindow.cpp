#include "core/gateway/redaction.h"
#include "core/io/csvsink.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "emulator/emulatorserver.h"
#include "ui/connectdialog.h"
#include "ui/disconnecthistorymodel.h"
#include "ui/feedarea.h"
#include "ui/feedpane.h"
#include "ui/feedview.h"
#include "ui/filterbar.h"
#include "ui/framemodel.h"
#include "ui/healthpanel.h"
#include "ui/mainwindow.h"
#include "ui/savedfilters.h"
#include "ui/shortcutsdialog.h"
#include "ui/statebadge.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <memory>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

namespace {
// Distinctive, so a leak anywhere on screen is unmistakable.
const QString Token = u"GSTEST.Zq9x-TOKEN-MUST-NEVER-SHOW.k7Vw"_s;
const QString TokenCore = u"TOKEN-MUST-NEVER-SHOW"_s;
} // namespace

/// The whole window against a real in-process emulator: connect, feed, filter, pause, export,
/// op 7, latency, and that the token never reaches the screen.
class tst_MainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void windowBuilds();
    void demoConnectionReachesReady();
    void messagesAppearInTheFeed();
    void latencyLabelUpdates();
    void queryReducesRows();
    void badQueryShowsError();
    void pauseHoldsRowsStill();
    void exportWritesFile();
    void reconnectAddsHistoryRow();
    void tokenNeverShown();
    void recordingReplaysIntoAnotherWindow();
    void shardRangeInOneWindow();
    void tokenDialogShowsTheCommandLine();
    void csvEventsLogsEditsAndDeletes();
    void closingTheWindowKeepsTheSession();
    void splitsKeepTheirFiltersAcrossARestart();
    void channelSelectionGoesToTheCurrentPane();
    void shortcutsDialogListsEveryShortcut();
    void noGlyphIsUsedAsAnIcon();
    void savedFiltersMenuMostRecentFirst();

private:
    [[nodiscard]] bool connectAndWaitUntilReady();

    // Made afresh for every case by init(), so no case depends on what an earlier one left
    // behind: settings, files, the connection, the emulator's state, registered secrets.
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Emulator::EmulatorServer> m_server;
    std::unique_ptr<MainWindow> m_window;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"GatescopeTest"_s);
    QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
}

void tst_MainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    // Settings of this case only (the window saves its filter, layout and folders there).
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                       m_dir->filePath(u"settings"_s));
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir->filePath(u"settings"_s));
    QVERIFY(QSettings().allKeys().isEmpty());

    Emulator::ServerConfig config;
    config.tokens = {Token};
    // Not shorter: on a loaded machine, or under the sanitizers, an ACK later than a 150 ms
    // interval reads as a zombie connection and the window never stays Ready.
    config.heartbeatIntervalMs = 1000;
    config.eventsPerSecond = 150;
    config.reconnectCloseDelayMs = 200;
    m_server = std::make_unique<Emulator::EmulatorServer>(config);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
    m_server.reset();
    Redaction::clearSecrets();
    m_dir.reset();
}

/// Connects the case's window to the case's emulator in demo mode and waits for READY.
bool tst_MainWindow::connectAndWaitUntilReady()
{
    GatewayConfig config;
    config.token = Token;
    config.apiUrl = m_server->apiUrl();
    m_window->setDemoMode(true);
    m_window->connectToGateway(config);
    return QTest::qWaitFor(
            [this] {
                return m_window->healthPanel()->stateBadge()->state()
                       == GatewayClient::State::Ready;
            },
            30000);
}

void tst_MainWindow::windowBuilds()
{
    QCOMPARE(m_window->windowTitle(), u"Gatescope"_s);
    QVERIFY(m_window->findChild<QDockWidget *>(u"healthDock"_s));
    QVERIFY(m_window->findChild<QDockWidget *>(u"historyDock"_s));
    QVERIFY(m_window->findChild<QDockWidget *>(u"framesDock"_s));
    QVERIFY(m_window->findChild<QDockWidget *>(u"detailsDock"_s));
    QCOMPARE(m_window->healthPanel()->stateBadge()->state(), GatewayClient::State::Disconnected);
    QVERIFY(m_window->findChild<QLabel *>(u"demoLabel"_s)->isHidden());
}

void tst_MainWindow::demoConnectionReachesReady()
{
    GatewayConfig config;
    config.token = Token;
    config.apiUrl = m_server->apiUrl();
    m_window->setDemoMode(true);
    m_window->connectToGateway(config);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->healthPanel()->stateBadge()->text(), u"Ready"_s, 10000);
    QCOMPARE(m_window->findChild<StateBadge *>(u"statusStateBadge"_s)->state(),
             GatewayClient::State::Ready);
    QVERIFY(m_window->findChild<QLabel *>(u"demoLabel"_s)->isVisible());
    QVERIFY(m_window->windowTitle().contains(u"DEMO"_s));
    // Discovery ran, so the identify budget is known.
    QTRY_VERIFY(
            m_window->healthPanel()->findChild<QLabel *>(u"budgetValue"_s)->text().contains(u'/'));
}

void tst_MainWindow::messagesAppearInTheFeed()
{
    QVERIFY(connectAndWaitUntilReady());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->feedView()->model()->rowCount() >= 20, 10000);
    const QModelIndex first = m_window->feedView()->model()->index(0, MessageModel::AuthorColumn);
    QVERIFY(!first.data().toString().isEmpty());
    QVERIFY(m_window->filterBar()->countText().contains(u" of "_s));
}

void tst_MainWindow::latencyLabelUpdates()
{
    QVERIFY(connectAndWaitUntilReady());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->latencyStatusText().endsWith(u" ms"_s), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->healthPanel()->latencyText().endsWith(u" ms"_s), 15000);
}

void tst_MainWindow::queryReducesRows()
{
    QVERIFY(connectAndWaitUntilReady());
    FilterBar *bar = m_window->filterBar();
    MessageFilterModel *filter = m_window->filterModel();
    QTRY_VERIFY(m_window->store()->count() >= 50);
    QSignalSpy applied(bar, &FilterBar::queryApplied);
    QTest::keyClicks(bar->queryEdit(), u"is:bot"_s);
    QVERIFY(applied.wait(2000)); // debounced, not per keystroke
    QCOMPARE(applied.count(), 1);
    QVERIFY(bar->errorText().isEmpty());
    QVERIFY(filter->rowCount() < m_window->store()->count());
    for (int row = 0; row < filter->rowCount(); ++row) {
        const int state = filter->index(row, 0).data(MessageModel::StateRole).toInt();
        QVERIFY(state & MessageModel::Bot);
    }
    bar->setQuery(QString());
    QCOMPARE(filter->rowCount(), m_window->store()->count());
}

void tst_MainWindow::badQueryShowsError()
{
    QVERIFY(connectAndWaitUntilReady());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->filterModel()->rowCount() >= 20, 10000);
    FilterBar *bar = m_window->filterBar();
    const int rowsBefore = m_window->filterModel()->rowCount();
    bar->queryEdit()->setText(u"from:alice (has:link"_s);
    bar->apply();
    QVERIFY(!bar->errorText().isEmpty());
    auto *error = bar->findChild<QLabel *>(u"filterError"_s);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"(at "_s), qPrintable(error->text()));
    // The previous filter stays on screen.
    QVERIFY(m_window->filterModel()->rowCount() >= rowsBefore);
    bar->setQuery(QString());
    QVERIFY(bar->errorText().isEmpty());
    QVERIFY(error->isHidden());
}

void tst_MainWindow::pauseHoldsRowsStill()
{
    QVERIFY(connectAndWaitUntilReady());
    FeedView *feed = m_window->feedView();
    QTRY_VERIFY(feed->verticalScrollBar()->maximum() > 0);
    m_window->pauseAction()->trigger();
    QVERIFY(feed->isPaused());
    const quint64 topId = feed->topVisibleIndex().data(MessageModel::MessageIdRole).toULongLong();
    const int count = m_window->store()->count();
    QTRY_VERIFY(m_window->store()->count() > count + 10); // still received
    QCOMPARE(feed->topVisibleIndex().data(MessageModel::MessageIdRole).toULongLong(), topId);
    QVERIFY(feed->newRowCount() > 0);
    QVERIFY(feed->newMessagesButton()->isVisible());
    m_window->pauseAction()->trigger();
    QVERIFY(!feed->isPaused());
    QCOMPARE(feed->newRowCount(), 0);
}

void tst_MainWindow::exportWritesFile()
{
    QVERIFY(connectAndWaitUntilReady());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->store()->count() >= 20, 10000);
    const QString path = m_dir->filePath(u"export.csv"_s);
    QSignalSpy finished(m_window.get(), &MainWindow::exportFinished);
    QVERIFY(m_window->startExport(path, ExportFormat::Csv, ExportDialog::Scope::All, CsvOptions{}));
    QVERIFY(finished.wait(10000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray data = file.readAll();
    QVERIFY(data.startsWith("\xEF\xBB\xBF"
                            "timestamp_utc,"));
    QVERIFY(data.count('\n') >= 20);
}

void tst_MainWindow::reconnectAddsHistoryRow()
{
    QVERIFY(connectAndWaitUntilReady());
    DisconnectHistoryModel *history = m_window->disconnectHistory();
    const int before = history->rowCount();
    m_server->injectNow(Emulator::Fault::make(Emulator::Fault::Kind::Reconnect));
    QTRY_COMPARE_WITH_TIMEOUT(history->rowCount(), before + 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
            history->index(before, DisconnectHistoryModel::FollowedBy).data().toString(),
            u"resumed"_s, 10000);
    QVERIFY(history->index(before, DisconnectHistoryModel::Downtime)
                    .data()
                    .toString()
                    .endsWith(u's'));
    QTRY_COMPARE(m_window->healthPanel()->stateBadge()->state(), GatewayClient::State::Ready);
}

void tst_MainWindow::tokenNeverShown()
{
    QVERIFY(connectAndWaitUntilReady());
    FrameModel *frames = m_window->frameModel();
    QTRY_VERIFY(frames->totalReceived() > 20);
    frames->flush();
    bool sawIdentify = false;
    for (int row = 0; row < frames->rowCount(); ++row) {
        for (int column = 0; column < frames->columnCount(); ++column) {
            const QModelIndex index = frames->index(row, column);
            for (int role :
                 {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(FrameModel::JsonRole)}) {
                const QString text = index.data(role).toString();
                QVERIFY2(!text.contains(TokenCore), qPrintable(text));
            }
        }
        if (frames->index(row, 0).data(FrameModel::OpRole).toInt() == 2
            || frames->index(row, 0).data(FrameModel::OpRole).toInt() == 6) {
            sawIdentify = true;
            QVERIFY(frames->index(row, 0)
                            .data(FrameModel::JsonRole)
                            .toString()
                            .contains(u"[redacted]"_s));
        }
    }
    QVERIFY(sawIdentify); // the Identify (or the Resume after op 7) was captured and redacted
    QVERIFY(!m_window->windowTitle().contains(TokenCore));
    const QList<QLabel *> labels = m_window->findChildren<QLabel *>();
    for (const QLabel *label : labels)
        QVERIFY2(!label->text().contains(TokenCore), qPrintable(label->text()));
}

/// The close codes of the disconnect history, top to bottom.
static QStringList historyCodes(const MainWindow &window)
{
    const DisconnectHistoryModel *history = window.disconnectHistory();
    QStringList codes;
    for (int row = 0; row < history->rowCount(); ++row)
        codes.append(history->index(row, DisconnectHistoryModel::Code).data().toString());
    return codes;
}

void tst_MainWindow::recordingReplaysIntoAnotherWindow()
{
    // Live, recording: a window of its own, so the shared one's state does not matter.
    const QString recording = m_dir->filePath(u"window.jsonl"_s);
    int recordedMessages = 0;
    QStringList liveHistory;
    {
        MainWindow live;
        QString error;
        QVERIFY2(live.setRecordFile(recording, &error), qPrintable(error));
        GatewayConfig config;
        config.token = Token;
        config.apiUrl = m_server->apiUrl();
        live.connectToGateway(config);
        QTRY_VERIFY_WITH_TIMEOUT(live.store()->count() >= 30, 10000);
        live.disconnectFromGateway();
        QTRY_COMPARE_WITH_TIMEOUT(live.healthPanel()->stateBadge()->state(),
                                  GatewayClient::State::Disconnected, 5000);
        QFile file(recording);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray frames = file.readAll();
        QVERIFY(!frames.contains(TokenCore.toUtf8()));
        recordedMessages = int(frames.count(R"("t":"MESSAGE_CREATE")"));
        QTRY_COMPARE_WITH_TIMEOUT(live.store()->count(), recordedMessages, 5000);
        liveHistory = historyCodes(live);
    }
    QVERIFY(liveHistory.contains(u"1000"_s));
    QVERIFY(recordedMessages >= 30);

    MainWindow replay;
    replay.show();
    replay.replayRecording(recording, 0);
    QVERIFY(replay.windowTitle().contains(u"replay of window.jsonl"_s));
    QTRY_COMPARE_WITH_TIMEOUT(replay.store()->count(), recordedMessages, 10000);
    // The recording ends with the user's close, and the history shows it.
    QTRY_COMPARE_WITH_TIMEOUT(replay.healthPanel()->stateBadge()->state(),
                              GatewayClient::State::Disconnected, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(historyCodes(replay), liveHistory, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(replay.statusBar()->currentMessage().startsWith(u"Replay finished"_s),
                             5000);
}

void tst_MainWindow::shardRangeInOneWindow()
{
    Emulator::ServerConfig serverConfig;
    serverConfig.tokens = {Token};
    serverConfig.eventsPerSecond = 200;
    serverConfig.traffic.guildCount = 4;
    serverConfig.recommendedShards = 2;
    serverConfig.maxConcurrency = 2; // both identify at once
    Emulator::EmulatorServer server(serverConfig);
    QVERIFY(server.start());
    QSignalSpy closed(&server, &Emulator::EmulatorServer::clientClosed);

    MainWindow window;
    window.show();
    GatewayConfig config;
    config.token = Token;
    config.apiUrl = server.apiUrl();
    QString error;
    QVERIFY(!window.connectShards(config, 2, 1, 4, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY2(window.connectShards(config, 0, 1, 0, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(window.healthPanel()->stateBadge()->state(),
                              GatewayClient::State::Ready, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(window.store()->count() >= 20, 10000);
    QVERIFY(window.windowTitle().contains(u"shards 0–1"_s));
    QTRY_COMPARE_WITH_TIMEOUT(window.healthPanel()->findChild<QLabel *>(u"shardValue"_s)->text(),
                              u"shards 0–1/2"_s, 5000);
    // Messages of both shards' guilds reach the one feed.
    QSet<quint64> guilds;
    for (int row = 0; row < window.store()->count(); ++row)
        guilds.insert(window.store()->at(row).guildId);
    QVERIFY(guilds.size() >= 2);

    window.disconnectFromGateway();
    QTRY_COMPARE_WITH_TIMEOUT(window.healthPanel()->stateBadge()->state(),
                              GatewayClient::State::Disconnected, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 2, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(historyCodes(window), (QStringList{u"1000"_s, u"1000"_s}), 5000);
}

void tst_MainWindow::tokenDialogShowsTheCommandLine()
{
    MainWindow window;
    window.show();
    GatewayConfig commandLine;
    commandLine.gatewayUrl = QUrl(u"ws://127.0.0.1:4321"_s);
    commandLine.intents = Intents::Guilds;
    GatewayConfig shown;
    bool dialogSeen = false;
    // The dialog is modal: read it and cancel it from the event loop it runs.
    QTimer::singleShot(0, &window, [&] {
        if (auto *dialog = qobject_cast<ConnectDialog *>(QApplication::activeModalWidget())) {
            dialogSeen = true;
            shown = dialog->config();
            dialog->reject();
        }
    });
    window.askForToken(commandLine);
    QVERIFY(dialogSeen);
    QCOMPARE(shown.gatewayUrl, commandLine.gatewayUrl);
    QCOMPARE(shown.intents, quint32(Intents::Guilds));
    QVERIFY(shown.token.isEmpty());
}

void tst_MainWindow::csvEventsLogsEditsAndDeletes()
{
    // --csv-events in the window: creates, edits, deletes and bulk deletes of stored messages
    // as rows of their own, the way headless writes them.
    const QString path = m_dir->filePath(u"events.csv"_s);
    m_window->setCsvEventRows(true);
    QString error;
    QVERIFY2(m_window->setLoggingFile(path, &error), qPrintable(error));
    MessageStore *store = m_window->store();
    const auto message = [](int id, const QString &content) {
        return QJsonObject{
                {u"id"_s, QString::number(id)},
                {u"channel_id"_s, u"111"_s},
                {u"content"_s, content},
                {u"timestamp"_s, u"2024-05-01T12:00:00.000000+00:00"_s},
                {u"author"_s, QJsonObject{{u"id"_s, u"7"_s}, {u"username"_s, u"ann"_s}}}};
    };
    for (int id = 1; id <= 3; ++id)
        store->handleDispatch(u"MESSAGE_CREATE"_s, message(id, u"text %1"_s.arg(id)));
    store->flush();
    store->handleDispatch(u"MESSAGE_UPDATE"_s, message(1, u"edited"_s));
    store->handleDispatch(u"MESSAGE_DELETE"_s,
                          QJsonObject{{u"id"_s, u"2"_s}, {u"channel_id"_s, u"111"_s}});
    store->handleDispatch(u"MESSAGE_DELETE_BULK"_s,
                          QJsonObject{{u"ids"_s, QJsonArray{u"3"_s}}, {u"channel_id"_s, u"111"_s}});
    store->handleDispatch(u"MESSAGE_CREATE"_s, message(1, u"edited"_s)); // a replay: no row
    QVERIFY(m_window->logSink()->flush());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = file.readAll().split('\n');
    lines.removeIf([](const QByteArray &line) { return line.trimmed().isEmpty(); });
    QCOMPARE(lines.size(), 7);
    QVERIFY2(lines.at(0).contains("event,"), lines.at(0).constData());
    const QList<QByteArray> expected{"create", "create", "create",
                                     "update", "delete", "delete_bulk"};
    for (qsizetype i = 0; i < expected.size(); ++i)
        QVERIFY2(lines.at(i + 1).startsWith(expected.at(i) + ','), lines.at(i + 1).constData());
    QVERIFY(lines.at(4).contains("edited"));
    QVERIFY(lines.at(5).contains("text 2")); // the window knows what was deleted
}

void tst_MainWindow::closingTheWindowKeepsTheSession()
{
    // With a session file, closing the window is no disconnect: the session stays resumable
    // (not 1000) and the next window resumes it instead of identifying.
    const QString path = m_dir->filePath(u"session.json"_s);
    QSignalSpy closed(m_server.get(), &Emulator::EmulatorServer::clientClosed);
    QSignalSpy identified(m_server.get(), &Emulator::EmulatorServer::clientIdentified);
    QSignalSpy resumed(m_server.get(), &Emulator::EmulatorServer::clientResumed);
    m_window->setSessionFile(path);
    // Closed with nothing in flight: Qt closes the TCP connection right after the close frame,
    // and events still arriving then can reset it before the emulator read the 4000. A
    // heartbeat's ACK comes after everything the server sent before it.
    m_server->setEventsPerSecond(0);
    QVERIFY(connectAndWaitUntilReady());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->latencyStatusText().endsWith(u" ms"_s), 15000);
    m_window->close();
    QVERIFY(QFile::exists(path));
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 10000);
    QCOMPARE_NE(closed.constLast().at(1).toInt(), 1000);
    m_window = std::make_unique<MainWindow>();
    m_window->setSessionFile(path);
    QVERIFY(connectAndWaitUntilReady());
    QTRY_COMPARE_WITH_TIMEOUT(resumed.size(), 1, 10000);
    QCOMPARE(identified.size(), 1);
    // The user's disconnect ends the session: the file goes.
    m_window->disconnectFromGateway();
    QVERIFY(!QFile::exists(path));
}

void tst_MainWindow::splitsKeepTheirFiltersAcrossARestart()
{
    QVERIFY(connectAndWaitUntilReady());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->store()->count() >= 30, 10000);
    FeedPane *first = m_window->currentPane();
    m_window->splitRightAction()->trigger();
    FeedPane *second = m_window->currentPane();
    QVERIFY(second != first);
    QCOMPARE(m_window->feedArea()->paneCount(), 2);
    // The window's accessors follow the current pane.
    QCOMPARE(m_window->filterBar(), second->filterBar());
    second->filterBar()->setQuery(u"is:bot"_s);
    first->filterBar()->setQuery(u"-is:bot"_s);
    QTRY_VERIFY(!second->filterModel()->isBusy() && !first->filterModel()->isBusy());
    QVERIFY(second->filterModel()->rowCount() + first->filterModel()->rowCount()
            <= m_window->store()->count());
    m_window->pauseAction()->trigger();
    QVERIFY(second->isPaused());
    QVERIFY(!first->isPaused());
    m_window->newTabAction()->trigger();
    QCOMPARE(m_window->feedArea()->count(), 2);
    QVERIFY(!m_window->pauseAction()->isChecked()); // the new tab's pane is not paused
    m_window->close(); // saves the layout

    MainWindow again;
    again.show();
    QCOMPARE(again.feedArea()->count(), 2);
    const QList<FeedPane *> panes = again.feedArea()->panes();
    QCOMPARE(panes.size(), 3);
    QCOMPARE(panes.at(0)->filterBar()->query(), u"-is:bot"_s);
    QCOMPARE(panes.at(1)->filterBar()->query(), u"is:bot"_s);
    QVERIFY(panes.at(1)->isPaused());
    QVERIFY(panes.at(2)->filterBar()->query().isEmpty());
    QCOMPARE(again.currentPane(), panes.at(2));
    // Closing feeds down to the last one.
    QVERIFY(again.closePaneAction()->isEnabled());
    again.closePaneAction()->trigger();
    again.closePaneAction()->trigger();
    QCOMPARE(again.feedArea()->paneCount(), 1);
    QVERIFY(!again.closePaneAction()->isEnabled());
}

void tst_MainWindow::channelSelectionGoesToTheCurrentPane()
{
    QVERIFY(connectAndWaitUntilReady());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->store()->count() >= 30, 10000);
    const Message sample = m_window->store()->at(0);
    FeedPane *first = m_window->currentPane();
    m_window->splitRightAction()->trigger();
    FeedPane *second = m_window->currentPane();
    m_window->selectChannel(sample.guildId, sample.channelId);
    QCOMPARE(second->selectedChannelId(), sample.channelId);
    QCOMPARE(first->selectedChannelId(), 0ULL);
    QTRY_VERIFY(!second->filterModel()->isBusy());
    // The channel's messages (and its threads', which `in:` includes), and nothing else.
    int inChannel = 0;
    for (int row = 0; row < m_window->store()->count(); ++row)
        inChannel += m_window->store()->at(row).channelId == sample.channelId;
    QVERIFY(second->filterModel()->rowCount() >= inChannel);
    QVERIFY(second->filterModel()->rowCount() < m_window->store()->count());
    QCOMPARE(first->filterModel()->rowCount(), m_window->store()->count());
    // The first pane made current again (as a click would) receives the next selection.
    m_window->feedArea()->setCurrentPane(first);
    m_window->selectChannel(sample.guildId, 0);
    QCOMPARE(first->selectedGuildId(), sample.guildId);
    QCOMPARE(second->selectedChannelId(), sample.channelId);
}

void tst_MainWindow::shortcutsDialogListsEveryShortcut()
{
    // Every action reachable from the menus with a shortcut is in the dialog, with its keys.
    const QList<ShortcutsDialog::Entry> entries = ShortcutsDialog::entries(m_window->menuBar());
    QStringList listed;
    for (const auto &entry : entries)
        listed << entry.action + u" = "_s + entry.keys;
    const QStringList expected = {
            u"Feed › Find = Ctrl+F"_s,
            u"Feed › Pause = Space"_s,
            u"Feed › Jump to newest = Ctrl+End, End"_s,
            u"Feed › Next mention = F3, Ctrl+M"_s,
            u"Feed › Split right = Ctrl+Shift+R"_s,
            u"Feed › Split down = Ctrl+Shift+D"_s,
            u"Feed › New tab = Ctrl+T"_s,
            u"Feed › Close feed = Ctrl+W"_s,
            u"View › Clear = Ctrl+L"_s,
            u"File › Connect = Ctrl+K"_s,
            u"File › Export = Ctrl+E"_s,
    };
    for (const QString &line : expected)
        QVERIFY2(listed.contains(line), qPrintable(listed.join(u'\n')));
    // A shortcut added later shows up without anyone editing a list.
    m_window->newTabAction()->setShortcut(QKeySequence(u"Ctrl+Shift+T"_s));
    bool found = false;
    for (const auto &entry : ShortcutsDialog::entries(m_window->menuBar()))
        found |= entry.action == u"Feed › New tab"_s && entry.keys == u"Ctrl+Shift+T"_s;
    QVERIFY(found);

    auto *action = m_window->findChild<QAction *>(u"shortcutsAction"_s);
    QVERIFY(action);
    QVERIFY(!action->icon().isNull());
    action->trigger();
    auto *dialog = m_window->findChild<ShortcutsDialog *>();
    QVERIFY(dialog);
    QCOMPARE(dialog->table()->rowCount(), entries.size());
    dialog->close();

    // The keys work: Ctrl+T opens a tab, Ctrl+W closes it.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_window->feedView()->setFocus();
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(m_window->feedArea()->count(), 2);
    QTest::keyClick(m_window.get(), Qt::Key_W, Qt::ControlModifier);
    QCOMPARE(m_window->feedArea()->count(), 1);
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(m_window->filterBar()->queryEdit()->hasFocus());
}

/// Characters from the arrows, technical, geometric-shape, symbol and dingbat blocks (⏸ ▶ ●
/// ⚠ ✓ ★ ↓ …) that fonts often lack and draw as boxes.
static bool hasIconGlyph(const QString &text)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u >= 0x2190 && u <= 0x21FF) || (u >= 0x2300 && u <= 0x23FF)
            || (u >= 0x25A0 && u <= 0x27BF) || (u >= 0x2B00 && u <= 0x2BFF))
            return true;
    }
    return false;
}

void tst_MainWindow::noGlyphIsUsedAsAnIcon()
{
    QString error;
    QVERIFY(m_window->setLoggingFile(m_dir->filePath(u"log.csv"_s), &error));
    QVERIFY(connectAndWaitUntilReady());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->store()->count() >= 30, 10000);
    m_window->pauseAction()->trigger();
    m_window->filterBar()->setQuery(u"(unclosed"_s);
    m_window->splitRightAction()->trigger();
    m_window->currentPane()->selectChannel(m_window->store()->at(0).guildId,
                                           m_window->store()->at(0).channelId);
    QTRY_VERIFY(m_window->feedArea()->panes().first()->feedView()->newRowCount() > 0);
    const QList<QWidget *> widgets = m_window->findChildren<QWidget *>();
    for (const QWidget *widget : widgets) {
        QString text;
        if (const auto *label = qobject_cast<const QLabel *>(widget))
            text = label->text();
        else if (const auto *button = qobject_cast<const QAbstractButton *>(widget))
            text = button->text();
        QVERIFY2(!hasIconGlyph(text), qPrintable(widget->objectName() + u": "_s + text));
    }
    const QList<QAction *> actions = m_window->findChildren<QAction *>();
    for (const QAction *action : actions)
        QVERIFY2(!hasIconGlyph(action->text()), qPrintable(action->text()));
    for (int tab = 0; tab < m_window->feedArea()->count(); ++tab)
        QVERIFY(!hasIconGlyph(m_window->feedArea()->tabText(tab)));
    // The icons that replaced them are there.
    QVERIFY(!m_window->pauseAction()->icon().isNull());
    QVERIFY(m_window->findChild<QLabel *>(u"statusLoggingIcon"_s)->isVisible());
    QVERIFY(!m_window->findChild<QLabel *>(u"filterErrorIcon"_s)->pixmap().isNull());
    QVERIFY(!m_window->feedView()->newMessagesButton()->icon().isNull());
    QVERIFY(!m_window->currentPane()->findChild<QToolButton *>(u"scopeChip"_s)->icon().isNull());
}

/// The texts of the saved filters listed in the menu, top to bottom.
static QStringList savedFilterEntries(QMenu *menu)
{
    emit menu->aboutToShow(); // the menu is filled as it opens
    QStringList entries;
    const QList<QAction *> actions = menu->actions();
    for (const QAction *action : actions) {
        if (action->objectName() == u"savedFilter"_s)
            entries << action->toolTip();
    }
    return entries;
}

void tst_MainWindow::savedFiltersMenuMostRecentFirst()
{
    auto *save = m_window->findChild<QAction *>(u"saveFilterAction"_s);
    QVERIFY(save);
    m_window->filterBar()->setQuery(u"is:bot"_s);
    save->trigger();
    m_window->filterBar()->setQuery(u"has:link"_s);
    save->trigger();
    m_window->filterBar()->setQuery(u"(broken"_s); // an error: not saved
    save->trigger();
    QCOMPARE(savedFilterEntries(m_window->savedFiltersMenu()),
             (QStringList{u"has:link"_s, u"is:bot"_s}));

    // Applying one from the menu sets the current pane's filter and makes it the most recent.
    m_window->splitRightAction()->trigger();
    const QList<QAction *> actions = m_window->savedFiltersMenu()->actions();
    for (QAction *action : actions) {
        if (action->objectName() == u"savedFilter"_s && action->toolTip() == u"is:bot"_s)
            action->trigger();
    }
    QCOMPARE(m_window->currentPane()->filterBar()->query(), u"is:bot"_s);
    QCOMPARE(m_window->feedArea()->panes().first()->filterBar()->query(), u"(broken"_s);
    QCOMPARE(savedFilterEntries(m_window->savedFiltersMenu()),
             (QStringList{u"is:bot"_s, u"has:link"_s}));
    // Typing a saved filter counts as using it too.
    m_window->filterBar()->setQuery(u"has:link"_s);
    QCOMPARE(m_window->savedFilters()->filters().first(), u"has:link"_s);

    // Kept across a restart, in that order.
    m_window.reset();
    MainWindow again;
    QCOMPARE(savedFilterEntries(again.savedFiltersMenu()),
             (QStringList{u"has:link"_s, u"is:bot"_s}));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
