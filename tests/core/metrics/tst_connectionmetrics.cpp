#include "core/connection/connectioncontroller.h"
#include "core/connection/identifybudget.h"
#include "core/connection/shardhealth.h"
#include "core/connection/shardstatsmodel.h"
#include "core/io/csvsink.h"
#include "core/metrics/connectionmetrics.h"
#include "core/metrics/processmetrics.h"
#include "core/store/messagestore.h"
#include "fastgatewayconfig.h"

#include "emulator/emulatorserver.h"
#include "emulator/fault.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QMetaEnum>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Emulator::EmulatorServer;
using State = GatewayClient::State;

namespace {

const QString Token = u"MTAxNTk2.tst-connection-metrics.c2VjcmV0"_s;
const MetricLabels Single{{u"shard"_s, u"-1"_s}};

std::unique_ptr<EmulatorServer> startServer()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.heartbeatIntervalMs = 100; // many round trips quickly
    config.eventsPerSecond = 200;
    config.traffic.guildCount = 3;
    config.identifyWindowMs = 50;
    auto server = std::make_unique<EmulatorServer>(config);
    QString error;
    if (!server->start(&error))
        qFatal("emulator did not start: %s", qPrintable(error));
    return server;
}

GatewayConfig clientConfig(const EmulatorServer &server)
{
    GatewayConfig config = fastGatewayConfig();
    config.token = Token;
    config.gatewayUrl = server.gatewayUrl();
    return config;
}

MetricLabels with(MetricLabels labels, const QString &name, const QString &value)
{
    labels.append({name, value});
    return labels;
}

/// The gatescope_ series named in @p text (a histogram's _bucket series are its family's).
QSet<QString> seriesNamedIn(const QString &text)
{
    static const QRegularExpression name(u"gatescope_[a-z_]+"_s);
    static const QRegularExpression bucket(u"_bucket$"_s);
    QSet<QString> found;
    for (const QRegularExpressionMatch &match : name.globalMatch(text))
        found.insert(match.captured().remove(bucket));
    return found;
}

/// docs/grafana-dashboard.json, the sample dashboard (empty when it cannot be read).
QByteArray dashboardText()
{
    QFile file(QStringLiteral(GATESCOPE_SOURCE_DIR "/docs/grafana-dashboard.json"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

double sumOf(const MetricsSnapshot &snapshot, const QString &name)
{
    double sum = 0;
    if (const MetricFamily *family = snapshot.family(name)) {
        for (const MetricSample &sample : family->samples)
            sum += sample.value;
    }
    return sum;
}

} // namespace

/// ConnectionMetrics over a real controller and the emulator: the series carry exactly the
/// counters the controller copied (what --stats-json prints), per shard.
class tst_ConnectionMetrics : public QObject
{
    Q_OBJECT

private slots:
    void seriesMatchTheControllersCounters();
    void reconnectsAreCountedByCloseCode();
    void rangeHasSeriesPerShard();
    void silenceAndBudgetAreSeries();
    void dashboardPanelsUseExportedSeries();
    void dashboardQueriesParse();
};

void tst_ConnectionMetrics::seriesMatchTheControllersCounters()
{
    auto server = startServer();
    ConnectionController controller;
    ShardStatsModel shards;
    shards.attach(&controller);
    QSignalSpy latencies(&controller, &ConnectionController::latencyChanged);
    controller.connectTo(clientConfig(*server));
    QTRY_VERIFY_WITH_TIMEOUT(latencies.size() >= 3, 60000);

    MetricsSnapshot live;
    ConnectionMetrics::collect(live, controller, shards);
    QCOMPARE(live.value(u"gatescope_shard_state"_s, with(Single, u"state"_s, u"Ready"_s)), 1.0);
    QCOMPARE(live.value(u"gatescope_shard_state"_s, with(Single, u"state"_s, u"Failed"_s)), 0.0);
    QCOMPARE(live.family(u"gatescope_shard_state"_s)->samples.size(),
             QMetaEnum::fromType<State>().keyCount());

    // After stop() the copies are final and every latencyChanged was delivered; the model takes
    // the final copy as headless does before its stats line.
    controller.stop();
    shards.applySnapshots(controller.shardSnapshots());
    MetricsSnapshot snapshot;
    ConnectionMetrics::collect(snapshot, controller, shards);
    const GatewayMetrics &m = controller.metrics();
    QVERIFY(m.dispatches > 0);
    QCOMPARE(sumOf(snapshot, u"gatescope_events_total"_s), double(m.dispatches));
    QCOMPARE(snapshot.value(u"gatescope_events_total"_s,
                            with(Single, u"type"_s, u"MESSAGE_CREATE"_s)),
             double(m.dispatchesByType.value(u"MESSAGE_CREATE"_s)));
    QCOMPARE(snapshot.value(u"gatescope_sequence"_s, Single), double(m.lastSeq));
    QCOMPARE(snapshot.value(u"gatescope_identifies_total"_s, Single), 1.0);
    QCOMPARE(snapshot.value(u"gatescope_resumes_total"_s, Single), 0.0);
    QCOMPARE(snapshot.value(u"gatescope_received_bytes_total"_s, Single), double(m.wireBytesIn));
    QCOMPARE(snapshot.value(u"gatescope_inflated_bytes_total"_s, Single),
             double(m.inflatedBytesIn));
    QVERIFY(m.inflatedBytesIn > m.wireBytesIn); // zlib-stream
    QCOMPARE(snapshot.value(u"gatescope_guilds"_s, Single), 3.0);
    QCOMPARE(snapshot.value(u"gatescope_heartbeat_last_latency_seconds"_s, Single),
             latencies.constLast().at(1).toInt() / 1000.0);

    // One histogram observation per round trip the controller reported.
    const MetricFamily *histogram = snapshot.family(u"gatescope_heartbeat_latency_seconds"_s);
    QVERIFY(histogram);
    QCOMPARE(histogram->type, MetricFamily::Type::Histogram);
    const HistogramValue &h = histogram->samples.constFirst().histogram;
    QCOMPARE(h.count, quint64(latencies.size()));
    qint64 sumMs = 0;
    for (const QList<QVariant> &signal : std::as_const(latencies))
        sumMs += signal.at(1).toInt();
    QCOMPARE(h.sum, sumMs / 1000.0);
    quint64 previous = 0;
    for (const auto &[bound, count] : h.buckets) {
        QVERIFY(count >= previous); // cumulative
        previous = count;
    }
    QVERIFY(previous <= h.count);
}

void tst_ConnectionMetrics::reconnectsAreCountedByCloseCode()
{
    auto server = startServer();
    ConnectionController controller;
    ShardStatsModel shards;
    shards.attach(&controller);
    QSignalSpy sessions(&controller, &ConnectionController::sessionEstablished);
    QSignalSpy closes(&controller, &ConnectionController::disconnected);
    controller.connectTo(clientConfig(*server));
    QVERIFY(sessions.wait(60000));
    // 4000 resumes, 4009 (session timed out) identifies again.
    server->injectNow(Emulator::Fault::close(4000));
    QTRY_COMPARE_WITH_TIMEOUT(sessions.size(), 2, 60000);
    server->injectNow(Emulator::Fault::close(4009));
    QTRY_COMPARE_WITH_TIMEOUT(sessions.size(), 3, 60000);
    controller.stop();

    // The series count the codes the client saw. A server's close frame can lose the race with
    // its TCP close (a heartbeat still unread there turns the FIN into a reset, which drops the
    // frame): the client then sees 1006, and after a 4009 its resume is refused with op 9, a
    // 4000 of its own. So the expected counts are the closes it reported.
    QMap<int, int> seen;
    for (const QList<QVariant> &close : std::as_const(closes)) {
        if (close.at(3).value<GatewayClient::Initiator>() != GatewayClient::Initiator::User)
            ++seen[close.at(1).toInt()];
    }
    QVERIFY2(seen.value(4000) + seen.value(4009) >= 1, "no server close was seen at all");
    MetricsSnapshot snapshot;
    ConnectionMetrics::collect(snapshot, controller, shards);
    double total = 0;
    for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
        const QString code = QString::number(it.key());
        QCOMPARE(snapshot.value(u"gatescope_reconnects_total"_s, with(Single, u"code"_s, code)),
                 double(it.value()));
        total += it.value();
    }
    QVERIFY(total >= 2);
    QCOMPARE(sumOf(snapshot, u"gatescope_reconnects_total"_s), total);
    QCOMPARE(double(controller.metrics().reconnects), total);
    QCOMPARE(snapshot.value(u"gatescope_resumes_total"_s, Single), 1.0);
    QCOMPARE(snapshot.value(u"gatescope_identifies_total"_s, Single), 2.0);
}

void tst_ConnectionMetrics::rangeHasSeriesPerShard()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.heartbeatIntervalMs = 5000;
    config.traffic.guildCount = 24; // so that every shard has some
    config.identifyWindowMs = 50;
    config.recommendedShards = 2;
    config.maxConcurrency = 2;
    EmulatorServer server(config);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    ConnectionController controller;
    ShardStatsModel shards;
    shards.attach(&controller);
    GatewayConfig client = fastGatewayConfig();
    client.token = Token;
    client.apiUrl = server.apiUrl();
    client.minIdentifyIntervalMs = 60;
    QVERIFY2(controller.connectShards(client, 0, 1, 0, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Ready, 60000);
    server.generateEvents(300);
    QSignalSpy events(&controller, &ConnectionController::eventsReady);
    QVERIFY(events.wait(60000));
    controller.stop();
    shards.applySnapshots(controller.shardSnapshots());

    MetricsSnapshot snapshot;
    ConnectionMetrics::collect(snapshot, controller, shards);
    double dispatches = 0;
    for (const QString &shard : {u"0"_s, u"1"_s}) {
        const MetricLabels labels{{u"shard"_s, shard}};
        QCOMPARE(snapshot.value(u"gatescope_identifies_total"_s, labels), 1.0);
        QVERIFY(snapshot.value(u"gatescope_guilds"_s, labels) > 0);
        dispatches += snapshot.value(u"gatescope_events_total"_s,
                                     with(labels, u"type"_s, u"GUILD_CREATE"_s), 0);
    }
    // Each shard's guilds came to it alone; the range's sum is the controller's.
    QCOMPARE(dispatches, 24.0);
    QCOMPARE(sumOf(snapshot, u"gatescope_events_total"_s), double(controller.metrics().dispatches));
    QCOMPARE(snapshot.value(u"gatescope_identifies_total"_s, Single, 0), 0.0); // no shard -1
}

void tst_ConnectionMetrics::silenceAndBudgetAreSeries()
{
    // The silent-shard alarm's facts, as ShardHealth hands them to the model, become series;
    // a shard that is not silent reports 0, not nothing.
    auto server = startServer();
    ConnectionController controller;
    ShardStatsModel shards;
    shards.attach(&controller);
    IdentifyBudget budget;
    budget.attach(&controller);
    controller.connectTo(clientConfig(*server));
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Ready, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(shards.rowCount() == 1, 10000);

    MetricsSnapshot quiet;
    ConnectionMetrics::collect(quiet, controller, shards);
    QCOMPARE(quiet.value(u"gatescope_shard_silent"_s, Single), 0.0);

    ShardHealthFacts facts;
    facts.silent = true;
    facts.silentSinceMs = 1'700'000'000'000;
    facts.msSinceDispatch = 660'000;
    facts.msSinceAck = 1'500;
    shards.applyHealth({facts});
    MetricsSnapshot silent;
    ConnectionMetrics::collect(silent, controller, shards);
    QCOMPARE(silent.value(u"gatescope_shard_silent"_s, Single), 1.0);
    QCOMPARE(silent.value(u"gatescope_seconds_since_last_dispatch"_s, Single), 660.0);
    QCOMPARE(silent.value(u"gatescope_seconds_since_last_heartbeat_ack"_s, Single), 1.5);

    // The run's one Identify is in the budget's series (process-wide, no shard label).
    MetricsSnapshot spent;
    QTRY_COMPARE_WITH_TIMEOUT(budget.identifiesThisRun(), 1, 10000);
    ConnectionMetrics::collectBudget(spent, budget);
    QCOMPARE(spent.value(u"gatescope_identify_run_total"_s), 1.0);
    QCOMPARE(spent.value(u"gatescope_identify_last_hour"_s), 1.0);
    QCOMPARE(spent.value(u"gatescope_identify_budget_warning"_s), budget.warning() ? 1.0 : 0.0);
    controller.stop();
}

void tst_ConnectionMetrics::dashboardPanelsUseExportedSeries()
{
    // The sample Grafana dashboard and the exporter agree both ways: every series a panel
    // queries is exported, and every exported series is on a panel. The exported set comes from
    // a run that has every series: discovery (so the identify budget is known), a reconnect,
    // a heartbeat round trip, the health facts of a Ready shard, and the window's process-wide
    // series.
    auto server = startServer();
    ConnectionController controller;
    ShardStatsModel shards;
    shards.attach(&controller);
    ShardHealth health;
    health.attach(&controller);
    shards.attachHealth(&health);
    IdentifyBudget budget;
    budget.attach(&controller);
    QSignalSpy sessions(&controller, &ConnectionController::sessionEstablished);
    GatewayConfig client = fastGatewayConfig();
    client.token = Token;
    client.apiUrl = server->apiUrl();
    controller.connectTo(client);
    QVERIFY(sessions.wait(60000));
    server->injectNow(Emulator::Fault::close(4000));
    QTRY_COMPARE_WITH_TIMEOUT(sessions.size(), 2, 60000);
    QSignalSpy latencies(&controller, &ConnectionController::latencyChanged);
    QTRY_VERIFY_WITH_TIMEOUT(!latencies.isEmpty() && budget.isKnown(), 60000);
    // The counters are copied from the gateway thread once a second.
    QTRY_VERIFY_WITH_TIMEOUT(
            controller.metrics().reconnects > 0 && controller.metrics().dispatches > 0, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(shards.rowCount() == 1 && shards.stats(0).msSinceDispatch >= 0
                                     && shards.stats(0).msSinceAck >= 0,
                             60000);
    MetricsSnapshot snapshot;
    ConnectionMetrics::collect(snapshot, controller, shards);
    ConnectionMetrics::collectBudget(snapshot, budget);
    controller.stop();
    MessageStore store;
    CsvSink sink;
    ProcessMetrics::collectBuild(snapshot);
    ProcessMetrics::collectStore(snapshot, store);
    ProcessMetrics::collectCsvSink(snapshot, sink);
    QSet<QString> exported;
    for (const MetricFamily &family : snapshot.families())
        exported.insert(family.name);

    const QByteArray text = dashboardText();
    const QJsonArray panels = QJsonDocument::fromJson(text)[u"panels"_s].toArray();
    QVERIFY(!panels.isEmpty());
    QSet<QString> onPanels;
    for (const QJsonValue &panel : panels) {
        const QString title = panel[u"title"_s].toString();
        QString queries;
        for (const QJsonValue &target : panel[u"targets"_s].toArray())
            queries += target[u"expr"_s].toString() + u'\n';
        const QSet<QString> used = seriesNamedIn(queries);
        QVERIFY2(!used.isEmpty(), qPrintable(title));
        for (const QString &name : used)
            QVERIFY2(exported.contains(name), qPrintable(title + u": "_s + name));
        onPanels.unite(used);
    }
    // Descriptions and the instance variable name series too.
    for (const QString &name : seriesNamedIn(QString::fromUtf8(text)))
        QVERIFY2(exported.contains(name), qPrintable(name));
    exported.remove(u"gatescope_build_info"_s); // it feeds the instance variable
    for (const QString &name : std::as_const(exported))
        QVERIFY2(onPanels.contains(name), qPrintable(name + u" is on no panel"_s));
}

void tst_ConnectionMetrics::dashboardQueriesParse()
{
    // A real PromQL parser reads every panel's query: promtool checks them as recording rules
    // (a JSON file is YAML too), with $instance as Grafana expands "All".
    const QString promtool = QStandardPaths::findExecutable(u"promtool"_s);
    if (promtool.isEmpty())
        QSKIP("promtool is not installed (Debian's prometheus package has it)");
    QJsonArray rules;
    const QJsonArray panels = QJsonDocument::fromJson(dashboardText())[u"panels"_s].toArray();
    for (const QJsonValue &panel : panels) {
        for (const QJsonValue &target : panel[u"targets"_s].toArray()) {
            const QString record = u"gatescope_dashboard:panel_%1_%2"_s.arg(panel[u"id"_s].toInt())
                                           .arg(target[u"refId"_s].toString());
            QString expr = target[u"expr"_s].toString();
            expr.replace(u"$instance"_s, u".*"_s);
            rules.append(QJsonObject{{u"record"_s, record}, {u"expr"_s, expr}});
        }
    }
    QVERIFY(rules.size() >= 20);
    const QJsonObject group{{u"name"_s, u"dashboard"_s}, {u"rules"_s, rules}};
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(u"dashboard-rules.yml"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(QJsonObject{{u"groups"_s, QJsonArray{group}}}).toJson());
    file.close();
    QProcess check;
    check.setProcessChannelMode(QProcess::MergedChannels);
    check.start(promtool, {u"check"_s, u"rules"_s, file.fileName()});
    QVERIFY(check.waitForFinished(60000));
    QVERIFY2(check.exitStatus() == QProcess::NormalExit && check.exitCode() == 0,
             check.readAll().constData());
}

QTEST_GUILESS_MAIN(tst_ConnectionMetrics)
#include "tst_connectionmetrics.moc"
