#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_EmulatorCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void printsUrlsOnStart();
    void badOptionsExitWith2_data();
    void badOptionsExitWith2();
    void helpDocumentsTheFaultGrammar();
};

namespace {
const QString Program = QStringLiteral(GATESCOPE_EMULATOR_PATH);
}

void tst_EmulatorCommandLine::printsUrlsOnStart()
{
    QProcess process;
    process.start(Program,
                  {u"--port"_s, u"0"_s, u"--rate"_s, u"0"_s, u"--fault"_s, u"ack-delay:30-120"_s});
    QVERIFY(process.waitForStarted(5000));
    QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine() && process.bytesAvailable() > 0, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(process.peek(4096).count('\n') >= 2, 5000);
    const QByteArray gateway = process.readLine().trimmed();
    const QByteArray api = process.readLine().trimmed();
    QVERIFY2(gateway.startsWith("gateway: ws://127.0.0.1:"), gateway.constData());
    const QByteArray port = gateway.mid(gateway.lastIndexOf(':') + 1);
    QVERIFY(port.toInt() > 0);
    QCOMPARE(api, "api: http://127.0.0.1:" + port + "/api/v10");
    process.terminate();
    QVERIFY(process.waitForFinished(5000));
}

void tst_EmulatorCommandLine::badOptionsExitWith2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("unknown option") << QStringList{u"--bogus"_s} << u"bogus"_s;
    QTest::newRow("port text") << QStringList{u"--port"_s, u"http"_s} << u"--port"_s;
    QTest::newRow("port too big") << QStringList{u"--port"_s, u"70000"_s} << u"--port"_s;
    QTest::newRow("negative rate") << QStringList{u"--rate"_s, u"-1"_s} << u"--rate"_s;
    QTest::newRow("zero guilds") << QStringList{u"--guilds"_s, u"0"_s} << u"--guilds"_s;
    QTest::newRow("bad compress") << QStringList{u"--compress"_s, u"zstd"_s} << u"--compress"_s;
    QTest::newRow("bad privileged")
            << QStringList{u"--privileged"_s, u"GUILDS"_s} << u"privileged intent"_s;
    QTest::newRow("bad fault") << QStringList{u"--fault"_s, u"op7"_s} << u"needs a schedule"_s;
    QTest::newRow("missing fault file")
            << QStringList{u"--fault-file"_s, u"/nonexistent/f"_s} << u"--fault-file"_s;
    QTest::newRow("bad messages") << QStringList{u"--messages"_s, u"-5"_s} << u"--messages"_s;
    QTest::newRow("bad heartbeat")
            << QStringList{u"--heartbeat-interval"_s, u"1"_s} << u"--heartbeat-interval"_s;
    QTest::newRow("positional") << QStringList{u"extra"_s} << u"unexpected argument"_s;
}

void tst_EmulatorCommandLine::badOptionsExitWith2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, errorPart);
    QProcess process;
    process.start(Program, arguments);
    QVERIFY(process.waitForFinished(5000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QString error = QString::fromUtf8(process.readAllStandardError()).trimmed();
    QVERIFY2(error.contains(errorPart), qPrintable(error));
    QCOMPARE(error.count(u'\n'), 0);
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

void tst_EmulatorCommandLine::helpDocumentsTheFaultGrammar()
{
    QProcess process;
    process.start(Program, {u"--help"_s});
    QVERIFY(process.waitForFinished(5000));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray help = process.readAllStandardOutput();
    QVERIFY(help.contains("op7@every:30s"));
    QVERIFY(help.contains("--fault-file"));
    QVERIFY(help.contains("--split-frames"));
}

QTEST_GUILESS_MAIN(tst_EmulatorCommandLine)
#include "tst_emulatorcommandline.moc"
