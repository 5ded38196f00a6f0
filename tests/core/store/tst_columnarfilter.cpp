#include "core/store/columnarfilter.h"
#include "core/store/directory.h"
#include "core/store/messageparser.h"
#include "core/store/messagestore.h"
#include "storetestdata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using namespace StoreTestData;

class tst_ColumnarFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void agreesWithMatches_data();
    void agreesWithMatches();
    void rowsNewerThanTheTables();
    void requiredLiteral_data();
    void requiredLiteral();

private:
    Directory m_directory;
    MessageStore m_store{&m_directory};
};

namespace {

const char16_t *const words[] = {u"hello",
                                 u"World",
                                 u"error42",
                                 u"Error",
                                 u"deploy",
                                 u"café",
                                 u"CAFÉ",
                                 u"Straße",
                                 u"Привет",
                                 u"日本語",
                                 u"👍",
                                 u"ok",
                                 u"https://example.com/x",
                                 u"http://a.b",
                                 u"a.b",
                                 u"aa"};

/// Ids of the rows of @p store that @p filter matches, evaluated one Message at a time.
QList<quint64> expectedSeqs(const MessageStore &store, const MessageFilter &filter)
{
    QList<quint64> seqs;
    for (int row = 0; row < store.count(); ++row) {
        if (filter.matches(store.at(row)))
            seqs.append(store.seqAt(row));
    }
    return seqs;
}

} // namespace

void tst_ColumnarFilter::initTestCase()
{
    m_store.handleDispatch(u"GUILD_CREATE"_s, guildWithTwoChannels());
    QRandomGenerator random(7);
    MessageParser parser;
    m_store.setCapacity(9000);
    // 9,500 rows through a 9,000-row store: three chunks, the first partly evicted, the last
    // open; a mix of every field the filter reads.
    for (quint64 id = 1; id <= 9500; ++id) {
        QString content;
        const int count = int(random.bounded(6));
        for (int i = 0; i < count; ++i)
            content += (i ? u" "_s : QString())
                       + QString::fromUtf16(words[random.bounded(int(std::size(words)))]);
        const quint64 author = 900 + random.bounded(5);
        const quint64 guild = random.bounded(10) == 0 ? 0 : 100;
        const quint64 channel = guild ? 111 + random.bounded(2) : 500;
        QJsonObject m = message(id, content, channel, guild, author, u"user%1"_s.arg(author));
        if (random.bounded(7) == 0)
            m.insert(u"author"_s, user(author, u"user%1"_s.arg(author), true));
        if (random.bounded(11) == 0)
            m.insert(u"webhook_id"_s, u"77"_s);
        if (random.bounded(9) == 0)
            m.insert(u"attachments"_s, QJsonArray{QJsonObject{{u"id"_s, u"1"_s},
                                                              {u"filename"_s, u"a.png"_s},
                                                              {u"size"_s, 10},
                                                              {u"url"_s, u"https://x/a.png"_s}}});
        if (random.bounded(8) == 0)
            m.insert(u"mentions"_s, QJsonArray{user(901, u"user901"_s)});
        if (random.bounded(13) == 0)
            m.insert(u"mention_everyone"_s, true);
        if (random.bounded(6) == 0)
            m.insert(u"message_reference"_s, QJsonObject{{u"message_id"_s, u"5"_s}});
        if (random.bounded(5) == 0)
            m.insert(u"embeds"_s, QJsonArray{QJsonObject{{u"type"_s, u"rich"_s}}});
        m.insert(u"timestamp"_s, u"2024-05-0%1T12:00:00.000+00:00"_s.arg(1 + id % 5));
        // As a decoded event of a shard (or of a connection without one), as ingest sees it.
        GatewayEvent event;
        event.kind = GatewayEvent::Kind::MessageCreate;
        event.type = u"MESSAGE_CREATE"_s;
        event.message = parser.parse(m);
        event.rawData = QJsonDocument(m).toJson(QJsonDocument::Compact);
        event.shard = id % 5 == 0 ? -1 : int(id % 4);
        m_store.ingestEvent(event);
        if (id % 1000 == 0)
            m_store.flush();
    }
    m_store.flush();
    // Edits and deletes live beside the chunks.
    for (quint64 id = 600; id <= 9500; id += 37) {
        QJsonObject edit = idsOnly(id);
        edit.insert(u"content"_s, id % 2 ? u"now an Error"_s : u"café edited"_s);
        m_store.updateMessage(edit);
        if (id % 3 == 0)
            m_store.deleteMessage(id);
    }
    QCOMPARE(m_store.count(), 9000);
}

void tst_ColumnarFilter::agreesWithMatches_data()
{
    QTest::addColumn<QString>("query");
    for (const char *query : {"hello",
                              "WORLD",
                              "error",
                              "café",
                              "CAFÉ",
                              "strasse",
                              "привет",
                              "日本",
                              "👍",
                              "\"hello world\"",
                              "a.b",
                              "-hello",
                              "hello OR deploy",
                              "(hello OR ok) -error",
                              "/err(or)?\\d+/",
                              "/ERROR\\d+/i",
                              "/^ok$/",
                              "/(a)\\1/",
                              "/\\bok\\b/",
                              "/café/i",
                              "/a.b/",
                              "from:user901",
                              "from:@user902",
                              "from:902",
                              "-from:user900",
                              "in:#general",
                              "in:112",
                              "guild:Guild",
                              "guild:100",
                              "has:link",
                              "has:attachment",
                              "has:embed",
                              "has:mention",
                              "is:bot",
                              "is:human",
                              "is:webhook",
                              "is:edited",
                              "is:deleted",
                              "is:dm",
                              "is:reply",
                              "before:2024-05-03",
                              "after:2024-05-03",
                              "is:bot has:link -lunch",
                              "from:user900 in:#random error",
                              "shard:2",
                              "shard:0",
                              "-shard:3",
                              "shard:1 OR shard:3 error"})
        QTest::newRow(query) << QString::fromUtf8(query);
}

void tst_ColumnarFilter::agreesWithMatches()
{
    QFETCH(QString, query);
    MessageFilter filter = MessageFilter::parse(query);
    QVERIFY2(filter.isValid(), qPrintable(filter.errorString()));
    filter.resolve(&m_directory);
    const ColumnarFilter columnar(filter, m_store.tables());
    const StoreSnapshot snapshot = m_store.snapshot();
    QCOMPARE(snapshot.chunks.size(), size_t(3));
    QList<quint64> seqs;
    for (size_t i = 0; i < snapshot.chunks.size(); ++i) {
        const std::vector<quint64> part = columnar.matchesInChunk(snapshot, i);
        seqs.append(QList<quint64>(part.begin(), part.end()));
    }
    const QList<quint64> expected = expectedSeqs(m_store, filter);
    QCOMPARE(seqs, expected);
    // A cancelled evaluation returns nothing.
    const std::atomic<bool> cancelled{true};
    QVERIFY(columnar.matchesInChunk(snapshot, 0, &cancelled).empty());
}

void tst_ColumnarFilter::rowsNewerThanTheTables()
{
    // Compiled before user999 and channel 999 existed: the live tables answer for them.
    MessageStore store;
    store.addMessage(message(1, u"x"_s, 111, 100, 900, u"user900"_s));
    store.flush();
    MessageFilter filter = MessageFilter::parse(u"from:user999 OR in:999"_s);
    filter.resolve(nullptr);
    const ColumnarFilter columnar(filter, store.tables());
    store.addMessage(message(2, u"y"_s, 111, 100, 999, u"user999"_s));
    store.addMessage(message(3, u"z"_s, 999, 100, 900, u"user900"_s));
    store.addMessage(message(4, u"w"_s, 111, 100, 900, u"user900"_s));
    store.flush();
    std::vector<quint64> seqs;
    const StoreChunk *chunk = store.chunkOf(store.firstSeq());
    columnar.appendMatches(*chunk, store.firstSeq(), store.firstSeq() + 4, store.overrides(), &seqs,
                           &store.tables());
    QCOMPARE(seqs, (std::vector<quint64>{store.seqAt(1), store.seqAt(2)}));
}

void tst_ColumnarFilter::requiredLiteral_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("caseInsensitive");
    QTest::addColumn<QString>("literal");
    QTest::newRow("word and class") << u"error\\d+"_s << false << u"error"_s;
    QTest::newRow("optional char") << u"colou?r"_s << false << u"colo"_s;
    QTest::newRow("star") << u"ab*cde"_s << false << u"cde"_s;
    QTest::newRow("plus keeps one") << u"xyz+abc"_s << false << u"xyz"_s;
    QTest::newRow("optional brace") << u"ab{0,2}cd"_s << false << u"cd"_s;
    QTest::newRow("brace literal") << u"a{b"_s << false << u"a{b"_s;
    QTest::newRow("group skipped") << u"(foo)ba"_s << false << u"ba"_s;
    QTest::newRow("class skipped") << u"[abc]def"_s << false << u"def"_s;
    QTest::newRow("escaped dot") << u"\\.com"_s << false << u".com"_s;
    QTest::newRow("word boundary") << u"\\bword\\b"_s << false << u"word"_s;
    QTest::newRow("folded") << u"Hello"_s << false << u"hello"_s;
    QTest::newRow("case-insensitive") << u"HeLLo"_s << true << u"hello"_s;
    QTest::newRow("non-ASCII caseless") << u"Straße"_s << true << QString();
    QTest::newRow("non-ASCII folded") << u"Straße"_s << false << u"straße"_s;
    QTest::newRow("alternation") << u"foo|bar"_s << false << QString();
    QTest::newRow("inline option") << u"(?i)foo"_s << false << QString();
    QTest::newRow("quoted") << u"\\Qa.b\\E"_s << false << QString();
    QTest::newRow("too short") << u"a\\d"_s << false << QString();
    QTest::newRow("anchors") << u"^ok$"_s << false << u"ok"_s;
}

void tst_ColumnarFilter::requiredLiteral()
{
    QFETCH(QString, pattern);
    QFETCH(bool, caseInsensitive);
    QFETCH(QString, literal);
    QCOMPARE(ColumnarFilter::requiredLiteral(pattern, caseInsensitive), literal);
}

QTEST_GUILESS_MAIN(tst_ColumnarFilter)
#include "tst_columnarfilter.moc"
