#include "core/gateway/eventdecoder.h"

#include "core/store/stringinterner.h"
#include "emulator/trafficgenerator.h"
#include "emulator/wireformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Kind = GatewayEvent::Kind;
using ErrorKind = PayloadError::Kind;

namespace {

/// Collects the differences between two results, one line each, so a failure names them all.
class Differences
{
public:
    template<typename T>
    void check(const QByteArray &what, const T &a, const T &b)
    {
        if (!(a == b))
            m_lines.append(QString::fromLatin1(what));
    }

    void compare(const EventDecoder::Result &a, const EventDecoder::Result &b)
    {
        check("error.kind", a.error.kind, b.error.kind);
        check("error.message", a.error.message, b.error.message);
        check("op", a.op, b.op);
        check("s", a.s, b.s);
        check("t", a.t, b.t);
        check("d", a.d(), b.d());
        compare(a.event, b.event);
    }

    void compare(const GatewayEvent &a, const GatewayEvent &b)
    {
        check("event.kind", a.kind, b.kind);
        check("event.type", a.type, b.type);
        check("event.seq", a.seq, b.seq);
        check("event.data", a.data(), b.data());
        check("event.deletedIds", a.deletedIds, b.deletedIds);
        check("event.channelId", a.channelId, b.channelId);
        check("event.guildId", a.guildId, b.guildId);
        check("event.error", a.error, b.error);
        compare("message.", a.message, b.message);
        check("update present", bool(a.update), bool(b.update));
        if (a.update && b.update) {
            check("update.fields", a.update->fields, b.update->fields);
            compare("update.values.", a.update->values, b.update->values);
        }
    }

    void compare(const char *prefix, const Message &a, const Message &b)
    {
        const auto at = [prefix](const char *member) {
            return QByteArray(prefix).append(member);
        };
        check(at("id"), a.id, b.id);
        check(at("channelId"), a.channelId, b.channelId);
        check(at("guildId"), a.guildId, b.guildId);
        check(at("authorId"), a.authorId, b.authorId);
        check(at("webhookId"), a.webhookId, b.webhookId);
        check(at("replyToId"), a.replyToId, b.replyToId);
        check(at("timestampMs"), a.timestampMs, b.timestampMs);
        check(at("editedAtMs"), a.editedAtMs, b.editedAtMs);
        check(at("deletedAtMs"), a.deletedAtMs, b.deletedAtMs);
        check(at("authorName"), a.authorName, b.authorName);
        check(at("authorGlobalName"), a.authorGlobalName, b.authorGlobalName);
        check(at("content"), a.content, b.content);
        check(at("searchKey"), a.searchKey, b.searchKey);
        check(at("searchKey.isNull"), a.searchKey.isNull(), b.searchKey.isNull());
        check(at("attachments.size"), a.attachments.size(), b.attachments.size());
        for (qsizetype i = 0; i < qMin(a.attachments.size(), b.attachments.size()); ++i) {
            check(at("attachment.filename"), a.attachments[i].filename, b.attachments[i].filename);
            check(at("attachment.size"), a.attachments[i].size, b.attachments[i].size);
            check(at("attachment.url"), a.attachments[i].url, b.attachments[i].url);
        }
        check(at("mentionIds"), a.mentionIds, b.mentionIds);
        check(at("revisions"), a.revisions.size(), b.revisions.size());
        check(at("messageFlags"), a.messageFlags, b.messageFlags);
        check(at("embedCount"), a.embedCount, b.embedCount);
        check(at("embedTitles"), a.embedTitles, b.embedTitles);
        check(at("stickerNames"), a.stickerNames, b.stickerNames);
        check(at("type"), a.type, b.type);
        check(at("flags"), a.flags, b.flags);
    }

    bool isEmpty() const { return m_lines.isEmpty(); }
    QByteArray report(const QByteArray &payload) const
    {
        return (m_lines.join(u", "_s) + u" differ for "_s + QString::fromUtf8(payload.left(300)))
                .toUtf8();
    }

private:
    QStringList m_lines;
};

QByteArray dispatch(const char *type, const QByteArray &d)
{
    return R"({"t":")"_ba + type + R"(","s":7,"op":0,"d":)"_ba + d + '}';
}

QByteArray message(const QByteArray &fields)
{
    return dispatch("MESSAGE_CREATE", R"({"id":"1180000000000000000","channel_id":"1","timestamp":)"
                                      R"("2026-11-27T12:00:00.000000+00:00",)"_ba
                                              + fields + '}');
}

QByteArray nested(int levels)
{
    return QByteArray(levels, '[') + QByteArray(levels, ']');
}

} // namespace

class tst_EventDecoder : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithJsonTreeOnEmulatorTraffic();
    void keepsTheRawBytesOfD();
    void readsDBeforeTAndUnknownKeys();
    void hostileInput_data();
    void hostileInput();
    void invalidUtf8IsReplaced();
    void tenMegabyteContent();
    void decodesFromAPaddedView();

private:
    /// Decodes @p payload both ways and requires equal results.
    static void requireAgreement(EventDecoder &decoder, const QByteArray &payload);
};

void tst_EventDecoder::requireAgreement(EventDecoder &decoder, const QByteArray &payload)
{
    Differences differences;
    differences.compare(decoder.decode(payload), decoder.decodeWithJsonTree(payload));
    QVERIFY2(differences.isEmpty(), differences.report(payload).constData());
}

void tst_EventDecoder::agreesWithJsonTreeOnEmulatorTraffic()
{
    Emulator::TrafficGenerator::Config config;
    config.seed = 15;
    config.guildCount = 4;
    Emulator::TrafficGenerator generator(config);
    StringInterner interner;
    EventDecoder decoder(&interner);

    QList<QByteArray> payloads;
    QJsonObject ready{{u"v"_s, 10},
                      {u"user"_s, generator.botUser()},
                      {u"guilds"_s, generator.readyGuilds(0, 1)},
                      {u"session_id"_s, u"abc"_s}};
    payloads.append(Emulator::WireFormat::dispatch(u"READY"_s, 1, ready));
    for (const quint64 guildId : generator.guildIds())
        payloads.append(Emulator::WireFormat::dispatch(u"GUILD_CREATE"_s, 2,
                                                       generator.guildCreate(guildId)));
    for (const QByteArray &payload : std::as_const(payloads)) {
        requireAgreement(decoder, payload);
        if (QTest::currentTestFailed())
            return;
    }

    constexpr int Events = 100000;
    qint64 nowMs = 1764244800000;
    QMap<Kind, int> kinds;
    for (int i = 0; i < Events; ++i) {
        nowMs += 1 + i % 7;
        const Emulator::TrafficGenerator::Event event = generator.next(nowMs);
        const QByteArray payload = Emulator::WireFormat::dispatch(event.type, i + 3, event.data);
        const EventDecoder::Result fast = decoder.decode(payload);
        Differences differences;
        differences.compare(fast, decoder.decodeWithJsonTree(payload));
        differences.check("rawData bytes", fast.rawData, Emulator::WireFormat::json(event.data));
        differences.check("event.rawData bytes", fast.event.rawData, fast.rawData);
        QVERIFY2(differences.isEmpty(), differences.report(payload).constData());
        ++kinds[fast.event.kind];
    }
    // The mix really exercised every record kind.
    QVERIFY(kinds.value(Kind::MessageCreate) > Events / 2);
    QVERIFY(kinds.value(Kind::MessageUpdate) > 0);
    QVERIFY(kinds.value(Kind::MessageDelete) > 0);
    QVERIFY(kinds.value(Kind::MessageDeleteBulk) > 0);
    QVERIFY(kinds.value(Kind::Other) > 0);
    QCOMPARE(kinds.value(Kind::Malformed), 0);
}

void tst_EventDecoder::keepsTheRawBytesOfD()
{
    EventDecoder decoder;
    // Spacing and key order as received, which re-serialising would change.
    const QByteArray d = R"({ "id" : "5",  "z":1.50, "a":[ ] })";
    const EventDecoder::Result withSpaces
            = decoder.decode(R"({"t":"MESSAGE_DELETE","s":1,"op":0,"d":)" + d + "  \n}");
    QCOMPARE(withSpaces.rawData, d);
    QCOMPARE(withSpaces.event.rawData, d);
    QCOMPARE(withSpaces.event.deletedIds, QList<quint64>{5});

    const EventDecoder::Result absent = decoder.decode(R"({"op":11})");
    QVERIFY(absent.ok());
    QCOMPARE(absent.rawData, "null"_ba);
    QCOMPARE(decoder.decode(R"({"op":9,"d":true})").d(), QJsonValue(true));
}

void tst_EventDecoder::readsDBeforeTAndUnknownKeys()
{
    Emulator::TrafficGenerator::Config config;
    config.seed = 7;
    Emulator::TrafficGenerator generator(config);
    EventDecoder decoder;
    qint64 nowMs = 1764244800000;
    for (int i = 0; i < 3000; ++i) {
        const Emulator::TrafficGenerator::Event event = generator.next(nowMs += 3);
        const QByteArray d = Emulator::WireFormat::json(event.data);
        const QByteArray t = event.type.toUtf8();
        const QByteArray s = QByteArray::number(i);
        const QByteArray payload
                = i % 2 == 0 ? R"({"d":)" + d + R"(,"op":0,"s":)" + s + R"(,"t":")" + t + R"("})"
                             : R"({"x":{"d":[1,{"t":2}]},"t":")" + t + R"(","extra":null,"s":)" + s
                                       + R"(,"op":0,"d":)" + d + R"(,"zz":[true,false,"\u00e9"]})";
        requireAgreement(decoder, payload);
        QCOMPARE(decoder.decode(payload).rawData, d);
        if (QTest::currentTestFailed())
            return;
    }
}

void tst_EventDecoder::hostileInput_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<ErrorKind>("error");
    QTest::addColumn<Kind>("kind");
    /// decode() and decodeWithJsonTree() give equal results (else only decode() is checked).
    QTest::addColumn<bool>("agree");
    /// decode()'s message.id (or deletedIds[0]) when a message event results; ~0 skips it.
    QTest::addColumn<quint64>("id");

    const auto row = [](const char *name, const QByteArray &payload, ErrorKind error,
                        Kind kind = Kind::Other, bool agree = true, quint64 id = ~0ULL) {
        QTest::newRow(name) << payload << error << kind << agree << id;
    };
    const ErrorKind none = ErrorKind::None;
    const ErrorKind invalid = ErrorKind::InvalidJson;

    row("not JSON", "hello", invalid);
    row("empty", "", invalid);
    row("whitespace", " \n ", invalid);
    row("truncated", message(R"("content":"cut)").chopped(4), invalid);
    row("truncated after d", R"({"t":"MESSAGE_CREATE","s":1,"op":0,"d":{"id":"1")", invalid);
    row("trailing garbage", R"({"op":11} x)", invalid);
    row("trailing comma", R"({"op":11,})", invalid);
    row("missing comma in skipped value", message(R"("nonce":[1 2])"), invalid);
    row("bad atom in skipped value", message(R"("pinned":tru)"), invalid);
    row("bad null as s", R"({"op":0,"s":nul,"t":"X"})", invalid);
    row("bad null as t", R"({"op":0,"s":1,"t":nulL})", invalid);
    row("bad atom as a message field", message(R"("tts":fals)"), invalid);
    row("bad atom as an id", message(R"("webhook_id":nan)"), invalid);
    row("number beyond double in skipped value", message(R"("nonce":1e400)"), invalid);
    row("not an object", "[1,2,3]", ErrorKind::NotAnObject);
    row("string root (QJsonDocument refuses scalar roots)", R"("op")", invalid);
    // Nesting: the root object is level 1, `d` level 2.
    row("depth bomb", R"({"op":0,"t":"X","d":)" + nested(100000) + '}', invalid, Kind::Other,
        false);
    row("nesting at the bound", R"({"op":0,"t":"X","d":)" + nested(127) + '}', none);
    row("nesting past the bound (QJsonDocument allows 1024)",
        R"({"op":0,"t":"X","d":)" + nested(128) + '}', invalid, Kind::Other, false);
    row("nesting past the bound in a message", message(R"("nonce":)" + nested(200)), invalid,
        Kind::Other, false);

    row("op missing", R"({"d":null})", ErrorKind::MissingOp);
    row("op float", R"({"op":1.5})", ErrorKind::MissingOp);
    row("op string", R"({"op":"1"})", ErrorKind::MissingOp);
    row("op huge", R"({"op":1e300})", ErrorKind::MissingOp);
    row("op 256", R"({"op":256})", ErrorKind::MissingOp);
    row("op negative", R"({"op":-1})", ErrorKind::MissingOp);
    row("op 11.0 is an integer", R"({"op":11.0})", none);
    row("s negative", R"({"op":0,"s":-1,"t":"X"})", ErrorKind::BadSequence);
    row("s float", R"({"op":0,"s":1.5,"t":"X"})", ErrorKind::BadSequence);
    row("s string", R"({"op":0,"s":"1","t":"X"})", ErrorKind::BadSequence);
    row("s beyond 2^53", R"({"op":0,"s":9007199254740995,"t":"X"})", ErrorKind::BadSequence);
    row("s null", R"({"op":0,"s":null,"t":"X"})", none);
    row("t number", R"({"op":0,"s":1,"t":5})", ErrorKind::BadEventName);
    row("t object", R"({"op":0,"s":1,"t":{}})", ErrorKind::BadEventName);
    row("op checked before s", R"({"op":"x","s":"y","t":1})", ErrorKind::MissingOp);

    for (const char *type :
         {"MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_DELETE_BULK"}) {
        const QByteArray name(type);
        QTest::newRow((name + ": d array").constData())
                << dispatch(type, "[]") << none << Kind::Malformed << true << ~0ULL;
        QTest::newRow((name + ": d null").constData())
                << dispatch(type, "null") << none << Kind::Malformed << true << ~0ULL;
        QTest::newRow((name + ": d string").constData())
                << dispatch(type, R"("{}")") << none << Kind::Malformed << true << ~0ULL;
        QTest::newRow((name + ": d missing").constData())
                << R"({"t":")" + name + R"(","s":1,"op":0})" << none << Kind::Malformed << true
                << ~0ULL;
        QTest::newRow((name + ": d array before t").constData())
                << R"({"d":[1],"op":0,"s":1,"t":")" + name + R"("})" << none << Kind::Malformed
                << true << ~0ULL;
        QTest::newRow((name + ": d missing, t last").constData())
                << R"({"op":0,"s":1,"t":")" + name + R"("})" << none << Kind::Malformed << true
                << ~0ULL;
    }
    row("reaction with d array", dispatch("MESSAGE_REACTION_ADD", "[]"), none);

    const Kind create = Kind::MessageCreate;
    // Embed titles and sticker names of every shape read as the JSON tree path reads them.
    row("embeds and stickers of odd shapes",
        message(R"("embeds":[{"title":"A"},{},5,null,{"title":7},{"title":"x","title":"B"}],)"
                R"("sticker_items":[{"name":"Wave"},{"name":""},{},"s",{"name":null},)"
                R"({"name":"é"}])"),
        none, create, true, 1180000000000000000ULL);
    row("embeds and stickers not arrays",
        message(R"("embeds":{"title":"A"},"sticker_items":"Wave")"), none, create, true,
        1180000000000000000ULL);
    // A message without a usable id is rejected (Malformed), never a message with id 0.
    const auto idRow = [&](const char *name, const QByteArray &id, quint64 expected) {
        row(name, dispatch("MESSAGE_CREATE", R"({"id":)" + id + '}'), none,
            expected == 0 ? Kind::Malformed : create, true, expected);
    };
    idRow("id 2^64 number", "18446744073709551616", 0);
    idRow("id 2^64 string", R"("18446744073709551616")", 0);
    idRow("id 2^64-1 string", R"("18446744073709551615")", 18446744073709551615ULL);
    idRow("id 2^63 number", "9223372036854775808", 0);
    idRow("id 2^63-1 number", "9223372036854775807", 9223372036854775807ULL);
    idRow("id -1", "-1", 0);
    idRow("id -1 string", R"("-1")", 0);
    idRow("id 30 digits", "123456789012345678901234567890", 0);
    idRow("id 30 digit string", R"("123456789012345678901234567890")", 0);
    idRow("id 1.5", "1.5", 0);
    idRow("id 0", "0", 0);
    idRow("id true", "true", 0);
    idRow("id null", "null", 0);
    idRow("id object", R"({"id":"5"})", 0);
    idRow("id array", R"(["5"])", 0);
    idRow("id exact integer", "42", 42);
    idRow("id leading zeros", R"("0042")", 42);
    idRow("id with space", R"(" 42")", 0);
    idRow("id empty string", R"("")", 0);
    row("delete id 2^64", dispatch("MESSAGE_DELETE", R"({"id":18446744073709551616})"), none,
        Kind::Malformed, true, 0);
    row("create without id", dispatch("MESSAGE_CREATE", R"({"content":"x"})"), none,
        Kind::Malformed);
    row("update id -5", dispatch("MESSAGE_UPDATE", R"({"id":-5,"content":"x"})"), none,
        Kind::Malformed);
    row("update id not a number", dispatch("MESSAGE_UPDATE", R"({"id":"abc","content":"x"})"), none,
        Kind::Malformed);
    row("delete without id", dispatch("MESSAGE_DELETE", R"({"channel_id":"1"})"), none,
        Kind::Malformed);
    row("bulk ids of every type",
        dispatch("MESSAGE_DELETE_BULK", R"({"ids":["1",2,-3,4.5,null,{},"x"],"channel_id":9})"),
        none, Kind::MessageDeleteBulk, true, 1);
    row("bulk ids not an array", dispatch("MESSAGE_DELETE_BULK", R"({"ids":"1"})"), none,
        Kind::MessageDeleteBulk);

    row("lone high surrogate", message(R"("content":"a\ud800b")"), none, create);
    row("lone low surrogate", message(R"("content":"a\udc00b")"), none, create);
    row("escaped surrogate pair", message(R"("content":"\ud83d\ude00")"), none, create);
    row("NUL escape in content", message(R"("content":"a\u0000b")"), none, create);
    row("raw control character in content", message("\"content\":\"a\x01z\""), none, create);
    row("escaped key", message(R"("con\u0074ent":"x")"), none, create);
    row("content integer", message(R"("content":12345678)"), none, create);
    row("content minus zero", message(R"("content":-0)"), none, create);
    row("content float", message(R"("content":-1.25e-3)"), none, create);
    row("content big integer", message(R"("content":123456789012345678901234)"), none, create);
    row("content object", message(R"("content":{"a":1})"), none, create);
    row("content null", message(R"("content":null)"), none, create);
    row("non-ASCII content", message(R"("content":"ÉCOLE ß 👋")"), none, create);
    row("author not an object", message(R"("author":"bob")"), none, create);
    row("author keys of wrong types",
        message(R"("author":{"id":5,"username":7,"global_name":null,"bot":"yes"})"), none, create);
    row("attachments of every shape",
        message(R"("attachments":[{},1,{"x":1},{"filename":"a","size":-5,"url":2},)"
                R"({"size":1.0},{"size":"7"},{"size":2.5}])"),
        none, create);
    row("attachments object", message(R"("attachments":{"filename":"a"})"), none, create);
    row("mentions of every shape",
        message(R"("mentions":[{"id":"5"},"6",7,{"id":"x"},{},null,{"id":"8","id":"9"}])"), none,
        create);
    row("mentions string", message(R"("mentions":"5")"), none, create);
    row("embeds number", message(R"("embeds":3)"), none, create);
    row("embeds", message(R"("embeds":[{},{"a":[1]},3])"), none, create);
    row("type 300", message(R"("type":300)"), none, create);
    row("type -1", message(R"("type":-1)"), none, create);
    row("type 19.0", message(R"("type":19.0)"), none, create);
    row("flags 2^32", message(R"("flags":4294967296)"), none, create);
    row("flags 2^32-1", message(R"("flags":4294967295)"), none, create);
    row("timestamp number", message(R"("timestamp":5)"), none, create);
    row("timestamp garbage", message(R"("timestamp":"yesterday")"), none, create);
    row("timestamp non-ASCII", message(R"("timestamp":"２０２６-01-01T00:00:00Z")"), none, create);
    row("edited timestamp", message(R"("edited_timestamp":"2026-11-27T12:05:00+01:00")"), none,
        create);
    row("timestamp with offset minutes",
        message(R"("timestamp":"2026-12-05T03:32:14.015000+00:40")"), none, create);
    row("timestamp offset out of range",
        message(R"("timestamp":"2026-12-05T03:32:14.015000+24:00")"), none, create);
    row("mention_everyone string", message(R"("mention_everyone":"true","tts":1)"), none, create);
    row("webhook and reply",
        message(R"("webhook_id":"77","message_reference":{"message_id":"66","x":[]})"), none,
        create);
    row("message_reference not an object", message(R"("message_reference":"66")"), none, create);

    const Kind update = Kind::MessageUpdate;
    row("update, every field null",
        dispatch("MESSAGE_UPDATE",
                 R"({"id":"1","channel_id":"2","content":null,"edited_timestamp":null,)"
                 R"("guild_id":null,"author":null,"attachments":null,"mentions":null,)"
                 R"("embeds":null,"flags":null,"mention_everyone":null,)"
                 R"("message_reference":null})"),
        none, update);
    row("update, every field set",
        dispatch("MESSAGE_UPDATE",
                 R"({"id":"1","channel_id":"2","content":"new","edited_timestamp":)"
                 R"("2026-11-27T12:05:00.5Z","guild_id":"3","author":{"id":"4","username":)"
                 R"("u","global_name":"G","bot":true},"attachments":[{"filename":"f"}],)"
                 R"("mentions":[{"id":"5"}],"embeds":[{}],"flags":4,"mention_everyone":true,)"
                 R"("message_reference":{"message_id":"6"},"timestamp":"x","tts":true,)"
                 R"("type":3,"webhook_id":"9"})"),
        none, update);
    row("update, flags negative", dispatch("MESSAGE_UPDATE", R"({"id":"1","flags":-4})"), none,
        update);
    row("update, author partial", dispatch("MESSAGE_UPDATE", R"({"id":"1","author":{"bot":1}})"),
        none, update);

    // Duplicate keys: the last one wins on both paths (QJsonObject keeps the last).
    row("duplicate op", R"({"op":1,"op":11})", none);
    row("duplicate op, last bad", R"({"op":11,"op":"x"})", ErrorKind::MissingOp);
    row("duplicate s, first bad", R"({"op":0,"s":"x","s":4,"t":"X"})", none);
    row("duplicate t", R"({"t":"MESSAGE_CREATE","op":0,"d":{"id":"1"},"t":"TYPING_START"})", none);
    row("duplicate t, message last",
        R"({"t":"TYPING_START","op":0,"d":{"id":"1"},"t":"MESSAGE_DELETE"})", none,
        Kind::MessageDelete, true, 1);
    row("duplicate d", R"({"t":"MESSAGE_DELETE","op":0,"d":{"id":"1"},"d":{"id":"2"}})", none,
        Kind::MessageDelete, true, 2);
    row("duplicate d, last null", R"({"t":"MESSAGE_DELETE","op":0,"d":{"id":"1"},"d":null})", none,
        Kind::Malformed);
    row("duplicate content", message(R"("content":"a","content":"b")"), none, create);
    row("duplicate author", message(R"("author":{"id":"1","username":"a"},"author":{"id":"2"})"),
        none, create);
    row("duplicate edited timestamp, last bad",
        message(R"("edited_timestamp":"2026-11-27T12:05:00Z","edited_timestamp":"x")"), none,
        create);
    row("duplicate flags, last bad",
        dispatch("MESSAGE_UPDATE", R"({"id":"1","flags":4,"flags":"x"})"), none, update);
    row("duplicate attachments",
        message(R"("attachments":[{"url":"a"}],"attachments":[{"url":"b"},{"url":"c"}])"), none,
        create);
}

void tst_EventDecoder::hostileInput()
{
    QFETCH(QByteArray, payload);
    QFETCH(ErrorKind, error);
    QFETCH(Kind, kind);
    QFETCH(bool, agree);
    QFETCH(quint64, id);

    StringInterner interner;
    EventDecoder decoder(&interner);
    const EventDecoder::Result result = decoder.decode(payload);
    QCOMPARE(result.error.kind, error);
    QCOMPARE(result.ok(), error == ErrorKind::None);
    if (!result.ok())
        QVERIFY(!result.error.message.isEmpty());
    QCOMPARE(result.event.kind, kind);
    if (kind == Kind::Malformed) {
        QVERIFY(result.event.error.contains(u"without an object"_s)
                || result.event.error.contains(u"without a valid message id"_s));
        QCOMPARE(result.event.message.id, 0ULL);
        QVERIFY(!result.event.update);
    }
    if (id != ~0ULL) {
        const quint64 decoded = kind == Kind::MessageCreate ? result.event.message.id
                                                            : result.event.deletedIds.value(0);
        QCOMPARE(decoded, id);
    }
    if (agree)
        requireAgreement(decoder, payload);
}

void tst_EventDecoder::invalidUtf8IsReplaced()
{
    EventDecoder decoder;
    const QByteArray payload = message("\"content\":\"ok \xff\xfe end\",\"author\":{\"username\":"
                                       "\"x\xc3\"}");
    // The reference refuses the payload; decode() keeps the message with U+FFFD in place of
    // each bad sequence, as QString::fromUtf8() reads it.
    QCOMPARE(decoder.decodeWithJsonTree(payload).error.kind, ErrorKind::InvalidJson);
    const EventDecoder::Result result = decoder.decode(payload);
    QVERIFY(result.ok());
    QCOMPARE(result.event.kind, Kind::MessageCreate);
    QCOMPARE(result.event.message.content, QString::fromUtf8(QByteArrayView("ok \xff\xfe end")));
    QVERIFY(result.event.message.content.contains(QChar::ReplacementCharacter));
    QCOMPARE(result.event.message.authorName, u"x\uFFFD"_s);
    QCOMPARE(result.event.message.id, 1180000000000000000ULL);
    QCOMPARE(result.event.data().value("content"_L1).toString(), result.event.message.content);
}

void tst_EventDecoder::tenMegabyteContent()
{
    EventDecoder decoder;
    QByteArray text(10 * 1024 * 1024, 'a');
    for (qsizetype i = 0; i < text.size(); i += 4096)
        text[i] = ' ';
    const QByteArray payload = message(R"("content":")" + text + '"');
    const EventDecoder::Result result = decoder.decode(payload);
    QCOMPARE(result.event.kind, Kind::MessageCreate);
    QCOMPARE(result.event.message.content.size(), text.size());
    QVERIFY(result.event.message.searchKey.isNull());
    requireAgreement(decoder, payload);
    // The decoder stays usable (and gives back the big buffers) afterwards.
    QCOMPARE(decoder.decode(message(R"("content":"small")")).event.message.content, u"small"_s);
}

void tst_EventDecoder::decodesFromAPaddedView()
{
    EventDecoder decoder;
    const QByteArray payload = message(R"("content":"from a view")");
    QByteArray buffer = payload + QByteArray(EventDecoder::PaddingBytes, 'x');
    const EventDecoder::Result result
            = decoder.decodePadded(QByteArrayView(buffer).first(payload.size()));
    QCOMPARE(result.event.message.content, u"from a view"_s);
    Differences differences;
    differences.compare(result, decoder.decodeWithJsonTree(payload));
    QVERIFY2(differences.isEmpty(), differences.report(payload).constData());
}

QTEST_GUILESS_MAIN(tst_EventDecoder)
#include "tst_eventdecoder.moc"
