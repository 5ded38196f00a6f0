#include "core/store/directory.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "storetestdata.h"

#include <QAbstractItemModelTester>
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
    void slicedEvaluationWhileStreaming_data();
    void slicedEvaluationWhileStreaming();
    void editsRefilter();
    void badQueryKeepsFilter();
    void directoryRenameReevaluates();
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

void tst_MessageFilterModel::slicedEvaluationWhileStreaming_data()
{
    QTest::addColumn<int>("capacity");
    QTest::newRow("no eviction") << 10000;
    QTest::newRow("evicting") << 3000;
}

void tst_MessageFilterModel::slicedEvaluationWhileStreaming()
{
    QFETCH(int, capacity);
    Fixture f(capacity);
    QAbstractItemModelTester tester(&f.proxy,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    f.add(1, 3000);
    f.store.flush();
    f.proxy.setChunkThreshold(1); // always sliced
    f.proxy.setSliceMs(1);
    QSignalSpy busy(&f.proxy, &MessageFilterModel::busyChanged);
    QSignalSpy applied(&f.proxy, &MessageFilterModel::filterApplied);
    QVERIFY(f.proxy.setQuery(u"from:user0"_s));
    QVERIFY(f.proxy.isBusy());
    QCOMPARE(busy.size(), 1);
    QCOMPARE(f.proxy.rowCount(), 3000); // the old (empty) filter stays until the swap
    // Stream, edit and delete while the slices run.
    f.add(3001, 3600);
    QJsonObject edit = idsOnly(1500);
    edit.insert(u"author"_s, user(900, u"user0"_s));
    f.store.updateMessage(edit);
    f.store.deleteMessage(3);
    QVERIFY(applied.wait(5000));
    QTRY_COMPARE_WITH_TIMEOUT(f.store.pendingCount(), 0, 5000);
    QVERIFY(!f.proxy.isBusy());
    QCOMPARE(busy.size(), 2);
    // Every shown row matches, and every matching stored row is shown.
    QTRY_COMPARE_WITH_TIMEOUT(
            f.proxy.rowCount(),
            [&] {
                int n = 0;
                for (int row = 0; row < f.store.count(); ++row)
                    n += f.store.at(row).authorName == u"user0"_s ? 1 : 0;
                return n;
            }(),
            5000);
    for (int row = 0; row < f.proxy.rowCount(); ++row)
        QCOMPARE(f.proxy.index(row, MessageModel::AuthorColumn).data().toString(), u"user0"_s);
    QCOMPARE(f.shownIds().contains(1500), f.store.rowOf(1500) >= 0);
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

QTEST_GUILESS_MAIN(tst_MessageFilterModel)
#include "tst_messagefiltermodel.moc"
