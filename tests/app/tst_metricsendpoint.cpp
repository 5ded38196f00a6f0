#include "emulator/emulatorserver.h"
#include "gatescoperun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {

const QString Token = u"MTE0.metrics-secret.dG9rZW4"_s;
constexpr int Messages = 300;

/// One scrape: every sample line as `name{labels}` → value.
using Samples = QHash<QByteArray, double>;

Samples parseSamples(const QByteArray &text)
{
    Samples out;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        out.insert(line.left(space), line.mid(space + 1).toDouble());
    }
    return out;
}

/// The sum of every sample of @p name (all label values), or of every sample that starts with
/// @p name when it holds a `{` (a name with its first labels).
double sumOf(const Samples &samples, const QByteArray &name)
{
    const QByteArray prefix = name.contains('{') ? name : name + '{';
    double sum = 0;
    for (auto it = samples.cbegin(); it != samples.cend(); ++it) {
        if (it.key() == name || it.key().startsWith(prefix))
            sum += it.value();
    }
    return sum;
}

} // namespace

/// The built binary's --metrics-listen: a headless run scraped with QNetworkAccessManager while
/// it runs, the scrape's counters against its --stats-json, the text through a real Prometheus
/// parser (promtool), the window's endpoint, and the command line's refusals.
class tst_MetricsEndpoint : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void headlessScrapeMatchesStatsJson();
    void windowServesMetrics();
    void badValuesExitWith2_data();
    void badValuesExitWith2();
    void portInUseExitsWith2();

private:
    struct Reply
    {
        int status = 0;
        QByteArray body;
    };
    static Reply fetch(const QString &url, const QByteArray &method = "GET");
    /// The URL the run's status line names, once it was printed.
    static QString servedUrl(const GatescopeRun &run);
    /// `promtool check metrics` on @p text: empty when it passes, else its complaint.
    static QString promtoolComplaint(const QByteArray &text);
    /// Fails on promtool's complaint about @p text; skips when promtool is not installed. Call
    /// it last in a test function.
    void verifyWithPromtool(const QByteArray &text);
    QString writeTokenFile();

    QTemporaryDir m_dir;
    QString m_promtool;
};

void tst_MetricsEndpoint::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(QStringLiteral(GATESCOPE_BINARY)), GATESCOPE_BINARY);
    m_promtool = QStandardPaths::findExecutable(u"promtool"_s);
}

QString tst_MetricsEndpoint::writeTokenFile()
{
    const QString path = m_dir.filePath(u"token"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(Token.toUtf8()) != Token.size())
        qFatal("cannot write the token file");
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return path;
}

tst_MetricsEndpoint::Reply tst_MetricsEndpoint::fetch(const QString &url, const QByteArray &method)
{
    QNetworkAccessManager manager;
    std::unique_ptr<QNetworkReply> reply(
            manager.sendCustomRequest(QNetworkRequest(QUrl(url)), method));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(30000))
        return {};
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
}

QString tst_MetricsEndpoint::servedUrl(const GatescopeRun &run)
{
    static const QRegularExpression served(u"metrics: serving (http://\\S+/metrics)"_s);
    return served.match(QString::fromUtf8(run.err())).captured(1);
}

QString tst_MetricsEndpoint::promtoolComplaint(const QByteArray &text)
{
    QProcess promtool;
    promtool.start(u"promtool"_s, {u"check"_s, u"metrics"_s});
    if (!promtool.waitForStarted(30000))
        return u"promtool did not start"_s;
    promtool.write(text);
    promtool.closeWriteChannel();
    if (!promtool.waitForFinished(60000))
        return u"promtool did not finish"_s;
    const QString output
            = QString::fromUtf8(promtool.readAllStandardOutput() + promtool.readAllStandardError());
    // Lint findings are printed even when the exit code is 0 in some versions: both count.
    if (promtool.exitCode() != 0 || !output.trimmed().isEmpty())
        return u"exit %1: %2"_s.arg(promtool.exitCode()).arg(output);
    return {};
}

void tst_MetricsEndpoint::verifyWithPromtool(const QByteArray &text)
{
    if (m_promtool.isEmpty())
        QSKIP("promtool not found (Debian's prometheus package): the scrape was not checked by a "
              "Prometheus parser");
    const QString complaint = promtoolComplaint(text);
    QVERIFY2(complaint.isEmpty(), qPrintable(complaint + u"\n"_s + QString::fromUtf8(text)));
}

void tst_MetricsEndpoint::headlessScrapeMatchesStatsJson()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.eventsPerSecond = 1000;
    config.traffic.messageShare = 1.0;
    config.messageLimit = Messages;
    // No heartbeat during the test (the first comes at a random point of a day): after the
    // last message nothing arrives, so a scrape and the stats line at the stop must agree.
    config.heartbeatIntervalMs = 24 * 3600 * 1000;
    Emulator::EmulatorServer server(config);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    const QString csv = m_dir.filePath(u"headless.csv"_s);
    GatescopeRun run({u"--headless"_s, u"--quiet"_s, u"--gateway-url"_s,
                      server.gatewayUrl().toString(), u"--token-file"_s, writeTokenFile(),
                      u"--csv"_s, csv, u"--stats-json"_s, u"--metrics-listen"_s, u"127.0.0.1:0"_s});
    QVERIFY(run.start());
    QString url;
    QTRY_VERIFY_WITH_TIMEOUT(!(url = servedUrl(run)).isEmpty(), 60000);

    // Scraped while it runs, until every message was taken in and the counters were copied
    // after the last one (the controller copies them once a second).
    Samples samples;
    QByteArray text;
    const QByteArray single = "{shard=\"-1\"";
    const auto settled = [&] {
        const Reply reply = fetch(url);
        if (reply.status != 200)
            return false;
        text = reply.body;
        samples = parseSamples(text);
        return samples.value("gatescope_messages_total") == Messages
               && samples.value("gatescope_events_total" + single + ",type=\"MESSAGE_CREATE\"}")
                          == Messages
               && samples.value("gatescope_export_rows_total{sink=\"csv\"}") == Messages;
    };
    QTRY_VERIFY_WITH_TIMEOUT(settled(), 120000);
    QCOMPARE(fetch(url.chopped(u"metrics"_s.size())).status, 404);
    QCOMPARE(fetch(url + u"/other"_s).status, 404);
    QCOMPARE(fetch(url, "POST").status, 405);

    run.terminate();
    QVERIFY(run.waitForExit(60000));
    QCOMPARE(run.exitCode(), 0);
    QVERIFY(!run.out().contains(Token.toUtf8()) && !run.err().contains(Token.toUtf8()));
    QVERIFY(!text.contains("metrics-secret"));
    const QJsonObject stats
            = QJsonDocument::fromJson(run.out().trimmed().split('\n').constLast()).object();
    QVERIFY2(!stats.isEmpty(), run.out().right(500).constData());

    // Process-wide.
    QCOMPARE(samples.value("gatescope_messages_total"), stats.value("messages"_L1).toDouble());
    QCOMPARE(samples.value("gatescope_dropped_events_total{reason=\"malformed\"}"),
             stats.value("rejected"_L1).toDouble());
    QCOMPARE(samples.value("gatescope_dropped_events_total{reason=\"csv_backlog\"}"),
             stats.value("csv_dropped"_L1).toDouble());
    QCOMPARE(samples.value("gatescope_export_rows_total{sink=\"csv\"}"),
             stats.value("csv_rows"_L1).toDouble());
    // The one connection (shard -1), against the totals and its `shards` row.
    QCOMPARE(sumOf(samples, "gatescope_events_total"), stats.value("dispatches"_L1).toDouble());
    const QJsonObject byType = stats.value("dispatches_by_type"_L1).toObject();
    QVERIFY(byType.size() >= 2); // GUILD_CREATE, MESSAGE_CREATE …
    for (auto it = byType.constBegin(); it != byType.constEnd(); ++it)
        QCOMPARE(samples.value("gatescope_events_total" + single + ",type=\"" + it.key().toUtf8()
                               + "\"}"),
                 it.value().toDouble());
    QCOMPARE(samples.value("gatescope_sequence" + single + '}'),
             stats.value("last_seq"_L1).toDouble());
    QCOMPARE(samples.value("gatescope_identifies_total" + single + '}'),
             stats.value("identifies"_L1).toDouble());
    QCOMPARE(samples.value("gatescope_resumes_total" + single + '}'),
             stats.value("resumes"_L1).toDouble());
    QCOMPARE(sumOf(samples, "gatescope_reconnects_total"), stats.value("reconnects"_L1).toDouble());
    QVERIFY(stats.value("reconnects_by_code"_L1).toObject().isEmpty());
    QCOMPARE(samples.value("gatescope_received_bytes_total" + single + '}'),
             stats.value("bytes_in"_L1).toDouble());
    QCOMPARE(samples.value("gatescope_inflated_bytes_total" + single + '}'),
             stats.value("bytes_inflated"_L1).toDouble());
    QCOMPARE(samples.value("gatescope_heartbeat_latency_seconds_count" + single + '}'),
             stats.value("heartbeat_acks"_L1).toDouble());
    QCOMPARE(samples.value("gatescope_shard_state" + single + ",state=\""
                           + stats.value("state_at_stop"_L1).toString().toUtf8() + "\"}"),
             1.0);
    const QJsonObject row = stats.value("shards"_L1).toArray().at(0).toObject();
    QCOMPARE(row.value("shard"_L1).toInt(), -1);
    QCOMPARE(sumOf(samples, "gatescope_events_total" + single + ','),
             row.value("dispatches"_L1).toDouble());
    QCOMPARE(samples.value("gatescope_sequence" + single + '}'),
             row.value("last_seq"_L1).toDouble());
    QCOMPARE(samples.value("gatescope_guilds" + single + '}'), row.value("guilds"_L1).toDouble());

    verifyWithPromtool(text);
}

void tst_MetricsEndpoint::windowServesMetrics()
{
    GatescopeRun run({u"--demo"_s, u"--metrics-listen"_s, u"127.0.0.1:0"_s});
    QVERIFY(run.start());
    QString url;
    QTRY_VERIFY_WITH_TIMEOUT(!(url = servedUrl(run)).isEmpty(), 60000);
    Samples samples;
    QByteArray text;
    // Until the demo's messages reached the store and a copy of the counters was taken.
    QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const Reply reply = fetch(url);
                text = reply.body;
                samples = parseSamples(text);
                return reply.status == 200 && samples.value("gatescope_store_messages") > 0
                       && sumOf(samples, "gatescope_events_total") > 0;
            }(),
            120000);
    QCOMPARE(samples.value("gatescope_shard_state{shard=\"-1\",state=\"Ready\"}"), 1.0);
    QVERIFY(samples.contains("gatescope_messages_total"));
    QVERIFY(samples.contains("gatescope_store_evicted_total"));
    QVERIFY(samples.contains("gatescope_build_info{version=\"" GATESCOPE_VERSION "\"}"));
    run.terminate();
    QVERIFY(run.waitForExit(60000));
    verifyWithPromtool(text);
}

void tst_MetricsEndpoint::badValuesExitWith2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("port out of range")
            << QStringList{u"--metrics-listen"_s, u"127.0.0.1:65536"_s}
            << u"--metrics-listen: \"65536\" is not a port from 0 (any free port) to 65535"_s;
    QTest::newRow("not ADDR:PORT") << QStringList{u"--metrics-listen"_s, u"9464"_s}
                                   << u"--metrics-listen: \"9464\" is not ADDR:PORT"_s;
    QTest::newRow("host name") << QStringList{u"--metrics-listen"_s, u"metrics.example:9464"_s}
                               << u"is not an IPv4 address, [IPv6] address or localhost"_s;
    QTest::newRow("remote without the flag")
            << QStringList{u"--metrics-listen"_s, u"0.0.0.0:9464"_s}
            << u"--metrics-listen: 0.0.0.0 is not a loopback address"_s;
    QTest::newRow("flag without an address")
            << QStringList{u"--metrics-allow-remote"_s}
            << u"--metrics-allow-remote only applies with --metrics-listen"_s;
}

void tst_MetricsEndpoint::badValuesExitWith2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    GatescopeRun run(QStringList{u"--headless"_s, u"--demo"_s} + arguments);
    QVERIFY(run.run());
    QCOMPARE(run.exitCode(), 2);
    QVERIFY2(run.err().contains(message.toUtf8()), run.err().constData());
    QVERIFY(run.out().isEmpty());
}

void tst_MetricsEndpoint::portInUseExitsWith2()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    const QString address = u"127.0.0.1:%1"_s.arg(taken.serverPort());
    for (const QStringList &mode :
         {QStringList{u"--headless"_s, u"--demo"_s}, QStringList{u"--demo"_s}}) {
        GatescopeRun run(mode + QStringList{u"--metrics-listen"_s, address});
        QVERIFY(run.run());
        QCOMPARE(run.exitCode(), 2);
        QVERIFY2(run.err().contains("--metrics-listen " + address.toUtf8() + ": "),
                 run.err().constData());
        QVERIFY2(run.err().contains("in use"), run.err().constData());
    }
}

QTEST_GUILESS_MAIN(tst_MetricsEndpoint)
#include "tst_metricsendpoint.moc"
