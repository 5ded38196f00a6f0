#include "app/appoptions.h"
#include "app/demogateway.h"
#include "app/headlessrunner.h"
#include "app/signalwatcher.h"
#include "app/statusline.h"
#include "core/gateway/gatewayclient.h"
#include "core/gateway/redactingmessagehandler.h"
#include "core/gateway/redaction.h"
#include "core/metrics/connectionmetrics.h"
#include "core/metrics/metricsregistry.h"
#include "core/metrics/metricsserver.h"
#include "core/metrics/processmetrics.h"

#include "ui/mainwindow.h"
#include "ui/operatoralerts.h"

#include <QApplication>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Gatescope;

namespace {

void printError(const QString &message)
{
    QTextStream(stderr) << "gatescope: " << Redaction::redact(message) << Qt::endl;
}

/// Demo mode's gateway, or null with the reason printed.
std::unique_ptr<App::DemoGateway> startDemoGateway()
{
    auto demo = std::make_unique<App::DemoGateway>();
    QString error;
    if (!demo->start(&error)) {
        printError(u"demo gateway: "_s + error);
        return nullptr;
    }
    return demo;
}

int runHeadless(const App::AppOptions &options, QCoreApplication &app)
{
    const auto runner = std::make_unique<App::HeadlessRunner>(options);
    QString error;
    if (!runner->prepare(&error)) {
        // An output named on the command line cannot be written: a bad value for that option.
        printError(error);
        return App::ExitUsage;
    }
    GatewayConfig config = options.gateway;
    std::unique_ptr<App::DemoGateway> demo;
    if (options.demo) {
        demo = startDemoGateway();
        if (!demo)
            return App::ExitError;
        config = demo->clientConfig(options.gateway);
        runner->status(u"DEMO: connecting to Gatescope's own emulator on 127.0.0.1, not to "
                       "Discord (set $DISCORD_TOKEN or --token-file to watch a real bot)"_s);
    }
    int exitCode = App::ExitOk;
    QObject::connect(runner.get(), &App::HeadlessRunner::finished, &app, [&](int code) {
        exitCode = code;
        // Let the close frame leave before the loop ends.
        QMetaObject::invokeMethod(
                &app, [] { QCoreApplication::exit(); }, Qt::QueuedConnection);
    });
    App::SignalWatcher signalWatcher;
    if (signalWatcher.install()) {
        QObject::connect(&signalWatcher, &App::SignalWatcher::terminationRequested, runner.get(),
                         [&runner](int signalNumber) {
                             runner->status(u"signal %1: closing"_s.arg(signalNumber));
                             runner->stop(App::ExitOk);
                         });
    } else {
        runner->status(u"warning: SIGINT/SIGTERM will not close cleanly: "_s
                       + signalWatcher.errorString());
    }
    if (!runner->start(config, &error)) {
        printError((options.usesShardManager() ? u"--shards: "_s : u"--replay: "_s) + error);
        return App::ExitUsage;
    }
    app.exec();
    return exitCode;
}

/// Opens what the command line asked the window to write. False, with the reason printed.
bool openWindowOutputs(const App::AppOptions &options, Ui::MainWindow &window)
{
    QString error;
    window.setCsvEventRows(options.csvEvents);
    if (!options.csvPath.isEmpty() && !window.setLoggingFile(options.csvPath, &error)) {
        printError(u"--csv: "_s + error);
        return false;
    }
    if (!options.recordPath.isEmpty() && !window.setRecordFile(options.recordPath, &error)) {
        printError(u"--record: "_s + error);
        return false;
    }
    return true;
}

/// --metrics-listen for the window: its connection, store and CSV log. False, with the reason
/// printed (the address cannot be listened on).
bool startWindowMetrics(const App::AppOptions &options, Ui::MainWindow &window,
                        MetricsRegistry &registry, MetricsServer &server)
{
    if (options.metricsListen.isEmpty())
        return true;
    registry.addProvider(&ProcessMetrics::collectBuild);
    registry.addProvider(ConnectionMetrics::provider(window.controller(), window.shardStats()),
                         window.shardStats());
    registry.addProvider(
            [&window](MetricsSnapshot &snapshot) {
                ProcessMetrics::collectStore(snapshot, *window.store());
                ProcessMetrics::collectCsvSink(snapshot, *window.logSink());
                ConnectionMetrics::collectBudget(snapshot, *window.alerts()->budget());
            },
            &window);
    QString error;
    if (!server.listen(options.metricsAddress, options.metricsPort, &error)) {
        printError(u"--metrics-listen %1: %2"_s.arg(options.metricsListen, error));
        return false;
    }
    QTextStream(stderr) << "gatescope: metrics: serving " << server.url() << " (no authentication)"
                        << Qt::endl;
    return true;
}

/// The window. Demo mode starts an in-process emulator; the connect dialog's "Start demo" does too.
int runWindow(const App::AppOptions &options, QApplication &app)
{
    Ui::MainWindow window;
    if (!openWindowOutputs(options, window))
        return App::ExitUsage;
    MetricsRegistry metricsRegistry;
    MetricsServer metricsServer(&metricsRegistry);
    if (!startWindowMetrics(options, window, metricsRegistry, metricsServer))
        return App::ExitUsage;
    if (!options.sessionFilePath.isEmpty())
        window.setSessionFile(options.sessionFilePath); // over the connect dialog's setting
    if (options.silentAfterMs > 0) // for this run; the saved setting stays
        window.alerts()->setSilentAfterMs(options.silentAfterMs, false);
    std::unique_ptr<App::DemoGateway> demo;
    const auto startDemo = [&]() -> bool {
        if (!demo && !(demo = startDemoGateway()))
            return false;
        window.setDemoMode(true);
        window.connectToGateway(demo->clientConfig(options.gateway));
        return true;
    };
    QObject::connect(&window, &Ui::MainWindow::demoRequested, &window, startDemo);
    App::SignalWatcher signalWatcher;
    if (signalWatcher.install())
        QObject::connect(&signalWatcher, &App::SignalWatcher::terminationRequested, &window,
                         &QWidget::close);
    window.show();

    QString error;
    if (options.subscribe) {
        window.subscribeToFleet(*options.fleetRedis, options.fromNow);
    } else if (!options.replayPath.isEmpty()) {
        window.replayRecording(options.replayPath, options.replaySpeed);
    } else if (options.usesShardManager() && (options.demo || !options.token.isEmpty())) {
        if (options.demo && !demo && !(demo = startDemoGateway()))
            return App::ExitError;
        window.setDemoMode(options.demo);
        const GatewayConfig config
                = options.demo ? demo->clientConfig(options.gateway) : options.gateway;
        if (!window.connectShards(config, options.firstShard, options.lastShard, options.shardCount,
                                  &error)) {
            printError(u"--shards: "_s + error);
            return App::ExitUsage;
        }
    } else if (options.demo) {
        if (!startDemo())
            return App::ExitError;
    } else if (!options.token.isEmpty()) {
        window.connectToGateway(options.gateway);
    } else {
        // A gateway URL without a token: the connect dialog asks for it, for this run only.
        QTimer::singleShot(0, &window,
                           [&window, config = options.gateway] { window.askForToken(config); });
    }
    if (options.durationS > 0)
        QTimer::singleShot(qint64(options.durationS * 1000), &window, &QWidget::close);
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    // Qt's log lines (resume fallbacks, discovery errors …) get the status lines' time and shape,
    // and every log line, ours or Qt's, passes through Redaction first (the redacting handler
    // chains to the status line's).
    App::StatusLine::installMessageHandler();
    RedactingMessageHandler::install();
    QCoreApplication::setApplicationName(u"Gatescope"_s);
    QCoreApplication::setOrganizationName(u"Gatescope"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(GATESCOPE_VERSION));

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const App::ParseOutcome outcome
            = App::parseCommandLine(arguments, qEnvironmentVariable("DISCORD_TOKEN"));
    if (!outcome.options) {
        QTextStream(stderr) << "gatescope: " << outcome.error << "\n"
                            << "Try 'gatescope --help'." << Qt::endl;
        return App::ExitUsage;
    }
    const App::AppOptions &options = *outcome.options;
    if (options.showHelp) {
        QTextStream(stdout) << outcome.helpText;
        return App::ExitOk;
    }
    if (options.showVersion) {
        QTextStream(stdout) << "gatescope " << GATESCOPE_VERSION << Qt::endl;
        return App::ExitOk;
    }
    for (const QString &warning : outcome.warnings)
        QTextStream(stderr) << "gatescope: " << warning << Qt::endl;
    // Registered before anything can log, so no later message can carry the token.
    Redaction::registerSecret(options.token);
    if (options.headless) {
        QCoreApplication app(argc, argv);
        // The runner prints its own status lines, output and shard errors; the categories'
        // info, io and shard lines would repeat them.
        if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
            QLoggingCategory::setFilterRules(u"gatescope.*.info=false\ngatescope.io.warning=false\n"
                                             "gatescope.shard.warning=false"_s);
        return runHeadless(options, app);
    }
    QApplication app(argc, argv);
    // Ties the window to gatescope.desktop (its icon and name) under Wayland as well.
    QGuiApplication::setDesktopFileName(u"gatescope"_s);
    return runWindow(options, app);
}
