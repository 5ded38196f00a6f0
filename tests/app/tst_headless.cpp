#include "emulator/emulatorserver.h"
#include "emulator/fault.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

/// Runs the real `gatescope` binary headless against an emulator in this process.
class tst_Headless : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void reportsExactlyNMessages_data();
    void reportsExactlyNMessages();
    void fatalCloseGivesExitCode_data();
    void fatalCloseGivesExitCode();
    void badUsageExitsWith2();

private:
    bool runGatescope(const QStringList &arguments, QProcess *process);
    QString writeTokenFile(const QString &token);

    QTemporaryDir m_dir;
    QString m_binary;
};

void tst_Headless::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_binary = QStringLiteral(GATESCOPE_BINARY);
    QVERIFY2(QFile::exists(m_binary), qPrintable(m_binary));
}

QString tst_Headless::writeTokenFile(const QString &token)
{
    const QString path = m_dir.filePath(u"token-"_s + QString::number(qHash(token)));
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(token.toUtf8());
    return path;
}

bool tst_Headless::runGatescope(const QStringList &arguments, QProcess *process)
{
    process->setProgram(m_binary);
    process->setArguments(arguments);
    process->start();
    if (!process->waitForStarted(5000))
        return false;
    // The emulator lives in this thread: keep the event loop turning while the app runs.
    return QTest::qWaitFor([process] { return process->state() == QProcess::NotRunning; }, 30000);
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
    Emulator::ServerConfig config;
    config.tokens = {u"headless-secret-token"_s};
    config.eventsPerSecond = 3000;
    config.traffic.messageShare = 1.0;
    Emulator::EmulatorServer server(config);
    QVERIFY(server.start());
    QSignalSpy closed(&server, &Emulator::EmulatorServer::clientClosed);

    QProcess process;
    QVERIFY(runGatescope({u"--headless"_s, u"--gateway-url"_s, server.gatewayUrl().toString(),
                          u"--token-file"_s, writeTokenFile(u"headless-secret-token"_s),
                          u"--compress"_s, compress, u"--exit-after-messages"_s,
                          QString::number(messages), u"--stats-json"_s},
                         &process));
    const QByteArray out = process.readAllStandardOutput();
    const QByteArray err = process.readAllStandardError();
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 0, err.constData());
    QVERIFY(!out.contains("headless-secret-token") && !err.contains("headless-secret-token"));

    const QList<QByteArray> lines = out.trimmed().split('\n');
    const QJsonObject stats = QJsonDocument::fromJson(lines.constLast()).object();
    QCOMPARE(stats.value("messages"_L1).toInt(), messages);
    QCOMPARE(stats.value("identifies"_L1).toInt(), 1);
    QVERIFY(stats.value("last_seq"_L1).toInt() >= messages);
    QVERIFY(stats.contains("ingest_s"_L1) && stats.contains("elapsed_s"_L1)
            && stats.contains("bytes_in"_L1));
    int messageLines = 0;
    for (const QByteArray &line : lines)
        messageLines += line.contains(" MESSAGE_CREATE ") ? 1 : 0;
    QCOMPARE(messageLines, messages);
    // The app quit like a user: close code 1000.
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 3000);
    QCOMPARE(closed.constLast().at(1).toInt(), 1000);
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
    QProcess process;
    QVERIFY(runGatescope({u"--headless"_s, u"--quiet"_s, u"--gateway-url"_s,
                          server.gatewayUrl().toString(), u"--token-file"_s, writeTokenFile(token),
                          u"--intents"_s, intents},
                         &process));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitCode(), exitCode);
    QVERIFY2(err.contains(mentions), qPrintable(err));
}

void tst_Headless::badUsageExitsWith2()
{
    QProcess process;
    QVERIFY(runGatescope({u"--headless"_s, u"--exit-after-messages"_s, u"-5"_s}, &process));
    QCOMPARE(process.exitCode(), 2);
    const QByteArray err = process.readAllStandardError();
    QVERIFY(err.contains("--exit-after-messages"));
    QCOMPARE(err.count('\n'), 2);
}

QTEST_GUILESS_MAIN(tst_Headless)
#include "tst_headless.moc"
