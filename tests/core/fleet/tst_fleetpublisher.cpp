#include "core/fleet/fleetpublisher.h"

#include "redisserver.h"
#include "redistestclient.h"

#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_FleetPublisher : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void eventsCarryTheirFieldsAndRawData();
    void healthEntries();
    void streamsAreCapped();
    void outageIsBufferedAndCaughtUp();
    void outageBeyondTheBoundCountsWhatWasDropped();
};

namespace {

RedisEndpoint endpointOf(const RedisServer &server)
{
    return *RedisEndpoint::parse(server.url(u"pub"_s), nullptr);
}

GatewayEventBatch makeEvents(int shard, qint64 firstSeq, int count)
{
    GatewayEventBatch batch;
    for (int i = 0; i < count; ++i) {
        GatewayEvent event;
        event.type = u"MESSAGE_CREATE"_s;
        event.shard = shard;
        event.seq = firstSeq + i;
        event.rawData = R"({"id":"%1","content":"hi \u00e9 \"q\""})"_ba.replace(
                "%1", QByteArray::number(1000 + firstSeq + i));
        batch.append(event);
    }
    return batch;
}

FleetPublisher::Options options(qsizetype bufferLimit = 100000)
{
    FleetPublisher::Options o;
    o.collectorId = u"c1"_s;
    o.bufferLimit = bufferLimit;
    return o;
}

/// Opens @p publisher and waits for its connection (reconnects after 100 ms in these tests).
bool openPublisher(FleetPublisher &publisher)
{
    publisher.connection()->setReconnectInterval(100);
    QSignalSpy up(publisher.connection(), &RedisConnection::connected);
    publisher.open();
    return up.wait(20000);
}

} // namespace

void tst_FleetPublisher::init()
{
    if (!RedisServer::available())
        QSKIP(qPrintable(RedisServer::skipReason()));
}

void tst_FleetPublisher::eventsCarryTheirFieldsAndRawData()
{
    RedisServer server;
    QVERIFY(server.start());
    FleetPublisher publisher(endpointOf(server), options());
    QVERIFY(openPublisher(publisher));
    const GatewayEventBatch events = makeEvents(3, 1, 5000);
    publisher.publish(events);
    QTRY_COMPARE_WITH_TIMEOUT(publisher.published(), 5000, 60000);
    QCOMPARE(publisher.pending(), 0);

    RedisTestClient reader(endpointOf(server));
    QVERIFY(reader.open());
    const auto entries = reader.entries("pub:events");
    QCOMPARE(entries.size(), 5000);
    for (int i = 0; i < entries.size(); ++i) {
        const auto &entry = entries.at(i);
        QCOMPARE(entry.value("collector"), "c1");
        QCOMPARE(entry.value("shard"), "3");
        QCOMPARE(entry.value("seq"), QByteArray::number(i + 1));
        QCOMPARE(entry.value("type"), "MESSAGE_CREATE");
        QCOMPARE(entry.value("d"), events.at(i).rawData);
        QCOMPARE(entry.size(), 5);
    }
}

void tst_FleetPublisher::healthEntries()
{
    RedisServer server;
    QVERIFY(server.start());
    FleetPublisher publisher(endpointOf(server), options());
    QVERIFY(openPublisher(publisher));
    ShardStats row;
    row.shard = 2;
    row.state = GatewayClient::State::Ready;
    row.latencyMs = 41;
    row.lastSeq = 99;
    row.reconnects = 3;
    row.lastCloseCode = 4000;
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    publisher.publishHealth({row});
    RedisTestClient reader(endpointOf(server));
    QVERIFY(reader.open());
    QList<QHash<QByteArray, QByteArray>> entries;
    QTRY_COMPARE_WITH_TIMEOUT((entries = reader.entries("pub:health")).size(), 1, 20000);
    const auto &entry = entries.first();
    QCOMPARE(entry.value("collector"), "c1");
    QCOMPARE(entry.value("shard"), "2");
    QCOMPARE(entry.value("state"), "Ready");
    QCOMPARE(entry.value("latency_ms"), "41");
    QCOMPARE(entry.value("seq"), "99");
    QCOMPARE(entry.value("reconnects"), "3");
    QCOMPARE(entry.value("last_close"), "4000");
    QCOMPARE_GE(entry.value("at").toLongLong(), before);
}

void tst_FleetPublisher::streamsAreCapped()
{
    RedisServer server;
    QVERIFY(server.start());
    FleetPublisher::Options o = options();
    o.maxLen = 1000;
    FleetPublisher publisher(endpointOf(server), o);
    QVERIFY(openPublisher(publisher));
    publisher.publish(makeEvents(0, 1, 20000));
    QTRY_COMPARE_WITH_TIMEOUT(publisher.published(), 20000, 60000);
    RedisTestClient reader(endpointOf(server));
    QVERIFY(reader.open());
    const qint64 length = reader.command({"XLEN", "pub:events"}).integer;
    // `~` trims whole nodes: at least N kept, never much more.
    QCOMPARE_GE(length, 1000);
    QCOMPARE_LT(length, 3000);
}

void tst_FleetPublisher::outageIsBufferedAndCaughtUp()
{
    RedisServer server;
    QVERIFY(server.start());
    FleetPublisher publisher(endpointOf(server), options());
    QSignalSpy unreachable(&publisher, &FleetPublisher::unreachable);
    QSignalSpy back(&publisher, &FleetPublisher::reachableAgain);
    QVERIFY(openPublisher(publisher));
    publisher.publish(makeEvents(0, 1, 100));
    QTRY_COMPARE_WITH_TIMEOUT(publisher.published(), 100, 20000);

    server.stop();
    QVERIFY(unreachable.wait(20000));
    QVERIFY(publisher.unreachableSince().isValid());
    publisher.publish(makeEvents(0, 101, 300));
    QCOMPARE(publisher.pending(), 300);

    QVERIFY(server.start()); // empty: no persistence
    QVERIFY(back.wait(30000));
    QCOMPARE(back.first().at(1).toLongLong(), 300);
    QTRY_COMPARE_WITH_TIMEOUT(publisher.published(), 400, 30000);
    QCOMPARE(publisher.dropped(), 0);
    RedisTestClient reader(endpointOf(server));
    QVERIFY(reader.open());
    const auto entries = reader.entries("pub:events");
    QCOMPARE(entries.size(), 300);
    for (int i = 0; i < entries.size(); ++i)
        QCOMPARE(entries.at(i).value("seq"), QByteArray::number(101 + i));
}

void tst_FleetPublisher::outageBeyondTheBoundCountsWhatWasDropped()
{
    RedisServer server;
    QVERIFY(server.start());
    FleetPublisher publisher(endpointOf(server), options(50));
    QSignalSpy unreachable(&publisher, &FleetPublisher::unreachable);
    QVERIFY(openPublisher(publisher));
    server.stop();
    QVERIFY(unreachable.wait(20000));
    publisher.publish(makeEvents(1, 1, 200));
    QCOMPARE(publisher.dropped(), 150);
    QCOMPARE(publisher.pending(), 50);
    QVERIFY(server.start());
    QTRY_COMPARE_WITH_TIMEOUT(publisher.published(), 50, 30000);
    RedisTestClient reader(endpointOf(server));
    QVERIFY(reader.open());
    const auto entries = reader.entries("pub:events");
    QCOMPARE(entries.size(), 50);
    // The newest are kept: a watcher cares most about now.
    QCOMPARE(entries.first().value("seq"), "151");
    QCOMPARE(entries.last().value("seq"), "200");
}

QTEST_GUILESS_MAIN(tst_FleetPublisher)
#include "tst_fleetpublisher.moc"
