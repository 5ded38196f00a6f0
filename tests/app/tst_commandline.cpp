#include "gatescoperun.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

/// The command-line contract as an operator meets it: the built binary, its stdout, stderr and
/// exit code.
class tst_CommandLine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void helpListsEveryOption();
    void helpNamesTheProgram();
    void versionPrintsTheVersion();
    void badValuesExitWith2_data();
    void badValuesExitWith2();

private:
    QTemporaryDir m_dir;
    QString m_recording;
};

void tst_CommandLine::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_recording = m_dir.filePath(u"recording.jsonl"_s);
    QFile recording(m_recording);
    QVERIFY(recording.open(QIODevice::WriteOnly));
}

void tst_CommandLine::helpListsEveryOption()
{
    GatescopeRun run({u"--help"_s});
    QVERIFY(run.run());
    QCOMPARE(run.exitCode(), 0);
    const QByteArray help = run.out();
    for (const char *option :
         {"--token-file", "--gateway-url", "--api-url",      "--intents",  "--compress",
          "--shards",     "--shard-count", "--demo",         "--headless", "--csv",
          "--record",     "--replay",      "--replay-speed", "--duration", "--exit-after-messages",
          "--quiet",      "--stats-json",  "--help",         "--version",  "Exit codes"}) {
        QVERIFY2(help.contains(option), option);
    }
    QVERIFY(run.err().isEmpty());
}

void tst_CommandLine::helpNamesTheProgram()
{
    // Issue 16, fault 4: the usage line said "<executable_name>".
    GatescopeRun run({u"--help"_s});
    QVERIFY(run.run());
    QCOMPARE(run.exitCode(), 0);
    QCOMPARE(run.out().split('\n').constFirst(), QByteArray("Usage: gatescope [options]"));
}

void tst_CommandLine::versionPrintsTheVersion()
{
    GatescopeRun run({u"--version"_s});
    QVERIFY(run.run());
    QCOMPARE(run.exitCode(), 0);
    QCOMPARE(run.out().trimmed(), QByteArray("gatescope " GATESCOPE_VERSION));
}

void tst_CommandLine::badValuesExitWith2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown intent")
            << QStringList{u"--intents"_s, u"GUILDS,GUILD_MESAGES"_s} << u"--intents: "_s;
    QTest::newRow("shard id not below count")
            << QStringList{u"--shards"_s, u"2"_s, u"--shard-count"_s, u"2"_s}
            << u"--shards: shard 2 is not below --shard-count 2"_s;
    QTest::newRow("bad gateway url") << QStringList{u"--gateway-url"_s, u"https://x"_s}
                                     << u"--gateway-url: \"https://x\" is not a ws/wss URL"_s;
    QTest::newRow("bad api url") << QStringList{u"--api-url"_s, u"discord"_s}
                                 << u"--api-url: \"discord\" is not a http/https URL"_s;
    QTest::newRow("unreadable token file") << QStringList{u"--token-file"_s, u"DIR/no-such-token"_s}
                                           << u"--token-file: cannot read DIR/no-such-token"_s;
    QTest::newRow("record with replay")
            << QStringList{u"--record"_s, u"DIR/r.jsonl"_s, u"--replay"_s, u"RECORDING"_s}
            << u"--record and --replay cannot be combined"_s;
    QTest::newRow("replay with gateway")
            << QStringList{u"--replay"_s, u"RECORDING"_s, u"--gateway-url"_s, u"ws://127.0.0.1:1"_s}
            << u"--replay and --gateway-url cannot be combined"_s;
    QTest::newRow("demo with gateway")
            << QStringList{u"--demo"_s, u"--gateway-url"_s, u"ws://127.0.0.1:1"_s}
            << u"--demo runs its own gateway"_s;
    QTest::newRow("bad replay speed")
            << QStringList{u"--replay"_s, u"RECORDING"_s, u"--replay-speed"_s, u"-2"_s}
            << u"--replay-speed: \"-2\" is not a factor above 0"_s;
    QTest::newRow("missing replay file") << QStringList{u"--replay"_s, u"DIR/none.jsonl"_s}
                                         << u"--replay: cannot read DIR/none.jsonl"_s;
    QTest::newRow("bad compression")
            << QStringList{u"--compress"_s, u"gzip"_s} << u"--compress: \"gzip\" is not"_s;
    QTest::newRow("bad duration") << QStringList{u"--duration"_s, u"0"_s}
                                  << u"--duration: \"0\" is not a positive number"_s;
    QTest::newRow("exit after zero")
            << QStringList{u"--headless"_s, u"--exit-after-messages"_s, u"0"_s}
            << u"--exit-after-messages: \"0\" is not a whole number of at least 1"_s;
    QTest::newRow("quiet in the window")
            << QStringList{u"--quiet"_s} << u"--quiet only applies with --headless"_s;
    QTest::newRow("unknown option")
            << QStringList{u"--token"_s, u"abc"_s} << u"Unknown option 'token'"_s;
    QTest::newRow("csv into a missing folder")
            << QStringList{u"--headless"_s, u"--csv"_s, u"DIR/missing/out.csv"_s} << u"--csv: "_s;
    QTest::newRow("record into a missing folder")
            << QStringList{u"--headless"_s, u"--record"_s, u"DIR/missing/r.jsonl"_s}
            << u"--record: cannot write DIR/missing/r.jsonl"_s;
}

void tst_CommandLine::badValuesExitWith2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    arguments.replaceInStrings(u"DIR"_s, m_dir.path());
    arguments.replaceInStrings(u"RECORDING"_s, m_recording);
    message.replace(u"DIR"_s, m_dir.path());
    GatescopeRun run(arguments);
    QVERIFY(run.run());
    QCOMPARE(run.exitStatus(), QProcess::NormalExit);
    QCOMPARE(run.exitCode(), 2);
    const QList<QByteArray> lines = run.err().trimmed().split('\n');
    QVERIFY2(lines.constFirst().startsWith("gatescope: "), run.err().constData());
    QVERIFY2(lines.constFirst().contains(message.toUtf8()), run.err().constData());
    QVERIFY(run.out().isEmpty());
}

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
