#include "core/gateway/shardmanager.h"
#include "fastgatewayconfig.h"

#include "core/gateway/snowflake.h"
#include "emulator/emulatorserver.h"
#include "emulator/fault.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Emulator::EmulatorServer;
using State = GatewayClient::State;

namespace {

const QString Token = u"MTAxNTk2.tst-shard-manager.c2VjcmV0"_s;
/// ShardManager's spacing between Identifies of one bucket in these tests.
constexpr int IdentifyIntervalMs = 300;
/// The emulator refuses (op 9) a second Identify of a bucket within this window, so a manager
/// that ignored its spacing would show up as extra identifies.
constexpr int ServerIdentifyWindowMs = 250;

Emulator::ServerConfig serverConfig(int recommendedShards = 1, int maxConcurrency = 1)
{
    Emulator::ServerConfig config;
    config.tokens = {Token};
    config.heartbeatIntervalMs = 250;
    config.heartbeatGraceMs = 2000;
    config.traffic.guildCount = 12;
    config.identifyWindowMs = ServerIdentifyWindowMs;
    config.recommendedShards = recommendedShards;
    config.maxConcurrency = maxConcurrency;
    return config;
}

/// Everything one emulator + one manager test needs, with what both sides saw.
struct Rig
{
    std::unique_ptr<EmulatorServer> server;
    std::unique_ptr<ShardManager> manager;
    QElapsedTimer clock;
    QList<QPair<int, qint64>> identifying; ///< (shard, clock ms) of every Identifying state
    QHash<int, QJsonObject> readyByShard; ///< READY's `d` as each shard received it
    QList<State> states; ///< the manager's stateChanged, in order
    /// Whether every client was Ready whenever the manager announced Ready.
    bool readyOnlyWhenAllReady = true;
    int serverConnections = 0;
    QList<QPair<int, bool>> serverCloses; ///< (code, byServer)

    GatewayConfig baseConfig() const
    {
        GatewayConfig config = fastGatewayConfig();
        config.token = Token;
        config.apiUrl = server->apiUrl();
        config.minIdentifyIntervalMs = IdentifyIntervalMs;
        return config;
    }

    QList<qint64> identifyTimes(int shard) const
    {
        QList<qint64> times;
        for (const auto &entry : identifying) {
            if (entry.first == shard)
                times.append(entry.second);
        }
        return times;
    }
};

std::unique_ptr<Rig> makeRig(const Emulator::ServerConfig &config = serverConfig())
{
    auto rig = std::make_unique<Rig>();
    rig->server = std::make_unique<EmulatorServer>(config);
    QString error;
    if (!rig->server->start(&error))
        qFatal("emulator did not start: %s", qPrintable(error));
    rig->clock.start();
    rig->manager = std::make_unique<ShardManager>();
    Rig *r = rig.get();
    QObject::connect(r->server.get(), &EmulatorServer::clientConnected, r->server.get(),
                     [r](int, const QUrl &) { ++r->serverConnections; });
    QObject::connect(r->server.get(), &EmulatorServer::clientClosed, r->server.get(),
                     [r](int, int code, bool byServer) {
                         r->serverCloses.append({code, byServer});
                     });
    QObject::connect(r->manager.get(), &ShardManager::shardStateChanged, r->manager.get(),
                     [r](int shard, State state) {
                         if (state == State::Identifying)
                             r->identifying.append({shard, r->clock.elapsed()});
                     });
    QObject::connect(r->manager.get(), &ShardManager::eventsReady, r->manager.get(),
                     [r](const GatewayEventBatch &events) {
                         for (const GatewayEvent &event : events) {
                             if (event.type == "READY"_L1)
                                 r->readyByShard.insert(event.shard, event.data());
                         }
                     });
    QObject::connect(r->manager.get(), &ShardManager::stateChanged, r->manager.get(),
                     [r](State state) {
                         r->states.append(state);
                         if (state != State::Ready)
                             return;
                         const QList<GatewayClient *> clients = r->manager->clients();
                         for (const GatewayClient *client : clients)
                             r->readyOnlyWhenAllReady &= client->state() == State::Ready;
                         r->readyOnlyWhenAllReady &= !clients.isEmpty();
                     });
    return rig;
}

} // namespace

class tst_ShardManager : public QObject
{
    Q_OBJECT

private slots:
    void rangeReachesReady_data();
    void rangeReachesReady();
    void messagesArriveOnTheirGuildsShard();
    void autoCountTakesTheRecommendedShards();
    void autoCountRangeBeyondRecommendedFails();
    void identifiesInOneBucketAreSpaced_data();
    void identifiesInOneBucketAreSpaced();
    void invalidConfigIsRejected_data();
    void invalidConfigIsRejected();
    void openWithoutConfigFails();
    void gatewayUrlSkipsDiscovery();
    void closeClosesEveryShardWith1000();
    void closeStopsPendingStarts();
    void reopenAfterClose();
    void rejectedTokenAtIdentifyFails();
    void rejectedTokenAtDiscoveryFails();
    void fatalCloseStopsPendingShards();
    void sessionStartBudgetTooSmallStartsNothing();
    void lostSessionsIdentifyAgainInBucketOrder();
    void discoveryRetriesAfterNetworkError();
    void runsInAWorkerThread();
};

void tst_ShardManager::rangeReachesReady_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("maxConcurrency");
    QTest::newRow("shard 0 of 1") << 0 << 0 << 1 << 1;
    QTest::newRow("0-1 of 2") << 0 << 1 << 2 << 1;
    QTest::newRow("0-3 of 4, concurrency 2") << 0 << 3 << 4 << 2;
    QTest::newRow("1-2 of 4") << 1 << 2 << 4 << 1;
    QTest::newRow("2-4 of 5, concurrency 3") << 2 << 4 << 5 << 3;
}

void tst_ShardManager::rangeReachesReady()
{
    QFETCH(int, first);
    QFETCH(int, last);
    QFETCH(int, count);
    QFETCH(int, maxConcurrency);
    auto rig = makeRig(serverConfig(1, maxConcurrency));
    QVERIFY2(rig->manager->setConfig(rig->baseConfig(), first, last, count),
             qPrintable(rig->manager->errorString()));
    QSignalSpy clientsChanged(rig->manager.get(), &ShardManager::clientsChanged);
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);

    const int n = last - first + 1;
    QCOMPARE(clientsChanged.size(), 1);
    QCOMPARE(rig->manager->clients().size(), n);
    QCOMPARE(rig->manager->readyCount(), n);
    QCOMPARE(rig->manager->pendingCount(), 0);
    QCOMPARE(rig->manager->shardCount(), count);
    QCOMPARE(rig->manager->maxConcurrency(), maxConcurrency);
    QCOMPARE(rig->manager->client(first - 1), nullptr);
    QCOMPARE(rig->manager->client(last + 1), nullptr);
    for (int shard = first; shard <= last; ++shard) {
        const GatewayClient *client = rig->manager->client(shard);
        QVERIFY(client);
        QCOMPARE(client->config().shardId, shard);
        QCOMPARE(client->config().shardCount, count);
        QCOMPARE(client->session().shardId, shard);
        QCOMPARE(client->session().shardCount, count);
        // The emulator took the first Identify of every shard: none was refused for
        // breaking its bucket's window.
        QCOMPARE(client->metrics().identifies, 1);
        QTRY_VERIFY(rig->readyByShard.contains(shard));
        QCOMPARE(rig->readyByShard.value(shard).value("shard"_L1).toArray(),
                 (QJsonArray{shard, count}));
    }
    QCOMPARE(rig->readyByShard.size(), n);
    QCOMPARE(rig->server->sessionCount(), n);
    QVERIFY(rig->readyOnlyWhenAllReady);
    QCOMPARE(rig->states.count(State::Ready), 1);
    QCOMPARE(rig->states.constFirst(), State::Connecting);
    QCOMPARE(rig->states.constLast(), State::Ready);
    QVERIFY(!rig->states.contains(State::Failed));
}

void tst_ShardManager::messagesArriveOnTheirGuildsShard()
{
    constexpr int Count = 3;
    auto rig = makeRig(serverConfig(1, Count));
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 0, Count - 1, Count));
    QList<QPair<int, Message>> messages;
    connect(rig->manager.get(), &ShardManager::eventsReady, this,
            [&messages](const GatewayEventBatch &events) {
                for (const GatewayEvent &event : events) {
                    if (event.kind == GatewayEvent::Kind::MessageCreate)
                        messages.append({event.shard, event.message});
                }
            });
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);

    rig->server->generateEvents(300);
    QVERIFY(rig->server->messagesGenerated() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(qint64(messages.size()), rig->server->messagesGenerated(), 5000);

    QSet<int> shardsWithMessages;
    for (const auto &[shard, message] : std::as_const(messages)) {
        const quint64 guild = message.guildId;
        const int expected = guild == 0 ? 0 : Snowflake::shardFor(guild, Count);
        QVERIFY2(shard == expected,
                 qPrintable(u"guild %1 arrived on shard %2"_s.arg(guild).arg(shard)));
        shardsWithMessages.insert(shard);
    }
    // Every shard that owns a guild carries some of the traffic.
    QSet<int> shardsWithGuilds;
    for (const quint64 guild : rig->server->traffic().guildIds())
        shardsWithGuilds.insert(Snowflake::shardFor(guild, Count));
    QVERIFY(shardsWithGuilds.size() > 1);
    QVERIFY(shardsWithMessages.contains(shardsWithGuilds));

    const GatewayMetrics sum = rig->manager->aggregatedMetrics();
    quint64 dispatches = 0;
    quint64 wireBytes = 0;
    qint64 highestSeq = -1;
    int identifies = 0;
    const QList<GatewayClient *> clients = rig->manager->clients();
    for (const GatewayClient *client : clients) {
        dispatches += client->metrics().dispatches;
        wireBytes += client->metrics().wireBytesIn;
        highestSeq = std::max(highestSeq, client->metrics().lastSeq);
        identifies += client->metrics().identifies;
    }
    QCOMPARE(sum.dispatches, dispatches);
    QCOMPARE(sum.wireBytesIn, wireBytes);
    QCOMPARE(sum.lastSeq, highestSeq);
    QCOMPARE(sum.identifies, Count);
    QCOMPARE(identifies, Count);
    QCOMPARE(sum.dispatchesByType.value(u"MESSAGE_CREATE"_s), quint64(messages.size()));
    QCOMPARE(sum.dispatchesByType.value(u"READY"_s), quint64(Count));
    QVERIFY(sum.connectedSinceMs > 0);
}

void tst_ShardManager::autoCountTakesTheRecommendedShards()
{
    auto rig = makeRig(serverConfig(3, 3));
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 0, 2, 0));
    QCOMPARE(rig->manager->shardCount(), 0); // not resolved before discovery
    QSignalSpy discovered(rig->manager.get(), &ShardManager::discoveryFinished);
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);
    QCOMPARE(discovered.size(), 1);
    QCOMPARE(rig->manager->shardCount(), 3);
    QCOMPARE(rig->manager->maxConcurrency(), 3);
    QVERIFY(rig->manager->botInfo());
    QCOMPARE(rig->manager->botInfo()->shards, 3);
    for (int shard = 0; shard < 3; ++shard) {
        QCOMPARE(rig->manager->client(shard)->config().shardCount, 3);
        // The discovered URL is handed down, so no client runs discovery of its own.
        QCOMPARE(rig->manager->client(shard)->config().gatewayUrl, rig->server->gatewayUrl());
        QVERIFY(!rig->manager->client(shard)->botInfo());
        QTRY_VERIFY(rig->readyByShard.contains(shard)); // READY leaves with the next batch
        QCOMPARE(rig->readyByShard.value(shard).value("shard"_L1).toArray(),
                 (QJsonArray{shard, 3}));
    }
}

void tst_ShardManager::autoCountRangeBeyondRecommendedFails()
{
    auto rig = makeRig(serverConfig(2, 1));
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 0, 3, 0));
    QSignalSpy errors(rig->manager.get(), &ShardManager::errorOccurred);
    rig->manager->open();
    QVERIFY(errors.wait(5000));
    QCOMPARE(rig->manager->state(), State::Failed);
    const QString message = errors.at(0).at(0).toString();
    QVERIFY2(message.contains("0-3"_L1) && message.contains("recommends"_L1), qPrintable(message));
    QCOMPARE(rig->manager->errorString(), message);
    QVERIFY(rig->manager->clients().isEmpty());
    QCOMPARE(rig->serverConnections, 0);
}

void tst_ShardManager::identifiesInOneBucketAreSpaced_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("maxConcurrency");
    QTest::newRow("3 shards, concurrency 1") << 3 << 1;
    QTest::newRow("4 shards, concurrency 2") << 4 << 2;
    QTest::newRow("5 shards, concurrency 4") << 5 << 4;
}

void tst_ShardManager::identifiesInOneBucketAreSpaced()
{
    QFETCH(int, count);
    QFETCH(int, maxConcurrency);
    auto rig = makeRig(serverConfig(1, maxConcurrency));
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 0, count - 1, count));
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);

    QHash<int, qint64> identifiedAt;
    for (int shard = 0; shard < count; ++shard) {
        const QList<qint64> times = rig->identifyTimes(shard);
        QCOMPARE(times.size(), 1);
        identifiedAt.insert(shard, times.constFirst());
        QCOMPARE(rig->manager->client(shard)->metrics().identifies, 1);
    }
    for (int shard = maxConcurrency; shard < count; ++shard) {
        const qint64 gap = identifiedAt.value(shard) - identifiedAt.value(shard - maxConcurrency);
        QVERIFY2(gap >= IdentifyIntervalMs,
                 qPrintable(u"shard %1 identified %2 ms after shard %3 of its bucket"_s.arg(shard)
                                    .arg(gap)
                                    .arg(shard - maxConcurrency)));
    }
    // Different buckets do not wait for each other: the first round identifies together.
    for (int shard = 1; shard < std::min(count, maxConcurrency); ++shard)
        QVERIFY(std::abs(identifiedAt.value(shard) - identifiedAt.value(0)) < IdentifyIntervalMs);
}

void tst_ShardManager::invalidConfigIsRejected_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("withGatewayUrl");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("negative first") << -1 << 0 << 2 << false << Token << u"start at 0"_s;
    QTest::newRow("first after last") << 2 << 1 << 4 << false << Token << u"after last"_s;
    QTest::newRow("last equals count") << 0 << 4 << 4 << false << Token << u"not below"_s;
    QTest::newRow("negative count") << 0 << 0 << -1 << false << Token << u"shard count -1"_s;
    QTest::newRow("count too large") << 0 << 0 << 70000 << false << Token << u"65535"_s;
    QTest::newRow("auto with gateway url") << 0 << 0 << 0 << true << Token << u"explicitly"_s;
    QTest::newRow("no token") << 0 << 0 << 1 << false << u" "_s << u"token"_s;
}

void tst_ShardManager::invalidConfigIsRejected()
{
    QFETCH(int, first);
    QFETCH(int, last);
    QFETCH(int, count);
    QFETCH(bool, withGatewayUrl);
    QFETCH(QString, token);
    QFETCH(QString, mentions);
    auto rig = makeRig();
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 1, 2, 3));
    GatewayConfig config = rig->baseConfig();
    config.token = token;
    if (withGatewayUrl)
        config.gatewayUrl = rig->server->gatewayUrl();
    QVERIFY(!rig->manager->setConfig(config, first, last, count));
    const QString error = rig->manager->errorString();
    QVERIFY2(error.startsWith("invalid shard configuration: "_L1), qPrintable(error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    // The previous, valid configuration is kept.
    QCOMPARE(rig->manager->firstShard(), 1);
    QCOMPARE(rig->manager->lastShard(), 2);
    QCOMPARE(rig->manager->state(), State::Disconnected);
}

void tst_ShardManager::openWithoutConfigFails()
{
    ShardManager manager;
    QSignalSpy errors(&manager, &ShardManager::errorOccurred);
    manager.open();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(manager.state(), State::Failed);
    QVERIFY(manager.clients().isEmpty());
}

void tst_ShardManager::gatewayUrlSkipsDiscovery()
{
    auto rig = makeRig(serverConfig(1, 2));
    GatewayConfig config = rig->baseConfig();
    config.gatewayUrl = rig->server->gatewayUrl();
    config.apiUrl = QUrl(u"http://127.0.0.1:1/api/v10"_s); // would fail if asked
    QVERIFY(rig->manager->setConfig(config, 0, 1, 2));
    QSignalSpy discovered(rig->manager.get(), &ShardManager::discoveryFinished);
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);
    QCOMPARE(discovered.size(), 0);
    QVERIFY(!rig->manager->botInfo());
    // Without /gateway/bot, one bucket: shard 1 waits for shard 0 although the server has two.
    QCOMPARE(rig->manager->maxConcurrency(), 1);
    const qint64 gap = rig->identifyTimes(1).value(0) - rig->identifyTimes(0).value(0);
    QVERIFY2(gap >= IdentifyIntervalMs, qPrintable(QString::number(gap)));
}

void tst_ShardManager::closeClosesEveryShardWith1000()
{
    auto rig = makeRig(serverConfig(1, 3));
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 0, 2, 3));
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);
    QCOMPARE(rig->server->sessionCount(), 3);
    // Running shards keep their configuration.
    QVERIFY(!rig->manager->setConfig(rig->baseConfig(), 0, 0, 1));
    QVERIFY2(rig->manager->errorString().contains("close()"_L1),
             qPrintable(rig->manager->errorString()));
    QCOMPARE(rig->manager->lastShard(), 2);
    QSignalSpy disconnected(rig->manager.get(), &ShardManager::shardDisconnected);

    rig->manager->close();
    QCOMPARE(rig->manager->state(), State::Disconnected);
    QCOMPARE(rig->states.constLast(), State::Disconnected);
    QCOMPARE(disconnected.size(), 3);
    QSet<int> shards;
    for (const QList<QVariant> &args : std::as_const(disconnected)) {
        shards.insert(args.at(0).toInt());
        QCOMPARE(args.at(1).toInt(), 1000);
        QCOMPARE(args.at(3).value<GatewayClient::Initiator>(), GatewayClient::Initiator::User);
    }
    QCOMPARE(shards, (QSet<int>{0, 1, 2}));
    QTRY_COMPARE_WITH_TIMEOUT(rig->serverCloses.size(), 3, 5000);
    for (const auto &[code, byServer] : std::as_const(rig->serverCloses)) {
        QCOMPARE(code, 1000);
        QVERIFY(!byServer);
    }
    // 1000 ends the sessions on the server.
    QTRY_COMPARE_WITH_TIMEOUT(rig->server->sessionCount(), 0, 5000);
    const QList<GatewayClient *> clients = rig->manager->clients();
    for (const GatewayClient *client : clients)
        QCOMPARE(client->state(), State::Disconnected);
    const GatewayMetrics sum = rig->manager->aggregatedMetrics();
    QCOMPARE(sum.lastCloseCode, 1000);
    QVERIFY(sum.lastCloseTimeMs > 0);
    QCOMPARE(sum.connectedSinceMs, 0);
    QCOMPARE(sum.identifies, 3);
}

void tst_ShardManager::closeStopsPendingStarts()
{
    auto rig = makeRig(serverConfig(1, 1));
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 0, 2, 3));
    QSignalSpy starting(rig->manager.get(), &ShardManager::shardStarting);
    // Closed as soon as shard 0 is Ready, long before shard 1's slot comes up.
    ShardManager *manager = rig->manager.get();
    int pendingAtClose = -1;
    connect(
            manager, &ShardManager::shardStateChanged, manager,
            [manager, &pendingAtClose](int shard, State state) {
                if (shard != 0 || state != State::Ready)
                    return;
                pendingAtClose = manager->pendingCount();
                manager->close();
            },
            Qt::QueuedConnection);
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Disconnected, 5000);
    QCOMPARE(pendingAtClose, 2);
    QCOMPARE(rig->manager->pendingCount(), 0);
    // Shard 1's slot would come IdentifyIntervalMs after shard 0's Identify: it must not.
    QVERIFY(!starting.wait(IdentifyIntervalMs * 2));
    QCOMPARE(starting.size(), 1);
    QCOMPARE(rig->serverConnections, 1);
}

void tst_ShardManager::reopenAfterClose()
{
    auto rig = makeRig(serverConfig(1, 1));
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 0, 1, 2));
    QSignalSpy clientsChanged(rig->manager.get(), &ShardManager::clientsChanged);
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);
    rig->manager->close();
    rig->identifying.clear();
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);
    QCOMPARE(clientsChanged.size(), 2);
    QCOMPARE(rig->server->sessionCount(), 2);
    // The spacing holds across runs too: the emulator refused no Identify.
    for (int shard = 0; shard < 2; ++shard)
        QCOMPARE(rig->manager->client(shard)->metrics().identifies, 1);
}

void tst_ShardManager::rejectedTokenAtIdentifyFails()
{
    auto rig = makeRig(serverConfig(1, 1));
    GatewayConfig config = rig->baseConfig();
    config.token = u"wrong-token"_s;
    config.gatewayUrl = rig->server->gatewayUrl(); // skip discovery: Identify finds the token
    QVERIFY(rig->manager->setConfig(config, 0, 1, 2));
    QSignalSpy fatal(rig->manager.get(), &ShardManager::fatalError);
    QSignalSpy starting(rig->manager.get(), &ShardManager::shardStarting);
    rig->manager->open();
    QVERIFY(fatal.wait(5000));
    QCOMPARE(fatal.size(), 1);
    QCOMPARE(fatal.at(0).at(0).toInt(), 0);
    QCOMPARE(fatal.at(0).at(1).toInt(), 4004);
    QVERIFY(!fatal.at(0).at(2).toString().isEmpty());
    QCOMPARE(rig->manager->state(), State::Failed);
    QCOMPARE(rig->states.constLast(), State::Failed);
    QCOMPARE(rig->manager->client(0)->state(), State::Failed);
    // The bad token is not tried on the next shard.
    QVERIFY(!starting.wait(IdentifyIntervalMs * 2));
    QCOMPARE(starting.size(), 1);
    QCOMPARE(rig->manager->client(1)->state(), State::Disconnected);
    QCOMPARE(rig->manager->pendingCount(), 1);
}

void tst_ShardManager::rejectedTokenAtDiscoveryFails()
{
    auto rig = makeRig();
    GatewayConfig config = rig->baseConfig();
    config.token = u"wrong-token"_s;
    QVERIFY(rig->manager->setConfig(config, 0, 1, 2));
    QSignalSpy fatal(rig->manager.get(), &ShardManager::fatalError);
    QSignalSpy errors(rig->manager.get(), &ShardManager::errorOccurred);
    rig->manager->open();
    QCOMPARE(rig->manager->state(), State::Connecting);
    QVERIFY(fatal.wait(5000));
    QCOMPARE(fatal.at(0).at(0).toInt(), -1);
    QCOMPARE(fatal.at(0).at(1).toInt(), 4004);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.at(0).at(0).toString().contains("401"_L1),
             qPrintable(errors.at(0).at(0).toString()));
    QCOMPARE(rig->manager->state(), State::Failed);
    QVERIFY(rig->manager->clients().isEmpty());
    QCOMPARE(rig->serverConnections, 0);
}

void tst_ShardManager::fatalCloseStopsPendingShards()
{
    auto rig = makeRig(serverConfig(1, 1));
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 0, 2, 3));
    QSignalSpy fatal(rig->manager.get(), &ShardManager::fatalError);
    QSignalSpy starting(rig->manager.get(), &ShardManager::shardStarting);
    // Shard 0 is told its shard is invalid as soon as it is Ready, while shards 1 and 2 still
    // wait for their slot.
    EmulatorServer *server = rig->server.get();
    auto injection = connect(rig->manager.get(), &ShardManager::shardStateChanged, server,
                             [server](int shard, State state) {
                                 if (shard == 0 && state == State::Ready)
                                     server->injectNow(Emulator::Fault::close(4010));
                             });
    rig->manager->open();
    QVERIFY(fatal.wait(5000));
    disconnect(injection);
    QCOMPARE(starting.size(), 1);
    QCOMPARE(fatal.at(0).at(0).toInt(), 0);
    QCOMPARE(fatal.at(0).at(1).toInt(), 4010);
    QCOMPARE(rig->manager->state(), State::Failed);
    QVERIFY(!starting.wait(IdentifyIntervalMs * 2));
    QCOMPARE(starting.size(), 1);
    QCOMPARE(rig->manager->pendingCount(), 2);

    // open() from Failed starts over with every shard.
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);
    QCOMPARE(rig->manager->readyCount(), 3);
}

void tst_ShardManager::sessionStartBudgetTooSmallStartsNothing()
{
    Emulator::ServerConfig config = serverConfig(1, 1);
    config.sessionStartRemaining = 1;
    auto rig = makeRig(config);
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 0, 1, 2));
    QSignalSpy errors(rig->manager.get(), &ShardManager::errorOccurred);
    rig->manager->open();
    QVERIFY(errors.wait(5000));
    const QString message = errors.at(0).at(0).toString();
    QVERIFY2(message.contains("only 1 of 1000 session starts remain"_L1), qPrintable(message));
    QCOMPARE(rig->manager->state(), State::Failed);
    QVERIFY(rig->manager->botInfo());
    QCOMPARE(rig->manager->botInfo()->sessionStartRemaining, 1);
    QCOMPARE(rig->serverConnections, 0);
    QCOMPARE(rig->server->sessionStartRemaining(), 1);
}

void tst_ShardManager::lostSessionsIdentifyAgainInBucketOrder()
{
    constexpr int Count = 3;
    auto rig = makeRig(serverConfig(1, 1));
    QVERIFY(rig->manager->setConfig(rig->baseConfig(), 0, Count - 1, Count));
    rig->manager->open();
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);
    rig->identifying.clear();
    QSignalSpy lost(rig->manager.get(), &ShardManager::shardDisconnected);

    // Every session ends at once; each client alone would Identify again within 10–50 ms.
    rig->server->injectNow(Emulator::Fault::invalidSession(false));
    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), Count, 5000);
    QVERIFY(rig->manager->state() != State::Ready);
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);

    QList<qint64> times;
    for (int shard = 0; shard < Count; ++shard) {
        // The emulator refused none of the new Identifies.
        QCOMPARE(rig->manager->client(shard)->metrics().identifies, 2);
        QCOMPARE(rig->identifyTimes(shard).size(), 1);
        times.append(rig->identifyTimes(shard).constFirst());
    }
    // In bucket order, one slot apart.
    for (int shard = 1; shard < Count; ++shard) {
        const qint64 gap = times.at(shard) - times.at(shard - 1);
        QVERIFY2(gap >= IdentifyIntervalMs, qPrintable(u"shard %1: %2 ms"_s.arg(shard).arg(gap)));
    }
    QVERIFY(!rig->states.contains(State::Failed));
    QVERIFY(rig->readyOnlyWhenAllReady);
}

void tst_ShardManager::discoveryRetriesAfterNetworkError()
{
    // A port with nothing listening yet: discovery fails until the emulator starts there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    Emulator::ServerConfig config = serverConfig(2, 2);
    config.port = probe.serverPort();
    probe.close();
    EmulatorServer server(config);
    auto rig = makeRig();
    GatewayConfig base = rig->baseConfig();
    base.apiUrl = QUrl(u"http://127.0.0.1:%1/api/v10"_s.arg(config.port));
    QVERIFY(rig->manager->setConfig(base, 0, 1, 0));
    QSignalSpy errors(rig->manager.get(), &ShardManager::connectionError);
    rig->manager->open();
    QVERIFY(errors.wait(5000));
    QCOMPARE(errors.at(0).at(0).toInt(), -1);
    QCOMPARE(rig->manager->state(), State::Reconnecting);
    QVERIFY(rig->manager->clients().isEmpty());

    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(rig->manager->state(), State::Ready, 10000);
    QCOMPARE(rig->manager->shardCount(), 2);
    QCOMPARE(server.sessionCount(), 2);
    QVERIFY(!rig->states.contains(State::Failed));
}

void tst_ShardManager::runsInAWorkerThread()
{
    // Concurrency 1: shard 1 waits on the manager's timer, which has to live in the worker.
    auto rig = makeRig(serverConfig(2, 1));
    const GatewayConfig base = rig->baseConfig();

    // Signals cross to this thread queued, into lists only this thread touches.
    QObject receiver;
    QList<State> states;
    QList<int> established;
    auto *manager = new ShardManager;
    QVERIFY(manager->setConfig(base, 0, 1, 0));
    connect(manager, &ShardManager::stateChanged, &receiver,
            [&states](State state) { states.append(state); });
    connect(manager, &ShardManager::sessionEstablished, &receiver,
            [&established](int shard, const QString &, bool, int) { established.append(shard); });
    QThread thread;
    manager->moveToThread(&thread);
    connect(&thread, &QThread::finished, manager, &QObject::deleteLater);
    thread.start();

    QMetaObject::invokeMethod(manager, &ShardManager::open, Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(states.contains(State::Ready), 10000);
    std::sort(established.begin(), established.end());
    QCOMPARE(established, (QList<int>{0, 1}));
    QCOMPARE(rig->server->sessionCount(), 2);

    QMetaObject::invokeMethod(manager, &ShardManager::close, Qt::QueuedConnection);
    QTRY_COMPARE_WITH_TIMEOUT(states.constLast(), State::Disconnected, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(rig->server->sessionCount(), 0, 5000);
    thread.quit();
    QVERIFY(thread.wait(5000));
}

QTEST_GUILESS_MAIN(tst_ShardManager)
#include "tst_shardmanager.moc"
