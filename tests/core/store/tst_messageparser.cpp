#include "core/gateway/snowflake.h"
#include "core/store/messageparser.h"
#include "core/store/stringinterner.h"
#include "emulator/trafficgenerator.h"

#include <QJsonDocument>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_MessageParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullMessageFields();
    void timestamps_data();
    void timestamps();
    void oddPayloads_data();
    void oddPayloads();
    void ids_data();
    void ids();
    void searchKeys_data();
    void searchKeys();
    void update_data();
    void update();
    void internerSharesNames();
    void embedTitlesAndStickers();
    void generatedTraffic_data();
    void generatedTraffic();
};

namespace {

QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(QByteArray(text), &error).object();
    if (error.error != QJsonParseError::NoError)
        qFatal("bad fixture: %s", qPrintable(error.errorString()));
    return object;
}

// A full, real-shaped MESSAGE_CREATE (protocol reference §11).
const char *fullMessage = R"({
  "id": "1180000000000000001", "channel_id": "1180000000000000100", "guild_id": "1180000000000000200",
  "author": {"id": "1180000000000000300", "username": "alice", "global_name": "Alice A",
             "discriminator": "0", "avatar": null},
  "member": {"roles": [], "joined_at": "2023-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false},
  "content": "Hello World, see https://example.com",
  "timestamp": "2017-07-11T17:27:07.299000+00:00", "edited_timestamp": null,
  "tts": false, "mention_everyone": true,
  "mentions": [{"id": "1180000000000000301", "username": "bob"}], "mention_roles": [],
  "attachments": [{"id": "1", "filename": "cat.png", "size": 12345,
                   "url": "https://cdn.example/cat.png", "proxy_url": "x"}],
  "embeds": [{"type": "rich"}, {"type": "link"}], "pinned": false, "type": 19, "flags": 4,
  "message_reference": {"type": 0, "message_id": "1180000000000000009",
                        "channel_id": "1180000000000000100"}
})";

} // namespace

void tst_MessageParser::fullMessageFields()
{
    StringInterner interner;
    const Message m = MessageParser(&interner).parse(json(fullMessage));
    QCOMPARE(m.id, 1180000000000000001ULL);
    QCOMPARE(m.channelId, 1180000000000000100ULL);
    QCOMPARE(m.guildId, 1180000000000000200ULL);
    QCOMPARE(m.authorId, 1180000000000000300ULL);
    QCOMPARE(m.authorName, u"alice"_s);
    QCOMPARE(m.authorGlobalName, u"Alice A"_s);
    QCOMPARE(m.displayAuthor(), u"Alice A"_s);
    QCOMPARE(m.content, u"Hello World, see https://example.com"_s);
    QVERIFY(m.searchKey.isNull()); // ASCII content: the key is not stored
    QCOMPARE(m.foldedContent(), u"hello world, see https://example.com"_s);
    QCOMPARE(m.timestampMs, 1499794027299LL);
    QCOMPARE(m.editedAtMs, 0);
    QVERIFY(!m.isEdited());
    QVERIFY(!m.isBot());
    QVERIFY(!m.isWebhook());
    QVERIFY(m.flags & Message::MentionsEveryone);
    QCOMPARE(m.mentionIds, QList<quint64>{1180000000000000301ULL});
    QCOMPARE(m.attachments.size(), 1);
    QCOMPARE(m.attachments[0].filename, u"cat.png"_s);
    QCOMPARE(m.attachments[0].size, 12345);
    QCOMPARE(m.attachments[0].url, u"https://cdn.example/cat.png"_s);
    QCOMPARE(m.embedCount, 2);
    QCOMPARE(m.type, 19);
    QCOMPARE(m.messageFlags, 4u);
    QCOMPARE(m.replyToId, 1180000000000000009ULL);
    QVERIFY(m.isReply());
    QCOMPARE(interner.size(), 2);
}

void tst_MessageParser::timestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("discord 6 digits")
            << u"2017-07-11T17:27:07.299000+00:00"_s << true << qint64(1499794027299);
    QTest::newRow("3 digits Z") << u"2017-07-11T17:27:07.299Z"_s << true << qint64(1499794027299);
    QTest::newRow("no fraction") << u"2017-07-11T17:27:07+00:00"_s << true << qint64(1499794027000);
    QTest::newRow("9 digits") << u"2017-07-11T17:27:07.299999999Z"_s << true
                              << qint64(1499794027299);
    QTest::newRow("offset +02:00")
            << u"2017-07-11T19:27:07.299+02:00"_s << true << qint64(1499794027299);
    QTest::newRow("offset -0130") << u"2017-07-11T15:57:07.299-0130"_s << true
                                  << qint64(1499794027299);
    QTest::newRow("no zone = UTC") << u"2017-07-11T17:27:07.299"_s << true << qint64(1499794027299);
    QTest::newRow("space separator") << u"2017-07-11 17:27"_s << true << qint64(1499794020000);
    QTest::newRow("epoch") << u"1970-01-01T00:00:00Z"_s << true << qint64(0);
    QTest::newRow("leap day") << u"2024-02-29T00:00:00Z"_s << true << qint64(1709164800000);
    QTest::newRow("empty") << QString() << false << qint64(0);
    QTest::newRow("garbage") << u"yesterday"_s << false << qint64(0);
    QTest::newRow("date only") << u"2017-07-11"_s << false << qint64(0);
    QTest::newRow("month 13") << u"2017-13-11T00:00:00Z"_s << false << qint64(0);
    QTest::newRow("trailing junk") << u"2017-07-11T17:27:07Zjunk"_s << false << qint64(0);
    QTest::newRow("dot without digits") << u"2017-07-11T17:27:07.Z"_s << false << qint64(0);
}

void tst_MessageParser::timestamps()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, ms);
    const auto parsed = MessageParser::parseTimestamp(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, ms);
}

void tst_MessageParser::oddPayloads_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<quint64>("id");
    QTest::addColumn<QString>("author");
    QTest::addColumn<QString>("content");
    QTest::addColumn<qint64>("timestampMs");
    const quint64 idAt2020 = Snowflake::make(1577836800000);
    QTest::newRow("empty object") << QByteArray("{}") << quint64(0) << QString() << QString()
                                  << qint64(0);
    QTest::newRow("no author, null content")
            << QByteArray(R"({"id":"42","channel_id":"1","content":null,"timestamp":null})")
            << quint64(42) << QString() << QString() << Snowflake::timestampMs(42);
    QTest::newRow("author is a string")
            << QByteArray(R"({"id":"42","author":"alice","content":"x"})") << quint64(42)
            << QString() << u"x"_s << Snowflake::timestampMs(42);
    QTest::newRow("numeric content and id")
            << QByteArray(R"({"id":42,"author":{"id":7,"username":"bob"},"content":12})")
            << quint64(42) << u"bob"_s << u"12"_s << Snowflake::timestampMs(42);
    QTest::newRow("bad timestamp falls back to id time")
            << QByteArray(R"({"id":")" + QByteArray::number(idAt2020)
                          + R"(","timestamp":"soon","content":"hi"})")
            << idAt2020 << QString() << u"hi"_s << qint64(1577836800000);
    QTest::newRow("negative id, arrays of wrong type")
            << QByteArray(R"({"id":-5,"attachments":"none","mentions":{"a":1},"embeds":3,)"
                          R"("type":"x","flags":-1,"message_reference":[]})")
            << quint64(0) << QString() << QString() << qint64(0);
    QTest::newRow("id too large") << QByteArray(R"({"id":"99999999999999999999999"})") << quint64(0)
                                  << QString() << QString() << qint64(0);
    QTest::newRow("max snowflake")
            << QByteArray(R"({"id":"18446744073709551615","author":{"username":"z"}})")
            << quint64(18446744073709551615ULL) << u"z"_s << QString()
            << Snowflake::timestampMs(18446744073709551615ULL);
    QTest::newRow("webhook") << QByteArray(R"({"id":"5","webhook_id":"77","author":)"
                                           R"({"id":"77","username":"hook","bot":true}})")
                             << quint64(5) << u"hook"_s << QString() << Snowflake::timestampMs(5);
}

void tst_MessageParser::oddPayloads()
{
    QFETCH(QByteArray, payload);
    QFETCH(quint64, id);
    QFETCH(QString, author);
    QFETCH(QString, content);
    QFETCH(qint64, timestampMs);
    const Message m = MessageParser().parse(QJsonDocument::fromJson(payload).object());
    QCOMPARE(m.id, id);
    QCOMPARE(m.authorName, author);
    QCOMPARE(m.content, content);
    QCOMPARE(m.timestampMs, timestampMs);
    QCOMPARE(m.foldedContent(), content.toCaseFolded());
    QCOMPARE(m.isWebhook(), payload.contains("webhook_id"));
}

void tst_MessageParser::ids_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<quint64>("id");
    QTest::newRow("string") << QJsonValue(u"175928847299117063"_s) << 175928847299117063ULL;
    // 2^53 + 1 would be rounded by a double; a string keeps it exact.
    QTest::newRow("beyond double") << QJsonValue(u"9007199254740993"_s) << 9007199254740993ULL;
    QTest::newRow("integer") << QJsonValue(qint64(1234)) << 1234ULL;
    QTest::newRow("fraction") << QJsonValue(12.5) << 0ULL;
    QTest::newRow("negative") << QJsonValue(-1) << 0ULL;
    QTest::newRow("spaces") << QJsonValue(u" 12"_s) << 0ULL;
    QTest::newRow("hex") << QJsonValue(u"0x12"_s) << 0ULL;
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << 0ULL;
    QTest::newRow("bool") << QJsonValue(true) << 0ULL;
}

void tst_MessageParser::ids()
{
    QFETCH(QJsonValue, value);
    QFETCH(quint64, id);
    QCOMPARE(MessageParser::parseId(value), id);
}

void tst_MessageParser::searchKeys_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<bool>("stored");
    QTest::addColumn<QString>("folded");
    QTest::newRow("empty") << QString() << false << QString();
    QTest::newRow("ascii mixed case") << u"Hello WORLD"_s << false << u"hello world"_s;
    QTest::newRow("ascii control and symbols") << u"A\tB=C@D"_s << false << u"a\tb=c@d"_s;
    QTest::newRow("latin-1 upper") << u"ÉCOLE"_s << true << u"école"_s;
    QTest::newRow("greek") << u"ΣΟΦΙΑ"_s << true << u"σοφια"_s;
    QTest::newRow("emoji only") << u"🎉"_s << true << u"🎉"_s;
}

void tst_MessageParser::searchKeys()
{
    QFETCH(QString, content);
    QFETCH(bool, stored);
    QFETCH(QString, folded);
    const QString key = MessageParser::searchKeyFor(content);
    QCOMPARE(!key.isNull(), stored);
    Message m;
    m.content = content;
    m.searchKey = key;
    QCOMPARE(m.foldedContent(), folded);
}

void tst_MessageParser::update_data()
{
    QTest::addColumn<QByteArray>("update");
    QTest::addColumn<bool>("changed");
    QTest::addColumn<QString>("content");
    QTest::addColumn<int>("revisions");
    QTest::addColumn<bool>("edited");
    QTest::addColumn<qint64>("editedAtMs");
    QTest::addColumn<int>("embeds");
    QTest::addColumn<int>("attachments");
    const QString original = u"Hello World, see https://example.com"_s;
    QTest::newRow("only ids: unchanged")
            << QByteArray(R"({"id":"1180000000000000001","channel_id":"1"})") << false << original
            << 0 << false << qint64(0) << 2 << 1;
    QTest::newRow("embed unfurl") << QByteArray(R"({"id":"1","embeds":[]})") << true << original
                                  << 0 << false << qint64(0) << 0 << 1;
    QTest::newRow("content edit") << QByteArray(
            R"({"id":"1","content":"bye","edited_timestamp":"2017-07-11T17:30:00+00:00"})")
                                  << true << u"bye"_s << 1 << true << qint64(1499794200000) << 2
                                  << 1;
    QTest::newRow("content edit without time uses now")
            << QByteArray(R"({"id":"1","content":"bye"})") << true << u"bye"_s << 1 << true
            << qint64(1000) << 2 << 1;
    QTest::newRow("same content, edited time")
            << QByteArray(R"({"id":"1","content":"Hello World, see https://example.com",)"
                          R"("edited_timestamp":"2017-07-11T17:30:00+00:00"})")
            << true << original << 0 << true << qint64(1499794200000) << 2 << 1;
    QTest::newRow("null content clears it") << QByteArray(R"({"id":"1","content":null})") << true
                                            << QString() << 1 << true << qint64(1000) << 2 << 1;
    QTest::newRow("attachments removed") << QByteArray(R"({"id":"1","attachments":[]})") << true
                                         << original << 0 << false << qint64(0) << 2 << 0;
}

void tst_MessageParser::update()
{
    QFETCH(QByteArray, update);
    QFETCH(bool, changed);
    QFETCH(QString, content);
    QFETCH(int, revisions);
    QFETCH(bool, edited);
    QFETCH(qint64, editedAtMs);
    QFETCH(int, embeds);
    QFETCH(int, attachments);
    const MessageParser parser;
    Message m = parser.parse(json(fullMessage));
    const Message before = m;
    QCOMPARE(parser.applyUpdate(m, QJsonDocument::fromJson(update).object(), 1000), changed);
    QCOMPARE(m.content, content);
    QCOMPARE(m.foldedContent(), content.toCaseFolded());
    QCOMPARE(m.revisions.size(), revisions);
    if (revisions > 0)
        QCOMPARE(m.revisions.last().content, before.content);
    QCOMPARE(m.isEdited(), edited);
    QCOMPARE(m.editedAtMs, editedAtMs);
    QCOMPARE(m.embedCount, embeds);
    QCOMPARE(m.attachments.size(), attachments);
    QCOMPARE(m.id, before.id);
    QCOMPARE(m.authorName, before.authorName);
    QCOMPARE(m.timestampMs, before.timestampMs);
}

void tst_MessageParser::internerSharesNames()
{
    StringInterner interner;
    const MessageParser parser(&interner);
    const Message a = parser.parse(json(R"({"id":"1","author":{"id":"2","username":"carol"}})"));
    const Message b = parser.parse(json(R"({"id":"3","author":{"id":"2","username":"carol"}})"));
    QCOMPARE(a.authorName.constData(), b.authorName.constData());
    QCOMPARE(interner.size(), 1);
    QVERIFY(interner.intern(QString()).isNull());
}

void tst_MessageParser::generatedTraffic_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<double>("dmShare");
    QTest::newRow("seed 1") << 1ULL << 0.02;
    QTest::newRow("seed 7, many DMs") << 7ULL << 0.3;
}

void tst_MessageParser::generatedTraffic()
{
    QFETCH(quint64, seed);
    QFETCH(double, dmShare);
    Emulator::TrafficGenerator::Config config;
    config.seed = seed;
    config.dmShare = dmShare;
    Emulator::TrafficGenerator generator(config);
    StringInterner interner;
    const MessageParser parser(&interner);
    qint64 now = 1714564800000;
    int creates = 0;
    int updates = 0;
    QHash<quint64, Message> seen;
    for (int i = 0; i < 3000; ++i) {
        now += 7;
        const auto event = generator.next(now);
        const QJsonObject &d = event.data;
        if (event.type == "MESSAGE_CREATE"_L1) {
            ++creates;
            const Message m = parser.parse(d);
            QCOMPARE(QString::number(m.id), d.value("id"_L1).toString());
            QCOMPARE(QString::number(m.channelId), d.value("channel_id"_L1).toString());
            QCOMPARE(m.guildId, event.guildId);
            QCOMPARE(m.isDm(), !d.contains("guild_id"_L1));
            const QJsonObject author = d.value("author"_L1).toObject();
            QCOMPARE(QString::number(m.authorId), author.value("id"_L1).toString());
            QCOMPARE(m.authorName, author.value("username"_L1).toString());
            QCOMPARE(m.authorGlobalName, author.value("global_name"_L1).toString());
            QCOMPARE(m.isBot(), author.value("bot"_L1).toBool());
            QCOMPARE(m.isWebhook(), d.contains("webhook_id"_L1));
            QCOMPARE(m.content, d.value("content"_L1).toString());
            QCOMPARE(m.foldedContent(), m.content.toCaseFolded());
            QCOMPARE(m.timestampMs, now);
            QCOMPARE(m.attachments.size(), d.value("attachments"_L1).toArray().size());
            QCOMPARE(m.mentionIds.size(), d.value("mentions"_L1).toArray().size());
            QCOMPARE(m.embedCount, d.value("embeds"_L1).toArray().size());
            QCOMPARE(m.isReply(),
                     d.value("message_reference"_L1).toObject().contains("message_id"_L1));
            seen.insert(m.id, m);
        } else if (event.type == "MESSAGE_UPDATE"_L1) {
            const quint64 id = MessageParser::parseId(d.value("id"_L1));
            auto it = seen.find(id);
            if (it == seen.end())
                continue;
            ++updates;
            const QString before = it->content;
            parser.applyUpdate(*it, d, now);
            if (d.contains("content"_L1)) {
                QCOMPARE(it->content, d.value("content"_L1).toString());
                if (it->content != before) {
                    QVERIFY(it->isEdited());
                    QCOMPARE(it->revisions.last().content, before);
                }
            } else {
                QCOMPARE(it->content, before);
            }
        }
    }
    QVERIFY(creates > 1000);
    QVERIFY(updates > 10);
    // Interning: far fewer distinct names than messages.
    QVERIFY(interner.size() < creates / 4);
}

void tst_MessageParser::embedTitlesAndStickers()
{
    MessageParser parser;
    const QJsonObject d
            = QJsonDocument::fromJson(R"({"id":"5","channel_id":"1","content":"x",)"
                                      R"("embeds":[{"title":"Release"},{},5,{"title":7}],)"
                                      R"("sticker_items":[{"name":"Wave"},{"name":""},{},"s"]})")
                      .object();
    const Message m = parser.parse(d);
    QCOMPARE(m.embedCount, 4);
    QCOMPARE(m.embedTitles, QStringList({u"Release"_s, QString(), QString(), u"7"_s}));
    QCOMPARE(m.stickerNames, QStringList({u"Wave"_s}));
    // An update's embeds replace the titles; stickers are not part of updates.
    Message updated = m;
    MessageParser::applyUpdate(
            updated,
            parser.parseUpdate(QJsonDocument::fromJson(
                                       R"({"id":"5","channel_id":"1","embeds":[{"title":"New"}]})")
                                       .object()),
            0);
    QCOMPARE(updated.embedTitles, QStringList({u"New"_s}));
    QCOMPARE(updated.embedCount, 1);
    QCOMPARE(updated.stickerNames, QStringList({u"Wave"_s}));
}

QTEST_GUILESS_MAIN(tst_MessageParser)
#include "tst_messageparser.moc"
