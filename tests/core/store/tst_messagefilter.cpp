#include "core/store/directory.h"
#include "core/store/message.h"
#include "core/store/messagefilter.h"
#include "core/store/messageparser.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_MessageFilter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void operators_data();
    void operators();
    void syntaxErrors_data();
    void syntaxErrors();
    void treeShape_data();
    void treeShape();
    void directoryRenameNeedsResolve();
    void randomQueriesNeverCrash();

private:
    // Fixed "now" for relative times: 2024-05-01T12:00:00Z.
    static constexpr qint64 Now = 1714564800000;
    QList<Message> m_messages;
    Directory m_directory;
};

void tst_MessageFilter::initTestCase()
{
    m_directory.handleDispatch(
            u"GUILD_CREATE"_s,
            QJsonObject{{u"id"_s, u"100"_s},
                        {u"name"_s, u"Rust Fans"_s},
                        {u"channels"_s, QJsonArray{QJsonObject{{u"id"_s, u"111"_s},
                                                               {u"type"_s, 0},
                                                               {u"name"_s, u"general"_s}},
                                                   QJsonObject{{u"id"_s, u"112"_s},
                                                               {u"type"_s, 0},
                                                               {u"name"_s, u"mods"_s}}}},
                        {u"threads"_s, QJsonArray{QJsonObject{{u"id"_s, u"113"_s},
                                                              {u"type"_s, 11},
                                                              {u"name"_s, u"help"_s},
                                                              {u"parent_id"_s, u"111"_s}}}}});
    m_directory.handleDispatch(u"GUILD_CREATE"_s,
                               QJsonObject{{u"id"_s, u"200"_s}, {u"name"_s, u"Other"_s}});
    auto make = [](quint64 id, quint64 channel, quint64 guild, quint64 author, const QString &name,
                   const QString &content, qint64 ageMs) {
        Message m;
        m.id = id;
        m.channelId = channel;
        m.guildId = guild;
        m.authorId = author;
        m.authorName = name;
        m.content = content;
        m.searchKey = MessageParser::searchKeyFor(content);
        m.timestampMs = Now - ageMs;
        return m;
    };
    const qint64 minute = 60000;
    // 1: alice in #general, a link, 1 minute old
    m_messages.append(make(1, 111, 100, 900, u"alice"_s, u"See https://Example.com now"_s, minute));
    m_messages.last().shard = 0;
    // 2: bob (bot) in #mods, 3 hours old, with an embed
    m_messages.append(make(2, 112, 100, 901, u"bob"_s, u"Build FAILED on main"_s, 180 * minute));
    m_messages.last().flags |= Message::AuthorIsBot;
    m_messages.last().embedCount = 1;
    m_messages.last().shard = 2;
    // 3: carol in the thread of #general, edited and deleted, an attachment, a reply, 2 days old
    m_messages.append(make(3, 113, 100, 902, u"carol"_s, u"Straße ist groß"_s, 2 * 1440 * minute));
    m_messages.last().authorGlobalName = u"Carol C"_s;
    m_messages.last().flags |= Message::Edited | Message::Deleted;
    m_messages.last().attachments.append({u"a.png"_s, 10, u"https://cdn/a.png"_s});
    m_messages.last().replyToId = 1;
    m_messages.last().shard = 2;
    // 4: a webhook in guild 200, mentions someone, 10 days old
    m_messages.append(
            make(4, 201, 200, 903, u"hook"_s, u"deploy done (v1.2)"_s, 10 * 1440 * minute));
    m_messages.last().flags |= Message::FromWebhook;
    m_messages.last().webhookId = 903;
    m_messages.last().mentionIds.append(900);
    m_messages.last().shard = 1;
    // 5: a DM from alice, mentions everyone, 30 seconds old
    m_messages.append(make(5, 500, 0, 900, u"alice"_s, u"hi \"there\" friend"_s, 30000));
    m_messages.last().flags |= Message::MentionsEveryone;
}

void tst_MessageFilter::operators_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QList<quint64>>("expected");
    using L = QList<quint64>;
    QTest::newRow("empty") << QString() << L{1, 2, 3, 4, 5};
    QTest::newRow("blank") << u"   "_s << L{1, 2, 3, 4, 5};
    QTest::newRow("word, case-insensitive") << u"FAILED"_s << L{2};
    QTest::newRow("word folded capital sharp s") << u"STRA\u1E9EE"_s << L{3};
    QTest::newRow("word non-ASCII") << u"GROß"_s << L{3};
    QTest::newRow("non-ASCII word in ASCII content") << u"fäiled"_s << L{};
    QTest::newRow("ASCII content, upper-case query") << u"EXAMPLE.COM"_s << L{1};
    QTest::newRow("word at the very end") << u"MAIN"_s << L{2};
    QTest::newRow("word longer than content") << u"buildfailedonmainandmore"_s << L{};
    QTest::newRow("single letter") << u"D"_s << L{2, 4, 5};
    QTest::newRow("at the start") << u"seE"_s << L{1};
    QTest::newRow("repeated letters") << u"EE"_s << L{1};
    QTest::newRow("punctuation inside") << u"\"NE (V1.\""_s << L{4};
    QTest::newRow("near miss") << u"frienD!"_s << L{};
    QTest::newRow("two words are ANDed") << u"build main"_s << L{2};
    QTest::newRow("explicit AND") << u"build AND main"_s << L{2};
    QTest::newRow("phrase") << u"\"on main\""_s << L{2};
    QTest::newRow("phrase not words") << u"\"main on\""_s << L{};
    QTest::newRow("url word") << u"https://example.com"_s << L{1};
    QTest::newRow("unknown key followed by space is text") << u"done"_s << L{4};
    QTest::newRow("from name") << u"from:alice"_s << L{1, 5};
    QTest::newRow("from @name any case") << u"from:@ALICE"_s << L{1, 5};
    QTest::newRow("from global name quoted") << u"from:\"carol c\""_s << L{3};
    QTest::newRow("from id") << u"from:901"_s << L{2};
    QTest::newRow("author alias") << u"author:bob"_s << L{2};
    QTest::newRow("in #name includes threads") << u"in:#general"_s << L{1, 3};
    QTest::newRow("in thread") << u"in:help"_s << L{3};
    QTest::newRow("in id") << u"in:112"_s << L{2};
    QTest::newRow("in unknown") << u"in:#nowhere"_s << L{};
    QTest::newRow("guild name") << u"guild:\"rust fans\""_s << L{1, 2, 3};
    QTest::newRow("guild id") << u"guild:200"_s << L{4};
    QTest::newRow("has:link") << u"has:link"_s << L{1};
    QTest::newRow("has:attachment") << u"has:attachment"_s << L{3};
    QTest::newRow("has:embed") << u"has:embeds"_s << L{2};
    QTest::newRow("has:mention") << u"has:mention"_s << L{4, 5};
    QTest::newRow("is:bot") << u"is:bot"_s << L{2};
    QTest::newRow("is:human") << u"is:human"_s << L{1, 3, 5};
    QTest::newRow("is:webhook") << u"is:webhook"_s << L{4};
    QTest::newRow("is:edited") << u"is:edited"_s << L{3};
    QTest::newRow("is:deleted") << u"is:deleted"_s << L{3};
    QTest::newRow("is:dm") << u"is:dm"_s << L{5};
    QTest::newRow("is:reply") << u"is:reply"_s << L{3};
    QTest::newRow("after relative 2h") << u"after:2h"_s << L{1, 5};
    QTest::newRow("before relative 1d") << u"before:1d"_s << L{3, 4};
    QTest::newRow("after 45s") << u"after:45s"_s << L{5};
    QTest::newRow("before 1w") << u"before:1w"_s << L{4};
    QTest::newRow("after date = next day on") << u"after:2024-04-29"_s << L{1, 2, 5};
    QTest::newRow("before date = day start") << u"before:2024-04-29"_s << L{4};
    QTest::newRow("before next date") << u"before:2024-04-30"_s << L{3, 4};
    QTest::newRow("after datetime") << u"after:2024-05-01T11:00"_s << L{1, 5};
    QTest::newRow("before datetime with seconds") << u"before:2024-05-01T11:59:00"_s << L{2, 3, 4};
    QTest::newRow("regex") << u"/v\\d+\\.\\d+/"_s << L{4};
    QTest::newRow("regex case-sensitive") << u"/failed/"_s << L{};
    QTest::newRow("regex i") << u"/failed/i"_s << L{2};
    QTest::newRow("regex escaped slash") << u"/https:\\/\\/example/i"_s << L{1};
    QTest::newRow("negation") << u"-from:alice"_s << L{2, 3, 4};
    QTest::newRow("negated word") << u"-main"_s << L{1, 3, 4, 5};
    QTest::newRow("OR") << u"is:bot OR is:webhook"_s << L{2, 4};
    QTest::newRow("AND binds tighter than OR") << u"from:alice is:dm OR is:bot"_s << L{2, 5};
    QTest::newRow("parentheses") << u"from:alice (is:dm OR has:link)"_s << L{1, 5};
    QTest::newRow("negated group") << u"-(is:bot OR is:webhook) -is:dm"_s << L{1, 3};
    QTest::newRow("nested") << u"((from:bob))"_s << L{2};
    QTest::newRow("quote inside text") << u"\"there\""_s << L{5};
    QTest::newRow("shard") << u"shard:2"_s << L{2, 3};
    QTest::newRow("shard 0") << u"shard:0"_s << L{1};
    QTest::newRow("shard nobody has") << u"shard:7"_s << L{};
    QTest::newRow("negated shard") << u"-shard:2"_s << L{1, 4, 5};
    QTest::newRow("shard OR shard") << u"shard:0 OR shard:1"_s << L{1, 4};
    QTest::newRow("shard and word") << u"SHARD:2 main"_s << L{2};
}

void tst_MessageFilter::operators()
{
    QFETCH(QString, query);
    QFETCH(QList<quint64>, expected);
    MessageFilter filter = MessageFilter::parse(query, Now);
    QVERIFY2(filter.isValid(), qPrintable(filter.errorString()));
    filter.resolve(&m_directory);
    QList<quint64> matched;
    for (const Message &m : std::as_const(m_messages)) {
        if (filter.matches(m))
            matched.append(m.id);
    }
    QCOMPARE(matched, expected);
}

void tst_MessageFilter::syntaxErrors_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("message");
    QTest::newRow("unterminated quote") << u"foo \"bar"_s << 4 << u"Unterminated quote"_s;
    QTest::newRow("empty phrase") << u"\"\""_s << 0 << u"Empty phrase"_s;
    QTest::newRow("unmatched )") << u"foo)"_s << 3 << u"Unmatched ')'"_s;
    QTest::newRow("missing )") << u"a (b OR c"_s << 2 << u"Missing ')'"_s;
    QTest::newRow("empty parens") << u"x ()"_s << 2 << u"Empty parentheses"_s;
    QTest::newRow("leading OR") << u"OR foo"_s << 0 << u"'OR' needs a term before"_s;
    QTest::newRow("trailing OR") << u"foo OR"_s << 4 << u"'OR' needs a term after"_s;
    QTest::newRow("OR OR") << u"a OR OR b"_s << 2 << u"'OR' needs a term after"_s;
    QTest::newRow("OR before )") << u"(a OR)"_s << 3 << u"'OR' needs a term after"_s;
    QTest::newRow("dangling AND") << u"a AND"_s << 2 << u"'AND' needs a term"_s;
    QTest::newRow("lone minus") << u"a - b"_s << 2 << u"'-' must be followed"_s;
    QTest::newRow("double minus") << u"--a"_s << 0 << u"Double negation"_s;
    QTest::newRow("unknown key") << u"a form:alice"_s << 2 << u"Unknown filter 'form:'"_s;
    QTest::newRow("empty value") << u"from: x"_s << 5 << u"'from:' needs a value"_s;
    QTest::newRow("empty quoted value") << u"in:\"\""_s << 3 << u"'in:' needs a value"_s;
    QTest::newRow("bad has") << u"has:cats"_s << 4 << u"Unknown 'has:cats'"_s;
    QTest::newRow("bad is") << u"x is:robot"_s << 5 << u"Unknown 'is:robot'"_s;
    QTest::newRow("bad date") << u"before:yesterday"_s << 7 << u"Invalid date 'yesterday'"_s;
    QTest::newRow("bad month") << u"after:2024-13-01"_s << 6 << u"Invalid date"_s;
    QTest::newRow("bad unit") << u"after:5y"_s << 6 << u"Invalid date"_s;
    QTest::newRow("unterminated regex") << u"a /foo"_s << 2 << u"Unterminated /regex/"_s;
    QTest::newRow("empty regex") << u"//"_s << 0 << u"Empty regular expression"_s;
    QTest::newRow("bad regex flag") << u"/a/iq"_s << 4 << u"Unknown regex flag 'q'"_s;
    QTest::newRow("invalid regex") << u"x /a(b/"_s << 6 << u"Invalid regular expression"_s;
    QTest::newRow("unterminated quoted value") << u"from:\"al"_s << 5 << u"Unterminated quote"_s;
    QTest::newRow("shard not a number") << u"a shard:two"_s << 8 << u"'shard:two' needs a shard"_s;
    QTest::newRow("negative shard") << u"shard:-1"_s << 6 << u"'shard:-1' needs a shard"_s;
    QTest::newRow("shard too large") << u"shard:65535"_s << 6 << u"'shard:65535' needs a shard"_s;
}

void tst_MessageFilter::syntaxErrors()
{
    QFETCH(QString, query);
    QFETCH(int, position);
    QFETCH(QString, message);
    const MessageFilter filter = MessageFilter::parse(query, Now);
    QVERIFY(!filter.isValid());
    QVERIFY(!filter.isEmpty());
    QVERIFY2(filter.errorString().startsWith(message), qPrintable(filter.errorString()));
    QCOMPARE(filter.errorPosition(), position);
    QVERIFY(!filter.matches(m_messages.first()));
}

void tst_MessageFilter::treeShape_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("tree");
    QTest::newRow("single") << u"Foo"_s << u"text(\"foo\")"_s;
    QTest::newRow("and") << u"a b"_s << u"AND(text(\"a\"), text(\"b\"))"_s;
    QTest::newRow("or of ands") << u"a b OR c"_s
                                << u"OR(AND(text(\"a\"), text(\"b\")), text(\"c\"))"_s;
    QTest::newRow("not group") << u"-(a OR b)"_s << u"NOT(OR(text(\"a\"), text(\"b\")))"_s;
    QTest::newRow("regex flags") << u"/x+/i"_s << u"regex(/x+/i)"_s;
    QTest::newRow("before date") << u"before:2024-05-01"_s << u"before(2024-05-01T00:00:00.000Z)"_s;
    QTest::newRow("shard") << u"shard:3 a"_s << u"AND(shard(3), text(\"a\"))"_s;
    QTest::newRow("lowercase or is a word")
            << u"a or b"_s << u"AND(text(\"a\"), text(\"or\"), text(\"b\"))"_s;
}

void tst_MessageFilter::treeShape()
{
    QFETCH(QString, query);
    QFETCH(QString, tree);
    QCOMPARE(MessageFilter::parse(query, Now).describe(), tree);
}

void tst_MessageFilter::directoryRenameNeedsResolve()
{
    Directory directory;
    directory.handleDispatch(u"CHANNEL_CREATE"_s, QJsonObject{{u"id"_s, u"111"_s},
                                                              {u"guild_id"_s, u"100"_s},
                                                              {u"type"_s, 0},
                                                              {u"name"_s, u"general"_s}});
    MessageFilter filter = MessageFilter::parse(u"in:#lobby"_s, Now);
    QVERIFY(filter.usesDirectory());
    QVERIFY(!MessageFilter::parse(u"foo is:bot"_s).usesDirectory());
    filter.resolve(&directory);
    QVERIFY(!filter.matches(m_messages.first()));
    directory.handleDispatch(u"CHANNEL_UPDATE"_s, QJsonObject{{u"id"_s, u"111"_s},
                                                              {u"guild_id"_s, u"100"_s},
                                                              {u"type"_s, 0},
                                                              {u"name"_s, u"lobby"_s}});
    filter.resolve(&directory);
    QVERIFY(filter.matches(m_messages.first()));
}

void tst_MessageFilter::randomQueriesNeverCrash()
{
    // Pieces that stress the parser: operators, quotes, slashes, parentheses, keywords.
    const QStringList pieces = {
            u"("_s,    u")"_s,     u"\""_s,         u"/"_s,    u"-"_s,   u" "_s,       u"OR"_s,
            u"AND"_s,  u"from:"_s, u"in:#"_s,       u"has:"_s, u"is:"_s, u"before:"_s, u"after:"_s,
            u"link"_s, u"bot"_s,   u"2024-05-01"_s, u"3d"_s,   u"a"_s,   u"\\"_s,      u"i"_s,
            u"["_s,    u"*"_s,     u"ß"_s,          u"🎉"_s,    u":"_s,   u"guild:"_s,  u"x:"_s};
    QRandomGenerator random(1234);
    int valid = 0;
    for (int i = 0; i < 20000; ++i) {
        QString query;
        const int count = 1 + int(random.bounded(8));
        for (int j = 0; j < count; ++j)
            query += pieces.at(int(random.bounded(int(pieces.size()))));
        MessageFilter filter = MessageFilter::parse(query, Now);
        if (filter.isValid()) {
            ++valid;
            filter.resolve(&m_directory);
            for (const Message &m : std::as_const(m_messages))
                filter.matches(m);
        } else {
            QVERIFY2(!filter.errorString().isEmpty(), qPrintable(query));
            QVERIFY2(filter.errorPosition() >= 0 && filter.errorPosition() <= query.size(),
                     qPrintable(query));
        }
    }
    QVERIFY(valid > 100);
}

QTEST_GUILESS_MAIN(tst_MessageFilter)
#include "tst_messagefilter.moc"
