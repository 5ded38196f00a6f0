#include "core/gateway/eventdecoder.h"
#include "core/store/directory.h"
#include "core/store/messagestore.h"
#include "storetestdata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using namespace StoreTestData;

class tst_MessageStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchesAppends();
    void evictionKeepsExactRows_data();
    void evictionKeepsExactRows();
    void rowsSurviveFillingAndCapacityChanges_data();
    void rowsSurviveFillingAndCapacityChanges();
    void editsKeepHistory();
    void deletesKeepMessage_data();
    void deletesKeepMessage();
    void unknownAndMalformedAreCounted();
    void duplicateCreateIsMerged();
    void updatesWhilePending();
    void capacityChangeAtRuntime();
    void clearResets();
    void routesDispatches();
    void rawJsonForDetails();
    void everyRowKeepsItsRawJson();
    void ingestsDecodedEvents();
    void changesSayWhatChanged();
    void materialisesExactly_data();
    void materialisesExactly();
    void snapshotIsStable();
    void memoryIsAccounted();
};

void tst_MessageStore::batchesAppends()
{
    MessageStore store;
    store.setBatchInterval(20);
    QSignalSpy about(&store, &MessageStore::aboutToAppend);
    QSignalSpy appended(&store, &MessageStore::appended);
    for (quint64 id = 1; id <= 100; ++id)
        store.addMessage(message(id, u"m"_s));
    QCOMPARE(store.count(), 0);
    QCOMPARE(store.pendingCount(), 100);
    QVERIFY(appended.wait(2000));
    QCOMPARE(about.size(), 1);
    QCOMPARE(about.at(0).at(0).toInt(), 100);
    QCOMPARE(appended.at(0).at(0).toInt(), 100);
    QCOMPARE(store.count(), 100);
    QCOMPARE(store.pendingCount(), 0);
    QCOMPARE(store.at(0).id, 1ULL);
    QCOMPARE(store.at(99).id, 100ULL);
    QCOMPARE(store.counters().created, 100ULL);
}

void tst_MessageStore::evictionKeepsExactRows_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<QList<int>>("batches");
    QTest::addColumn<QList<int>>("evictions");
    QTest::addColumn<int>("firstId");
    QTest::addColumn<int>("lastId");
    QTest::newRow("fits") << 10 << QList<int>{4, 6} << QList<int>{} << 1 << 10;
    QTest::newRow("one over") << 10 << QList<int>{10, 1} << QList<int>{1} << 2 << 11;
    QTest::newRow("wraps several times")
            << 5 << QList<int>{3, 4, 4, 4} << QList<int>{2, 4, 4} << 11 << 15;
    QTest::newRow("batch larger than ring") << 5 << QList<int>{3, 12} << QList<int>{3} << 11 << 15;
    QTest::newRow("capacity one") << 1 << QList<int>{1, 1, 1} << QList<int>{1, 1} << 3 << 3;
}

void tst_MessageStore::evictionKeepsExactRows()
{
    QFETCH(int, capacity);
    QFETCH(QList<int>, batches);
    QFETCH(QList<int>, evictions);
    QFETCH(int, firstId);
    QFETCH(int, lastId);
    MessageStore store;
    store.setCapacity(capacity);
    QList<int> seen;
    int countAtAbout = -1;
    connect(&store, &MessageStore::aboutToEvict, this, [&](int n) {
        countAtAbout = store.count();
        seen.append(n);
    });
    connect(&store, &MessageStore::evicted, this,
            [&](int n) { QCOMPARE(store.count(), countAtAbout - n); });
    quint64 next = 1;
    for (int batch : batches) {
        for (int i = 0; i < batch; ++i)
            store.addMessage(message(next++, u"m"_s));
        store.flush();
    }
    QCOMPARE(seen, evictions);
    QCOMPARE(store.count(), lastId - firstId + 1);
    for (int row = 0; row < store.count(); ++row) {
        QCOMPARE(store.at(row).id, quint64(firstId + row));
        QCOMPARE(store.rowOf(quint64(firstId + row)), row);
    }
    QCOMPARE(store.rowOf(quint64(firstId - 1)), -1);
    QVERIFY(!store.find(quint64(firstId - 1)));
    QCOMPARE(store.counters().evicted, quint64(next - 1 - quint64(store.count())));
}

void tst_MessageStore::rowsSurviveFillingAndCapacityChanges_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("grownCapacity"); // 0: no capacity change
    QTest::addColumn<QList<int>>("batches");
    QTest::newRow("fills exactly") << 100 << 0 << QList<int>{30, 30, 40, 10, 25};
    QTest::newRow("fill evicts first") << 100 << 0 << QList<int>{45, 45, 45, 45, 99, 7};
    QTest::newRow("grown while full") << 40 << 100 << QList<int>{30, 30, 30, 50, 60, 3};
    QTest::newRow("across chunks") << 9000 << 0 << QList<int>{4000, 4000, 4000, 4097, 1};
}

void tst_MessageStore::rowsSurviveFillingAndCapacityChanges()
{
    QFETCH(int, capacity);
    QFETCH(int, grownCapacity);
    QFETCH(QList<int>, batches);
    MessageStore store;
    store.setCapacity(capacity);
    quint64 next = 1;
    for (int b = 0; b < batches.size(); ++b) {
        if (grownCapacity > 0 && b == 3)
            store.setCapacity(grownCapacity);
        for (int i = 0; i < batches.at(b); ++i, ++next)
            store.addMessage(message(next, u"m%1"_s.arg(next)));
        store.flush();
        const quint64 firstId = next - quint64(store.count());
        for (int row = 0; row < store.count(); ++row) {
            const Message m = store.at(row);
            QCOMPARE(m.id, firstId + quint64(row));
            QCOMPARE(store.rowOf(m.id), row);
            QCOMPARE(m.content, u"m%1"_s.arg(m.id));
        }
    }
    QCOMPARE(store.count(), grownCapacity > 0 ? grownCapacity : capacity);
}

void tst_MessageStore::editsKeepHistory()
{
    MessageStore store;
    store.addMessage(message(1, u"first"_s));
    store.flush();
    QSignalSpy changed(&store, &MessageStore::messageChanged);
    QJsonObject edit = idsOnly(1);
    edit.insert(u"content"_s, u"second"_s);
    edit.insert(u"edited_timestamp"_s, u"2024-05-01T12:01:00.000000+00:00"_s);
    store.updateMessage(edit);
    edit.insert(u"content"_s, u"Third"_s);
    edit.insert(u"edited_timestamp"_s, u"2024-05-01T12:02:00.000000+00:00"_s);
    store.updateMessage(edit);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(0).at(0).toInt(), 0);
    const Message &m = store.at(0);
    QCOMPARE(m.content, u"Third"_s);
    QCOMPARE(m.foldedContent(), u"third"_s);
    QVERIFY(m.isEdited());
    QCOMPARE(m.editedAtMs, 1714564920000LL);
    QCOMPARE(m.revisions.size(), 2);
    QCOMPARE(m.revisions[0].content, u"first"_s);
    QCOMPARE(m.revisions[0].replacedAtMs, 1714564860000LL);
    QCOMPARE(m.revisions[1].content, u"second"_s);
    // A partial update (embed unfurl) keeps everything else.
    QJsonObject unfurl = idsOnly(1);
    unfurl.insert(u"embeds"_s, QJsonArray{QJsonObject{{u"type"_s, u"link"_s}}});
    store.updateMessage(unfurl);
    QCOMPARE(store.at(0).content, u"Third"_s);
    QCOMPARE(store.at(0).embedCount, 1);
    QCOMPARE(store.at(0).authorName, u"alice"_s);
    QCOMPARE(store.counters().updated, 3ULL);
}

void tst_MessageStore::deletesKeepMessage_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonObject>("data");
    QTest::addColumn<QList<quint64>>("deleted");
    QTest::addColumn<quint64>("unknown");
    QTest::newRow("single") << u"MESSAGE_DELETE"_s << idsOnly(2) << QList<quint64>{2} << 0ULL;
    QTest::newRow("single unknown")
            << u"MESSAGE_DELETE"_s << idsOnly(77) << QList<quint64>{} << 1ULL;
    QTest::newRow("bulk mixed") << u"MESSAGE_DELETE_BULK"_s
                                << QJsonObject{{u"ids"_s,
                                                QJsonArray{u"1"_s, u"3"_s, u"99"_s, u"x"_s}},
                                               {u"channel_id"_s, u"111"_s}}
                                << QList<quint64>{1, 3} << 2ULL;
}

void tst_MessageStore::deletesKeepMessage()
{
    QFETCH(QString, type);
    QFETCH(QJsonObject, data);
    QFETCH(QList<quint64>, deleted);
    QFETCH(quint64, unknown);
    MessageStore store;
    for (quint64 id = 1; id <= 3; ++id)
        store.addMessage(message(id, u"text %1"_s.arg(id)));
    store.flush();
    QSignalSpy changed(&store, &MessageStore::messageChanged);
    QVERIFY(store.handleDispatch(type, data));
    QCOMPARE(store.count(), 3);
    for (int row = 0; row < 3; ++row) {
        const Message &m = store.at(row);
        QCOMPARE(m.isDeleted(), deleted.contains(m.id));
        QCOMPARE(m.deletedAtMs > 0, deleted.contains(m.id));
        QCOMPARE(m.content, u"text %1"_s.arg(m.id));
    }
    QCOMPARE(changed.size(), deleted.size());
    QCOMPARE(store.counters().deleted, quint64(deleted.size()));
    QCOMPARE(store.counters().unknownDeletes, unknown);
    // Deleting again changes nothing.
    store.handleDispatch(type, data);
    QCOMPARE(changed.size(), deleted.size());
}

void tst_MessageStore::unknownAndMalformedAreCounted()
{
    MessageStore store;
    store.updateMessage(idsOnly(5));
    store.updateMessage(QJsonObject{});
    store.addMessage(QJsonObject{{u"content"_s, u"no id"_s}});
    store.addMessage(QJsonObject{{u"id"_s, 1.5}});
    store.flush();
    QCOMPARE(store.count(), 0);
    QCOMPARE(store.counters().unknownUpdates, 2ULL);
    QCOMPARE(store.counters().malformed, 2ULL);
    // Evicted messages count as unknown too.
    store.setCapacity(1);
    store.addMessage(message(1, u"a"_s));
    store.addMessage(message(2, u"b"_s));
    store.flush();
    store.updateMessage(idsOnly(1));
    store.deleteMessage(1);
    QCOMPARE(store.counters().unknownUpdates, 3ULL);
    QCOMPARE(store.counters().unknownDeletes, 1ULL);
}

void tst_MessageStore::duplicateCreateIsMerged()
{
    MessageStore store;
    store.addMessage(message(1, u"a"_s));
    store.flush();
    store.addMessage(message(1, u"a2"_s));
    store.addMessage(message(1, u"a2"_s));
    store.flush();
    QCOMPARE(store.count(), 1);
    QCOMPARE(store.at(0).content, u"a2"_s);
    QCOMPARE(store.counters().duplicates, 2ULL);
    QCOMPARE(store.counters().created, 1ULL);
}

void tst_MessageStore::updatesWhilePending()
{
    MessageStore store;
    store.addMessage(message(1, u"a"_s));
    QJsonObject edit = idsOnly(1);
    edit.insert(u"content"_s, u"b"_s);
    QSignalSpy changed(&store, &MessageStore::messageChanged);
    store.updateMessage(edit);
    store.deleteMessage(1);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(store.rowOf(1), -1);
    QVERIFY(store.find(1));
    store.flush();
    QCOMPARE(store.at(0).content, u"b"_s);
    QVERIFY(store.at(0).isDeleted());
    QCOMPARE(store.counters().unknownUpdates, 0ULL);
}

void tst_MessageStore::capacityChangeAtRuntime()
{
    MessageStore store;
    store.setCapacity(10);
    for (quint64 id = 1; id <= 14; ++id)
        store.addMessage(message(id, u"m"_s));
    store.flush();
    QCOMPARE(store.at(0).id, 5ULL);
    QSignalSpy evicted(&store, &MessageStore::evicted);
    store.setCapacity(4);
    QCOMPARE(evicted.size(), 1);
    QCOMPARE(evicted.at(0).at(0).toInt(), 6);
    QCOMPARE(store.count(), 4);
    QCOMPARE(store.at(0).id, 11ULL);
    store.setCapacity(8);
    for (quint64 id = 15; id <= 20; ++id)
        store.addMessage(message(id, u"m"_s));
    store.flush();
    QCOMPARE(store.count(), 8);
    for (int row = 0; row < 8; ++row)
        QCOMPARE(store.at(row).id, quint64(13 + row));
}

void tst_MessageStore::clearResets()
{
    MessageStore store;
    for (quint64 id = 1; id <= 5; ++id)
        store.addMessage(message(id, u"m"_s));
    store.flush();
    store.addMessage(message(6, u"m"_s));
    QSignalSpy about(&store, &MessageStore::aboutToClear);
    QSignalSpy cleared(&store, &MessageStore::cleared);
    const quint64 seq = store.firstSeq();
    store.clear();
    QCOMPARE(about.size(), 1);
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(store.count(), 0);
    QCOMPARE(store.pendingCount(), 0);
    QCOMPARE(store.rowOf(3), -1);
    QVERIFY(store.firstSeq() > seq);
    store.addMessage(message(3, u"again"_s));
    store.flush();
    QCOMPARE(store.at(0).content, u"again"_s);
}

void tst_MessageStore::routesDispatches()
{
    Directory directory;
    MessageStore store(&directory);
    QVERIFY(store.handleDispatch(
            u"GUILD_CREATE"_s,
            QJsonObject{{u"id"_s, u"100"_s},
                        {u"name"_s, u"Guild"_s},
                        {u"channels"_s, QJsonArray{QJsonObject{{u"id"_s, u"111"_s},
                                                               {u"type"_s, 0},
                                                               {u"name"_s, u"general"_s}}}}}));
    QCOMPARE(directory.channelGuild(111), 100ULL);
    QVERIFY(store.handleDispatch(u"MESSAGE_CREATE"_s, message(1, u"x"_s)));
    QVERIFY(!store.handleDispatch(u"TYPING_START"_s, QJsonObject{}));
    // The slot shaped like GatewayClient::dispatch(type, seq, data).
    store.onDispatch(u"MESSAGE_CREATE"_s, 7, message(2, u"y"_s));
    store.flush();
    QCOMPARE(store.count(), 2);
    QCOMPARE(directory.userName(900), u"alice"_s);
    MessageStore withoutDirectory;
    QVERIFY(!withoutDirectory.handleDispatch(u"GUILD_CREATE"_s, QJsonObject{}));
}

void tst_MessageStore::rawJsonForDetails()
{
    MessageStore store;
    for (quint64 id = 1; id <= 3; ++id)
        store.addMessage(message(id, u"m"_s));
    QVERIFY(store.rawJson(2).contains("\"content\":\"m\"")); // pending rows have it too
    store.flush();
    for (quint64 id = 1; id <= 3; ++id)
        QVERIFY(store.rawJson(id).contains("\"id\":\"" + QByteArray::number(id) + '"'));
    QJsonObject edit = idsOnly(3);
    edit.insert(u"content"_s, u"n"_s);
    store.updateMessage(edit);
    QVERIFY(store.rawJson(3).contains("\"content\":\"n\""));
    QVERIFY(store.rawJson(3).contains("\"username\":\"alice\""));
    QVERIFY(store.rawJson(99).isEmpty());
}

void tst_MessageStore::everyRowKeepsItsRawJson()
{
    // 12,000 appends through a 10,000-row store: every stored row still has its raw JSON (the
    // details pane never says "no longer kept"), evicted rows have none.
    MessageStore store;
    store.setCapacity(10000);
    for (quint64 id = 1; id <= 12000; ++id) {
        store.addMessage(message(id, u"text number %1"_s.arg(id)));
        if (id % 700 == 0)
            store.flush();
    }
    store.flush();
    QJsonObject edit = idsOnly(5000);
    edit.insert(u"content"_s, u"edited"_s);
    store.updateMessage(edit);
    QCOMPARE(store.count(), 10000);
    for (quint64 id = 2001; id <= 12000; ++id) {
        const QJsonObject raw = QJsonDocument::fromJson(store.rawJson(id)).object();
        QCOMPARE(raw.value(u"id"_s).toString(), QString::number(id));
        QCOMPARE(raw.value(u"content"_s).toString(),
                 id == 5000 ? u"edited"_s : u"text number %1"_s.arg(id));
    }
    QVERIFY(store.rawJson(2000).isEmpty());
    QVERIFY(store.rawJson(1).isEmpty());
}

void tst_MessageStore::ingestsDecodedEvents()
{
    Directory directory;
    MessageStore store(&directory);
    EventDecoder decoder;
    const auto event = [&](const QString &type, const QJsonObject &d) {
        const QJsonObject payload{{u"op"_s, 0}, {u"s"_s, 1}, {u"t"_s, type}, {u"d"_s, d}};
        return decoder.decode(QJsonDocument(payload).toJson(QJsonDocument::Compact)).event;
    };
    QJsonObject edit = idsOnly(2);
    edit.insert(u"content"_s, u"Zwei"_s);
    store.ingest({event(u"MESSAGE_CREATE"_s, message(1, u"eins"_s)),
                  event(u"MESSAGE_CREATE"_s, message(2, u"zwei"_s)),
                  event(u"MESSAGE_UPDATE"_s, edit), event(u"MESSAGE_DELETE"_s, idsOnly(1)),
                  event(u"MESSAGE_UPDATE"_s, idsOnly(42))});
    store.flush();
    QCOMPARE(store.count(), 2);
    QVERIFY(store.at(0).isDeleted());
    QCOMPARE(store.at(1).content, u"Zwei"_s);
    QCOMPARE(store.at(1).revisions.size(), 1);
    QVERIFY(store.rawJson(2).contains("\"content\":\"Zwei\""));
    QVERIFY(store.rawJson(1).contains("\"content\":\"eins\""));
    QCOMPARE(store.counters().unknownUpdates, 1ULL);
    QCOMPARE(store.counters().deleted, 1ULL);
}

void tst_MessageStore::changesSayWhatChanged()
{
    // --csv-events in the window writes an edit, a delete and a bulk delete as different rows.
    MessageStore store;
    EventDecoder decoder;
    const auto event = [&](const QString &type, const QJsonObject &d) {
        const QJsonObject payload{{u"op"_s, 0}, {u"s"_s, 1}, {u"t"_s, type}, {u"d"_s, d}};
        return decoder.decode(QJsonDocument(payload).toJson(QJsonDocument::Compact)).event;
    };
    for (quint64 id = 1; id <= 3; ++id)
        store.ingestEvent(event(u"MESSAGE_CREATE"_s, message(id, u"text %1"_s.arg(id))));
    store.flush();
    QSignalSpy changed(&store, &MessageStore::messageChanged);
    QSignalSpy changedAs(&store, &MessageStore::messageChangedAs);
    QJsonObject edit = idsOnly(1);
    edit.insert(u"content"_s, u"edited"_s);
    const QJsonObject bulk{{u"ids"_s, QJsonArray{u"3"_s}}, {u"channel_id"_s, u"111"_s}};
    store.ingest({event(u"MESSAGE_UPDATE"_s, edit), event(u"MESSAGE_DELETE"_s, idsOnly(2)),
                  event(u"MESSAGE_DELETE_BULK"_s, bulk),
                  event(u"MESSAGE_CREATE"_s, message(1, u"replayed"_s))});
    using Change = MessageStore::Change;
    const QList<std::pair<int, Change>> expected{
            {0, Change::Edit}, {1, Change::Delete}, {2, Change::DeleteBulk}, {0, Change::Merge}};
    QCOMPARE(changedAs.size(), expected.size());
    QCOMPARE(changed.size(), expected.size()); // the old signal still comes for each
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QCOMPARE(changedAs.at(i).at(0).toInt(), expected.at(i).first);
        QCOMPARE(changedAs.at(i).at(1).value<Change>(), expected.at(i).second);
        QCOMPARE(changed.at(i).at(0).toInt(), expected.at(i).first);
    }
    // The JSON-tree way in says the same for a bulk delete.
    store.handleDispatch(u"MESSAGE_DELETE_BULK"_s,
                         QJsonObject{{u"ids"_s, QJsonArray{u"1"_s}}, {u"channel_id"_s, u"111"_s}});
    QCOMPARE(changedAs.constLast().at(1).value<Change>(), Change::DeleteBulk);
}

void tst_MessageStore::materialisesExactly_data()
{
    QTest::addColumn<QString>("content");
    QTest::newRow("ascii") << u"Hello World"_s;
    QTest::newRow("lower ascii") << u"hello"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("unicode") << u"Straße café Привет 👍"_s;
    QTest::newRow("unicode folded") << u"日本語"_s;
    QTest::newRow("lone surrogate") << QString(QChar(0xD800)) + u"x"_s;
}

void tst_MessageStore::materialisesExactly()
{
    QFETCH(QString, content);
    Message m;
    m.id = 77;
    m.channelId = 5;
    m.guildId = 6;
    m.authorId = 7;
    m.webhookId = 8;
    m.replyToId = 9;
    m.timestampMs = 1000;
    m.editedAtMs = 2000;
    m.authorName = u"bob"_s;
    m.authorGlobalName = u"Bob B"_s;
    m.content = content;
    m.searchKey = MessageParser::searchKeyFor(content);
    m.attachments = {Attachment{u"a.png"_s, 12, u"https://x/a.png"_s}};
    m.mentionIds = {3, 4};
    m.messageFlags = 1u << 20;
    m.embedCount = 2;
    m.embedTitles = {u"Release"_s, QString()};
    m.stickerNames = {u"Wave"_s};
    m.type = 19;
    m.flags = Message::AuthorIsBot | Message::Tts;
    MessageStore store;
    store.append(m);
    store.flush();
    const Message back = store.at(0);
    QCOMPARE(back.id, m.id);
    QCOMPARE(back.channelId, m.channelId);
    QCOMPARE(back.guildId, m.guildId);
    QCOMPARE(back.authorId, m.authorId);
    QCOMPARE(back.webhookId, m.webhookId);
    QCOMPARE(back.replyToId, m.replyToId);
    QCOMPARE(back.timestampMs, m.timestampMs);
    QCOMPARE(back.editedAtMs, m.editedAtMs);
    QCOMPARE(back.authorName, m.authorName);
    QCOMPARE(back.authorGlobalName, m.authorGlobalName);
    QCOMPARE(back.content, m.content);
    QCOMPARE(back.searchKey, m.searchKey);
    QCOMPARE(back.searchKey.isNull(), m.searchKey.isNull());
    QCOMPARE(back.attachments.size(), 1);
    QCOMPARE(back.attachments[0].url, m.attachments[0].url);
    QCOMPARE(back.mentionIds, m.mentionIds);
    QCOMPARE(back.messageFlags, m.messageFlags);
    QCOMPARE(back.embedCount, m.embedCount);
    QCOMPARE(back.embedTitles, m.embedTitles);
    QCOMPARE(back.stickerNames, m.stickerNames);
    QCOMPARE(back.type, m.type);
    QCOMPARE(back.flags, m.flags);
}

void tst_MessageStore::snapshotIsStable()
{
    MessageStore store;
    store.setCapacity(6000);
    for (quint64 id = 1; id <= 5000; ++id)
        store.addMessage(message(id, u"m%1"_s.arg(id)));
    store.flush();
    const StoreSnapshot snapshot = store.snapshot();
    QCOMPARE(snapshot.endSeq - snapshot.firstSeq, 5000ULL);
    QCOMPARE(snapshot.chunks.size(), size_t(2));
    const StoreChunk *open = snapshot.chunkOf(snapshot.firstSeq + 4999);
    QVERIFY(open);
    const int openRows = open->size();
    // The store goes on: appends (the open chunk), edits, deletes and evictions.
    for (quint64 id = 5001; id <= 7000; ++id)
        store.addMessage(message(id, u"m%1"_s.arg(id)));
    store.flush();
    QJsonObject edit = idsOnly(4500);
    edit.insert(u"content"_s, u"changed"_s);
    store.updateMessage(edit);
    store.deleteMessage(4501);
    QCOMPARE(open->size(), openRows);
    QCOMPARE(open->contentText(int(4499 - (open->firstSeq - snapshot.firstSeq))), "m4500");
    QVERIFY(!snapshot.overrides.contains(snapshot.firstSeq + 4499));
    QVERIFY(!store.overrides().isEmpty());
}

void tst_MessageStore::memoryIsAccounted()
{
    MessageStore store;
    store.setCapacity(20000);
    for (quint64 id = 1; id <= 20000; ++id)
        store.addMessage(message(id, u"some words of content %1"_s.arg(id)));
    store.flush();
    const MessageStore::MemoryUsage full = store.memoryUsage();
    // Columns and index stay far below the 200 bytes per row budget; texts are about the
    // content's UTF-8 size twice (folded + original); raw JSON is compressed.
    QCOMPARE_LT(full.columns + full.index, 20000 * 120);
    QCOMPARE_LT(full.text, 20000 * 2 * 40);
    QCOMPARE_GT(full.rawJson, 0);
    QCOMPARE_LT(full.rawJson, 20000 * 200);
    QCOMPARE_GT(store.contentBytes(), 20000 * 2 * 25);
    // Evicting frees whole chunks and raw blocks.
    store.setCapacity(100);
    const MessageStore::MemoryUsage small = store.memoryUsage();
    QCOMPARE_LT(small.columns, full.columns / 3);
    QCOMPARE_LT(small.rawJson, full.rawJson / 3);
    store.clear();
    QCOMPARE(store.memoryUsage().columns, 0);
}

QTEST_GUILESS_MAIN(tst_MessageStore)
#include "tst_messagestore.moc"
