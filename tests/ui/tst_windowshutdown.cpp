#include "../core/connection/lateconnections.h"
#include "core/connection/connectioncontroller.h"
#include "core/gateway/redaction.h"
#include "core/io/exporter.h"
#include "core/store/messagestore.h"
#include "emulator/emulatorserver.h"
#include "ui/mainwindow.h"

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;
using Emulator::EmulatorServer;
using Emulator::Fault;
using State = GatewayClient::State;

namespace {

const QString Token = u"MTE0.window-shutdown-secret.dG9rZW4"_s;
constexpr int BackoffMs = 500; ///< every backoff timer fires within it; waited past after the end
constexpr int ExportedMessages = 6000; ///< more than one turn of the export (4,096 rows)

/// What the window is doing when it goes.
enum class Scenario { Connecting, Identifying, Backoff, Exporting };
/// How it goes: closed as the user does (the window stays, hidden), or destroyed at once.
enum class Ending { Close, Delete };

/// Holds every Identify for ever (GatewayConfig::identifyGate, called in the gateway thread).
struct HeldGate
{
    QMutex mutex;
    std::vector<std::function<void()>> held;
};

} // namespace

Q_DECLARE_METATYPE(Scenario)
Q_DECLARE_METATYPE(Ending)

/// The main window closed or destroyed while connecting, identifying, in backoff and in the
/// middle of an export: no crash, each socket closed once (1000 without a session file, as the
/// window documents), no connection afterwards, and no half CSV left looking complete.
class tst_WindowShutdown : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void endInEveryState_data();
    void endInEveryState();
    void cleanup();
};

void tst_WindowShutdown::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"GatescopeTest"_s);
    QCoreApplication::setApplicationName(u"tst_windowshutdown"_s);
}

void tst_WindowShutdown::cleanup()
{
    Redaction::clearSecrets();
}

void tst_WindowShutdown::endInEveryState_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<Ending>("ending");
    const QList<std::pair<const char *, Scenario>> scenarios{
            {"connecting", Scenario::Connecting},
            {"identifying", Scenario::Identifying},
            {"backoff", Scenario::Backoff},
            {"exporting", Scenario::Exporting},
    };
    for (const auto &[name, scenario] : scenarios) {
        QTest::addRow("%s, closed", name) << scenario << Ending::Close;
        QTest::addRow("%s, deleted", name) << scenario << Ending::Delete;
    }
}

void tst_WindowShutdown::endInEveryState()
{
    QFETCH(Scenario, scenario);
    QFETCH(Ending, ending);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(u"settings"_s));
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.filePath(u"settings"_s));

    Emulator::ServerConfig serverConfig;
    serverConfig.tokens = {Token};
    serverConfig.heartbeatIntervalMs = 41250; // no heartbeat or ACK crosses the end
    serverConfig.identifyWindowMs = 50;
    serverConfig.traffic.messageShare = 1.0; // every generated event is a row to export
    EmulatorServer server(serverConfig);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QList<std::pair<int, int>> closes; // (connection, code), client closes only
    int serverCloses = 0;
    connect(&server, &EmulatorServer::clientClosed, this, [&](int id, int code, bool byServer) {
        if (byServer)
            ++serverCloses;
        else
            closes.append({id, code});
    });
    QSignalSpy connected(&server, &EmulatorServer::clientConnected);
    QSignalSpy payloads(&server, &EmulatorServer::payloadReceived);
    QTcpServer silent; // accepts TCP, never answers the WebSocket handshake
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QSignalSpy silentConnected(&silent, &QTcpServer::newConnection);

    auto gate = std::make_shared<HeldGate>();
    GatewayConfig config;
    config.token = Token;
    config.gatewayUrl = scenario == Scenario::Connecting
                                ? QUrl(u"ws://127.0.0.1:%1"_s.arg(silent.serverPort()))
                                : server.gatewayUrl();
    config.minIdentifyIntervalMs = 60;
    config.backoffBaseMs = BackoffMs;
    config.backoffCapMs = BackoffMs;
    config.handshakeTimeoutMs = 60000;
    if (scenario == Scenario::Identifying) {
        config.identifyGate = [gate](int, std::function<void()> proceed) {
            QMutexLocker lock(&gate->mutex);
            gate->held.push_back(std::move(proceed));
        };
    }

    auto window = std::make_unique<MainWindow>();
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    ConnectionController *controller = window->controller();
    window->connectToGateway(config);

    std::unique_ptr<QTcpSocket> silentSocket;
    const QString exportPath = dir.filePath(u"export.csv"_s);
    int openAtEnd = 1;
    switch (scenario) {
    case Scenario::Connecting:
        QVERIFY(silentConnected.wait(15000));
        silentSocket.reset(silent.nextPendingConnection());
        QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Connecting, 15000);
        openAtEnd = 0;
        break;
    case Scenario::Identifying:
        QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Identifying, 15000);
        break;
    case Scenario::Backoff:
        QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Ready, 15000);
        {
            // Every state the controller passes through: a short jittered backoff can be over
            // before a poll of state() would see it.
            QList<State> states;
            QObject receiver; // ends the connection before `states` goes
            connect(controller, &ConnectionController::stateChanged, &receiver,
                    [&states](State state) { states.append(state); });
            server.injectNow(Fault::close(4000, u"test"_s));
            QTRY_VERIFY_WITH_TIMEOUT(states.contains(State::Reconnecting), 15000);
            QTRY_COMPARE_WITH_TIMEOUT(serverCloses, 1, 15000);
        }
        // The backoff is jittered: the resume may be on its way already; counted below.
        openAtEnd = -1;
        break;
    case Scenario::Exporting: {
        QTRY_COMPARE_WITH_TIMEOUT(controller->state(), State::Ready, 15000);
        server.generateEvents(ExportedMessages);
        QTRY_VERIFY_WITH_TIMEOUT(window->store()->count() >= ExportedMessages, 60000);
        QVERIFY(window->startExport(exportPath, ExportFormat::Csv, ExportDialog::Scope::All,
                                    CsvOptions{}));
        auto *exporter = window->findChild<Exporter *>();
        QVERIFY(exporter);
        QSignalSpy progress(exporter, &Exporter::progress);
        QVERIFY(progress.wait(15000));
        // Ended in the middle: rows are written, more are to come.
        QCOMPARE_LT(progress.constLast().at(0).toLongLong(),
                    progress.constLast().at(1).toLongLong());
        break;
    }
    }
    if (openAtEnd >= 0)
        QCOMPARE(server.connectionCount(), openAtEnd);
    const qsizetype closesBefore = closes.size();
    const qsizetype connectedBeforeEnd = connected.size();
    const int serverClosesBefore = serverCloses;

    QSignalSpy exportFinished(window.get(), &MainWindow::exportFinished);
    if (ending == Ending::Close) {
        QVERIFY(window->close());
    }
    // The window closed by the user is destroyed when the application quits; either way it
    // goes now, with an export possibly still running.
    window.reset();

    // Each socket open at the end is closed once, by the window: 1000, as no session file was
    // given (the session has nobody to resume it).
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 15000);
    const QList<std::pair<int, int>> ended = closes.mid(closesBefore);
    if (openAtEnd >= 0)
        QCOMPARE(ended.size(), openAtEnd);
    for (const auto &[id, code] : ended) {
        // A resume the server accepted but the client had not yet seen open is aborted
        // (1006): it had no WebSocket to send a close frame on.
        if (openAtEnd < 0 && code == 1006)
            continue;
        QCOMPARE(code, 1000);
    }
    QCOMPARE(serverCloses, serverClosesBefore);
    QCOMPARE(closes.size() + serverCloses, connected.size()); // each connection closed once
    if (silentSocket)
        QTRY_COMPARE_WITH_TIMEOUT(silentSocket->state(), QAbstractSocket::UnconnectedState, 15000);

    if (scenario == Scenario::Exporting) {
        // The export the window took down with it is discarded whole: no file, and none of
        // QSaveFile's temporary files either.
        QVERIFY(exportFinished.isEmpty());
        const QStringList left = QDir(dir.path()).entryList({u"export.csv*"_s}, QDir::Files);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(u", "_s)));
    }

    // No timer of the window's connection fires later: no new connection. In the backoff
    // row a resume can be on its way at the end; the server may still accept it after the
    // client aborted it, but it never carries a payload (a timer that fired would send Resume).
    const qsizetype silentConnections = silentConnected.size();
    connected.wait(BackoffMs + BackoffMs / 2);
    QCOMPARE(silentConnected.size(), silentConnections);
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 15000);
    if (openAtEnd >= 0)
        QCOMPARE(connected.size(), connectedBeforeEnd);
    QVERIFY(lateConnectionsThatSpoke(connected, connectedBeforeEnd, payloads).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(closes.size() + serverCloses, connected.size(), 15000);
}

QTEST_MAIN(tst_WindowShutdown)
#include "tst_windowshutdown.moc"
