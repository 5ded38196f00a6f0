#include "app/appoptions.h"
#include "app/demogateway.h"
#include "app/headlessrunner.h"
#include "core/gateway/gatewayclient.h"

#include "ui/mainwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Gatescope;

namespace {

int runHeadless(const App::AppOptions &options, QCoreApplication &app)
{
    GatewayConfig config = options.gateway;
    std::unique_ptr<App::DemoGateway> demo;
    if (options.demo) {
        demo = std::make_unique<App::DemoGateway>();
        QString error;
        if (!demo->start(&error)) {
            QTextStream(stderr) << "gatescope: demo gateway: " << error << Qt::endl;
            return App::ExitError;
        }
        config = demo->clientConfig(options.gateway);
    }
    GatewayClient client;
    client.setConfig(config);
    App::HeadlessRunner runner(options, &client);
    int exitCode = App::ExitOk;
    QObject::connect(&runner, &App::HeadlessRunner::finished, &app, [&](int code) {
        exitCode = code;
        // Let the close frame leave before the loop ends.
        QMetaObject::invokeMethod(
                &app, [] { QCoreApplication::exit(); }, Qt::QueuedConnection);
    });
    QString error;
    if (!runner.start(&error)) {
        QTextStream(stderr) << "gatescope: " << error << Qt::endl;
        return App::ExitError;
    }
    app.exec();
    return exitCode;
}

/// The window. Demo mode starts an in-process emulator; the connect dialog's "Start demo" does too.
int runWindow(const App::AppOptions &options, QApplication &app)
{
    Ui::MainWindow window;
    std::unique_ptr<App::DemoGateway> demo;
    const auto startDemo = [&]() -> bool {
        if (!demo) {
            demo = std::make_unique<App::DemoGateway>();
            QString error;
            if (!demo->start(&error)) {
                QTextStream(stderr) << "gatescope: demo gateway: " << error << Qt::endl;
                demo.reset();
                return false;
            }
        }
        window.setDemoMode(true);
        window.connectToGateway(demo->clientConfig(options.gateway));
        return true;
    };
    QObject::connect(&window, &Ui::MainWindow::demoRequested, &window, startDemo);
    window.show();

    if (options.demo) {
        if (!startDemo())
            return App::ExitError;
    } else if (!options.token.isEmpty()) {
        window.connectToGateway(options.gateway);
    } else {
        // A gateway URL without a token: the connect dialog asks for it, for this run only.
        QTimer::singleShot(0, &window, &Ui::MainWindow::showConnectDialog);
    }
    if (options.durationS > 0)
        QTimer::singleShot(qint64(options.durationS * 1000), &app, &QApplication::quit);
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
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
    if (options.headless) {
        QCoreApplication app(argc, argv);
        // The runner prints its own status lines; the categories' info lines would repeat them.
        if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
            QLoggingCategory::setFilterRules(u"gatescope.*.info=false"_s);
        return runHeadless(options, app);
    }
    QApplication app(argc, argv);
    return runWindow(options, app);
}
