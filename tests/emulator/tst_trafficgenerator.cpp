#include "core/gateway/intents.h"
#include "core/gateway/snowflake.h"
#include "emulator/trafficgenerator.h"
#include "emulator/wireformat.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QStringDecoder>
#include <QTest>

using namespace Qt::StringLiterals;
using Gatescope::Emulator::TrafficGenerator;
namespace Snowflake = Gatescope::Snowflake;
namespace Intents = Gatescope::Intents;
namespace WireFormat = Gatescope::Emulator::WireFormat;

namespace {

constexpr qint64 BaseMs = 1785000000000; // mid 2026

/// The clock used throughout: several events share each millisecond, so the increment matters.
qint64 clockAt(int i)
{
    return BaseMs + i / 3;
}

QByteArray serialise(const TrafficGenerator::Event &ev)
{
    QJsonObject o;
    o.insert(u"t"_s, ev.type);
    o.insert(u"d"_s, ev.data);
    o.insert(u"guild"_s, QString::number(ev.guildId));
    o.insert(u"intent"_s, qint64(ev.requiredIntent));
    o.insert(u"mentionsBot"_s, ev.mentionsBot);
    o.insert(u"fromBot"_s, ev.fromBot);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool isSnowflake(const QJsonValue &v)
{
    return v.isString() && Snowflake::parse(v.toString()).has_value();
}

quint64 idOf(const QJsonValue &v)
{
    return Snowflake::parse(v.toString()).value_or(0);
}

const QRegularExpression &isoPattern()
{
    static const QRegularExpression re(uR"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$)"_s);
    return re;
}

bool isIso(const QJsonValue &v)
{
    return v.isString() && isoPattern().match(v.toString()).hasMatch();
}

/// Checks one MESSAGE_CREATE/UPDATE `d` against protocol §11. Returns the first problem found.
QString messageProblem(const QJsonObject &m, bool update)
{
    const auto need = [&m](const char *key, bool ok) -> QString {
        if (!m.contains(QLatin1StringView(key)))
            return u"missing "_s + QLatin1StringView(key);
        return ok ? QString() : u"bad type for "_s + QLatin1StringView(key);
    };
    const QList<QString> problems = {
            need("id", isSnowflake(m[u"id"_s])),
            need("channel_id", isSnowflake(m[u"channel_id"_s])),
            need("author", m[u"author"_s].isObject() && isSnowflake(m[u"author"_s][u"id"_s])
                                   && m[u"author"_s][u"username"_s].isString()
                                   && m[u"author"_s][u"discriminator"_s].isString()),
            need("content", m[u"content"_s].isString()),
            need("timestamp", isIso(m[u"timestamp"_s])),
            // An UPDATE is an edit (ISO edited_timestamp) or a link preview (maybe still null).
            need("edited_timestamp", update ? isIso(m[u"edited_timestamp"_s])
                                                      || (m[u"edited_timestamp"_s].isNull()
                                                          && !m[u"embeds"_s].toArray().isEmpty())
                                            : m[u"edited_timestamp"_s].isNull()),
            need("tts", m[u"tts"_s].isBool() && !m[u"tts"_s].toBool()),
            need("mention_everyone", m[u"mention_everyone"_s].isBool()),
            need("mentions", m[u"mentions"_s].isArray()),
            need("mention_roles", m[u"mention_roles"_s].isArray()),
            need("attachments", m[u"attachments"_s].isArray()),
            need("embeds", m[u"embeds"_s].isArray()),
            need("pinned", m[u"pinned"_s].isBool()),
            need("type", m[u"type"_s].isDouble()),
            need("flags", m[u"flags"_s].isDouble()),
            need("components", m[u"components"_s].isArray()),
            need("channel_type", m[u"channel_type"_s].isDouble()),
    };
    for (const QString &p : problems) {
        if (!p.isEmpty())
            return p;
    }
    if (m[u"author"_s].toObject().contains(u"email"_s))
        return u"author carries private READY-only fields"_s;
    if (m.contains(u"nonce"_s) != (!update && !m.contains(u"webhook_id"_s)))
        return u"nonce: expected only on new non-webhook messages"_s;
    if (m.contains(u"nonce"_s) && !m[u"nonce"_s].isString())
        return u"nonce must be a string"_s;
    const bool guild = m.contains(u"guild_id"_s);
    if (guild && !isSnowflake(m[u"guild_id"_s]))
        return u"guild_id is not a snowflake string"_s;
    if (m.contains(u"member"_s)) {
        const QJsonObject member = m[u"member"_s].toObject();
        if (member.contains(u"user"_s))
            return u"member must not carry user"_s;
        if (!member[u"roles"_s].isArray() || !isIso(member[u"joined_at"_s])
            || !member[u"deaf"_s].isBool() || !member[u"mute"_s].isBool())
            return u"member fields"_s;
    }
    if (m.contains(u"webhook_id"_s)) {
        if (m.contains(u"member"_s))
            return u"webhook message with member"_s;
        if (m[u"webhook_id"_s] != m[u"author"_s][u"id"_s] || !m[u"author"_s][u"bot"_s].toBool())
            return u"webhook author"_s;
    } else if (guild != m.contains(u"member"_s)) {
        return u"member present iff guild message (non-webhook)"_s;
    }
    if (!guild && m[u"channel_type"_s].toInt() != 1)
        return u"DM without channel_type 1"_s;
    for (const QJsonValue &mention : m[u"mentions"_s].toArray()) {
        if (!isSnowflake(mention[u"id"_s]))
            return u"mention id"_s;
        if (guild
            && (!mention[u"member"_s].isObject() || mention[u"member"_s][u"user"_s].isObject()))
            return u"mention member"_s;
    }
    for (const QJsonValue &role : m[u"mention_roles"_s].toArray()) {
        if (!isSnowflake(role))
            return u"mention_roles entry"_s;
    }
    for (const QJsonValue &a : m[u"attachments"_s].toArray()) {
        if (!isSnowflake(a[u"id"_s]) || !a[u"filename"_s].isString() || !a[u"size"_s].isDouble()
            || !a[u"url"_s].toString().startsWith(u"https://"_s)
            || !a[u"proxy_url"_s].toString().startsWith(u"https://"_s)
            || !a[u"content_type"_s].isString())
            return u"attachment fields"_s;
        if (a[u"content_type"_s].toString().startsWith(u"image/"_s)
            && (!a[u"width"_s].isDouble() || !a[u"height"_s].isDouble()))
            return u"image without width/height"_s;
    }
    const int type = m[u"type"_s].toInt();
    if (type != 0 && type != 19)
        return u"unexpected type"_s;
    if ((type == 19) != (m.contains(u"message_reference"_s) && m.contains(u"referenced_message"_s)))
        return u"type 19 iff message_reference + referenced_message"_s;
    if (type == 19) {
        if (m[u"message_reference"_s][u"message_id"_s] != m[u"referenced_message"_s][u"id"_s])
            return u"reference ids differ"_s;
        if (m[u"message_reference"_s][u"channel_id"_s] != m[u"channel_id"_s])
            return u"reply in another channel"_s;
    }
    return {};
}

TrafficGenerator::Config defaultConfig(quint64 seed)
{
    TrafficGenerator::Config c;
    c.seed = seed;
    return c;
}

bool isDm(const TrafficGenerator::Event &ev)
{
    return ev.guildId == 0;
}

/// The intent table of protocol §4, written independently of the generator.
quint32 expectedIntent(const QString &type, bool dm)
{
    if (type.startsWith(u"MESSAGE_REACTION"_s))
        return dm ? Intents::DirectMessageReactions : Intents::GuildMessageReactions;
    if (type.startsWith(u"MESSAGE_"_s))
        return dm ? Intents::DirectMessages : Intents::GuildMessages;
    if (type == u"TYPING_START"_s)
        return dm ? Intents::DirectMessageTyping : Intents::GuildMessageTyping;
    if (type.startsWith(u"THREAD_"_s) || type.startsWith(u"CHANNEL_"_s)
        || type.startsWith(u"GUILD_"_s))
        return Intents::Guilds;
    return 0;
}

} // namespace

class tst_TrafficGenerator : public QObject
{
    Q_OBJECT

private slots:
    void isoTimestamp_data();
    void isoTimestamp();
    void determinism_data();
    void determinism();
    void differentSeedsDiffer();
    void snowflakesFollowTheClock();
    void botUser();
    void readyGuildsSplit_data();
    void readyGuildsSplit();
    void guildCreateShape_data();
    void guildCreateShape();
    void messageCreateFields_data();
    void messageCreateFields();
    void webhookMessages();
    void directMessages();
    void intentGating_data();
    void intentGating();
    void messageContentIntent();
    void shardRouting_data();
    void shardRouting();
    void editsAndDeletesReferToEarlierMessages();
    void mixContainsEveryEventType();
    void unicodeAndCsvHostileContent();
    void typingAndReactionShapes();
    void worldEventsUpdateTheWorld();
    void degenerateConfigs_data();
    void degenerateConfigs();
    void directJsonIsWhatQJsonDocumentWrites_data();
    void directJsonIsWhatQJsonDocumentWrites();
    void wireFormatJsonIsWhatQJsonDocumentWrites_data();
    void wireFormatJsonIsWhatQJsonDocumentWrites();
};

void tst_TrafficGenerator::isoTimestamp_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("expected");
    QTest::newRow("reference example")
            << qint64(1499794027299) << u"2017-07-11T17:27:07.299000+00:00"_s;
    QTest::newRow("epoch") << qint64(0) << u"1970-01-01T00:00:00.000000+00:00"_s;
    QTest::newRow("leap day") << qint64(951868799999) << u"2000-02-29T23:59:59.999000+00:00"_s;
    QTest::newRow("before epoch") << qint64(-1) << u"1969-12-31T23:59:59.999000+00:00"_s;
    QTest::newRow("discord epoch")
            << qint64(1420070400000) << u"2015-01-01T00:00:00.000000+00:00"_s;
    // Cross-check against QDateTime on a spread of instants.
    for (qint64 ms = 1420070400000; ms < 4102444800000; ms += 97'654'321'987)
        QTest::addRow("qdatetime %lld", ms)
                << ms
                << QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                                   .toString(u"yyyy-MM-ddTHH:mm:ss.zzz"_s)
                           + u"000+00:00"_s;
}

void tst_TrafficGenerator::isoTimestamp()
{
    QFETCH(qint64, ms);
    QFETCH(QString, expected);
    QCOMPARE(TrafficGenerator::isoTimestamp(ms), expected);
}

void tst_TrafficGenerator::determinism_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("guilds");
    QTest::newRow("seed 1") << quint64(1) << 3;
    QTest::newRow("seed 42, 7 guilds") << quint64(42) << 7;
    QTest::newRow("seed 2^63") << (quint64(1) << 63) << 2;
}

void tst_TrafficGenerator::determinism()
{
    QFETCH(quint64, seed);
    QFETCH(int, guilds);
    TrafficGenerator::Config c = defaultConfig(seed);
    c.guildCount = guilds;
    TrafficGenerator a(c);
    TrafficGenerator b(c);
    QCOMPARE(a.botUser(), b.botUser());
    QCOMPARE(a.guildIds(), b.guildIds());
    QCOMPARE(a.readyGuilds(0, 1), b.readyGuilds(0, 1));
    for (quint64 id : a.guildIds())
        QCOMPARE(QJsonDocument(a.guildCreate(id)).toJson(),
                 QJsonDocument(b.guildCreate(id)).toJson());
    for (int i = 0; i < 2000; ++i) {
        const QByteArray ea = serialise(a.next(clockAt(i)));
        const QByteArray eb = serialise(b.next(clockAt(i)));
        QCOMPARE(ea, eb);
    }
    // World events (renames, new threads) keep both worlds identical too.
    for (quint64 id : a.guildIds())
        QCOMPARE(QJsonDocument(a.guildCreate(id)).toJson(),
                 QJsonDocument(b.guildCreate(id)).toJson());
}

void tst_TrafficGenerator::differentSeedsDiffer()
{
    TrafficGenerator a(defaultConfig(1));
    TrafficGenerator b(defaultConfig(2));
    QCOMPARE_NE(a.botUser()[u"id"_s], b.botUser()[u"id"_s]);
    QCOMPARE_NE(a.guildIds(), b.guildIds());
    int differing = 0;
    for (int i = 0; i < 200; ++i)
        differing += serialise(a.next(clockAt(i))) != serialise(b.next(clockAt(i))) ? 1 : 0;
    QCOMPARE_GT(differing, 190);
}

void tst_TrafficGenerator::snowflakesFollowTheClock()
{
    TrafficGenerator gen(defaultConfig(7));
    quint64 previous = 0;
    int checked = 0;
    for (int i = 0; i < 20000; ++i) {
        // Up to 10 events per millisecond; the clock never goes back.
        const qint64 now = BaseMs + i / 10;
        const TrafficGenerator::Event ev = gen.next(now);
        if (ev.type != u"MESSAGE_CREATE"_s && ev.type != u"THREAD_CREATE"_s)
            continue;
        const quint64 id = idOf(ev.data[u"id"_s]);
        QCOMPARE(Snowflake::timestampMs(id), now);
        QCOMPARE_GT(id, previous);
        previous = id;
        for (const QJsonValue &a : ev.data[u"attachments"_s].toArray()) {
            QCOMPARE(Snowflake::timestampMs(idOf(a[u"id"_s])), now);
            QCOMPARE_GT(idOf(a[u"id"_s]), id);
            previous = idOf(a[u"id"_s]);
        }
        if (ev.type == u"MESSAGE_CREATE"_s) {
            QCOMPARE(ev.data[u"timestamp"_s].toString(), TrafficGenerator::isoTimestamp(now));
            ++checked;
        }
    }
    QCOMPARE_GT(checked, 10000);
    // The world's own ids (guilds, users) are older than any live message.
    for (quint64 id : gen.guildIds())
        QCOMPARE_LT(Snowflake::timestampMs(id), BaseMs);
}

void tst_TrafficGenerator::botUser()
{
    TrafficGenerator gen(defaultConfig(3));
    const QJsonObject bot = gen.botUser();
    QVERIFY(isSnowflake(bot[u"id"_s]));
    QCOMPARE(bot[u"bot"_s], QJsonValue(true));
    QCOMPARE(bot[u"discriminator"_s].toString(), u"0"_s);
    QVERIFY(bot[u"username"_s].isString());
    QVERIFY(bot[u"global_name"_s].isString());
    QVERIFY(bot.contains(u"avatar"_s));
    QVERIFY(bot.contains(u"verified"_s));
    QCOMPARE(gen.botUser(), bot);
}

void tst_TrafficGenerator::readyGuildsSplit_data()
{
    QTest::addColumn<int>("guilds");
    QTest::addColumn<int>("shards");
    QTest::newRow("1 shard") << 5 << 1;
    QTest::newRow("2 shards") << 9 << 2;
    QTest::newRow("3 shards") << 20 << 3;
    QTest::newRow("more shards than guilds") << 4 << 16;
}

void tst_TrafficGenerator::readyGuildsSplit()
{
    QFETCH(int, guilds);
    QFETCH(int, shards);
    TrafficGenerator::Config c = defaultConfig(11);
    c.guildCount = guilds;
    c.usersPerGuild = 5;
    TrafficGenerator gen(c);
    const QList<quint64> all = gen.guildIds();
    QCOMPARE(all.size(), guilds);
    QList<quint64> seen;
    for (int shard = 0; shard < shards; ++shard) {
        for (const QJsonValue &g : gen.readyGuilds(shard, shards)) {
            QCOMPARE(g.toObject().size(), 2);
            QCOMPARE(g[u"unavailable"_s], QJsonValue(true));
            QVERIFY(isSnowflake(g[u"id"_s]));
            const quint64 id = idOf(g[u"id"_s]);
            QCOMPARE(int((id >> 22) % quint64(shards)), shard);
            seen.append(id);
        }
    }
    std::sort(seen.begin(), seen.end());
    QList<quint64> expected = all;
    std::sort(expected.begin(), expected.end());
    QCOMPARE(seen, expected);
}

void tst_TrafficGenerator::guildCreateShape_data()
{
    QTest::addColumn<int>("users");
    QTest::addColumn<int>("threads");
    QTest::newRow("small") << 40 << 2;
    QTest::newRow("large guild") << 120 << 5;
    QTest::newRow("no threads") << 3 << 0;
}

void tst_TrafficGenerator::guildCreateShape()
{
    QFETCH(int, users);
    QFETCH(int, threads);
    TrafficGenerator::Config c = defaultConfig(5);
    c.usersPerGuild = users;
    c.threadsPerGuild = threads;
    TrafficGenerator gen(c);
    const QString botId = gen.botUser()[u"id"_s].toString();
    QVERIFY(gen.guildCreate(12345).isEmpty());
    for (quint64 id : gen.guildIds()) {
        const QJsonObject g = gen.guildCreate(id);
        QCOMPARE(g[u"id"_s].toString(), Snowflake::toString(id));
        QVERIFY(g[u"name"_s].isString());
        QCOMPARE(g[u"unavailable"_s], QJsonValue(false));
        QVERIFY(isIso(g[u"joined_at"_s]));
        QVERIFY(isSnowflake(g[u"owner_id"_s]));
        QCOMPARE(g[u"member_count"_s].toInt(), users + 1);
        QCOMPARE(g[u"large"_s].toBool(), users + 1 > 50);
        for (const char *key :
             {"presences", "voice_states", "stage_instances", "guild_scheduled_events",
              "soundboard_sounds", "emojis", "stickers", "roles", "features"})
            QVERIFY2(g[QLatin1StringView(key)].isArray(), key);

        bool everyone = false;
        for (const QJsonValue &r : g[u"roles"_s].toArray()) {
            QVERIFY(isSnowflake(r[u"id"_s]));
            QVERIFY(r[u"permissions"_s].isString());
            everyone = everyone || (r[u"id"_s] == g[u"id"_s] && r[u"name"_s] == u"@everyone"_s);
        }
        QVERIFY(everyone);

        const QJsonArray members = g[u"members"_s].toArray();
        QCOMPARE_LE(members.size(), g[u"member_count"_s].toInt());
        bool botListed = false;
        for (const QJsonValue &m : members) {
            QVERIFY(m[u"user"_s].isObject());
            QVERIFY(isIso(m[u"joined_at"_s]));
            botListed = botListed || m[u"user"_s][u"id"_s].toString() == botId;
        }
        QVERIFY(botListed);

        QString categoryId;
        QSet<QString> textIds;
        const QJsonArray channels = g[u"channels"_s].toArray();
        for (const QJsonValue &ch : channels) {
            QVERIFY2(!ch.toObject().contains(u"guild_id"_s), "channels carry no guild_id");
            QVERIFY(isSnowflake(ch[u"id"_s]));
            if (ch[u"type"_s].toInt() == 4) {
                QVERIFY(categoryId.isEmpty());
                categoryId = ch[u"id"_s].toString();
            }
        }
        QVERIFY(!categoryId.isEmpty());
        int texts = 0;
        for (const QJsonValue &ch : channels) {
            const int type = ch[u"type"_s].toInt();
            QVERIFY(type == 0 || type == 2 || type == 4 || type == 5);
            if (type != 4)
                QCOMPARE(ch[u"parent_id"_s].toString(), categoryId);
            if (type == 0 || type == 5) {
                ++texts;
                textIds.insert(ch[u"id"_s].toString());
            }
        }
        QCOMPARE(texts, c.textChannelsPerGuild);

        const QJsonArray threadList = g[u"threads"_s].toArray();
        QCOMPARE(threadList.size(), threads);
        for (const QJsonValue &t : threadList) {
            const int type = t[u"type"_s].toInt();
            QVERIFY(type == 11 || type == 12);
            QCOMPARE(t[u"guild_id"_s], g[u"id"_s]);
            QVERIFY(textIds.contains(t[u"parent_id"_s].toString()));
            QVERIFY(isSnowflake(t[u"owner_id"_s]));
            QVERIFY(t[u"member_count"_s].isDouble());
            QVERIFY(t[u"thread_metadata"_s][u"archived"_s].isBool());
            QVERIFY(isIso(t[u"thread_metadata"_s][u"archive_timestamp"_s]));
        }
    }
}

void tst_TrafficGenerator::messageCreateFields_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("typicalBytes");
    QTest::newRow("default") << quint64(1) << 120;
    QTest::newRow("short messages") << quint64(99) << 20;
    QTest::newRow("long messages") << quint64(1234) << 900;
}

void tst_TrafficGenerator::messageCreateFields()
{
    QFETCH(quint64, seed);
    QFETCH(int, typicalBytes);
    TrafficGenerator::Config c = defaultConfig(seed);
    c.typicalContentBytes = typicalBytes;
    c.dmShare = 0.1;
    TrafficGenerator gen(c);
    QSet<QString> created;
    int creates = 0;
    int updates = 0;
    for (int i = 0; i < 6000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        const bool update = ev.type == u"MESSAGE_UPDATE"_s;
        if (ev.type != u"MESSAGE_CREATE"_s && !update)
            continue;
        const QString problem = messageProblem(ev.data, update);
        QVERIFY2(problem.isEmpty(), qPrintable(problem + u": "_s
                                               + QString::fromUtf8(QJsonDocument(ev.data).toJson(
                                                       QJsonDocument::Compact))));
        QCOMPARE(ev.data.contains(u"guild_id"_s), !isDm(ev));
        QCOMPARE(idOf(ev.data[u"guild_id"_s]), ev.guildId);
        QVERIFY(ev.data[u"content"_s].toString().size() <= 2000);
        if (ev.data[u"type"_s].toInt() == 19) {
            const QJsonObject referenced = ev.data[u"referenced_message"_s].toObject();
            QVERIFY(created.contains(referenced[u"id"_s].toString()));
            QVERIFY(!referenced.contains(u"referenced_message"_s));
        }
        if (update) {
            ++updates;
        } else {
            ++creates;
            created.insert(ev.data[u"id"_s].toString());
        }
    }
    QCOMPARE_GT(creates, 4000);
    QCOMPARE_GT(updates, 100);
}

void tst_TrafficGenerator::webhookMessages()
{
    TrafficGenerator gen(defaultConfig(8));
    int webhooks = 0;
    for (int i = 0; i < 5000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        if (ev.type != u"MESSAGE_CREATE"_s || !ev.data.contains(u"webhook_id"_s))
            continue;
        ++webhooks;
        QVERIFY(isSnowflake(ev.data[u"webhook_id"_s]));
        QCOMPARE(ev.data[u"author"_s][u"id"_s], ev.data[u"webhook_id"_s]);
        QCOMPARE(ev.data[u"author"_s][u"bot"_s], QJsonValue(true));
        QVERIFY(!ev.data.contains(u"member"_s));
        QVERIFY(!ev.data.contains(u"nonce"_s));
        QVERIFY(ev.data.contains(u"guild_id"_s));
        QCOMPARE(ev.data[u"type"_s].toInt(), 0);
    }
    QCOMPARE_GT(webhooks, 20);
}

void tst_TrafficGenerator::directMessages()
{
    TrafficGenerator::Config c = defaultConfig(9);
    c.dmShare = 0.5;
    TrafficGenerator gen(c);
    int dms = 0;
    for (int i = 0; i < 3000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        if (ev.type != u"MESSAGE_CREATE"_s || !isDm(ev))
            continue;
        ++dms;
        QVERIFY(!ev.data.contains(u"guild_id"_s));
        QVERIFY(!ev.data.contains(u"member"_s));
        QCOMPARE(ev.data[u"channel_type"_s].toInt(), 1);
        QCOMPARE(ev.requiredIntent, quint32(Intents::DirectMessages));
        for (int shard = 0; shard < 4; ++shard)
            QCOMPARE(TrafficGenerator::deliver(ev, shard, 4, Intents::AllDocumented).has_value(),
                     shard == 0);
        // Content stays visible in DMs without MESSAGE_CONTENT.
        const auto delivered = TrafficGenerator::deliver(ev, 0, 1, Intents::DirectMessages);
        QVERIFY(delivered);
        QCOMPARE(*delivered, ev.data);
    }
    QCOMPARE_GT(dms, 800);
}

void tst_TrafficGenerator::intentGating_data()
{
    QTest::addColumn<int>("shards");
    QTest::addColumn<double>("dmShare");
    QTest::newRow("1 shard") << 1 << 0.05;
    QTest::newRow("3 shards, many DMs") << 3 << 0.4;
}

void tst_TrafficGenerator::intentGating()
{
    QFETCH(int, shards);
    QFETCH(double, dmShare);
    TrafficGenerator::Config c = defaultConfig(21);
    c.dmShare = dmShare;
    c.messageShare = 0.5;
    TrafficGenerator gen(c);
    QSet<QString> typesSeen;
    for (int i = 0; i < 8000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        const quint32 intent = expectedIntent(ev.type, isDm(ev));
        QVERIFY2(intent != 0, qPrintable(ev.type));
        QCOMPARE(ev.requiredIntent, intent);
        const int shard = isDm(ev) ? 0 : int((ev.guildId >> 22) % quint64(shards));
        // Every intent except the required one: never delivered.
        QVERIFY(!TrafficGenerator::deliver(ev, shard, shards, Intents::AllDocumented & ~intent));
        // Just the required one: delivered (maybe with blanked content).
        QVERIFY(TrafficGenerator::deliver(ev, shard, shards, intent));
        typesSeen.insert(ev.type + (isDm(ev) ? u" dm"_s : u" guild"_s));
    }
    for (const char *t : {"MESSAGE_CREATE guild", "MESSAGE_CREATE dm", "MESSAGE_UPDATE dm",
                          "MESSAGE_DELETE dm", "MESSAGE_REACTION_ADD dm", "TYPING_START dm",
                          "TYPING_START guild", "MESSAGE_REACTION_ADD guild"})
        QVERIFY2(typesSeen.contains(QLatin1StringView(t)), t);
}

void tst_TrafficGenerator::messageContentIntent()
{
    TrafficGenerator::Config c = defaultConfig(31);
    c.dmShare = 0.1;
    TrafficGenerator gen(c);
    const QString botId = gen.botUser()[u"id"_s].toString();
    const quint32 noContent = Intents::Guilds | Intents::GuildMessages | Intents::DirectMessages;
    int blanked = 0;
    int mentionKept = 0;
    int ownKept = 0;
    int blankedReferences = 0;
    int keptReferences = 0;
    for (int i = 0; i < 12000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        if (ev.type != u"MESSAGE_CREATE"_s && ev.type != u"MESSAGE_UPDATE"_s)
            continue;
        bool mentionsBot = false;
        for (const QJsonValue &m : ev.data[u"mentions"_s].toArray())
            mentionsBot = mentionsBot || m[u"id"_s].toString() == botId;
        QCOMPARE(ev.mentionsBot, mentionsBot);
        QCOMPARE(ev.fromBot, ev.data[u"author"_s][u"id"_s].toString() == botId);

        const auto full = TrafficGenerator::deliver(ev, 0, 1, noContent | Intents::MessageContent);
        QVERIFY(full);
        QCOMPARE(*full, ev.data);
        const auto d = TrafficGenerator::deliver(ev, 0, 1, noContent);
        QVERIFY(d);
        if (isDm(ev) || ev.mentionsBot || ev.fromBot) {
            QCOMPARE((*d)[u"content"_s], ev.data[u"content"_s]);
            QCOMPARE((*d)[u"embeds"_s], ev.data[u"embeds"_s]);
            QCOMPARE((*d)[u"attachments"_s], ev.data[u"attachments"_s]);
            if (ev.mentionsBot && !ev.data[u"content"_s].toString().isEmpty()) {
                ++mentionKept;
            }
            ownKept += ev.fromBot ? 1 : 0;
        } else {
            QCOMPARE((*d)[u"content"_s].toString(), QString());
            QCOMPARE((*d)[u"embeds"_s].toArray(), QJsonArray());
            QCOMPARE((*d)[u"attachments"_s].toArray(), QJsonArray());
            QCOMPARE((*d)[u"components"_s].toArray(), QJsonArray());
            QVERIFY(!d->contains(u"poll"_s));
            // Ids, author and timestamps are not content and stay.
            QCOMPARE((*d)[u"id"_s], ev.data[u"id"_s]);
            QCOMPARE((*d)[u"author"_s], ev.data[u"author"_s]);
            QCOMPARE((*d)[u"mentions"_s], ev.data[u"mentions"_s]);
            blanked += ev.data[u"content"_s].toString().isEmpty() ? 0 : 1;
        }
        if (d->contains(u"referenced_message"_s) && !ev.referencedContentVisible) {
            QCOMPARE((*d)[u"referenced_message"_s][u"content"_s].toString(), QString());
            QCOMPARE((*d)[u"referenced_message"_s][u"id"_s],
                     ev.data[u"referenced_message"_s][u"id"_s]);
            ++blankedReferences;
        } else if (d->contains(u"referenced_message"_s)) {
            // Replies to the bot, to a mention of it, or in DMs keep the quoted content.
            QCOMPARE((*d)[u"referenced_message"_s], ev.data[u"referenced_message"_s]);
            ++keptReferences;
        }
    }
    QCOMPARE_GT(blanked, 1000);
    QCOMPARE_GT(mentionKept, 50);
    QCOMPARE_GT(ownKept, 10);
    QCOMPARE_GT(blankedReferences, 50);
    QCOMPARE_GT(keptReferences, 5);
}

void tst_TrafficGenerator::shardRouting_data()
{
    QTest::addColumn<int>("shards");
    QTest::newRow("1") << 1;
    QTest::newRow("2") << 2;
    QTest::newRow("5") << 5;
}

void tst_TrafficGenerator::shardRouting()
{
    QFETCH(int, shards);
    TrafficGenerator::Config c = defaultConfig(13);
    c.guildCount = 8;
    TrafficGenerator gen(c);
    for (int i = 0; i < 3000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        int receivers = 0;
        for (int shard = 0; shard < shards; ++shard) {
            if (TrafficGenerator::deliver(ev, shard, shards, Intents::AllDocumented)) {
                ++receivers;
                QCOMPARE(shard, isDm(ev) ? 0 : int((ev.guildId >> 22) % quint64(shards)));
            }
        }
        QCOMPARE(receivers, 1);
        if (!isDm(ev)) {
            const QString gid = ev.type == u"GUILD_UPDATE"_s ? ev.data[u"id"_s].toString()
                                                             : ev.data[u"guild_id"_s].toString();
            QCOMPARE(gid, Snowflake::toString(ev.guildId));
        }
    }
}

void tst_TrafficGenerator::editsAndDeletesReferToEarlierMessages()
{
    TrafficGenerator::Config c = defaultConfig(17);
    c.messageShare = 0.5;
    c.dmShare = 0.1;
    TrafficGenerator gen(c);
    QHash<QString, QString> channelOf; // message id -> channel id, for live messages
    QHash<QString, QString> lastContent;
    QHash<QString, QJsonValue> lastEdited;
    QSet<QString> deleted;
    QSet<QString> liveReactions;
    const auto reactionKey = [](const QJsonObject &d) {
        return d[u"message_id"_s].toString() + u'|' + d[u"user_id"_s].toString() + u'|'
               + QString::fromUtf8(QJsonDocument(d[u"emoji"_s].toObject()).toJson());
    };
    int edits = 0;
    int unfurls = 0;
    int deletes = 0;
    int bulks = 0;
    int removals = 0;
    for (int i = 0; i < 15000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        const QJsonObject &d = ev.data;
        if (ev.type == u"MESSAGE_CREATE"_s) {
            channelOf.insert(d[u"id"_s].toString(), d[u"channel_id"_s].toString());
            lastContent.insert(d[u"id"_s].toString(), d[u"content"_s].toString());
            lastEdited.insert(d[u"id"_s].toString(), QJsonValue(QJsonValue::Null));
        } else if (ev.type == u"MESSAGE_UPDATE"_s) {
            const QString id = d[u"id"_s].toString();
            QVERIFY2(channelOf.contains(id), "edit of a message never created or already deleted");
            QCOMPARE(d[u"channel_id"_s].toString(), channelOf.value(id));
            if (d[u"content"_s].toString() == lastContent.value(id)) {
                // A link preview, not an edit: same text and edit time, plus an embed for a
                // link that is in the text.
                QCOMPARE(d[u"edited_timestamp"_s], lastEdited.value(id));
                const QString url = d[u"embeds"_s][0][u"url"_s].toString();
                QVERIFY(!url.isEmpty() && d[u"content"_s].toString().contains(url));
                ++unfurls;
                continue;
            }
            QCOMPARE_LE(d[u"timestamp"_s].toString(), d[u"edited_timestamp"_s].toString());
            lastContent.insert(id, d[u"content"_s].toString());
            lastEdited.insert(id, d[u"edited_timestamp"_s]);
            ++edits;
        } else if (ev.type == u"MESSAGE_DELETE"_s) {
            const QString id = d[u"id"_s].toString();
            QVERIFY(channelOf.contains(id));
            QCOMPARE(d[u"channel_id"_s].toString(), channelOf.take(id));
            deleted.insert(id);
            ++deletes;
        } else if (ev.type == u"MESSAGE_DELETE_BULK"_s) {
            const QJsonArray ids = d[u"ids"_s].toArray();
            QCOMPARE_GE(ids.size(), 2);
            QVERIFY(d.contains(u"guild_id"_s));
            for (const QJsonValue &id : ids) {
                QVERIFY(channelOf.contains(id.toString()));
                QCOMPARE(channelOf.take(id.toString()), d[u"channel_id"_s].toString());
                deleted.insert(id.toString());
            }
            ++bulks;
        } else if (ev.type == u"MESSAGE_REACTION_ADD"_s) {
            QVERIFY(channelOf.contains(d[u"message_id"_s].toString()));
            QCOMPARE(d[u"channel_id"_s].toString(), channelOf.value(d[u"message_id"_s].toString()));
            QVERIFY(d[u"emoji"_s].toObject().contains(u"name"_s));
            liveReactions.insert(reactionKey(d));
        } else if (ev.type == u"MESSAGE_REACTION_REMOVE"_s) {
            QVERIFY2(liveReactions.contains(reactionKey(d)), "removal of a reaction never added");
            QVERIFY(!deleted.contains(d[u"message_id"_s].toString()));
            ++removals;
        }
    }
    QCOMPARE_GT(edits, 500);
    QCOMPARE_GT(unfurls, 10);
    QCOMPARE_GT(deletes, 300);
    QCOMPARE_GT(bulks, 20);
    QCOMPARE_GT(removals, 100);
}

void tst_TrafficGenerator::mixContainsEveryEventType()
{
    TrafficGenerator gen(defaultConfig(1));
    QHash<QString, int> counts;
    int replies = 0, dms = 0, attachmentsOnly = 0, embeds = 0, polls = 0, longTexts = 0,
        mentionsBot = 0, threadMessages = 0, announcements = 0, components = 0, everyone = 0;
    for (int i = 0; i < 20000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        ++counts[ev.type];
        if (ev.type != u"MESSAGE_CREATE"_s)
            continue;
        const QJsonObject &d = ev.data;
        replies += d[u"type"_s].toInt() == 19;
        dms += isDm(ev);
        attachmentsOnly
                += d[u"content"_s].toString().isEmpty() && !d[u"attachments"_s].toArray().isEmpty();
        embeds += !d[u"embeds"_s].toArray().isEmpty();
        polls += d.contains(u"poll"_s);
        longTexts += d[u"content"_s].toString().size() >= 1000;
        mentionsBot += ev.mentionsBot;
        threadMessages += d[u"channel_type"_s].toInt() == 11 || d[u"channel_type"_s].toInt() == 12;
        announcements += d[u"channel_type"_s].toInt() == 5;
        components += !d[u"components"_s].toArray().isEmpty();
        everyone += d[u"mention_everyone"_s].toBool();
    }
    for (const char *type :
         {"MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_DELETE_BULK",
          "MESSAGE_REACTION_ADD", "MESSAGE_REACTION_REMOVE", "TYPING_START", "THREAD_CREATE",
          "CHANNEL_UPDATE", "GUILD_UPDATE"})
        QVERIFY2(counts.value(QLatin1StringView(type)) > 5, type);
    // The configured share of MESSAGE_CREATE (0.8), give or take.
    QCOMPARE_GT(counts.value(u"MESSAGE_CREATE"_s), 15500);
    QCOMPARE_LT(counts.value(u"MESSAGE_CREATE"_s), 17000);
    for (int n : {replies, dms, attachmentsOnly, embeds, polls, longTexts, mentionsBot,
                  threadMessages, components, everyone})
        QCOMPARE_GT(n, 5);
    Q_UNUSED(announcements); // depends on the seed's channel layout
}

void tst_TrafficGenerator::unicodeAndCsvHostileContent()
{
    TrafficGenerator gen(defaultConfig(1));
    bool cjk = false, arabic = false, hebrew = false, combining = false, emoji = false,
         newline = false, quote = false, comma = false, formula = false, plusSign = false,
         link = false, customEmoji = false, codeBlock = false, channelMention = false;
    QStringDecoder utf8(QStringDecoder::Utf8);
    for (int i = 0; i < 10000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        const QByteArray json = QJsonDocument(ev.data).toJson(QJsonDocument::Compact);
        const QString decoded = utf8.decode(json);
        QVERIFY2(!utf8.hasError(), "serialised JSON is not valid UTF-8");
        QCOMPARE(QJsonDocument::fromJson(json).object(), ev.data);
        if (ev.type != u"MESSAGE_CREATE"_s)
            continue;
        const QString content = ev.data[u"content"_s].toString();
        for (qsizetype k = 0; k < content.size(); ++k) {
            const char32_t ch = content.at(k).isHighSurrogate() && k + 1 < content.size()
                                        ? QChar::surrogateToUcs4(content.at(k), content.at(k + 1))
                                        : content.at(k).unicode();
            cjk = cjk || (ch >= 0x4E00 && ch <= 0x9FFF) || (ch >= 0x3040 && ch <= 0x30FF);
            arabic = arabic || (ch >= 0x0600 && ch <= 0x06FF);
            hebrew = hebrew || (ch >= 0x0590 && ch <= 0x05FF);
            combining = combining || QChar::category(ch) == QChar::Mark_NonSpacing;
            emoji = emoji || ch >= 0x1F300;
        }
        newline = newline || content.contains(u'\n');
        quote = quote || content.contains(u'"');
        comma = comma || content.contains(u',');
        formula = formula || content.startsWith(u'=');
        plusSign = plusSign || content.startsWith(u'+');
        link = link || content.contains(u"https://"_s);
        customEmoji = customEmoji || content.contains(QRegularExpression(u"<a?:\\w+:\\d+>"_s));
        codeBlock = codeBlock || content.contains(u"```"_s);
        channelMention = channelMention || content.contains(QRegularExpression(u"<#\\d+>"_s));
    }
    QVERIFY(cjk);
    QVERIFY(arabic);
    QVERIFY(hebrew);
    QVERIFY(combining);
    QVERIFY(emoji);
    QVERIFY(newline);
    QVERIFY(quote);
    QVERIFY(comma);
    QVERIFY(formula);
    QVERIFY(plusSign);
    QVERIFY(link);
    QVERIFY(customEmoji);
    QVERIFY(codeBlock);
    QVERIFY(channelMention);
}

void tst_TrafficGenerator::typingAndReactionShapes()
{
    TrafficGenerator::Config c = defaultConfig(4);
    c.messageShare = 0.3;
    c.dmShare = 0.2;
    TrafficGenerator gen(c);
    const QString botId = gen.botUser()[u"id"_s].toString();
    QHash<QString, QString> dmPartner; // DM channel id -> the human writing in it
    int typing = 0;
    int reactions = 0;
    for (int i = 0; i < 5000; ++i) {
        const qint64 now = BaseMs + i * 7;
        const TrafficGenerator::Event ev = gen.next(now);
        const QJsonObject &d = ev.data;
        if (ev.type == u"MESSAGE_CREATE"_s && isDm(ev) && !ev.fromBot)
            dmPartner.insert(d[u"channel_id"_s].toString(), d[u"author"_s][u"id"_s].toString());
        if (ev.type == u"TYPING_START"_s) {
            ++typing;
            // Unix seconds, an integer, not an ISO string and not milliseconds.
            QVERIFY(d[u"timestamp"_s].isDouble());
            QCOMPARE(qint64(d[u"timestamp"_s].toDouble()), now / 1000);
            QVERIFY(isSnowflake(d[u"user_id"_s]));
            QVERIFY(isSnowflake(d[u"channel_id"_s]));
            QCOMPARE(d.contains(u"guild_id"_s), !isDm(ev));
            QCOMPARE(d.contains(u"member"_s), !isDm(ev));
            if (!isDm(ev))
                QCOMPARE(d[u"member"_s][u"user"_s][u"id"_s], d[u"user_id"_s]);
        } else if (ev.type == u"MESSAGE_REACTION_ADD"_s) {
            ++reactions;
            QVERIFY(isSnowflake(d[u"user_id"_s]));
            QVERIFY(isSnowflake(d[u"message_id"_s]));
            QVERIFY(isSnowflake(d[u"message_author_id"_s]));
            QVERIFY(d[u"burst"_s].isBool());
            QVERIFY(d[u"type"_s].isDouble());
            QVERIFY(d[u"emoji"_s][u"name"_s].isString());
            QVERIFY(d[u"emoji"_s][u"id"_s].isNull() || isSnowflake(d[u"emoji"_s][u"id"_s]));
            QCOMPARE(d.contains(u"member"_s), !isDm(ev));
            const QString partner = dmPartner.value(d[u"channel_id"_s].toString());
            if (isDm(ev) && !partner.isEmpty())
                QVERIFY(d[u"user_id"_s] == botId || d[u"user_id"_s] == partner);
        } else if (ev.type == u"MESSAGE_REACTION_REMOVE"_s) {
            QVERIFY(!d.contains(u"member"_s));
            QVERIFY(!d.contains(u"message_author_id"_s));
        }
    }
    QCOMPARE_GT(typing, 300);
    QCOMPARE_GT(reactions, 300);
}

void tst_TrafficGenerator::worldEventsUpdateTheWorld()
{
    TrafficGenerator::Config c = defaultConfig(6);
    c.messageShare = 0.2;
    TrafficGenerator gen(c);
    int threads = 0, channelRenames = 0, guildRenames = 0;
    for (int i = 0; i < 5000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        const QJsonObject &d = ev.data;
        if (ev.type == u"THREAD_CREATE"_s) {
            ++threads;
            QCOMPARE(d[u"newly_created"_s], QJsonValue(true));
            QCOMPARE(d[u"type"_s].toInt(), 11);
            QCOMPARE(idOf(d[u"guild_id"_s]), ev.guildId);
            bool parentKnown = false;
            for (const QJsonValue &ch : gen.guildCreate(ev.guildId)[u"channels"_s].toArray())
                parentKnown = parentKnown || ch[u"id"_s] == d[u"parent_id"_s];
            QVERIFY(parentKnown);
            bool listed = false;
            for (const QJsonValue &t : gen.guildCreate(ev.guildId)[u"threads"_s].toArray())
                listed = listed || t[u"id"_s] == d[u"id"_s];
            QVERIFY(listed);
        } else if (ev.type == u"CHANNEL_UPDATE"_s) {
            ++channelRenames;
            QCOMPARE(idOf(d[u"guild_id"_s]), ev.guildId);
            bool renamed = false;
            for (const QJsonValue &ch : gen.guildCreate(ev.guildId)[u"channels"_s].toArray())
                renamed = renamed || (ch[u"id"_s] == d[u"id"_s] && ch[u"name"_s] == d[u"name"_s]);
            QVERIFY(renamed);
        } else if (ev.type == u"GUILD_UPDATE"_s) {
            ++guildRenames;
            QCOMPARE(idOf(d[u"id"_s]), ev.guildId);
            QVERIFY(!d.contains(u"channels"_s));
            QVERIFY(!d.contains(u"members"_s));
            QCOMPARE(gen.guildCreate(ev.guildId)[u"name"_s], d[u"name"_s]);
        }
    }
    QCOMPARE_GT(threads, 20);
    QCOMPARE_GT(channelRenames, 20);
    QCOMPARE_GT(guildRenames, 20);
    // New threads do not grow the world without bound.
    for (quint64 id : gen.guildIds())
        QCOMPARE_LE(gen.guildCreate(id)[u"threads"_s].toArray().size(), c.threadsPerGuild + 8);
}

void tst_TrafficGenerator::degenerateConfigs_data()
{
    QTest::addColumn<int>("guilds");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("users");
    QTest::addColumn<double>("messageShare");
    QTest::addColumn<double>("dmShare");
    QTest::newRow("no guilds") << 0 << 4 << 10 << 0.8 << 0.0;
    QTest::newRow("zero channels and users") << 2 << 0 << 0 << 0.8 << 0.02;
    QTest::newRow("only messages") << 1 << 1 << 2 << 1.0 << 0.0;
    QTest::newRow("no messages") << 2 << 2 << 5 << 0.0 << 0.5;
    QTest::newRow("out of range shares") << 2 << 2 << 5 << 7.0 << -3.0;
}

void tst_TrafficGenerator::degenerateConfigs()
{
    QFETCH(int, guilds);
    QFETCH(int, channels);
    QFETCH(int, users);
    QFETCH(double, messageShare);
    QFETCH(double, dmShare);
    TrafficGenerator::Config c = defaultConfig(77);
    c.guildCount = guilds;
    c.textChannelsPerGuild = channels;
    c.usersPerGuild = users;
    c.messageShare = messageShare;
    c.dmShare = dmShare;
    TrafficGenerator gen(c);
    QCOMPARE(gen.guildIds().size(), guilds);
    for (quint64 id : gen.guildIds())
        QVERIFY(!gen.guildCreate(id)[u"channels"_s].toArray().isEmpty());
    for (int i = 0; i < 2000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        QVERIFY(!ev.type.isEmpty());
        if (ev.type == u"MESSAGE_CREATE"_s) {
            const QString problem = messageProblem(ev.data, false);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
        QVERIFY(TrafficGenerator::deliver(ev, 0, 1, Intents::AllDocumented));
    }
}

void tst_TrafficGenerator::directJsonIsWhatQJsonDocumentWrites_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("guilds");
    QTest::addColumn<double>("dmShare");
    QTest::newRow("seed 1") << quint64(1) << 3 << 0.02;
    QTest::newRow("seed 9, 12 guilds") << quint64(9) << 12 << 0.02;
    QTest::newRow("seed 5, mostly DMs") << quint64(5) << 2 << 0.7;
}

void tst_TrafficGenerator::directJsonIsWhatQJsonDocumentWrites()
{
    // The server writes MESSAGE_CREATE from Event::json; the wire must not change by that.
    QFETCH(quint64, seed);
    QFETCH(int, guilds);
    QFETCH(double, dmShare);
    TrafficGenerator::Config c = defaultConfig(seed);
    c.guildCount = guilds;
    c.dmShare = dmShare;
    TrafficGenerator gen(c);
    const quint32 all = Intents::AllDocumented;
    const QList<quint32> intentSets{all, all & ~quint32(Intents::MessageContent),
                                    quint32(Intents::GuildMessages | Intents::DirectMessages)};
    int direct = 0;
    for (int i = 0; i < 20000; ++i) {
        const TrafficGenerator::Event ev = gen.next(clockAt(i));
        if (!ev.json.isEmpty()) {
            ++direct;
            QCOMPARE(ev.json, QJsonDocument(ev.data).toJson(QJsonDocument::Compact));
        }
        for (quint32 intents : intentSets) {
            for (int shard = 0; shard < 2; ++shard) {
                const auto d = TrafficGenerator::deliver(ev, shard, 2, intents);
                const auto json = TrafficGenerator::deliverJson(ev, shard, 2, intents);
                QCOMPARE(json.has_value(), d.has_value());
                if (d)
                    QCOMPARE(*json, QJsonDocument(*d).toJson(QJsonDocument::Compact));
            }
        }
    }
    QCOMPARE_GT(direct, 15000);
}

void tst_TrafficGenerator::wireFormatJsonIsWhatQJsonDocumentWrites_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("numbers") << QJsonValue(QJsonArray{
            0, -1, qint64(9007199254740993), std::numeric_limits<qint64>::min(), 0.5, -0.0,
            1785000000.0, 1e300, 3.14159, 1e-7, std::numeric_limits<double>::infinity()});
    QTest::newRow("escapes") << QJsonValue(
            QJsonObject{{u"control"_s, u"\u0001\u001f\u007f\b\f\n\r\t\"\\/"_s},
                        {u"lone surrogates"_s, QString(QChar(0xD800)) + u"x"_s + QChar(0xDC00)},
                        {u"unicode"_s, u"é 日本 👍🏽 \u200d"_s},
                        {u"key \"quoted\""_s, QJsonValue::Null}});
    QTest::newRow("nesting") << QJsonValue(
            QJsonArray{QJsonArray(), QJsonObject(),
                       QJsonArray{QJsonObject{{u"b"_s, true}, {u"a"_s, false}}}, u""_s});
    TrafficGenerator gen(defaultConfig(3));
    QTest::newRow("bot user") << QJsonValue(gen.botUser());
    for (quint64 id : gen.guildIds())
        QTest::addRow("guild create %llu", id) << QJsonValue(gen.guildCreate(id));
}

void tst_TrafficGenerator::wireFormatJsonIsWhatQJsonDocumentWrites()
{
    QFETCH(QJsonValue, value);
    const QByteArray expected
            = value.isObject() ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                               : QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    QCOMPARE(WireFormat::json(value), expected);
}

QTEST_GUILESS_MAIN(tst_TrafficGenerator)
#include "tst_trafficgenerator.moc"
