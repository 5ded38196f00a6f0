#include "core/fleet/redisendpoint.h"
#include "emulator/emulatorserver.h"
#include "gatescoperun.h"
#include "redisserver.h"
#include "redistestclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

/// The fleet end to end (issue 14): collectors (the real `gatescope --headless --publish`, as
/// processes) on an in-process emulator, a real redis-server, and a subscriber process.
class tst_Fleet : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void subscriberSeesEveryMessageOnce();
    void redisOutageLosesNothingUncounted();
    void twoCollectorsShareTheIdentifyBudget();

private:
    static constexpr auto Token = "fleet-token-QmVyeS5zZWNyZXQ.xyz"_L1;
    QString writeTokenFile();
    /// Sends @p messages MESSAGE_CREATE in all, then nothing.
    static std::unique_ptr<Emulator::EmulatorServer>
    startEmulator(int shards, int maxConcurrency, int eventsPerSecond, qint64 messages);
    GatescopeRun *collector(const Emulator::EmulatorServer &server, const RedisServer &redis,
                            const QString &id, const QString &range, int shardCount);
    GatescopeRun *subscriber(const RedisServer &redis, const QString &csv);
    /// The message_id column of a CSV the app wrote.
    static QList<quint64> csvMessageIds(const QString &path);
    static QSet<quint64> deliveredIds(const Emulator::EmulatorServer &server);
    static QJsonObject statsOf(const GatescopeRun &run);
    /// No key, string or stream entry in Redis holds the token.
    static bool redisHoldsNoToken(const RedisServer &redis);

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<GatescopeRun>> m_runs;
};

void tst_Fleet::init()
{
    if (!RedisServer::available())
        QSKIP(qPrintable(RedisServer::skipReason()));
    m_runs.clear();
}

QString tst_Fleet::writeTokenFile()
{
    const QString path = m_dir.filePath(u"token"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QString(Token).toUtf8()) < 1)
        qFatal("cannot write the token file");
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return path;
}

std::unique_ptr<Emulator::EmulatorServer>
tst_Fleet::startEmulator(int shards, int maxConcurrency, int eventsPerSecond, qint64 messages)
{
    Emulator::ServerConfig config;
    config.tokens = {QString(Token)};
    config.eventsPerSecond = eventsPerSecond;
    config.traffic.messageShare = 1.0;
    config.traffic.guildCount = 8;
    config.recommendedShards = shards;
    config.maxConcurrency = maxConcurrency;
    config.heartbeatIntervalMs = 1000;
    config.recordDeliveries = true;
    config.messageLimit = messages;
    auto server = std::make_unique<Emulator::EmulatorServer>(config);
    if (!server->start())
        return nullptr;
    return server;
}

GatescopeRun *tst_Fleet::collector(const Emulator::EmulatorServer &server, const RedisServer &redis,
                                   const QString &id, const QString &range, int shardCount)
{
    m_runs.push_back(std::make_unique<GatescopeRun>(QStringList{
            u"--headless"_s, u"--quiet"_s, u"--api-url"_s, server.apiUrl().toString(),
            u"--token-file"_s, writeTokenFile(), u"--shards"_s, range, u"--shard-count"_s,
            QString::number(shardCount), u"--publish"_s, redis.url(u"fleet"_s), u"--collector-id"_s,
            id, u"--csv"_s, m_dir.filePath(id + u".csv"_s), u"--stats-json"_s}));
    return m_runs.back().get();
}

GatescopeRun *tst_Fleet::subscriber(const RedisServer &redis, const QString &csv)
{
    m_runs.push_back(std::make_unique<GatescopeRun>(QStringList{u"--headless"_s, u"--subscribe"_s,
                                                                redis.url(u"fleet"_s), u"--csv"_s,
                                                                csv, u"--stats-json"_s}));
    return m_runs.back().get();
}

QList<quint64> tst_Fleet::csvMessageIds(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = file.readAll();
    // RFC 4180: quoted cells may hold commas, quotes ("") and newlines.
    QList<QList<QByteArray>> rows{{}};
    QByteArray cell;
    bool quoted = false;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data.at(i);
        if (quoted) {
            if (c == '"' && i + 1 < data.size() && data.at(i + 1) == '"')
                cell += data.at(++i);
            else if (c == '"')
                quoted = false;
            else
                cell += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.last().append(std::exchange(cell, {}));
        } else if (c == '\n') {
            rows.last().append(std::exchange(cell, {}));
            rows.append(QList<QByteArray>());
        } else if (c != '\r') {
            cell += c;
        }
    }
    QList<quint64> ids;
    for (qsizetype r = 1; r < rows.size(); ++r)
        if (rows.at(r).size() > 5)
            ids.append(rows.at(r).at(5).toULongLong());
    return ids;
}

QSet<quint64> tst_Fleet::deliveredIds(const Emulator::EmulatorServer &server)
{
    QSet<quint64> ids;
    for (const Emulator::EmulatorServer::Delivery &delivery : server.deliveries())
        ids.insert(delivery.messageId);
    return ids;
}

QJsonObject tst_Fleet::statsOf(const GatescopeRun &run)
{
    return QJsonDocument::fromJson(run.out().trimmed().split('\n').constLast()).object();
}

bool tst_Fleet::redisHoldsNoToken(const RedisServer &redis)
{
    RedisTestClient client(*RedisEndpoint::parse(redis.url(), nullptr));
    if (!client.open())
        return false;
    const QByteArray token = QString(Token).toUtf8();
    const RedisReply keys = client.command({"KEYS", "*"});
    for (const RedisReply &key : keys.elements) {
        if (key.string.contains(token))
            return false;
        const QByteArray type = client.command({"TYPE", key.string}).string;
        if (type == "stream") {
            for (const auto &entry : client.entries(key.string))
                for (auto it = entry.cbegin(); it != entry.cend(); ++it)
                    if (it.key().contains(token) || it.value().contains(token))
                        return false;
        } else if (type == "string" && client.command({"GET", key.string}).string.contains(token)) {
            return false;
        }
    }
    return !keys.elements.isEmpty();
}

void tst_Fleet::subscriberSeesEveryMessageOnce()
{
    RedisServer redis;
    QVERIFY(redis.start());
    const auto server = startEmulator(2, 2, 200, 400);
    QVERIFY(server);
    const QString subscriberCsv = m_dir.filePath(u"subscriber-once.csv"_s);
    GatescopeRun *watcher = subscriber(redis, subscriberCsv);
    QVERIFY(watcher->start());
    GatescopeRun *one = collector(*server, redis, u"c-once"_s, u"0-1"_s, 2);
    QVERIFY(one->start());
    QTRY_COMPARE_WITH_TIMEOUT(server->deliveries().size(), 400, 120000);
    // Its own CSV flushes within a second; then everything sent has been received.
    QTRY_COMPARE_WITH_TIMEOUT(csvMessageIds(m_dir.filePath(u"c-once.csv"_s)).size(), 400, 60000);
    one->terminate();
    QVERIFY(one->waitForExit(60000));
    QVERIFY2(one->exitCode() == 0, one->err().constData());
    const QSet<quint64> delivered = deliveredIds(*server);
    const QJsonObject collectorStats = statsOf(*one);
    const QJsonObject published = collectorStats.value("fleet"_L1).toObject();
    QVERIFY2(published.value("not_published"_L1).toInteger() == 0, one->out().constData());
    QCOMPARE(published.value("dropped"_L1).toInteger(), 0);

    // The subscriber shows every message (its stdout lines) before it is stopped.
    QTRY_VERIFY_WITH_TIMEOUT(watcher->out().count(" MESSAGE_CREATE ") >= delivered.size(), 60000);
    watcher->terminate();
    QVERIFY(watcher->waitForExit(60000));
    QVERIFY2(watcher->exitCode() == 0, watcher->err().constData());
    const QList<quint64> seen = csvMessageIds(subscriberCsv);
    QCOMPARE(QSet<quint64>(seen.cbegin(), seen.cend()), delivered);
    QCOMPARE(seen.size(), delivered.size()); // each exactly once
    const QList<quint64> own = csvMessageIds(m_dir.filePath(u"c-once.csv"_s));
    QCOMPARE(QSet<quint64>(own.cbegin(), own.cend()), delivered);

    const QJsonObject fleet = statsOf(*watcher).value("fleet"_L1).toObject();
    QCOMPARE(fleet.value("missing"_L1).toInteger(), 0);
    const QJsonArray shards = fleet.value("shards"_L1).toArray();
    QCOMPARE(shards.size(), 2);
    for (const QJsonValue &shard : shards) {
        QCOMPARE(shard.toObject().value("collector"_L1).toString(), u"c-once"_s);
        QVERIFY(!shard.toObject().value("state"_L1).toString().isEmpty());
    }
    QVERIFY(redisHoldsNoToken(redis));
    QVERIFY(!watcher->out().contains(QString(Token).toUtf8()));
    QVERIFY(!watcher->err().contains(QString(Token).toUtf8()));
}

void tst_Fleet::redisOutageLosesNothingUncounted()
{
    RedisServer redis;
    QVERIFY(redis.start());
    const auto server = startEmulator(1, 1, 100, 900);
    QVERIFY(server);
    const QString subscriberCsv = m_dir.filePath(u"subscriber-outage.csv"_s);
    GatescopeRun *watcher = subscriber(redis, subscriberCsv);
    QVERIFY(watcher->start());
    GatescopeRun *one = collector(*server, redis, u"c-outage"_s, u"0"_s, 1);
    QVERIFY(one->start());
    QTRY_VERIFY_WITH_TIMEOUT(watcher->out().count(" MESSAGE_CREATE ") >= 100, 120000);

    redis.stop();
    QTRY_VERIFY_WITH_TIMEOUT(one->err().contains("events not published"), 60000);
    const qsizetype deliveredAtStop = server->deliveries().size();
    QTRY_VERIFY_WITH_TIMEOUT(server->deliveries().size() >= deliveredAtStop + 200, 60000);
    QVERIFY(redis.start());
    QTRY_VERIFY_WITH_TIMEOUT(one->err().contains("reachable again"), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(server->deliveries().size(), 900, 120000);
    QTRY_COMPARE_WITH_TIMEOUT(csvMessageIds(m_dir.filePath(u"c-outage.csv"_s)).size(), 900, 60000);
    one->terminate();
    QVERIFY(one->waitForExit(60000));
    QVERIFY2(one->exitCode() == 0, one->err().constData());
    const QSet<quint64> delivered = deliveredIds(*server);

    // The collector's own output misses nothing.
    const QList<quint64> own = csvMessageIds(m_dir.filePath(u"c-outage.csv"_s));
    QCOMPARE(QSet<quint64>(own.cbegin(), own.cend()), delivered);
    const QJsonObject published = statsOf(*one).value("fleet"_L1).toObject();
    QCOMPARE(published.value("dropped"_L1).toInteger(), 0);
    QCOMPARE(published.value("not_published"_L1).toInteger(), 0);

    // The subscriber rode the outage out; what it lacks (entries Redis had taken but lost in
    // its restart without persistence, before the subscriber read them) is shown as a gap.
    QTRY_VERIFY_WITH_TIMEOUT(watcher->err().contains("reading"), 60000);
    // Caught up: the collector's last entries (written after the outage) have arrived.
    QTRY_VERIFY_WITH_TIMEOUT(watcher->out().count(" MESSAGE_CREATE ") >= delivered.size() - 100,
                             60000);
    QTRY_VERIFY_WITH_TIMEOUT(csvMessageIds(subscriberCsv).contains(own.constLast()), 60000);
    watcher->terminate();
    QVERIFY(watcher->waitForExit(60000));
    QVERIFY2(watcher->exitCode() == 0, watcher->err().constData());
    const QList<quint64> seen = csvMessageIds(subscriberCsv);
    QSet<quint64> seenSet(seen.cbegin(), seen.cend());
    QCOMPARE(seen.size(), seenSet.size()); // never twice, though some were written twice
    QVERIFY(seenSet.subtract(delivered).isEmpty()); // nothing that was not sent
    const qint64 missing
            = statsOf(*watcher).value("fleet"_L1).toObject().value("missing"_L1).toInteger();
    QCOMPARE(qint64(seen.size()) + missing, qint64(delivered.size()));
    QVERIFY(redisHoldsNoToken(redis));
}

void tst_Fleet::twoCollectorsShareTheIdentifyBudget()
{
    RedisServer redis;
    QVERIFY(redis.start());
    // Four shards, max_concurrency 1: one bucket, one Identify per 5 s for the whole bot.
    // Traffic starts once every shard is in: the identifies take 20 s or more.
    const auto server = startEmulator(4, 1, 0, 1000);
    QVERIFY(server);
    QElapsedTimer clock;
    clock.start();
    QList<qint64> identifiedAt;
    connect(server.get(), &Emulator::EmulatorServer::clientIdentified, this,
            [&] { identifiedAt.append(clock.elapsed()); });
    const QString subscriberCsv = m_dir.filePath(u"subscriber-budget.csv"_s);
    GatescopeRun *watcher = subscriber(redis, subscriberCsv);
    QVERIFY(watcher->start());
    GatescopeRun *a = collector(*server, redis, u"c-a"_s, u"0-1"_s, 4);
    GatescopeRun *b = collector(*server, redis, u"c-b"_s, u"2-3"_s, 4);
    QVERIFY(a->start());
    QVERIFY(b->start());
    QTRY_VERIFY2_WITH_TIMEOUT(identifiedAt.size() == 4, (a->err() + b->err()).constData(), 60000);
    server->setEventsPerSecond(200);
    QTRY_COMPARE_WITH_TIMEOUT(server->deliveries().size(), 1000, 120000);
    QTRY_COMPARE_WITH_TIMEOUT(csvMessageIds(m_dir.filePath(u"c-a.csv"_s)).size()
                                      + csvMessageIds(m_dir.filePath(u"c-b.csv"_s)).size(),
                              1000, 60000);
    for (GatescopeRun *run : {a, b}) {
        run->terminate();
        QVERIFY(run->waitForExit(60000));
        QVERIFY2(run->exitCode() == 0, run->err().constData());
        // Each shard identified once: the emulator refused none (it answers an Identify inside
        // a bucket's 5 s with op 9, which makes the client identify again).
        QVERIFY2(statsOf(*run).value("identifies"_L1).toInt() == 2, run->err().constData());
    }
    QVERIFY2(a->err().contains("holds the bucket") || b->err().contains("holds the bucket"),
             (a->err() + b->err()).constData());
    for (qsizetype i = 1; i < identifiedAt.size(); ++i)
        QCOMPARE_GE(identifiedAt.at(i) - identifiedAt.at(i - 1), 5000);
    const qint64 today
            = statsOf(*b).value("fleet"_L1).toObject().value("identifies_today"_L1).toInteger();
    QCOMPARE_GE(today, 2);

    const QSet<quint64> delivered = deliveredIds(*server);
    QTRY_VERIFY_WITH_TIMEOUT(watcher->out().count(" MESSAGE_CREATE ") >= delivered.size(), 60000);
    watcher->terminate();
    QVERIFY(watcher->waitForExit(60000));
    const QList<quint64> seen = csvMessageIds(subscriberCsv);
    QCOMPARE(QSet<quint64>(seen.cbegin(), seen.cend()), delivered);
    QCOMPARE(seen.size(), delivered.size());
    const QJsonArray shards
            = statsOf(*watcher).value("fleet"_L1).toObject().value("shards"_L1).toArray();
    QCOMPARE(shards.size(), 4);
    QVERIFY(redisHoldsNoToken(redis));
}

QTEST_GUILESS_MAIN(tst_Fleet)
#include "tst_fleet.moc"
