#include "emulator/emulatorserver.h"
#include "emulator/fault.h"
#include "gatescoperun.h"
#include "scriptedgateway.h"

#include "../core/gateway/loopbackproxy.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(LoopbackProxy::Kind)

namespace {
const QString Token = u"MTE0.headless-secret.dG9rZW4"_s;
}

/// Runs the real `gatescope` binary headless against an emulator in this process.
class tst_Headless : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void reportsExactlyNMessages_data();
    void reportsExactlyNMessages();
    void demoRunsWithoutAToken();
    void durationEndsTheRun();
    void fatalCloseGivesExitCode_data();
    void fatalCloseGivesExitCode();
    void closesBeforeReadyExitWith5();
    void sigtermFlushesTheCsv();
    void shardRangeRunsEveryShard();
    void recordThenReplayGivesTheSameOutput_data();
    void recordThenReplayGivesTheSameOutput();
    void corruptRecordingLinesAreSkipped();
    void replayCountsTheRecordedReconnects();
    void malformedEventsAreCountedAndSkipped();
    void tokenIsInNoOutput();
    void everyStatusLineHasATimestamp();
    void runsThroughAProxy_data();
    void runsThroughAProxy();
    void refusedProxyIsNamed();
    void heartbeatIntervalShortensTheServers();
    void longerHeartbeatIntervalIsNotUsed();
    void csvEventsHasUpdateAndDeleteRows();
    void silentShardIsReported();
    void lowIdentifyBudgetWarns();
    void sigtermInABigCsvLeavesItWhole();

private:
    QString writeTokenFile(const QString &token);
    std::unique_ptr<Emulator::EmulatorServer> startEmulator(int eventsPerSecond,
                                                            double messageShare = 1.0);
    /// A live run that stops after @p messages, recording to @p recording and logging to @p csv.
    std::unique_ptr<GatescopeRun> recordLiveRun(int messages, const QString &recording,
                                                const QString &csv);
    QByteArray readFile(const QString &path);
    void verifyTokenAbsent(const GatescopeRun &run, const QStringList &files);
    int csvRows(const QString &path);
    /// The CSV read by Python's csv module, as a spreadsheet importer would (quoted newlines
    /// included), header included; empty on error.
    QJsonArray csvTable(const QString &path);
    /// The state named by the last `state: X` line on stderr.
    static QString lastStateLine(const QByteArray &err);
    static QJsonObject statsOf(const GatescopeRun &run);

    QTemporaryDir m_dir;
};

void tst_Headless::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(QStringLiteral(GATESCOPE_BINARY)), GATESCOPE_BINARY);
}

QString tst_Headless::writeTokenFile(const QString &token)
{
    const QString path = m_dir.filePath(u"token-"_s + QString::number(qHash(token)));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(token.toUtf8()) != token.toUtf8().size())
        qFatal("cannot write the token file");
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return path;
}

std::unique_ptr<Emulator::EmulatorServer> tst_Headless::startEmulator(int eventsPerSecond,
                                                                      double messageShare)
{
    Emulator::ServerConfig config;
    config.tokens = {Token, u"right"_s};
    config.eventsPerSecond = eventsPerSecond;
    config.traffic.messageShare = messageShare;
    auto server = std::make_unique<Emulator::EmulatorServer>(config);
    if (!server->start())
        qFatal("the emulator did not start");
    return server;
}

QByteArray tst_Headless::readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void tst_Headless::verifyTokenAbsent(const GatescopeRun &run, const QStringList &files)
{
    const QByteArray token = Token.toUtf8();
    QVERIFY(!run.out().contains(token));
    QVERIFY(!run.err().contains(token));
    QVERIFY(!run.out().contains("headless-secret") && !run.err().contains("headless-secret"));
    for (const QString &path : files) {
        const QByteArray content = readFile(path);
        QVERIFY2(!content.isEmpty(), qPrintable(path));
        QVERIFY2(!content.contains(token) && !content.contains("headless-secret"),
                 qPrintable(path));
    }
}

int tst_Headless::csvRows(const QString &path)
{
    const QJsonArray table = csvTable(path);
    return table.isEmpty() ? -1 : int(table.size()) - 1;
}

QJsonArray tst_Headless::csvTable(const QString &path)
{
    QProcess python;
    python.start(u"python3"_s, {u"-c"_s,
                                u"import csv,json,sys\nprint(json.dumps(list(csv.reader(open("
                                "sys.argv[1],encoding='utf-8-sig',newline='')))))"_s,
                                path});
    if (!python.waitForFinished(30000) || python.exitCode() != 0)
        return {};
    return QJsonDocument::fromJson(python.readAllStandardOutput()).array();
}

QString tst_Headless::lastStateLine(const QByteArray &err)
{
    QString state;
    for (const QByteArray &line : err.split('\n')) {
        const qsizetype at = line.indexOf("state: ");
        if (at >= 0)
            state = QString::fromUtf8(line.mid(at + 7).trimmed());
    }
    return state;
}

QJsonObject tst_Headless::statsOf(const GatescopeRun &run)
{
    return QJsonDocument::fromJson(run.out().trimmed().split('\n').constLast()).object();
}

void tst_Headless::reportsExactlyNMessages_data()
{
    QTest::addColumn<QString>("compress");
    QTest::addColumn<int>("messages");
    QTest::newRow("zlib-stream 500") << u"zlib-stream"_s << 500;
    QTest::newRow("none 37") << u"none"_s << 37;
}

void tst_Headless::reportsExactlyNMessages()
{
    QFETCH(QString, compress);
    QFETCH(int, messages);
    auto server = startEmulator(3000);
    QSignalSpy closed(server.get(), &Emulator::EmulatorServer::clientClosed);
    GatescopeRun run({u"--headless"_s, u"--gateway-url"_s, server->gatewayUrl().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--compress"_s, compress,
                      u"--exit-after-messages"_s, QString::number(messages), u"--stats-json"_s});
    QVERIFY(run.run());
    QCOMPARE(run.exitStatus(), QProcess::NormalExit);
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    verifyTokenAbsent(run, {});

    const QJsonObject stats
            = QJsonDocument::fromJson(run.out().trimmed().split('\n').constLast()).object();
    QCOMPARE(stats.value("messages"_L1).toInt(), messages);
    QCOMPARE(stats.value("identifies"_L1).toInt(), 1);
    QVERIFY(stats.value("last_seq"_L1).toInt() >= messages);
    QVERIFY(stats.contains("ingest_s"_L1) && stats.contains("elapsed_s"_L1)
            && stats.contains("bytes_in"_L1));
    QCOMPARE(run.countLinesWith(" MESSAGE_CREATE "), messages);
    // One event, one line: every line starts with the time and the sequence number.
    for (const QByteArray &line : run.eventLines())
        QVERIFY2(line.size() > 26 && line.at(23) == 'Z' && line.mid(24, 2) == " #",
                 line.constData());
    // The app quit like a user: close code 1000. QWebSocket closes the TCP connection right
    // after its close frame, and with events still arriving the kernel answers them with a reset
    // that can reach the emulator before it reads the frame: it then sees a dropped connection
    // (1006), as Discord would. What it must never see is a close that keeps the session (4000).
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 3000);
    const int code = closed.constLast().at(1).toInt();
    QVERIFY2(code == 1000 || code == 1006, qPrintable(QString::number(code)));
}

void tst_Headless::durationEndsTheRun()
{
    GatescopeRun run({u"--headless"_s, u"--quiet"_s, u"--duration"_s, u"1.5"_s, u"--stats-json"_s});
    QVERIFY(run.run());
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    const QJsonObject stats = QJsonDocument::fromJson(run.out().trimmed()).object();
    QVERIFY2(stats.value("elapsed_s"_L1).toDouble() >= 1.5, run.out().constData());
    // The stats end where the last status line ends (issue 16, fault 2); a healthy run stopped
    // by --duration was Ready when asked to stop.
    QCOMPARE(stats.value("state"_L1).toString(), lastStateLine(run.err()));
    QCOMPARE(stats.value("state"_L1).toString(), u"Disconnected"_s);
    QCOMPARE(stats.value("state_at_stop"_L1).toString(), u"Ready"_s);
    const QJsonArray shards = stats.value("shards"_L1).toArray();
    QCOMPARE(shards.size(), 1);
    QCOMPARE(shards.at(0).toObject().value("state"_L1).toString(), u"Disconnected"_s);
    QVERIFY(stats.value("messages"_L1).toInt() > 0);
    QVERIFY(run.eventLines().isEmpty()); // --quiet: only the stats line on stdout
}

void tst_Headless::demoRunsWithoutAToken()
{
    GatescopeRun run({u"--headless"_s, u"--exit-after-messages"_s, u"12"_s, u"--stats-json"_s});
    QVERIFY(run.run());
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    QVERIFY2(run.err().contains("DEMO"), run.err().constData());
    const QJsonObject stats
            = QJsonDocument::fromJson(run.out().trimmed().split('\n').constLast()).object();
    QCOMPARE(stats.value("messages"_L1).toInt(), 12);
    QCOMPARE(run.countLinesWith(" MESSAGE_CREATE "), 12);
}

void tst_Headless::fatalCloseGivesExitCode_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("intents");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("4004 wrong token") << u"wrong"_s << u"GUILDS"_s << 3 << u"token"_s;
    QTest::newRow("4014 privileged")
            << u"right"_s << u"GUILDS,MESSAGE_CONTENT"_s << 4 << u"Message Content Intent"_s;
}

void tst_Headless::fatalCloseGivesExitCode()
{
    QFETCH(QString, token);
    QFETCH(QString, intents);
    QFETCH(int, exitCode);
    QFETCH(QString, mentions);
    Emulator::ServerConfig config;
    config.tokens = {u"right"_s};
    config.privilegedGranted = 0;
    Emulator::EmulatorServer server(config);
    QVERIFY(server.start());
    const QString recording = m_dir.filePath(u"fatal-%1.jsonl"_s.arg(exitCode));
    GatescopeRun run({u"--headless"_s, u"--quiet"_s, u"--gateway-url"_s,
                      server.gatewayUrl().toString(), u"--token-file"_s, writeTokenFile(token),
                      u"--intents"_s, intents, u"--record"_s, recording});
    QVERIFY(run.run());
    QCOMPARE(run.exitCode(), exitCode);
    QVERIFY2(run.err().contains(mentions.toUtf8()), run.err().constData());

    // The recording keeps the fatal close; its replay says so and still ends with 0.
    GatescopeRun replay({u"--headless"_s, u"--replay"_s, recording, u"--replay-speed"_s, u"max"_s});
    QVERIFY(replay.run());
    QVERIFY2(replay.exitCode() == 0, replay.err().constData());
    const QByteArray code = exitCode == 3 ? "4004" : "4014";
    QVERIFY2(replay.err().contains("the recorded run ended with fatal close " + code),
             replay.err().constData());
}

void tst_Headless::closesBeforeReadyExitWith5()
{
    // A server that ends every session right after Identify (Spacebar with a bad token).
    Emulator::ServerConfig config;
    config.tokens = {u"right"_s};
    Emulator::EmulatorServer server(config);
    QVERIFY(server.start());
    QObject::connect(&server, &Emulator::EmulatorServer::payloadReceived, &server,
                     [&server](int, const QByteArray &json) {
                         if (QJsonDocument::fromJson(json).object().value("op"_L1).toInt() == 2)
                             server.injectNow(Emulator::Fault::close(4000));
                     });
    GatescopeRun run({u"--headless"_s, u"--quiet"_s, u"--stats-json"_s, u"--gateway-url"_s,
                      server.gatewayUrl().toString(), u"--token-file"_s,
                      writeTokenFile(u"right"_s)});
    QVERIFY(run.run());
    QCOMPARE(run.exitCode(), 5);
    QVERIFY2(run.err().contains("before READY 3 times"), run.err().constData());
    QVERIFY2(run.err().contains("token may be invalid or lack the intents"), run.err().constData());
    const QList<QByteArray> lines = run.out().trimmed().split('\n');
    const QJsonObject stats = QJsonDocument::fromJson(lines.constLast()).object();
    QCOMPARE(stats.value("identifies"_L1).toInt(), 3);
}

void tst_Headless::sigtermFlushesTheCsv()
{
    auto server = startEmulator(300);
    QSignalSpy closed(server.get(), &Emulator::EmulatorServer::clientClosed);
    const QString csv = m_dir.filePath(u"sigterm.csv"_s);
    const QString recording = m_dir.filePath(u"sigterm.jsonl"_s);
    GatescopeRun run({u"--headless"_s, u"--gateway-url"_s, server->gatewayUrl().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--csv"_s, csv, u"--record"_s,
                      recording, u"--stats-json"_s});
    QVERIFY(run.start());
    QTRY_VERIFY_WITH_TIMEOUT(run.countLinesWith(" MESSAGE_CREATE ") >= 30, 15000);
    run.terminate();
    QVERIFY(run.waitForExit());
    QCOMPARE(run.exitStatus(), QProcess::NormalExit);
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    QVERIFY(run.err().contains("signal 15"));

    // Every message the run reported is in the CSV, and the counters made it out.
    const int printed = run.countLinesWith(" MESSAGE_CREATE ");
    const QJsonObject stats
            = QJsonDocument::fromJson(run.out().trimmed().split('\n').constLast()).object();
    QCOMPARE(stats.value("messages"_L1).toInt(), printed);
    QCOMPARE(csvRows(csv), printed);
    // The recording was closed whole: every line is complete JSON.
    const QByteArray frames = readFile(recording);
    QVERIFY(frames.endsWith('\n'));
    for (const QByteArray &line : frames.trimmed().split('\n'))
        QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 3000);
    QCOMPARE(closed.constLast().at(1).toInt(), 1000);
    verifyTokenAbsent(run, {csv, recording});
}

void tst_Headless::shardRangeRunsEveryShard()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.eventsPerSecond = 400;
    config.traffic.messageShare = 1.0;
    config.traffic.guildCount = 6;
    config.recommendedShards = 3;
    config.maxConcurrency = 3; // all three identify at once, no 5 s spacing to wait for
    Emulator::EmulatorServer server(config);
    QVERIFY(server.start());
    QSignalSpy closed(&server, &Emulator::EmulatorServer::clientClosed);
    GatescopeRun run({u"--headless"_s, u"--api-url"_s, server.apiUrl().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--shards"_s, u"0-2"_s,
                      u"--shard-count"_s, u"auto"_s, u"--exit-after-messages"_s, u"90"_s,
                      u"--stats-json"_s});
    QVERIFY(run.run());
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    QVERIFY2(run.err().contains("3 shards recommended"), run.err().constData());
    for (const char *shard : {"#0:", "#1:", "#2:"}) {
        QVERIFY2(run.countLinesWith(QByteArray(shard) + "1 READY") == 1, shard);
        QVERIFY2(run.countLinesWith(shard) > 1, shard);
    }
    const QJsonObject stats
            = QJsonDocument::fromJson(run.out().trimmed().split('\n').constLast()).object();
    QCOMPARE(stats.value("identifies"_L1).toInt(), 3);
    QCOMPARE(stats.value("messages"_L1).toInt(), 90);
    // The same per shard: one entry each, in order, with its own sequence and guilds.
    const QJsonArray shards = stats.value("shards"_L1).toArray();
    QCOMPARE(shards.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject shard = shards.at(i).toObject();
        QCOMPARE(shard.value("shard"_L1).toInt(), i);
        QVERIFY(shard.value("last_seq"_L1).toInt() > 1);
        QVERIFY(shard.value("guilds"_L1).toInt() > 0);
        QCOMPARE(shard.value("state"_L1).toString(), u"Disconnected"_s);
        QCOMPARE(shard.value("last_close_code"_L1).toInt(), 1000);
        QCOMPARE(shard.value("reconnects"_L1).toInt(), 0);
    }
    QCOMPARE(stats.value("state"_L1).toString(), lastStateLine(run.err()));
    QCOMPARE(run.countLinesWith(" MESSAGE_CREATE "), 90);
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 3, 3000);
    for (const QList<QVariant> &close : std::as_const(closed))
        QCOMPARE(close.at(1).toInt(), 1000);
    verifyTokenAbsent(run, {});
}

std::unique_ptr<GatescopeRun> tst_Headless::recordLiveRun(int messages, const QString &recording,
                                                          const QString &csv)
{
    // The default traffic mix: edits, deletes, reactions and typing between the messages.
    auto server = startEmulator(1500, 0.5);
    auto run = std::make_unique<GatescopeRun>(
            QStringList{u"--headless"_s, u"--gateway-url"_s, server->gatewayUrl().toString(),
                        u"--token-file"_s, writeTokenFile(Token), u"--record"_s, recording,
                        u"--csv"_s, csv, u"--exit-after-messages"_s, QString::number(messages)});
    if (!run->run() || run->exitCode() != 0)
        qWarning("live run failed: %s", run->err().constData());
    return run;
}

void tst_Headless::recordThenReplayGivesTheSameOutput_data()
{
    QTest::addColumn<QString>("speed");
    QTest::newRow("max") << u"max"_s;
    QTest::newRow("recorded pace x4") << u"4"_s;
}

void tst_Headless::recordThenReplayGivesTheSameOutput()
{
    QFETCH(QString, speed);
    const QString recording = m_dir.filePath(u"roundtrip-%1.jsonl"_s.arg(speed));
    const QString liveCsv = m_dir.filePath(u"live-%1.csv"_s.arg(speed));
    const QString replayCsv = m_dir.filePath(u"replay-%1.csv"_s.arg(speed));
    const auto live = recordLiveRun(150, recording, liveCsv);
    QCOMPARE(live->exitCode(), 0);
    QCOMPARE(live->countLinesWith(" MESSAGE_CREATE "), 150);

    GatescopeRun replay({u"--headless"_s, u"--replay"_s, recording, u"--replay-speed"_s, speed,
                         u"--csv"_s, replayCsv, u"--stats-json"_s});
    QVERIFY(replay.run());
    QVERIFY2(replay.exitCode() == 0, replay.err().constData());
    QVERIFY2(replay.err().contains("0 corrupt lines"), replay.err().constData());
    QVERIFY2(replay.err().contains("disconnected: closed with 1000 as asked"),
             replay.err().constData());
    // Same lines, same recorded times, same order; and the same CSV, byte for byte.
    QCOMPARE(replay.eventLines(), live->eventLines());
    QCOMPARE(readFile(replayCsv), readFile(liveCsv));
    const QJsonObject stats
            = QJsonDocument::fromJson(replay.out().trimmed().split('\n').constLast()).object();
    QCOMPARE(stats.value("messages"_L1).toInt(), 150);
    QCOMPARE(stats.value("identifies"_L1).toInt(), 1);
    verifyTokenAbsent(*live, {recording, liveCsv});
    verifyTokenAbsent(replay, {replayCsv});
}

void tst_Headless::corruptRecordingLinesAreSkipped()
{
    const QString recording = m_dir.filePath(u"corrupt.jsonl"_s);
    const auto live = recordLiveRun(40, recording, m_dir.filePath(u"corrupt-live.csv"_s));
    QCOMPARE(live->exitCode(), 0);

    // Damage it: garbage as line 4, invalid UTF-8 as line 7, and half a line at the end, as a
    // crash while recording would leave.
    QList<QByteArray> lines = readFile(recording).trimmed().split('\n');
    const int frames = int(lines.size());
    lines.insert(3, "this is not JSON");
    lines.insert(6, "{\"ts\":\"\xff\xfe\"}");
    QByteArray damaged = lines.join('\n') + '\n';
    damaged += R"({"ts":"2026-11-27T10:00:00.000Z","dir":"in","payload":{"op":0,"t":"MESS)";
    QFile file(recording);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(damaged), damaged.size());
    file.close();

    GatescopeRun replay({u"--headless"_s, u"--replay"_s, recording, u"--replay-speed"_s, u"max"_s});
    QVERIFY(replay.run());
    QVERIFY2(replay.exitCode() == 0, replay.err().constData());
    QVERIFY2(replay.err().contains("replay: line 4: not JSON"), replay.err().constData());
    QVERIFY2(replay.err().contains("replay: line 7: not JSON"), replay.err().constData());
    QVERIFY2(replay.err().contains(QByteArray("replay: line ") + QByteArray::number(frames + 3)
                                   + ": not JSON"),
             replay.err().constData());
    QVERIFY(replay.err().contains("ends in the middle of this line"));
    QVERIFY(replay.err().contains(QByteArray::number(frames) + " frames, 3 corrupt lines skipped"));
    // Nothing around the damage was lost.
    QCOMPARE(replay.eventLines(), live->eventLines());
}

void tst_Headless::replayCountsTheRecordedReconnects()
{
    // Issue 16, fault 2: a live run with reconnects, and its replay, report the same count.
    auto server = startEmulator(1500);
    server->faults().add(*Emulator::Fault::parse(u"op7@every:400ms"_s));
    const QString recording = m_dir.filePath(u"reconnects.jsonl"_s);
    GatescopeRun live({u"--headless"_s, u"--quiet"_s, u"--gateway-url"_s,
                       server->gatewayUrl().toString(), u"--token-file"_s, writeTokenFile(Token),
                       u"--record"_s, recording, u"--duration"_s, u"3"_s, u"--stats-json"_s});
    QVERIFY(live.run());
    QVERIFY2(live.exitCode() == 0, live.err().constData());
    const QJsonObject liveStats = statsOf(live);
    const int reconnects = liveStats.value("reconnects"_L1).toInt();
    QVERIFY2(reconnects >= 2, live.out().constData());
    QCOMPARE(liveStats.value("state"_L1).toString(), lastStateLine(live.err()));

    GatescopeRun replay({u"--headless"_s, u"--quiet"_s, u"--replay"_s, recording,
                         u"--replay-speed"_s, u"max"_s, u"--stats-json"_s});
    QVERIFY(replay.run());
    QVERIFY2(replay.exitCode() == 0, replay.err().constData());
    const QJsonObject replayStats = statsOf(replay);
    QCOMPARE(replayStats.value("reconnects"_L1).toInt(), reconnects);
    QCOMPARE(replayStats.value("resumes"_L1).toInt(), liveStats.value("resumes"_L1).toInt());
    QCOMPARE(replayStats.value("shards"_L1)
                     .toArray()
                     .at(0)
                     .toObject()
                     .value("reconnects"_L1)
                     .toInt(),
             reconnects);
    QCOMPARE(replayStats.value("state"_L1).toString(), lastStateLine(replay.err()));
}

void tst_Headless::malformedEventsAreCountedAndSkipped()
{
    const auto dispatch = [](int seq, const char *type, const QByteArray &d) {
        QByteArray json = R"({"t":")" + QByteArray(type) + R"(","s":)" + QByteArray::number(seq)
                          + R"(,"op":0)";
        if (!d.isNull())
            json += R"(,"d":)" + d;
        return json + '}';
    };
    const auto message = [](const QByteArray &id, const QByteArray &content) {
        return R"({"id":)" + id + R"(,"channel_id":"7","author":{"id":"8","username":"ann"},)"
               + R"("timestamp":"2026-11-27T12:00:00.000Z","content":")" + content + R"("})";
    };
    ScriptedGateway gateway({
            dispatch(2, "MESSAGE_CREATE", QByteArray()), // no d
            dispatch(3, "MESSAGE_CREATE", "[1,2]"), // d as an array
            dispatch(4, "MESSAGE_CREATE", message("-5", "negative id")),
            dispatch(5, "MESSAGE_CREATE", message("123456789012345678901234567890", "30 digits")),
            dispatch(6, "MESSAGE_CREATE", message(R"("abc")", "not a number")),
            dispatch(7, "MESSAGE_CREATE", message(R"("1180000000000000001")", R"(a\u0000b)")),
            dispatch(8, "MESSAGE_UPDATE", message(R"("x")", "edit of nothing")),
            dispatch(9, "MESSAGE_CREATE", message(R"("1180000000000000002")", "second")),
    });
    QVERIFY(gateway.start());
    const QString csv = m_dir.filePath(u"malformed.csv"_s);
    const QString recording = m_dir.filePath(u"malformed.jsonl"_s);
    GatescopeRun run({u"--headless"_s, u"--gateway-url"_s, gateway.url().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--compress"_s, u"none"_s,
                      u"--exit-after-messages"_s, u"2"_s, u"--stats-json"_s, u"--csv"_s, csv,
                      u"--record"_s, recording});
    QVERIFY(run.run());
    QVERIFY2(run.exitCode() == 0, run.err().constData());

    // stdout: READY and the two good messages, nothing for the six rejected events.
    const QList<QByteArray> lines = run.eventLines();
    QCOMPARE(lines.size(), 3);
    QCOMPARE(run.countLinesWith(" MESSAGE_CREATE "), 2);
    QCOMPARE(run.countLinesWith(" MESSAGE_UPDATE"), 0);
    QVERIFY2(lines.at(1).endsWith("ann: a\\u0000b"), lines.at(1).constData());
    QVERIFY(lines.at(2).endsWith("ann: second"));
    const QJsonObject stats
            = QJsonDocument::fromJson(run.out().trimmed().split('\n').constLast()).object();
    QCOMPARE(stats.value("messages"_L1).toInt(), 2);
    QCOMPARE(stats.value("rejected"_L1).toInt(), 6);
    // stderr names each rejection with its sequence number.
    for (int seq = 2; seq <= 8; ++seq) {
        if (seq == 7)
            continue;
        QVERIFY2(run.err().contains("rejected event #" + QByteArray::number(seq) + ": "),
                 run.err().constData());
    }
    QVERIFY(run.err().contains("without an object as"));
    QVERIFY(run.err().contains("without a valid message id"));

    // The CSV: two rows, each with its id, and no NUL byte anywhere.
    const QByteArray csvBytes = readFile(csv);
    QCOMPARE(csvRows(csv), 2);
    QVERIFY(!csvBytes.contains('\0'));
    QVERIFY(csvBytes.contains(",1180000000000000001,"));
    QVERIFY(csvBytes.contains(",1180000000000000002,"));
    QVERIFY(csvBytes.contains("a\xEF\xBF\xBD"
                              "b"));

    // The recording marks the rejected frames, and a replay rejects the same events.
    QCOMPARE(readFile(recording).count(R"("rejected":)"), 6);
    GatescopeRun replay({u"--headless"_s, u"--replay"_s, recording, u"--replay-speed"_s, u"max"_s,
                         u"--stats-json"_s});
    QVERIFY(replay.run());
    QVERIFY2(replay.exitCode() == 0, replay.err().constData());
    QCOMPARE(replay.eventLines(), lines);
    const QJsonObject replayStats
            = QJsonDocument::fromJson(replay.out().trimmed().split('\n').constLast()).object();
    QCOMPARE(replayStats.value("rejected"_L1).toInt(), 6);
    verifyTokenAbsent(run, {csv, recording});
}

void tst_Headless::tokenIsInNoOutput()
{
    // A user pastes the token into a channel, and every log category is on (Qt's own too):
    // still nothing that the run writes carries it.
    const QByteArray token = Token.toUtf8();
    const auto create = [&](int seq, const QByteArray &id, const QByteArray &content) {
        return R"({"t":"MESSAGE_CREATE","s":)" + QByteArray::number(seq) + R"(,"op":0,"d":{"id":")"
               + id + R"(","channel_id":"7","author":{"id":"8","username":")" + token
               + R"("},"timestamp":"2026-11-27T12:00:00.000Z","content":")" + content + R"("}})";
    };
    ScriptedGateway gateway({create(2, "1180000000000000001", "my token is " + token),
                             R"({"t":"MESSAGE_UPDATE","s":3,"op":0,"d":{"id":")" + token
                                     + R"(","content":")" + token + R"("}})",
                             create(4, "1180000000000000002", token)});
    QVERIFY(gateway.start());
    const QString csv = m_dir.filePath(u"token.csv"_s);
    const QString recording = m_dir.filePath(u"token.jsonl"_s);
    GatescopeRun run({u"--headless"_s, u"--gateway-url"_s, gateway.url().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--compress"_s, u"none"_s,
                      u"--exit-after-messages"_s, u"2"_s, u"--stats-json"_s, u"--csv"_s, csv,
                      u"--record"_s, recording});
    run.setEnvironmentVariable(u"QT_LOGGING_RULES"_s, u"*.debug=true"_s);
    QVERIFY(run.run());
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    QCOMPARE(gateway.identifies(), 1);
    QVERIFY2(run.err().contains("[redacted]"), run.err().constData());
    QCOMPARE(run.countLinesWith(" MESSAGE_CREATE "), 2);
    verifyTokenAbsent(run, {csv, recording});
}

void tst_Headless::everyStatusLineHasATimestamp()
{
    // Issue 16, fault 3: "resume URL unreachable after 2 tries" came without a time.
    auto server = startEmulator(20);
    GatescopeRun run({u"--headless"_s, u"--quiet"_s, u"--gateway-url"_s,
                      server->gatewayUrl().toString(), u"--token-file"_s, writeTokenFile(Token)});
    QVERIFY(run.start());
    QTRY_VERIFY_WITH_TIMEOUT(run.err().contains(" ready"), 30000);
    server->setResumeEndpointAvailable(false);
    server->injectNow(Emulator::Fault::make(Emulator::Fault::Kind::DropTcp));
    QTRY_VERIFY_WITH_TIMEOUT(run.err().contains("resume URL unreachable"), 60000);
    run.terminate();
    QVERIFY(run.waitForExit());
    const QRegularExpression timed(u"^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\S"_s);
    const QList<QByteArray> lines = run.err().split('\n');
    int checked = 0;
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        QVERIFY2(timed.match(QString::fromUtf8(line)).hasMatch(), line.constData());
        ++checked;
    }
    QVERIFY(checked >= 3);
    verifyTokenAbsent(run, {});
}

void tst_Headless::runsThroughAProxy_data()
{
    QTest::addColumn<LoopbackProxy::Kind>("kind");
    QTest::addColumn<bool>("withPassword");
    QTest::newRow("tinyproxy") << LoopbackProxy::Kind::Http << false;
    QTest::newRow("microsocks with a password") << LoopbackProxy::Kind::Socks5 << true;
}

void tst_Headless::runsThroughAProxy()
{
    QFETCH(LoopbackProxy::Kind, kind);
    QFETCH(bool, withPassword);
    if (const QString missing = LoopbackProxy::missing(kind); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    const QString password = u"proxy-pw-7f3a"_s;
    LoopbackProxy proxy(kind);
    QVERIFY(withPassword ? proxy.start(u"op"_s, password) : proxy.start());
    auto server = startEmulator(500);
    // --api-url: discovery first, then the gateway it names; both through the proxy.
    GatescopeRun run({u"--headless"_s, u"--api-url"_s, server->apiUrl().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--proxy"_s,
                      proxy.url(withPassword ? u"op:"_s + password : QString()),
                      u"--exit-after-messages"_s, u"20"_s, u"--stats-json"_s});
    QVERIFY(run.run(60000));
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    QCOMPARE(run.countLinesWith(" MESSAGE_CREATE "), 20);
    QTRY_VERIFY_WITH_TIMEOUT(proxy.tunnelsTo(server->port()) >= 1, 10000);
    if (kind == LoopbackProxy::Kind::Http)
        QCOMPARE(proxy.requestsTo(server->port(), "/api/v10/gateway/bot"), 1);
    else
        QCOMPARE(proxy.tunnelsTo(server->port()), 2); // discovery and WebSocket
    QVERIFY(!run.out().contains(password.toUtf8()) && !run.err().contains(password.toUtf8()));
    verifyTokenAbsent(run, {});
}

void tst_Headless::refusedProxyIsNamed()
{
    auto server = startEmulator(10);
    const quint16 closed = LoopbackProxy::closedPort();
    GatescopeRun run({u"--headless"_s, u"--gateway-url"_s, server->gatewayUrl().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--proxy"_s,
                      u"socks5://op:proxy-pw-7f3a@127.0.0.1:"_s + QString::number(closed)});
    QVERIFY(run.start());
    const QByteArray named
            = "the SOCKS5 proxy 127.0.0.1:" + QByteArray::number(closed) + " refused";
    QTRY_VERIFY_WITH_TIMEOUT(run.err().contains(named), 30000);
    run.terminate();
    QVERIFY(run.waitForExit());
    QVERIFY(!run.err().contains("proxy-pw-7f3a"));
    QVERIFY(!run.err().contains("op:"));
}

void tst_Headless::heartbeatIntervalShortensTheServers()
{
    auto server = startEmulator(0); // Hello says 41250 ms
    int beats = 0;
    connect(server.get(), &Emulator::EmulatorServer::payloadReceived, this,
            [&beats](int, const QByteArray &json) {
                beats += QJsonDocument::fromJson(json).object().value("op"_L1).toInt() == 1;
            });
    GatescopeRun run({u"--headless"_s, u"--gateway-url"_s, server->gatewayUrl().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--heartbeat-interval"_s,
                      u"1000"_s});
    QVERIFY(run.start());
    // At the server's interval the second beat would come after 41 s at the earliest.
    QTRY_VERIFY_WITH_TIMEOUT(beats >= 3, 30000);
    run.terminate();
    QVERIFY(run.waitForExit());
    QVERIFY(!run.err().contains("longer than the server"));
}

void tst_Headless::longerHeartbeatIntervalIsNotUsed()
{
    auto server = startEmulator(0);
    GatescopeRun run({u"--headless"_s, u"--gateway-url"_s, server->gatewayUrl().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--heartbeat-interval"_s,
                      u"60000"_s});
    QVERIFY(run.start());
    QTRY_VERIFY_WITH_TIMEOUT(run.err().contains(" ready"), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(run.err().contains("warning: gatescope.gateway.heartbeat: heartbeat "
                                                "interval 60000 ms is longer than the server's "
                                                "41250 ms and is not used"),
                             30000);
    run.terminate();
    QVERIFY(run.waitForExit());
    QCOMPARE(run.err().count("longer than the server"), 1);
}

void tst_Headless::silentShardIsReported()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.eventsPerSecond = 50;
    config.heartbeatIntervalMs = 200; // ACKs keep coming while nothing else does
    Emulator::EmulatorServer server(config);
    QVERIFY(server.start());
    GatescopeRun run({u"--headless"_s, u"--quiet"_s, u"--gateway-url"_s,
                      server.gatewayUrl().toString(), u"--token-file"_s, writeTokenFile(Token),
                      u"--silent-after"_s, u"1s"_s, u"--stats-json"_s});
    QVERIFY(run.start());
    QVERIFY2(QTest::qWaitFor([&] { return run.err().contains("session "); }, 15000),
             run.err().constData());
    server.injectNow(Emulator::Fault::silence());
    QVERIFY2(QTest::qWaitFor([&] { return run.err().contains("silent: "); }, 15000),
             run.err().constData());
    run.terminate();
    QVERIFY(run.waitForExit());
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    QVERIFY2(run.err().contains("silent: heartbeats are acknowledged but no event came for "),
             run.err().constData());
    // Stopped while silent: the stats say so, as the stop found it.
    const QJsonObject shard = statsOf(run).value("shards"_L1).toArray().at(0).toObject();
    QCOMPARE(shard.value("silent"_L1).toBool(), true);
    QVERIFY2(shard.value("ms_since_dispatch"_L1).toInteger() >= 1000, run.out().constData());
    QVERIFY(shard.value("ms_since_ack"_L1).toInteger() < 1000);
    const QDateTime since
            = QDateTime::fromString(shard.value("silent_since"_L1).toString(), Qt::ISODateWithMs);
    QVERIFY2(since.isValid(), run.out().constData());
    QVERIFY(since <= QDateTime::currentDateTimeUtc().addSecs(-1));
}

void tst_Headless::lowIdentifyBudgetWarns()
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.eventsPerSecond = 200;
    config.traffic.messageShare = 1.0;
    config.sessionStartTotal = 1000;
    config.sessionStartRemaining = 50;
    Emulator::EmulatorServer server(config);
    QVERIFY(server.start());
    GatescopeRun run({u"--headless"_s, u"--quiet"_s, u"--api-url"_s, server.apiUrl().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--exit-after-messages"_s, u"5"_s,
                      u"--stats-json"_s});
    QVERIFY(run.run());
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    QVERIFY2(run.err().contains(
                     "identify budget: warning: 50 of 1000 session starts left (under 10 %)"),
             run.err().constData());
    const QJsonObject budget = statsOf(run).value("identify_budget"_L1).toObject();
    QCOMPARE(budget.value("total"_L1).toInt(), 1000);
    QCOMPARE(budget.value("remaining"_L1).toInt(), 49);
    QCOMPARE(budget.value("identifies"_L1).toInt(), 1);
    QCOMPARE(budget.value("max_concurrency"_L1).toInt(), 1);
    QCOMPARE(budget.value("warning"_L1).toBool(), true);
    QVERIFY(budget.value("reset_after_ms"_L1).toInteger() > 0);
}

void tst_Headless::csvEventsHasUpdateAndDeleteRows()
{
    // The default traffic mix: edits and deletes of recent messages between the creates.
    auto server = startEmulator(1500, 0.5);
    const QString csv = m_dir.filePath(u"events.csv"_s);
    GatescopeRun run({u"--headless"_s, u"--quiet"_s, u"--gateway-url"_s,
                      server->gatewayUrl().toString(), u"--token-file"_s, writeTokenFile(Token),
                      u"--csv"_s, csv, u"--csv-events"_s, u"--exit-after-messages"_s, u"300"_s});
    QVERIFY(run.run());
    QVERIFY2(run.exitCode() == 0, run.err().constData());

    const QJsonArray table = csvTable(csv);
    QVERIFY(table.size() > 300);
    QCOMPARE(table.at(0).toArray().at(0).toString(), u"event"_s);
    QCOMPARE(table.at(0).toArray().at(6).toString(), u"message_id"_s);
    QSet<QString> created;
    int updatesOfCreated = 0;
    int deletesOfCreated = 0;
    for (qsizetype i = 1; i < table.size(); ++i) {
        const QJsonArray row = table.at(i).toArray();
        QCOMPARE(row.size(), 15);
        const QString event = row.at(0).toString();
        const QString id = row.at(6).toString();
        QVERIFY(!id.isEmpty());
        if (event == "create"_L1) {
            created.insert(id);
        } else if (event == "update"_L1) {
            // An update carries the new content (the emulator's edits and unfurls all do).
            QVERIFY2(!row.at(10).toString().isEmpty(), qPrintable(id));
            updatesOfCreated += created.contains(id);
        } else {
            QVERIFY2(event == "delete"_L1 || event == "delete_bulk"_L1, qPrintable(event));
            QCOMPARE(row.at(14).toString(), u"true"_s); // deleted
            QVERIFY(!row.at(4).toString().isEmpty()); // channel_id
            deletesOfCreated += created.contains(id);
        }
    }
    QCOMPARE(created.size(), 300);
    QVERIFY2(updatesOfCreated > 0, "no update row for a message created earlier in the file");
    QVERIFY2(deletesOfCreated > 0, "no delete row for a message created earlier in the file");
    verifyTokenAbsent(run, {csv});
}

void tst_Headless::sigtermInABigCsvLeavesItWhole()
{
    // SIGTERM while --csv is deep in a fast, long log: the sink has written MiB of rows and
    // holds more in its buffer. Every reported message ends up in the file, which a CSV
    // reader parses to the last row, every row with the header's columns.
    auto server = startEmulator(4000);
    const QString csv = m_dir.filePath(u"sigterm-big.csv"_s);
    GatescopeRun run({u"--headless"_s, u"--gateway-url"_s, server->gatewayUrl().toString(),
                      u"--token-file"_s, writeTokenFile(Token), u"--csv"_s, csv,
                      u"--stats-json"_s});
    QVERIFY(run.start());
    constexpr qint64 BigCsvBytes = 3 * 1024 * 1024; // past the sink's 1 MiB buffer, twice
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(csv).size() >= BigCsvBytes, 120000);
    run.terminate();
    QVERIFY(run.waitForExit(60000));
    QCOMPARE(run.exitStatus(), QProcess::NormalExit);
    QVERIFY2(run.exitCode() == 0, run.err().right(2000).constData());

    const QJsonObject stats = statsOf(run);
    const int messages = stats.value("messages"_L1).toInt();
    QCOMPARE(run.countLinesWith(" MESSAGE_CREATE "), messages);
    QVERIFY(readFile(csv).endsWith('\n'));
    const QJsonArray table = csvTable(csv);
    QCOMPARE(table.size(), qsizetype(messages) + 1);
    const qsizetype columns = table.first().toArray().size();
    for (const QJsonValue &row : table)
        QCOMPARE(row.toArray().size(), columns);
}

QTEST_GUILESS_MAIN(tst_Headless)
#include "tst_headless.moc"
