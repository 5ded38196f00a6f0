#include "core/connection/sessionfile.h"
#include "emulator/emulatorserver.h"
#include "gatescoperun.h"

#include "../fuzz/csvreader.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {
const QString Token = u"MTE0.resume-secret.dG9rZW4"_s;
} // namespace

/// `--session-file` end to end: the real `gatescope` binary, headless, against an emulator in
/// this process that keeps detached sessions and buffers what they miss.
class tst_SessionResume : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void restartResumesWithNothingLostOrDoubled();
    void unusableSessionFileIdentifies_data();
    void unusableSessionFileIdentifies();
    void closeWith1000WritesNoSessionFile();

private:
    std::unique_ptr<Emulator::EmulatorServer> startEmulator(int eventsPerSecond);
    QStringList runArguments(const Emulator::EmulatorServer &server, const QString &csv) const;
    /// The message ids of a --csv file, in file order (duplicates kept).
    static QList<QByteArray> csvMessageIds(const QString &path);
    /// The ids of every MESSAGE_CREATE the emulator wrote to a live session (replays once).
    static QSet<quint64> uniqueDeliveries(const Emulator::EmulatorServer &server);
    /// Resume (op 6) payloads the emulator received.
    static int resumesSent(const QSignalSpy &payloads);

    QTemporaryDir m_dir;
    QString m_tokenFile;
    QString m_sessionFile;
};

void tst_SessionResume::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(QStringLiteral(GATESCOPE_BINARY)), GATESCOPE_BINARY);
    m_tokenFile = m_dir.filePath(u"token"_s);
    QFile file(m_tokenFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(Token.toUtf8());
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    m_sessionFile = m_dir.filePath(u"session.json"_s);
}

void tst_SessionResume::init()
{
    QFile::remove(m_sessionFile);
}

std::unique_ptr<Emulator::EmulatorServer> tst_SessionResume::startEmulator(int eventsPerSecond)
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.eventsPerSecond = eventsPerSecond;
    config.traffic.messageShare = 1.0;
    config.recordDeliveries = true;
    config.identifyWindowMs = 50; // the cases identify again within seconds
    auto server = std::make_unique<Emulator::EmulatorServer>(config);
    if (!server->start())
        qFatal("the emulator did not start");
    return server;
}

QStringList tst_SessionResume::runArguments(const Emulator::EmulatorServer &server,
                                            const QString &csv) const
{
    return {u"--headless"_s,   u"--gateway-url"_s, server.gatewayUrl().toString(),
            u"--token-file"_s, m_tokenFile,        u"--session-file"_s,
            m_sessionFile,     u"--csv"_s,         csv,
            u"--stats-json"_s};
}

QList<QByteArray> tst_SessionResume::csvMessageIds(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray text = file.readAll();
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    const auto records = Fuzz::CsvReader::read(text, ',');
    if (!records || records->isEmpty())
        return {};
    const qsizetype column = records->constFirst().indexOf("message_id");
    QList<QByteArray> ids;
    for (qsizetype i = 1; i < records->size(); ++i)
        ids.append(records->at(i).value(column));
    return ids;
}

QSet<quint64> tst_SessionResume::uniqueDeliveries(const Emulator::EmulatorServer &server)
{
    QSet<quint64> ids;
    for (const Emulator::EmulatorServer::Delivery &delivery : server.deliveries())
        ids.insert(delivery.messageId);
    return ids;
}

int tst_SessionResume::resumesSent(const QSignalSpy &payloads)
{
    int count = 0;
    for (const QList<QVariant> &payload : payloads) {
        const QJsonObject object = QJsonDocument::fromJson(payload.at(1).toByteArray()).object();
        count += object.value("op"_L1).toInt() == 6;
    }
    return count;
}

void tst_SessionResume::restartResumesWithNothingLostOrDoubled()
{
    auto server = startEmulator(200);
    QSignalSpy identified(server.get(), &Emulator::EmulatorServer::clientIdentified);
    QSignalSpy resumed(server.get(), &Emulator::EmulatorServer::clientResumed);
    QSignalSpy closed(server.get(), &Emulator::EmulatorServer::clientClosed);
    QSignalSpy generated(server.get(), &Emulator::EmulatorServer::messagesSent);

    // Run 1 identifies, and SIGTERM ends it keeping the session.
    const QString csv1 = m_dir.filePath(u"run1.csv"_s);
    GatescopeRun first(runArguments(*server, csv1));
    QVERIFY(first.start());
    QTRY_VERIFY_WITH_TIMEOUT(first.countLinesWith(" MESSAGE_CREATE ") >= 30, 30000);
    // Stopped once run 1 holds what was sent: Qt closes the TCP connection right after the close
    // frame, and events still arriving then can reset it before the emulator read the 4000,
    // which it then takes for a 1000 (a real server for a resumable drop).
    server->setEventsPerSecond(0);
    QTRY_COMPARE_WITH_TIMEOUT(first.countLinesWith(" MESSAGE_CREATE "),
                              int(uniqueDeliveries(*server).size()), 30000);
    first.terminate();
    QVERIFY(first.waitForExit());
    QVERIFY2(first.exitCode() == 0, first.err().constData());
    QVERIFY2(first.err().contains("session(s) saved"), first.err().constData());
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 10000);
    QVERIFY2(closed.constLast().at(1).toInt() != 1000 && closed.constLast().at(1).toInt() != 1001,
             "a 1000/1001 close ends the session");
    QCOMPARE(identified.size(), 1);

    // The file: the user's alone, without the token.
    QVERIFY(QFile::exists(m_sessionFile));
    QCOMPARE(QFile::permissions(m_sessionFile)
                     & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther
                        | QFileDevice::WriteOther),
             QFileDevice::Permissions());
    QFile saved(m_sessionFile);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QVERIFY(!saved.readAll().contains("resume-secret"));

    // While nobody is connected the emulator keeps writing into the detached session.
    server->setEventsPerSecond(200);
    const int generatedBefore = int(generated.size());
    QTRY_VERIFY_WITH_TIMEOUT(generated.size() >= generatedBefore + 10, 30000);

    // Run 2 resumes: no Identify, one Resume, the missed events replayed.
    QSignalSpy payloads(server.get(), &Emulator::EmulatorServer::payloadReceived);
    const QString csv2 = m_dir.filePath(u"run2.csv"_s);
    GatescopeRun second(runArguments(*server, csv2));
    QVERIFY(second.start());
    QTRY_VERIFY_WITH_TIMEOUT(!resumed.isEmpty(), 30000);
    QVERIFY(resumed.constFirst().at(2).toInt() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(second.countLinesWith(" MESSAGE_CREATE ") >= 30, 30000);

    // Traffic stops; run 2 catches up with every message the emulator wrote, then stops.
    server->setEventsPerSecond(0);
    const QSet<quint64> delivered = uniqueDeliveries(*server);
    const int printedBefore = int(first.countLinesWith(" MESSAGE_CREATE "));
    QTRY_COMPARE_WITH_TIMEOUT(printedBefore + second.countLinesWith(" MESSAGE_CREATE "),
                              int(delivered.size()), 30000);
    second.terminate();
    QVERIFY(second.waitForExit());
    QVERIFY2(second.exitCode() == 0, second.err().constData());
    QCOMPARE(identified.size(), 1);
    QCOMPARE(resumed.size(), 1);
    QCOMPARE(resumesSent(payloads), 1);
    const QJsonObject stats
            = QJsonDocument::fromJson(second.out().trimmed().split('\n').constLast()).object();
    QCOMPARE(stats.value("identifies"_L1).toInt(), 0);
    QCOMPARE(stats.value("resumes"_L1).toInt(), 1);

    // Run 1 + run 2 hold every message delivered exactly once.
    const QList<QByteArray> ids = csvMessageIds(csv1) + csvMessageIds(csv2);
    QSet<quint64> seen;
    for (const QByteArray &id : ids) {
        QVERIFY2(!seen.contains(id.toULongLong()), "a message in both runs: " + id);
        seen.insert(id.toULongLong());
    }
    QCOMPARE(seen, delivered);
}

void tst_SessionResume::unusableSessionFileIdentifies_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("notice");
    QTest::newRow("stale") << u"stale"_s << u"s old"_s;
    QTest::newRow("another token") << u"token"_s << u"another token"_s;
    QTest::newRow("corrupt") << u"corrupt"_s << u"corrupt"_s;
    QTest::newRow("other shard count") << u"shards"_s << u"shards in all"_s;
}

void tst_SessionResume::unusableSessionFileIdentifies()
{
    QFETCH(QString, kind);
    QFETCH(QString, notice);
    auto server = startEmulator(200);
    QSignalSpy identified(server.get(), &Emulator::EmulatorServer::clientIdentified);
    QSignalSpy payloads(server.get(), &Emulator::EmulatorServer::payloadReceived);

    // A live session the file names, so that a file wrongly used would really resume.
    {
        GatescopeRun live(runArguments(*server, m_dir.filePath(u"live.csv"_s)));
        QVERIFY(live.start());
        QTRY_VERIFY_WITH_TIMEOUT(live.countLinesWith(" MESSAGE_CREATE ") >= 5, 30000);
        live.terminate();
        QVERIFY(live.waitForExit());
        QVERIFY(QFile::exists(m_sessionFile));
    }
    const SessionFile file(m_sessionFile);
    const SessionFile::Loaded good = file.load(Token, 1, {-1}, QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(good.sessions.size(), 1);
    QList<SavedSession> sessions = good.sessions;
    QString error;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (kind == "stale"_L1) {
        QVERIFY(file.save(Token, sessions, now - SessionFile::DefaultLifetimeMs - 5000, &error));
    } else if (kind == "token"_L1) {
        QVERIFY(file.save(u"another-token"_s, sessions, now, &error));
    } else if (kind == "shards"_L1) {
        sessions.first().shardId = 0;
        sessions.first().shardCount = 2;
        QVERIFY(file.save(Token, sessions, now, &error));
    } else {
        QFile corrupt(m_sessionFile);
        QVERIFY(corrupt.open(QIODevice::WriteOnly | QIODevice::Truncate));
        corrupt.write("{\"version\": 1, \"sessions\": [");
    }
    identified.clear();
    payloads.clear();

    GatescopeRun run(runArguments(*server, m_dir.filePath(u"identify.csv"_s))
                     + QStringList{u"--exit-after-messages"_s, u"5"_s});
    QVERIFY(run.run());
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    // One timestamped line says why, then Identify follows; no Resume is tried.
    const QList<QByteArray> lines = run.err().split('\n');
    const auto line = std::find_if(lines.cbegin(), lines.cend(), [](const QByteArray &each) {
        return each.contains("ignored:");
    });
    QVERIFY2(line != lines.cend(), run.err().constData());
    QVERIFY2(line->contains(notice.toUtf8()) && line->contains("; identifying"), line->constData());
    QVERIFY2(QDateTime::fromString(QString::fromUtf8(line->left(line->indexOf(' '))),
                                   Qt::ISODateWithMs)
                     .isValid(),
             line->constData());
    QCOMPARE(identified.size(), 1);
    QCOMPARE(resumesSent(payloads), 0);
}

void tst_SessionResume::closeWith1000WritesNoSessionFile()
{
    // --exit-after-messages closes with 1000, as a user's disconnect: that ends the session on
    // the server, so no file may name it (and one left by an earlier run is removed).
    auto server = startEmulator(200);
    QSignalSpy closed(server.get(), &Emulator::EmulatorServer::clientClosed);
    QFile earlier(m_sessionFile);
    QVERIFY(earlier.open(QIODevice::WriteOnly));
    earlier.write("left by an earlier run");
    earlier.close();
    GatescopeRun run(runArguments(*server, m_dir.filePath(u"user.csv"_s))
                     + QStringList{u"--exit-after-messages"_s, u"10"_s});
    QVERIFY(run.run());
    QVERIFY2(run.exitCode() == 0, run.err().constData());
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 10000);
    QCOMPARE(closed.constLast().at(1).toInt(), 1000);
    QVERIFY2(!QFile::exists(m_sessionFile), run.err().constData());
}

QTEST_GUILESS_MAIN(tst_SessionResume)
#include "tst_sessionresume.moc"
