#include "core/store/directory.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "storetestdata.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using namespace StoreTestData;

class tst_MessageModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void streamingEditingDeletingEvicting_data();
    void streamingEditingDeletingEvicting();
    void displayAndRoles_data();
    void displayAndRoles();
    void directoryRenameRefreshesNames();
    void directoryChangesAreThrottled();
    void clearResetsModel();

private:
    QJsonObject guildCreate() const;
};

void tst_MessageModel::init()
{
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

QJsonObject tst_MessageModel::guildCreate() const
{
    return {{u"id"_s, u"100"_s},
            {u"name"_s, u"Guild"_s},
            {u"channels"_s,
             QJsonArray{
                     QJsonObject{{u"id"_s, u"111"_s}, {u"type"_s, 0}, {u"name"_s, u"general"_s}}}}};
}

void tst_MessageModel::streamingEditingDeletingEvicting_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("messages");
    QTest::addColumn<int>("perFlush");
    QTest::newRow("no eviction") << 1000 << 300 << 37;
    QTest::newRow("ring of 50") << 50 << 400 << 23;
    QTest::newRow("batches larger than ring") << 10 << 200 << 35;
}

void tst_MessageModel::streamingEditingDeletingEvicting()
{
    QFETCH(int, capacity);
    QFETCH(int, messages);
    QFETCH(int, perFlush);
    Directory directory;
    MessageStore store(&directory);
    store.setCapacity(capacity);
    store.setBatchInterval(5);
    MessageModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    for (int i = 1; i <= messages; ++i) {
        const auto id = quint64(i);
        store.addMessage(message(id, u"message %1"_s.arg(i)));
        if (i > 3 && i % 3 == 0) {
            QJsonObject edit = idsOnly(id - 2);
            edit.insert(u"content"_s, u"edited %1"_s.arg(i));
            store.updateMessage(edit);
        }
        if (i > 5 && i % 5 == 0)
            store.deleteMessage(id - 4);
        if (i % 50 == 0)
            directory.handleDispatch(u"GUILD_UPDATE"_s,
                                     {{u"id"_s, u"100"_s}, {u"name"_s, u"Guild %1"_s.arg(i)}});
        if (i % perFlush == 0)
            QVERIFY(inserted.wait(2000));
    }
    QTRY_COMPARE_WITH_TIMEOUT(store.pendingCount(), 0, 2000);
    const int expected = qMin(capacity, messages);
    QCOMPARE(model.rowCount(), expected);
    QCOMPARE(model.index(expected - 1, 0).data(MessageModel::MessageIdRole).toULongLong(),
             quint64(messages));
    QCOMPARE(model.index(0, 0).data(MessageModel::MessageIdRole).toULongLong(),
             quint64(messages - expected + 1));
    QVERIFY(!inserted.isEmpty());
    QCOMPARE(!removed.isEmpty(), messages > capacity);
    QVERIFY(!changed.isEmpty());
}

void tst_MessageModel::displayAndRoles_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("display");
    QTest::newRow("time") << int(MessageModel::TimeColumn) << u"12:00:00.000"_s;
    QTest::newRow("guild") << int(MessageModel::GuildColumn) << u"Guild"_s;
    QTest::newRow("channel") << int(MessageModel::ChannelColumn) << u"#general"_s;
    QTest::newRow("author") << int(MessageModel::AuthorColumn) << u"alice"_s;
    QTest::newRow("content one line")
            << int(MessageModel::ContentColumn) << u"line one\u23CEline two"_s;
    QTest::newRow("flags") << int(MessageModel::FlagsColumn) << u"edited, deleted"_s;
}

void tst_MessageModel::displayAndRoles()
{
    QFETCH(int, column);
    QFETCH(QString, display);
    Directory directory;
    MessageStore store(&directory);
    MessageModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    store.handleDispatch(u"GUILD_CREATE"_s, guildCreate());
    store.addMessage(message(42, u"original"_s));
    store.flush();
    QJsonObject edit = idsOnly(42);
    edit.insert(u"content"_s, u"line one\r\nline two"_s);
    store.updateMessage(edit);
    store.deleteMessage(42);

    const QModelIndex index = model.index(0, column);
    QCOMPARE(index.data(Qt::DisplayRole).toString(), display);
    QVERIFY(!index.data(Qt::ToolTipRole).toString().isEmpty());
    QCOMPARE(index.data(MessageModel::MessageIdRole).toULongLong(), 42ULL);
    QCOMPARE(index.data(MessageModel::ChannelIdRole).toULongLong(), 111ULL);
    QCOMPARE(index.data(MessageModel::GuildIdRole).toULongLong(), 100ULL);
    QCOMPARE(index.data(MessageModel::AuthorIdRole).toULongLong(), 900ULL);
    QVERIFY(index.data(MessageModel::DeletedRole).toBool());
    QVERIFY(index.data(MessageModel::EditedRole).toBool());
    QCOMPARE(index.data(MessageModel::StateRole).toInt(),
             int(MessageModel::Edited | MessageModel::Deleted));
    QVERIFY(index.data(MessageModel::RawJsonRole).toByteArray().contains("\"id\":\"42\""));
    const auto copy = index.data(MessageModel::MessageRole).value<Message>();
    QCOMPARE(copy.id, 42ULL);
    QCOMPARE(copy.revisions.size(), 1);
    const auto *pointer = reinterpret_cast<const Message *>(
            index.data(MessageModel::MessagePointerRole).value<quintptr>());
    QVERIFY(pointer);
    QCOMPARE(pointer->id, 42ULL);
    QVERIFY(pointer->isDeleted());
    QCOMPARE(pointer->content, u"line one\r\nline two"_s);
    QCOMPARE(index.data(MessageModel::SortKeyRole).toULongLong(), store.seqAt(0));
    QCOMPARE(model.headerData(column, Qt::Horizontal).toString().isEmpty(), false);
    QVERIFY(model.roleNames().contains(MessageModel::RawJsonRole));
}

void tst_MessageModel::directoryRenameRefreshesNames()
{
    Directory directory;
    MessageStore store(&directory);
    MessageModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    store.addMessage(message(1, u"a"_s));
    store.addMessage(message(2, u"b"_s, 555, 0, 901, u"bob"_s));
    store.flush();
    QCOMPARE(model.index(0, MessageModel::ChannelColumn).data().toString(), u"111"_s);
    QCOMPARE(model.index(1, MessageModel::GuildColumn).data().toString(), u"DM"_s);
    QCOMPARE(model.index(1, MessageModel::ChannelColumn).data().toString(), u"DM with bob"_s);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    store.handleDispatch(u"GUILD_CREATE"_s, guildCreate());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 1);
    QCOMPARE(model.index(0, MessageModel::ChannelColumn).data().toString(), u"#general"_s);
    QCOMPARE(model.index(0, MessageModel::GuildColumn).data().toString(), u"Guild"_s);
}

void tst_MessageModel::directoryChangesAreThrottled()
{
    Directory directory;
    MessageStore store(&directory);
    MessageModel model(&store);
    model.setNamesRefreshInterval(100);
    QCOMPARE(model.namesRefreshInterval(), 100);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    store.addMessage(message(1, u"a"_s));
    store.addMessage(message(2, u"b"_s));
    store.flush();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    for (int i = 0; i < 50; ++i) {
        QJsonObject guild = guildCreate();
        guild.insert(u"name"_s, u"Guild %1"_s.arg(i));
        store.handleDispatch(u"GUILD_CREATE"_s, guild);
    }
    QCOMPARE(changed.size(), 1); // the first change at once, the rest wait
    QTRY_COMPARE(changed.size(), 2); // then one signal for all of them
    QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 0);
    QCOMPARE(changed.at(1).at(1).value<QModelIndex>().row(), 1);
    QCOMPARE(model.index(1, MessageModel::GuildColumn).data().toString(), u"Guild 49"_s);
    QVERIFY(!changed.wait(300)); // nothing changed since: no further signal
}

void tst_MessageModel::clearResetsModel()
{
    MessageStore store;
    MessageModel model(&store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    store.addMessage(message(1, u"a"_s));
    store.flush();
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    store.clear();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(tst_MessageModel)
#include "tst_messagemodel.moc"
