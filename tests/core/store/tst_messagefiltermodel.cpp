#include "core/connection/connectioncontroller.h"
#include "core/gateway/snowflake.h"
#include "core/store/directory.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "emulator/emulatorserver.h"
#include "shardedserverconfig.h"
#include "storetestdata.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using namespace StoreTestData;

class tst_MessageFilterModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filtersRows_data();
    void filtersRows();
    void backgroundEvaluationWhileStreaming_data();
    void backgroundEvaluationWhileStreaming();
    void newerQueryCancels();
    void incrementalAppendsAndEvictions();
    void persistentIndexFollowsItsRow();
    void progressAndFinishPending();
    void clearWhileEvaluating();
    void bulkDeleteRefiltersInOnePass();
    void editsRefilter();
    void badQueryKeepsFilter();
    void directoryRenameReevaluates();
    void shardFilterOverFourShards();
};

namespace {

struct Fixture
{
    Directory directory;
    MessageStore store{&directory};
    MessageModel model{&store};
    MessageFilterModel proxy;

    explicit Fixture(int capacity = MessageStore::DefaultCapacity)
    {
        store.setCapacity(capacity);
        store.setBatchInterval(5);
        proxy.setMessageModel(&model);
        proxy.setRefilterDelay(10);
    }
    /// Rows 1..rows shown, and every later filter change evaluated in the background.
    void fillForBackground(int rows)
    {
        add(1, rows);
        store.flush();
        proxy.setChunkThreshold(1);
    }
    /// Ids of the stored rows for which @p matches is true, in row order.
    template<typename Predicate>
    QList<quint64> matchingIds(Predicate matches) const
    {
        QList<quint64> ids;
        for (int row = 0; row < store.count(); ++row) {
            const Message m = store.at(row);
            if (matches(m))
                ids.append(m.id);
        }
        return ids;
    }
    // Message i: author "user<i % 3>", content "msg <i>" and "even" for even i.
    void add(int from, int to)
    {
        for (int i = from; i <= to; ++i) {
            store.addMessage(message(quint64(i),
                                     u"msg %1%2"_s.arg(i).arg(i % 2 ? QString() : u" even"_s), 111,
                                     100, quint64(900 + i % 3), u"user%1"_s.arg(i % 3)));
        }
    }
    QList<quint64> shownIds() const
    {
        QList<quint64> ids;
        for (int row = 0; row < proxy.rowCount(); ++row)
            ids.append(proxy.index(row, 0).data(MessageModel::MessageIdRole).toULongLong());
        return ids;
    }
};

} // namespace

void tst_MessageFilterModel::filtersRows_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("matches");
    QTest::newRow("all") << QString() << 30;
    QTest::newRow("word") << u"even"_s << 15;
    QTest::newRow("from") << u"from:user1"_s << 10;
    QTest::newRow("negated from") << u"-from:user1"_s << 20;
    QTest::newRow("or") << u"from:user1 OR from:user2"_s << 20;
    QTest::newRow("regex") << u"/msg 2\\d$/"_s << 5;
    QTest::newRow("none") << u"nothing"_s << 0;
}

void tst_MessageFilterModel::filtersRows()
{
    QFETCH(QString, query);
    QFETCH(int, matches);
    Fixture f;
    QAbstractItemModelTester tester(&f.proxy,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.add(1, 30);
    f.store.flush();
    QSignalSpy count(&f.proxy, &MessageFilterModel::matchCountChanged);
    QVERIFY(f.proxy.setQuery(query));
    QCOMPARE(f.proxy.matchCount(), matches);
    QCOMPARE(f.proxy.rowCount(), matches);
    QCOMPARE(count.isEmpty(), matches == 30);
    QVERIFY(!f.proxy.isBusy());
}

void tst_MessageFilterModel::backgroundEvaluationWhileStreaming_data()
{
    QTest::addColumn<int>("capacity");
    QTest::newRow("no eviction") << 10000;
    QTest::newRow("evicting") << 3000;
}

void tst_MessageFilterModel::backgroundEvaluationWhileStreaming()
{
    QFETCH(int, capacity);
    Fixture f(capacity);
    QAbstractItemModelTester tester(&f.proxy,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.fillForBackground(3000);
    QSignalSpy busy(&f.proxy, &MessageFilterModel::busyChanged);
    QSignalSpy applied(&f.proxy, &MessageFilterModel::filterApplied);
    QVERIFY(f.proxy.setQuery(u"from:user0"_s));
    QVERIFY(f.proxy.isBusy());
    QCOMPARE(busy.size(), 1);
    QCOMPARE(f.proxy.rowCount(), 3000); // the old (empty) filter stays until the swap
    // Stream (and evict, when full), edit and delete before the result can be applied (that
    // needs the event loop).
    f.add(3001, 3600);
    f.store.flush();
    QJsonObject edit = idsOnly(1500);
    edit.insert(u"author"_s, user(900, u"user0"_s));
    f.store.updateMessage(edit);
    f.store.deleteMessage(3);
    QVERIFY(f.proxy.isBusy());
    QVERIFY(applied.wait(5000));
    QVERIFY(!f.proxy.isBusy());
    QCOMPARE(busy.size(), 2);
    QCOMPARE(applied.size(), 1);
    QCOMPARE(f.shownIds(),
             f.matchingIds([](const Message &m) { return m.authorName == u"user0"_s; }));
    QCOMPARE(f.shownIds().contains(1500), f.store.rowOf(1500) >= 0);
}

void tst_MessageFilterModel::newerQueryCancels()
{
    Fixture f;
    QAbstractItemModelTester tester(&f.proxy,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.fillForBackground(3000);
    QSignalSpy busy(&f.proxy, &MessageFilterModel::busyChanged);
    QSignalSpy applied(&f.proxy, &MessageFilterModel::filterApplied);
    QVERIFY(f.proxy.setQuery(u"from:user0"_s));
    QVERIFY(f.proxy.setQuery(u"from:user1"_s));
    QVERIFY(f.proxy.isBusy());
    QVERIFY(applied.wait(5000));
    QCOMPARE(busy.size(), 2); // true once, false once: no flicker between the two
    QVERIFY(busy.at(0).at(0).toBool());
    QVERIFY(!busy.at(1).at(0).toBool());
    QCOMPARE(f.proxy.filter().query(), u"from:user1"_s);
    QCOMPARE(f.proxy.rowCount(), 1000);
    // The cancelled evaluation never arrives later.
    QVERIFY(!applied.wait(300));
    QCOMPARE(applied.size(), 1);
    QCOMPARE(f.proxy.filter().query(), u"from:user1"_s);
}

void tst_MessageFilterModel::incrementalAppendsAndEvictions()
{
    Fixture f(100);
    QAbstractItemModelTester tester(&f.proxy,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(f.proxy.setQuery(u"even"_s));
    QSignalSpy inserted(&f.proxy, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&f.proxy, &QAbstractItemModel::rowsRemoved);
    int next = 1;
    for (int batch : {30, 50, 40, 90, 7, 130}) {
        f.add(next, next + batch - 1);
        next += batch;
        f.store.flush();
        QCOMPARE(f.shownIds(), f.matchingIds([](const Message &m) { return m.id % 2 == 0; }));
    }
    QVERIFY(!inserted.isEmpty());
    QVERIFY(!removed.isEmpty());
    for (const QList<QVariant> &args : std::as_const(removed))
        QCOMPARE(args.at(1).toInt(), 0); // evictions leave from the top
}

void tst_MessageFilterModel::persistentIndexFollowsItsRow()
{
    Fixture f;
    f.add(1, 20);
    f.store.flush();
    const QPersistentModelIndex eight(f.proxy.index(7, MessageModel::ContentColumn));
    QVERIFY(f.proxy.setQuery(u"even"_s));
    QVERIFY(eight.isValid());
    QCOMPARE(eight.row(), 3);
    QCOMPARE(eight.column(), int(MessageModel::ContentColumn));
    QCOMPARE(eight.data(MessageModel::MessageIdRole).toULongLong(), 8ULL);
    QVERIFY(f.proxy.setQuery(u"from:user1"_s)); // 8 % 3 == 2
    QVERIFY(!eight.isValid());
}

void tst_MessageFilterModel::progressAndFinishPending()
{
    Fixture f(30000);
    f.add(1, 30000);
    f.store.flush();
    f.proxy.setChunkThreshold(1);
    QSignalSpy progress(&f.proxy, &MessageFilterModel::progress);
    QSignalSpy applied(&f.proxy, &MessageFilterModel::filterApplied);
    QVERIFY(f.proxy.setQuery(u"\"msg 1\""_s));
    QVERIFY(applied.wait(5000));
    const int chunks = (30000 + StoreChunk::Rows - 1) / StoreChunk::Rows;
    QVERIFY(!progress.isEmpty());
    int last = 0;
    for (const QList<QVariant> &args : std::as_const(progress)) {
        QCOMPARE_GE(args.at(0).toInt(), last);
        QCOMPARE(args.at(1).toInt(), chunks);
        last = args.at(0).toInt();
    }
    const int expected = f.proxy.rowCount();
    QCOMPARE(expected, int(f.matchingIds([](const Message &m) {
                                return m.content.contains(u"msg 1"_s);
                            }).size()));
    QVERIFY(f.proxy.setQuery(u"even"_s));
    QVERIFY(f.proxy.isBusy());
    f.proxy.finishPending();
    QVERIFY(!f.proxy.isBusy());
    QCOMPARE(f.proxy.rowCount(), 15000);
}

void tst_MessageFilterModel::clearWhileEvaluating()
{
    Fixture f;
    QAbstractItemModelTester tester(&f.proxy,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.fillForBackground(3000);
    QSignalSpy busy(&f.proxy, &MessageFilterModel::busyChanged);
    QSignalSpy applied(&f.proxy, &MessageFilterModel::filterApplied);
    QVERIFY(f.proxy.setQuery(u"even"_s));
    f.store.clear();
    QCOMPARE(applied.size(), 1);
    QCOMPARE(busy.size(), 2);
    QVERIFY(!f.proxy.isBusy());
    QCOMPARE(f.proxy.filter().query(), u"even"_s);
    QCOMPARE(f.proxy.rowCount(), 0);
    f.add(1, 10);
    f.store.flush();
    QCOMPARE(f.shownIds(), (QList<quint64>{2, 4, 6, 8, 10}));
    QVERIFY(!applied.wait(200)); // the cancelled evaluation never lands
}

void tst_MessageFilterModel::editsRefilter()
{
    Fixture f;
    QAbstractItemModelTester tester(&f.proxy,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.add(1, 10);
    f.store.flush();
    QVERIFY(f.proxy.setQuery(u"is:deleted"_s));
    QCOMPARE(f.proxy.rowCount(), 0);
    f.store.deleteMessage(4);
    f.store.deleteMessage(7);
    QTRY_COMPARE_WITH_TIMEOUT(f.proxy.rowCount(), 2, 2000);
    QCOMPARE(f.shownIds(), (QList<quint64>{4, 7}));
    QVERIFY(f.proxy.setQuery(u"even"_s));
    QCOMPARE(f.proxy.rowCount(), 5);
    QJsonObject edit = idsOnly(2);
    edit.insert(u"content"_s, u"odd now"_s);
    f.store.updateMessage(edit);
    QTRY_COMPARE_WITH_TIMEOUT(f.proxy.rowCount(), 4, 2000);
    QVERIFY(!f.shownIds().contains(2));
}

void tst_MessageFilterModel::bulkDeleteRefiltersInOnePass()
{
    Fixture f;
    QAbstractItemModelTester tester(&f.proxy,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.add(1, 200);
    f.store.flush();
    QVERIFY(f.proxy.setQuery(u"-is:deleted"_s));
    QCOMPARE(f.proxy.rowCount(), 200);
    const QPersistentModelIndex kept(f.proxy.index(150, 0)); // id 151, not deleted
    QJsonArray ids;
    for (int id = 2; id <= 200; id += 2)
        ids.append(QString::number(id));
    QSignalSpy layout(&f.proxy, &QAbstractItemModel::layoutChanged);
    f.store.handleDispatch(u"MESSAGE_DELETE_BULK"_s,
                           QJsonObject{{u"ids"_s, ids}, {u"channel_id"_s, u"111"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(f.proxy.rowCount(), 100, 2000);
    QCOMPARE(layout.size(), 1);
    QCOMPARE(f.shownIds(), f.matchingIds([](const Message &m) { return !m.isDeleted(); }));
    QCOMPARE(kept.data(MessageModel::MessageIdRole).toULongLong(), 151ULL);
}

void tst_MessageFilterModel::badQueryKeepsFilter()
{
    Fixture f;
    f.add(1, 10);
    f.store.flush();
    QVERIFY(f.proxy.setQuery(u"even"_s));
    QSignalSpy error(&f.proxy, &MessageFilterModel::queryError);
    QVERIFY(!f.proxy.setQuery(u"even (from:user1"_s));
    QCOMPARE(error.size(), 1);
    QCOMPARE(error.at(0).at(1).toInt(), 5);
    QCOMPARE(f.proxy.errorPosition(), 5);
    QVERIFY(f.proxy.errorString().startsWith(u"Missing ')'"_s));
    QCOMPARE(f.proxy.filter().query(), u"even"_s);
    QCOMPARE(f.proxy.rowCount(), 5);
    QVERIFY(f.proxy.setQuery(u"from:user1"_s));
    QCOMPARE(f.proxy.errorPosition(), -1);
    QVERIFY(f.proxy.errorString().isEmpty());
}

void tst_MessageFilterModel::directoryRenameReevaluates()
{
    Fixture f;
    f.add(1, 6);
    f.store.flush();
    QVERIFY(f.proxy.setQuery(u"in:#lobby"_s));
    QCOMPARE(f.proxy.rowCount(), 0);
    f.store.handleDispatch(u"CHANNEL_UPDATE"_s, QJsonObject{{u"id"_s, u"111"_s},
                                                            {u"guild_id"_s, u"100"_s},
                                                            {u"type"_s, 0},
                                                            {u"name"_s, u"lobby"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(f.proxy.rowCount(), 6, 2000);
}

void tst_MessageFilterModel::shardFilterOverFourShards()
{
    // Four shards of the emulator feed one store; `shard:2` shows exactly shard 2's messages.
    const Emulator::ServerConfig config = shardedServerConfig(u"MTAx.shard-filter.c2VjcmV0"_s, 4);
    Emulator::EmulatorServer server(config);
    QVERIFY(server.start());
    Fixture f;
    ConnectionController controller;
    QObject::connect(&controller, &ConnectionController::eventsReady, &f.store,
                     &MessageStore::ingest);
    GatewayConfig client;
    client.token = config.tokens.constFirst();
    client.apiUrl = server.apiUrl();
    client.minIdentifyIntervalMs = 60;
    QString error;
    QVERIFY2(controller.connectShards(client, 0, 3, 4, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayClient::State::Ready, 15000);
    server.generateEvents(400);
    QTRY_VERIFY_WITH_TIMEOUT(f.store.count() >= 350, 10000);
    controller.stop();
    f.store.flush();

    QVERIFY(f.proxy.setQuery(u"shard:2"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!f.proxy.isBusy(), 5000);
    // Where Discord routes a guild (DMs go to shard 0), computed apart from the client.
    const QList<quint64> expected = f.matchingIds([](const Message &m) {
        return (m.guildId != 0 ? Snowflake::shardFor(m.guildId, 4) : 0) == 2;
    });
    QVERIFY(expected.size() > 10);
    QVERIFY(expected.size() < f.store.count());
    const QList<quint64> shown = f.shownIds();
    QCOMPARE(shown, expected);
    for (quint64 id : shown)
        QCOMPARE(f.store.find(id)->shard, 2);
}

QTEST_GUILESS_MAIN(tst_MessageFilterModel)
#include "tst_messagefiltermodel.moc"
