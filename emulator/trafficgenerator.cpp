#include "emulator/trafficgenerator.h"

#include "core/gateway/intents.h"
#include "core/gateway/snowflake.h"
#include "emulator/wireformat.h"

#include <QHash>
#include <QSet>
#include <QUrl>

#include <algorithm>
#include <array>
#include <deque>
#include <iterator>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

namespace {

/// splitmix64: tiny, fast, and identical everywhere. std distributions are avoided on purpose
/// because their output differs between standard library versions.
class Rng
{
public:
    explicit Rng(quint64 seed)
        : m_state(seed)
    { }
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n); 0 when n <= 0. The modulo bias is irrelevant for our small n.
    qsizetype below(qsizetype n) { return n <= 0 ? 0 : qsizetype(next() % quint64(n)); }
    /// Uniform in [lo, hi].
    qint64 range(qint64 lo, qint64 hi) { return lo + qint64(next() % quint64(hi - lo + 1)); }
    double unit() { return double(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    template<typename T>
    const T &pick(const QList<T> &list)
    {
        return list.at(below(list.size()));
    }

private:
    quint64 m_state;
};

QList<QString> words(std::initializer_list<const char16_t *> items)
{
    QList<QString> out;
    out.reserve(qsizetype(items.size()));
    for (const char16_t *item : items)
        out.append(QString::fromUtf16(item));
    return out;
}

/// Every word list the generator draws from, built once.
enum class Pool {
    GuildNames,
    TextChannelNames,
    AnnouncementNames,
    ThreadNames,
    RoleNames,
    EmojiNames,
    UnicodeEmoji,
    UsernameBases,
    GlobalNames,
    BotNames,
    WebhookNames,
    ChatPhrases,
    CodeBlocks,
    LongSentences,
    BotPhrases,
    EditSuffixes,
    DmPhrases,
    Count
};

const QList<QString> &pool(Pool which)
{
    static const std::array<QList<QString>, size_t(Pool::Count)> pools = {
            words({
                    u"Rust Programming 🦀",
                    u"日本語学習サーバー",
                    u"Café Chat ☕",
                    u"نادي القراءة",
                    u"Gamers United",
                    u"Linux Lounge 🐧",
                    u"קהילת מפתחים",
                    u"Lo-Fi Beats & Study",
                    u"Pixel Art Guild",
                    u"Speedrunners Hub",
                    u"Open Source Friends",
                    u"한국어 교실",
                    u"Les Amis du Fromage 🧀",
                    u"Müsli & Memes",
                    u"Astronomy Nerds 🔭",
                    u"Coffee, Code, Chaos",
            }), // GuildNames
            words({
                    u"general",
                    u"off-topic",
                    u"memes",
                    u"help",
                    u"dev-log",
                    u"music",
                    u"art-share",
                    u"日本語",
                    u"💬chat",
                    u"bot-commands",
                    u"introductions",
                    u"random",
                    u"screenshots",
                    u"عربي",
                    u"showcase",
                    u"questions",
                    u"links-and-resources",
                    u"gaming",
            }), // TextChannelNames
            words({u"announcements", u"📢news", u"releases",
                   u"server-updates"}), // AnnouncementNames
            words({
                    u"Bug: reconnect loop after 4009",
                    u"Weekly screenshot thread 📸",
                    u"質問スレッド",
                    u"Off-topic spillover",
                    u"Feature idea: dark mode",
                    u"نقاش الكتاب الجديد",
                    u"Build failing on Debian 12",
                    u"Movie night planning 🍿",
                    u"Résumé review",
                    u"Help with \"quotes\", commas, and CSV",
            }), // ThreadNames
            words({u"Moderator", u"Member", u"🎨 Artist", u"Contributor", u"VIP ✨", u"Muted",
                   u"日本語OK"}), // RoleNames
            words({u"pepe_hype", u"blobwave", u"ferris", u"kekw", u"party_parrot", u"thonk",
                   u"catjam", u"pog"}), // EmojiNames
            words({u"👍", u"❤️", u"😂", u"🎉", u"👀", u"🔥", u"✅", u"🙏", u"😭", u"👍🏽", u"🇯🇵",
                   u"🏳️‍🌈"}), // UnicodeEmoji
            words({
                    u"alice",        u"bob_the_builder", u"carol.dev",
                    u"dave",         u"eve_sec",         u"frank99",
                    u"grace.hopper", u"heidi",           u"ivan_k",
                    u"judy",         u"mallory",         u"niaj",
                    u"olivia",       u"peggy",           u"rupert",
                    u"sybil",        u"trent",           u"victor",
                    u"walter",       u"yuki.t",          u"zoe_",
                    u"kenji",        u"fatima.a",        u"noam",
                    u"lucia",        u"mehmet",          u"aroha",
                    u"sven",         u"priya",
            }), // UsernameBases
            words({
                    u"Alice ✨",
                    u"山田太郎",
                    u"محمد",
                    u"שרה",
                    u"Zoe\u0308",
                    u"Jose\u0301",
                    u"🌸 Sakura",
                    u"Ольга",
                    u"Björn",
                    u"김민준",
                    u"Nguyễn Văn An",
                    u"Ἀλέξανδρος",
                    u"李华",
                    u"Αθηνά",
                    u"Renée",
                    u"Dr. \"Quotes\", PhD",
                    u"=cmd|' /C calc'!A0",
                    u"The Real Dave",
                    u"फ़ातिमा",
                    u"Łukasz",
                    u"Ṁ̷ïẍ̸ë̵d̶",
                    u"👾 Player One",
            }), // GlobalNames
            words({u"MEE6", u"Dyno", u"Carl-bot", u"Gatekeeper", u"MusicBot", u"Ticket Tool",
                   u"StatBot"}), // BotNames
            words({u"GitHub", u"RSS Feed", u"Grafana Alerts", u"YouTube Notifier", u"Jenkins",
                   u"Captain Hook"}), // WebhookNames
            words({
                    u"hey everyone 👋",
                    u"anyone around?",
                    u"lol that's wild",
                    u"brb, grabbing coffee ☕",
                    u"did the build pass?",
                    u"gg 🎉🎉",
                    u"I think the issue is in the reconnect logic",
                    u"can confirm, same here",
                    u"ok so \"quotes\", commas, and\nnewlines all work?",
                    u"+1 agree",
                    u"=SUM(A1:A10)",
                    u"-1, not convinced",
                    u"@tab\tseparated\tvalues",
                    u"こんにちは、元気ですか？",
                    u"今日はいい天気ですね",
                    u"这个问题我也遇到了",
                    u"안녕하세요! 반갑습니다",
                    u"مرحبا بالجميع، كيف حالكم؟",
                    u"שלום לכולם, מה נשמע?",
                    u"Привет, как дела?",
                    u"Ça va très bien, merci !",
                    u"cafe\u0301 and re\u0301sume\u0301 (combining marks)",
                    u"Z\u0364\u0351a\u0308\u0356l\u036Eg\u0328o text",
                    u"नमस्ते दोस्तों",
                    u"mixed: hello مرحبا 世界 שלום",
                    u"👨‍👩‍👧‍👦 family photo time",
                    u"that's a 10/10 from me 💯",
                    u"wait, what happened to the server?",
                    u"thanks!! 🙏",
                    u"pushed a fix, please re-test",
                    u"who's up for a game tonight?",
                    u"can someone review my PR",
                    u"`git rebase -i` saved my day",
                    u"> quoting the docs here\nand my reply below",
                    u"nope",
                    u"honestly the new update is great",
                    u"😂😂😂",
                    u"is it just me or is latency high today?",
                    u"100% uptime this week, nice",
                    u"C:\\Users\\me\\Desktop\\file.txt won't open",
            }), // ChatPhrases
            words({
                    u"```cpp\nint main() {\n    return 0;\n}\n```",
                    u"```json\n{\"op\": 1, \"d\": null}\n```",
                    u"```\nerror: close code 4004, authentication failed\n```",
                    u"```py\nprint(\"héllo, wörld\")\n```",
            }), // CodeBlocks
            words({
                    u"So here's the full story of what happened during the outage last night.",
                    u"The gateway dropped every connection at roughly the same moment, and every "
                    u"client "
                    u"tried to resume at once.",
                    u"Most of them got a clean RESUMED, but a few received op 9 and had to "
                    u"identify again, "
                    u"which burned through part of the daily budget.",
                    u"I went through the logs, line by line, and the heartbeat ACKs simply stopped "
                    u"arriving for about forty seconds.",
                    u"Nothing in our code changed, so I'm fairly sure it was upstream; still, we "
                    u"should "
                    u"make the backoff a bit more patient.",
                    u"長い文章のテストです。日本語の文字も正しく表示されるか確認してください。",
                    u"وهذا سطر باللغة العربية للتأكد من أن النص من اليمين إلى اليسار يظهر بشكل "
                    u"صحيح.",
                    u"Also: \"quoted text\", commas, semicolons; and a few emoji 🎉🔥✅ for good "
                    u"measure.",
                    u"If anyone wants to help, the reproduction steps are in the pinned message, "
                    u"and the "
                    u"logs are attached to the issue.",
                    u"Let's sync tomorrow at 10:00 UTC and decide whether to ship the fix or wait "
                    u"for more "
                    u"data.",
            }), // LongSentences
            words({u"✅ Done!", u"Pong! 42 ms", u"Now playing: Lo-Fi Beats 🎵", u"Ticket created.",
                   u"⚠️ Slow mode is on in this channel.",
                   u"Daily stats are ready 📊"}), // BotPhrases
            words({u" (edit: fixed the link)", u"\nEDIT: nvm, it works now ✅", u" *",
                   u" 更新しました", u" — تم التعديل",
                   u"\n(edited, sorry for the typo)"}), // EditSuffixes
            words({u"hi bot", u"!help", u"how do I use the /stats command?",
                   u"thanks for the reminder 🙏", u"ping", u"こんにちは", u"can you unmute me?",
                   u"report: spam in #general"}), // DmPhrases
    };
    return pools[size_t(which)];
}

/// The @p i-th entry of a pool, wrapping around: names spread evenly over the world.
const QString &cycle(Pool which, qsizetype i)
{
    const QList<QString> &list = pool(which);
    return list.at(i % list.size());
}

struct LinkInfo
{
    const char16_t *url;
    const char16_t *title;
    const char16_t *provider;
    const char16_t *type;
};

constexpr LinkInfo links[] = {
        {u"https://github.com/gatescope/gatescope/issues/42",
         u"Reconnect loop after 4009 · Issue #42", u"GitHub", u"article"},
        {u"https://youtu.be/dQw4w9WgXcQ", u"Never Gonna Give You Up", u"YouTube", u"video"},
        {u"https://en.wikipedia.org/wiki/Snowflake_ID", u"Snowflake ID - Wikipedia", u"Wikipedia",
         u"article"},
        {u"https://discord.com/developers/docs/events/gateway", u"Gateway | Documentation",
         u"Discord", u"link"},
        {u"https://example.com/search?q=caf%C3%A9&lang=fr", u"Recherche : café", u"example.com",
         u"link"},
};

struct AttachmentInfo
{
    const char16_t *filename;
    const char16_t *contentType;
    int width;
    int height;
};

constexpr AttachmentInfo attachmentKinds[] = {
        {u"screenshot.png", u"image/png", 1920, 1080},
        {u"IMG_2041.jpg", u"image/jpeg", 3024, 4032},
        {u"cat.gif", u"image/gif", 480, 270},
        {u"report.pdf", u"application/pdf", 0, 0},
        {u"データ.csv", u"text/csv; charset=utf-8", 0, 0},
        {u"notes.txt", u"text/plain; charset=utf-8", 0, 0},
        {u"clip.mp4", u"video/mp4", 1280, 720},
};

enum class Kind { Human, Bot, Webhook };

struct User
{
    quint64 id = 0;
    QString idStr;
    Kind kind = Kind::Human;
    qint64 createdMs = 0;
    QJsonObject object;
    QByteArray json; ///< object as compact JSON, for MESSAGE_CREATE rendered without QJsonDocument
};

struct Member
{
    int user = 0;
    QList<int> roles; ///< indices into Guild::roles (never @everyone)
    QString nick;
    QString joinedAt;
    mutable bool built = false;
    mutable QJsonObject partial; ///< without user, as in MESSAGE_CREATE
    mutable QByteArray partialJson; ///< partial as compact JSON
    mutable QJsonObject full; ///< with user, as in GUILD_CREATE and reactions
    mutable QJsonObject mention; ///< user + partial member, as in `mentions`
};

struct Role
{
    quint64 id = 0;
    QString idStr;
    QString name;
    int color = 0;
    bool hoist = false;
    int position = 0;
    QString permissions;
    bool managed = false;
    QString botId;
    bool mentionable = false;
};

struct Emoji
{
    quint64 id = 0;
    QString idStr;
    QString name;
    bool animated = false;
};

struct Channel
{
    quint64 id = 0;
    QString idStr;
    int type = 0;
    QString name;
    QString topic;
    quint64 parentId = 0;
    int position = 0;
    bool nsfw = false;
    quint64 lastMessageId = 0;
    // threads
    quint64 ownerId = 0;
    qint64 createdMs = 0;
    int memberCount = 0;
    int messageCount = 0;
    // DMs
    int dmUser = -1;
};

struct Webhook
{
    int user = 0;
    int channel = 0; ///< index into Guild::texts
};

struct Guild
{
    quint64 id = 0;
    QString idStr;
    QString name;
    QString icon;
    qint64 createdMs = 0;
    quint64 ownerId = 0;
    QString joinedAt; ///< the bot's
    QList<Member> members; ///< [0] is the bot
    QList<Role> roles; ///< [0] is @everyone (id = guild id)
    QList<Emoji> emojis;
    Channel category;
    Channel voice;
    QList<Channel> texts;
    QList<Channel> threads;
    QList<Webhook> webhooks;
};

/// A message that the generator created and may still edit, delete, reply to or react to.
struct Recent
{
    quint64 id = 0;
    QString idStr;
    quint64 channelId = 0;
    int guild = -1; ///< -1 for DMs
    QJsonObject message;
    bool mentionsBot = false;
    bool fromBot = false;
    bool hasPoll = false;
    bool referencedVisible = false; ///< Event::referencedContentVisible of its creation
    QString dmPartnerId; ///< the human on the other side of a DM
};

struct Reaction
{
    QString userId;
    QString channelId;
    QString messageId;
    int guild = -1;
    QJsonObject emoji;
    bool burst = false;
};

struct Body
{
    QString content;
    QJsonArray mentions;
    QJsonArray mentionRoles;
    QJsonArray attachments;
    QJsonArray embeds;
    QJsonArray components;
    QJsonObject poll;
    bool mentionEveryone = false;
    bool mentionsBot = false;
    int flags = 0;
};

QJsonValue nullValue()
{
    return QJsonValue(QJsonValue::Null);
}

QJsonValue stringOrNull(const QString &s)
{
    return s.isEmpty() ? nullValue() : QJsonValue(s);
}

/// What the `d` of a MESSAGE_CREATE is made of, to write it without QJsonDocument.
struct MessageParts
{
    const Body *body = nullptr;
    const User *author = nullptr;
    const Member *member = nullptr; ///< null for DMs and webhooks
    const Channel *channel = nullptr;
    const QString *guildId = nullptr; ///< null for DMs
    QString id;
    QString timestamp;
    QString nonce; ///< empty for webhook messages, which have none
    QJsonObject reference; ///< `message_reference` of a reply, else empty
    QJsonObject referenced; ///< `referenced_message` of a reply, else empty
    int type = 0;
    bool webhook = false;
};

void appendArray(QByteArray &out, const QJsonArray &array)
{
    out += array.isEmpty() ? "[]"_ba : WireFormat::json(array);
}

void appendKey(QByteArray &out, const char *key)
{
    out += ",\"";
    out += key;
    out += "\":";
}

/// The compact JSON of a MESSAGE_CREATE `d`, byte for byte what QJsonDocument writes for the
/// QJsonObject messageCreate() builds: keys in QJsonObject's (sorted) order, the author and
/// member from their cached JSON. A MESSAGE_CREATE costs a third of the time this way.
QByteArray messageJson(const MessageParts &m)
{
    const Body &body = *m.body;
    QByteArray out;
    out.reserve(768 + body.content.size() * 3);
    out += "{\"attachments\":";
    appendArray(out, body.attachments);
    appendKey(out, "author");
    out += m.author->json;
    appendKey(out, "channel_id");
    WireFormat::appendString(out, m.channel->idStr);
    appendKey(out, "channel_type");
    out += QByteArray::number(m.channel->type);
    appendKey(out, "components");
    appendArray(out, body.components);
    appendKey(out, "content");
    WireFormat::appendString(out, body.content);
    out += ",\"edited_timestamp\":null";
    appendKey(out, "embeds");
    appendArray(out, body.embeds);
    appendKey(out, "flags");
    out += QByteArray::number(body.flags);
    if (m.guildId) {
        appendKey(out, "guild_id");
        WireFormat::appendString(out, *m.guildId);
    }
    appendKey(out, "id");
    WireFormat::appendString(out, m.id);
    if (m.member) {
        appendKey(out, "member");
        out += m.member->partialJson;
    }
    appendKey(out, "mention_everyone");
    out += body.mentionEveryone ? "true" : "false";
    appendKey(out, "mention_roles");
    appendArray(out, body.mentionRoles);
    appendKey(out, "mentions");
    appendArray(out, body.mentions);
    if (!m.reference.isEmpty()) {
        appendKey(out, "message_reference");
        out += WireFormat::json(m.reference);
    }
    if (!m.nonce.isEmpty()) {
        appendKey(out, "nonce");
        WireFormat::appendString(out, m.nonce);
    }
    out += ",\"pinned\":false";
    if (!body.poll.isEmpty()) {
        appendKey(out, "poll");
        out += WireFormat::json(body.poll);
    }
    if (!m.referenced.isEmpty()) {
        appendKey(out, "referenced_message");
        out += WireFormat::json(m.referenced);
    }
    appendKey(out, "timestamp");
    WireFormat::appendString(out, m.timestamp);
    out += ",\"tts\":false";
    appendKey(out, "type");
    out += QByteArray::number(m.type);
    if (m.webhook) {
        appendKey(out, "webhook_id");
        WireFormat::appendString(out, m.author->idStr);
    }
    out += '}';
    return out;
}

/// The fields every MESSAGE_CREATE has, with their usual values: copying this and replacing what
/// differs costs much less than inserting every key (QJsonObject keeps its keys sorted).
const QJsonObject &messageSkeleton()
{
    static const QJsonObject skeleton{
            {u"attachments"_s, QJsonArray()},
            {u"author"_s, QJsonObject()},
            {u"channel_id"_s, QString()},
            {u"channel_type"_s, 0},
            {u"components"_s, QJsonArray()},
            {u"content"_s, QString()},
            {u"edited_timestamp"_s, nullValue()},
            {u"embeds"_s, QJsonArray()},
            {u"flags"_s, 0},
            {u"id"_s, QString()},
            {u"mention_everyone"_s, false},
            {u"mention_roles"_s, QJsonArray()},
            {u"mentions"_s, QJsonArray()},
            {u"pinned"_s, false},
            {u"timestamp"_s, QString()},
            {u"tts"_s, false},
            {u"type"_s, 0},
    };
    return skeleton;
}

void insertIfNotEmpty(QJsonObject &object, const QString &key, const QJsonArray &array)
{
    if (!array.isEmpty())
        object.insert(key, array);
}

constexpr int MaxRecent = 512;
constexpr int MaxReactions = 256;
constexpr int MaxContent = 2000;
constexpr qint64 DayMs = 86400000;

} // namespace

struct TrafficGenerator::Private
{
    explicit Private(const Config &c)
        : config(c)
        , rng(c.seed)
    { }

    Config config;
    Rng rng;
    QList<User> users; ///< [0] is the bot
    QJsonObject botReadyUser;
    QList<Guild> guilds;
    QHash<quint64, int> guildIndex;
    QList<Channel> dms;
    std::deque<Recent> recent;
    std::deque<Reaction> reactions;

    qint64 worldCursor = 0;
    qint64 worldGap = 1;
    quint32 worldIncrement = 0;
    qint64 lastMs = 0;
    quint32 liveIncrement = 0;
    quint32 liveWorker = 0;
    quint32 liveProcess = 0;

    // world building
    quint64 mintWorld();
    QString hexHash(int bytes);
    QString avatar();
    void buildUsers(int poolSize);
    void buildGuild(int index, int poolSize);
    void buildDms();
    User makeUser(Kind kind, int ordinal);
    const Member &member(const Guild &g, int m) const;
    QJsonObject channelObject(const Guild &g, const Channel &c, bool withGuildId) const;
    QJsonObject guildObject(const Guild &g) const;

    // live traffic
    quint64 mintLive(qint64 nowMs);
    QString isoNow(qint64 nowMs) const { return TrafficGenerator::isoTimestamp(nowMs); }
    Event messageCreate(qint64 nowMs);
    std::optional<Event> messageUpdate(qint64 nowMs);
    std::optional<Event> messageDelete();
    std::optional<Event> messageDeleteBulk();
    std::optional<Event> reactionAdd();
    std::optional<Event> reactionRemove();
    std::optional<Event> typingStart(qint64 nowMs);
    std::optional<Event> threadCreate(qint64 nowMs);
    std::optional<Event> channelUpdate();
    std::optional<Event> guildUpdate();

    Channel &pickTarget(Guild &g, bool *isThread);
    int pickHumanOrBot(const Guild &g);
    QString composeText(int targetBytes);
    QString longText();
    QJsonObject attachment(qint64 nowMs, const QString &channelId, bool imageOnly);
    QJsonObject linkEmbed(const LinkInfo &link);
    QJsonObject richEmbed(qint64 nowMs, const QString &title, const QString &description);
    QJsonObject poll(qint64 nowMs);
    Body humanBody(qint64 nowMs, int guild, const QString &channelId);
    Body botBody(qint64 nowMs, int guild);
    Body webhookBody(qint64 nowMs);
    const Recent *replyTarget(quint64 channelId);
    void remember(Recent entry);
    qsizetype pickRecent();
    QJsonObject emojiFor(int guild);
};

quint64 TrafficGenerator::Private::mintWorld()
{
    worldCursor += worldGap / 2 + rng.range(1, std::max<qint64>(1, worldGap));
    return Snowflake::make(worldCursor, quint32(rng.below(32)), quint32(rng.below(32)),
                           worldIncrement++ & 0xFFF);
}

QString TrafficGenerator::Private::hexHash(int bytes)
{
    static const char16_t digits[] = u"0123456789abcdef";
    QString out(bytes * 2, Qt::Uninitialized);
    QChar *p = out.data();
    quint64 bits = 0;
    for (int i = 0; i < bytes * 2; ++i) {
        if (i % 16 == 0)
            bits = rng.next();
        p[i] = QChar(digits[bits & 0xF]);
        bits >>= 4;
    }
    return out;
}

QString TrafficGenerator::Private::avatar()
{
    if (rng.chance(0.15))
        return {};
    QString hash = hexHash(16);
    if (rng.chance(0.1))
        hash = u"a_"_s + hash; // animated
    return hash;
}

User TrafficGenerator::Private::makeUser(Kind kind, int ordinal)
{
    User u;
    u.kind = kind;
    u.id = mintWorld();
    u.idStr = Snowflake::toString(u.id);
    u.createdMs = Snowflake::timestampMs(u.id);
    QJsonObject o;
    o.insert(u"id"_s, u.idStr);
    const QString avatarHash = avatar();
    o.insert(u"avatar"_s, stringOrNull(avatarHash));
    switch (kind) {
    case Kind::Human: {
        const QList<QString> &bases = pool(Pool::UsernameBases);
        const bool legacy = rng.chance(0.15);
        if (legacy) {
            // Not yet migrated to unique usernames: a 4-digit discriminator, no global_name, and
            // the old rules allowed unicode and capitals in the username.
            o.insert(u"username"_s, rng.pick(pool(Pool::GlobalNames)));
            o.insert(u"discriminator"_s, u"%1"_s.arg(rng.range(1, 9999), 4, 10, QChar(u'0')));
            o.insert(u"global_name"_s, nullValue());
        } else {
            QString name = bases.at(ordinal % bases.size());
            if (ordinal >= bases.size())
                name += QString::number(ordinal / bases.size());
            o.insert(u"username"_s, name);
            o.insert(u"discriminator"_s, u"0"_s);
            o.insert(u"global_name"_s,
                     rng.chance(0.8) ? QJsonValue(rng.pick(pool(Pool::GlobalNames))) : nullValue());
        }
        o.insert(u"public_flags"_s, rng.chance(0.2) ? 64 : 0);
        o.insert(u"avatar_decoration_data"_s, nullValue());
        o.insert(u"clan"_s, nullValue());
        o.insert(u"primary_guild"_s, nullValue());
        break;
    }
    case Kind::Bot:
        o.insert(u"username"_s, cycle(Pool::BotNames, ordinal));
        o.insert(u"discriminator"_s, u"%1"_s.arg(rng.range(1, 9999), 4, 10, QChar(u'0')));
        o.insert(u"global_name"_s, nullValue());
        o.insert(u"bot"_s, true);
        o.insert(u"public_flags"_s, 65536); // VERIFIED_BOT
        o.insert(u"avatar_decoration_data"_s, nullValue());
        break;
    case Kind::Webhook:
        // Webhook authors are the webhook itself: its id, name and avatar, "0000", bot:true.
        o.insert(u"username"_s, cycle(Pool::WebhookNames, ordinal));
        o.insert(u"discriminator"_s, u"0000"_s);
        o.insert(u"global_name"_s, nullValue());
        o.insert(u"bot"_s, true);
        o.insert(u"public_flags"_s, 0);
        break;
    }
    u.object = o;
    u.json = WireFormat::json(o);
    return u;
}

void TrafficGenerator::Private::buildUsers(int poolSize)
{
    User bot;
    bot.kind = Kind::Bot;
    bot.id = mintWorld();
    bot.idStr = Snowflake::toString(bot.id);
    bot.createdMs = Snowflake::timestampMs(bot.id);
    QJsonObject o;
    o.insert(u"id"_s, bot.idStr);
    o.insert(u"username"_s, u"gatescope-demo"_s);
    o.insert(u"discriminator"_s, u"0"_s);
    o.insert(u"global_name"_s, u"Gatescope Demo 🔭"_s);
    o.insert(u"avatar"_s, hexHash(16));
    o.insert(u"bot"_s, true);
    o.insert(u"public_flags"_s, 0);
    o.insert(u"avatar_decoration_data"_s, nullValue());
    bot.object = o; // as other users see it, e.g. as a message author
    bot.json = WireFormat::json(o);
    QJsonObject ready = o; // READY `user` adds the private fields
    ready.insert(u"verified"_s, true);
    ready.insert(u"mfa_enabled"_s, false);
    ready.insert(u"email"_s, nullValue());
    ready.insert(u"flags"_s, 0);
    botReadyUser = ready;
    users.append(bot);

    int humans = 0;
    int bots = 0;
    for (int i = 0; i < poolSize; ++i) {
        const bool isBot = rng.chance(0.08);
        users.append(makeUser(isBot ? Kind::Bot : Kind::Human, isBot ? bots++ : humans++));
    }
}

const Member &TrafficGenerator::Private::member(const Guild &g, int m) const
{
    const Member &mem = g.members.at(m);
    if (!mem.built) {
        QJsonArray roleIds;
        for (int r : mem.roles)
            roleIds.append(g.roles.at(r).idStr);
        QJsonObject p;
        p.insert(u"roles"_s, roleIds);
        p.insert(u"nick"_s, stringOrNull(mem.nick));
        p.insert(u"avatar"_s, nullValue());
        p.insert(u"banner"_s, nullValue());
        p.insert(u"joined_at"_s, mem.joinedAt);
        p.insert(u"premium_since"_s, nullValue());
        p.insert(u"deaf"_s, false);
        p.insert(u"mute"_s, false);
        p.insert(u"flags"_s, 0);
        p.insert(u"pending"_s, false);
        p.insert(u"communication_disabled_until"_s, nullValue());
        mem.partial = p;
        mem.partialJson = WireFormat::json(p);
        QJsonObject f = p;
        f.insert(u"user"_s, users.at(mem.user).object);
        mem.full = f;
        QJsonObject mention = users.at(mem.user).object;
        mention.insert(u"member"_s, p);
        mem.mention = mention;
        mem.built = true;
    }
    return mem;
}

void TrafficGenerator::Private::buildGuild(int index, int poolSize)
{
    Guild g;
    g.id = mintWorld();
    g.idStr = Snowflake::toString(g.id);
    g.createdMs = Snowflake::timestampMs(g.id);
    const QList<QString> &names = pool(Pool::GuildNames);
    g.name = names.at(index % names.size());
    if (index >= names.size())
        g.name += u" #"_s + QString::number(index / names.size() + 1);
    g.icon = rng.chance(0.8) ? hexHash(16) : QString();

    Role everyone;
    everyone.id = g.id;
    everyone.idStr = g.idStr;
    everyone.name = u"@everyone"_s;
    everyone.permissions = u"2248473465835073"_s;
    g.roles.append(everyone);
    const int roleCount = int(rng.range(2, 5));
    for (int r = 0; r < roleCount; ++r) {
        Role role;
        role.id = mintWorld();
        role.idStr = Snowflake::toString(role.id);
        role.name = cycle(Pool::RoleNames, index + r);
        role.color = int(rng.below(0x1000000));
        role.hoist = rng.chance(0.4);
        role.position = roleCount - r + 1;
        role.permissions = QString::number(rng.next() & 0x1FFFFFFFFFFull);
        role.mentionable = rng.chance(0.5);
        g.roles.append(role);
    }
    // The bot's managed integration role.
    Role botRole;
    botRole.id = mintWorld();
    botRole.idStr = Snowflake::toString(botRole.id);
    botRole.name = u"Gatescope Demo"_s;
    botRole.position = 1;
    botRole.permissions = u"68608"_s;
    botRole.managed = true;
    botRole.botId = users.at(0).idStr;
    g.roles.append(botRole);

    const int emojiCount = int(rng.range(2, 5));
    for (int e = 0; e < emojiCount; ++e) {
        Emoji emoji;
        emoji.id = mintWorld();
        emoji.idStr = Snowflake::toString(emoji.id);
        emoji.name = cycle(Pool::EmojiNames, index * 3 + e);
        emoji.animated = rng.chance(0.25);
        g.emojis.append(emoji);
    }

    g.category.id = mintWorld();
    g.category.idStr = Snowflake::toString(g.category.id);
    g.category.type = 4;
    g.category.name = rng.chance(0.5) ? u"Text Channels"_s : u"💬 Community"_s;

    const int textCount = std::max(1, config.textChannelsPerGuild);
    for (int c = 0; c < textCount; ++c) {
        Channel ch;
        ch.id = mintWorld();
        ch.idStr = Snowflake::toString(ch.id);
        // The first channel is an ordinary #general; later ones are sometimes announcements.
        ch.type = (c > 0 && rng.chance(0.2)) ? 5 : 0;
        ch.name = ch.type == 5 ? rng.pick(pool(Pool::AnnouncementNames))
                               : cycle(Pool::TextChannelNames, c + index);
        if (c == 0)
            ch.name = u"general"_s;
        ch.topic = rng.chance(0.5) ? u"Be nice. Topic of #%1, \"quoted\", ✨"_s.arg(ch.name)
                                   : QString();
        ch.parentId = g.category.id;
        ch.position = c;
        ch.nsfw = rng.chance(0.05);
        g.texts.append(ch);
    }
    g.voice.id = mintWorld();
    g.voice.idStr = Snowflake::toString(g.voice.id);
    g.voice.type = 2;
    g.voice.name = u"🔊 Lounge"_s;
    g.voice.parentId = g.category.id;
    g.voice.position = textCount;

    // Members: the bot first, then a deterministic sample of the user pool.
    Member botMember;
    botMember.user = 0;
    botMember.roles.append(int(g.roles.size() - 1));
    g.members.append(botMember);
    const int wanted = std::min(std::max(1, config.usersPerGuild), poolSize);
    QSet<int> chosen;
    while (chosen.size() < wanted) {
        const int u = 1 + int(rng.below(poolSize));
        if (chosen.contains(u))
            continue;
        chosen.insert(u);
        Member m;
        m.user = u;
        for (int r = 1; r < g.roles.size() - 1; ++r) {
            if (rng.chance(0.3))
                m.roles.append(r);
        }
        m.nick = rng.chance(0.15) ? rng.pick(pool(Pool::GlobalNames)) + u" (nick)"_s : QString();
        g.members.append(m);
    }
    const int ownerMember = g.members.size() > 1 ? 1 + int(rng.below(g.members.size() - 1)) : 0;
    g.ownerId = users.at(g.members.at(ownerMember).user).id;

    const int threadCount = std::max(0, config.threadsPerGuild);
    for (int t = 0; t < threadCount; ++t) {
        Channel th;
        th.id = mintWorld();
        th.idStr = Snowflake::toString(th.id);
        th.type = rng.chance(0.25) ? 12 : 11;
        th.name = cycle(Pool::ThreadNames, t + index);
        th.parentId = g.texts.at(0).id; // #general is always type 0 and takes threads
        th.ownerId = users.at(g.members.at(1 + int(rng.below(g.members.size() - 1))).user).id;
        th.createdMs = Snowflake::timestampMs(th.id);
        th.memberCount = int(rng.range(1, 12));
        g.threads.append(th);
    }

    const int webhookCount = int(rng.range(1, 2));
    for (int w = 0; w < webhookCount; ++w) {
        Webhook hook;
        hook.user = int(users.size());
        users.append(makeUser(Kind::Webhook, index * 2 + w));
        hook.channel = int(rng.below(g.texts.size()));
        g.webhooks.append(hook);
    }
    guilds.append(g);
}

void TrafficGenerator::Private::buildDms()
{
    // A few humans have a DM open with the bot; the channel is known only by its id.
    for (int i = 0; i < 5 && users.size() > 1; ++i) {
        int u = 1 + int(rng.below(users.size() - 1));
        for (int tries = 0; users.at(u).kind != Kind::Human && tries < 50; ++tries)
            u = 1 + int(rng.below(users.size() - 1));
        if (users.at(u).kind != Kind::Human)
            continue;
        Channel dm;
        dm.id = mintWorld();
        dm.idStr = Snowflake::toString(dm.id);
        dm.type = 1;
        dm.dmUser = u;
        dms.append(dm);
    }
}

QJsonObject TrafficGenerator::Private::channelObject(const Guild &g, const Channel &c,
                                                     bool withGuildId) const
{
    QJsonObject o;
    o.insert(u"id"_s, c.idStr);
    o.insert(u"type"_s, c.type);
    o.insert(u"name"_s, c.name);
    o.insert(u"flags"_s, 0);
    if (withGuildId)
        o.insert(u"guild_id"_s, g.idStr);
    if (c.type == 11 || c.type == 12) {
        o.insert(u"parent_id"_s, Snowflake::toString(c.parentId));
        o.insert(u"owner_id"_s, Snowflake::toString(c.ownerId));
        o.insert(u"last_message_id"_s,
                 c.lastMessageId ? QJsonValue(Snowflake::toString(c.lastMessageId)) : nullValue());
        o.insert(u"rate_limit_per_user"_s, 0);
        o.insert(u"message_count"_s, c.messageCount);
        o.insert(u"total_message_sent"_s, c.messageCount);
        o.insert(u"member_count"_s, c.memberCount);
        QJsonObject meta;
        meta.insert(u"archived"_s, false);
        meta.insert(u"auto_archive_duration"_s, 1440);
        meta.insert(u"archive_timestamp"_s, TrafficGenerator::isoTimestamp(c.createdMs));
        meta.insert(u"locked"_s, false);
        meta.insert(u"create_timestamp"_s, TrafficGenerator::isoTimestamp(c.createdMs));
        if (c.type == 12)
            meta.insert(u"invitable"_s, true);
        o.insert(u"thread_metadata"_s, meta);
        return o;
    }
    o.insert(u"position"_s, c.position);
    o.insert(u"permission_overwrites"_s, QJsonArray());
    if (c.type == 4)
        return o;
    o.insert(u"parent_id"_s, Snowflake::toString(c.parentId));
    o.insert(u"nsfw"_s, c.nsfw);
    o.insert(u"rate_limit_per_user"_s, 0);
    if (c.type == 2) {
        o.insert(u"bitrate"_s, 64000);
        o.insert(u"user_limit"_s, 0);
        o.insert(u"rtc_region"_s, nullValue());
        o.insert(u"last_message_id"_s, nullValue());
        return o;
    }
    o.insert(u"topic"_s, stringOrNull(c.topic));
    o.insert(u"last_message_id"_s,
             c.lastMessageId ? QJsonValue(Snowflake::toString(c.lastMessageId)) : nullValue());
    o.insert(u"default_thread_rate_limit_per_user"_s, 0);
    return o;
}

QJsonObject TrafficGenerator::Private::guildObject(const Guild &g) const
{
    QJsonArray roles;
    for (const Role &r : g.roles) {
        QJsonObject o;
        o.insert(u"id"_s, r.idStr);
        o.insert(u"name"_s, r.name);
        o.insert(u"description"_s, nullValue());
        o.insert(u"color"_s, r.color);
        o.insert(u"hoist"_s, r.hoist);
        o.insert(u"icon"_s, nullValue());
        o.insert(u"unicode_emoji"_s, nullValue());
        o.insert(u"position"_s, r.position);
        o.insert(u"permissions"_s, r.permissions);
        o.insert(u"managed"_s, r.managed);
        o.insert(u"mentionable"_s, r.mentionable);
        o.insert(u"flags"_s, 0);
        if (!r.botId.isEmpty())
            o.insert(u"tags"_s, QJsonObject{{u"bot_id"_s, r.botId}});
        roles.append(o);
    }
    QJsonArray emojis;
    for (const Emoji &e : g.emojis) {
        QJsonObject o;
        o.insert(u"id"_s, e.idStr);
        o.insert(u"name"_s, e.name);
        o.insert(u"roles"_s, QJsonArray());
        o.insert(u"require_colons"_s, true);
        o.insert(u"managed"_s, false);
        o.insert(u"animated"_s, e.animated);
        o.insert(u"available"_s, true);
        emojis.append(o);
    }
    QJsonObject o;
    o.insert(u"id"_s, g.idStr);
    o.insert(u"name"_s, g.name);
    o.insert(u"icon"_s, stringOrNull(g.icon));
    o.insert(u"description"_s, nullValue());
    o.insert(u"splash"_s, nullValue());
    o.insert(u"discovery_splash"_s, nullValue());
    o.insert(u"banner"_s, nullValue());
    o.insert(u"owner_id"_s, Snowflake::toString(g.ownerId));
    o.insert(u"afk_channel_id"_s, nullValue());
    o.insert(u"afk_timeout"_s, 300);
    o.insert(u"widget_enabled"_s, false);
    o.insert(u"verification_level"_s, 1);
    o.insert(u"default_message_notifications"_s, 1);
    o.insert(u"explicit_content_filter"_s, 2);
    o.insert(u"roles"_s, roles);
    o.insert(u"emojis"_s, emojis);
    o.insert(u"stickers"_s, QJsonArray());
    o.insert(u"features"_s, QJsonArray{u"COMMUNITY"_s, u"NEWS"_s});
    o.insert(u"mfa_level"_s, 0);
    o.insert(u"application_id"_s, nullValue());
    o.insert(u"system_channel_id"_s, g.texts.at(0).idStr);
    o.insert(u"system_channel_flags"_s, 0);
    o.insert(u"rules_channel_id"_s, nullValue());
    o.insert(u"public_updates_channel_id"_s, nullValue());
    o.insert(u"safety_alerts_channel_id"_s, nullValue());
    o.insert(u"max_members"_s, 500000);
    o.insert(u"max_video_channel_users"_s, 25);
    o.insert(u"max_stage_video_channel_users"_s, 50);
    o.insert(u"vanity_url_code"_s, nullValue());
    o.insert(u"premium_tier"_s, 0);
    o.insert(u"premium_subscription_count"_s, 0);
    o.insert(u"premium_progress_bar_enabled"_s, false);
    o.insert(u"preferred_locale"_s, u"en-US"_s);
    o.insert(u"nsfw_level"_s, 0);
    o.insert(u"nsfw"_s, false);
    o.insert(u"incidents_data"_s, nullValue());
    return o;
}

quint64 TrafficGenerator::Private::mintLive(qint64 nowMs)
{
    // Strictly increasing ids for non-decreasing clocks: the increment field orders ids within a
    // millisecond; after 4096 ids in one millisecond the id time runs 1 ms ahead of the clock.
    if (nowMs > lastMs) {
        lastMs = nowMs;
        liveIncrement = 0;
    } else if (++liveIncrement > 0xFFF) {
        ++lastMs;
        liveIncrement = 0;
    }
    return Snowflake::make(lastMs, liveWorker, liveProcess, liveIncrement);
}

QString TrafficGenerator::isoTimestamp(qint64 unixMs)
{
    // civil_from_days (H. Hinnant): exact for any day, no locale, no time zone database.
    const qint64 days = unixMs >= 0 ? unixMs / DayMs : (unixMs - DayMs + 1) / DayMs;
    const qint64 msOfDay = unixMs - days * DayMs;
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 day = doy - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);

    char16_t buf[32];
    auto put = [&buf](int at, qint64 value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            buf[at + i] = char16_t(u'0' + value % 10);
            value /= 10;
        }
    };
    put(0, std::clamp<qint64>(year, 0, 9999), 4);
    buf[4] = u'-';
    put(5, month, 2);
    buf[7] = u'-';
    put(8, day, 2);
    buf[10] = u'T';
    put(11, msOfDay / 3600000, 2);
    buf[13] = u':';
    put(14, msOfDay / 60000 % 60, 2);
    buf[16] = u':';
    put(17, msOfDay / 1000 % 60, 2);
    buf[19] = u'.';
    put(20, msOfDay % 1000, 3);
    put(23, 0, 3);
    const char16_t tail[] = u"+00:00";
    std::copy(tail, tail + 6, buf + 26);
    return QString(reinterpret_cast<const QChar *>(buf), 32);
}

int TrafficGenerator::Private::pickHumanOrBot(const Guild &g)
{
    return g.members.size() > 1 ? 1 + int(rng.below(g.members.size() - 1)) : 0;
}

Channel &TrafficGenerator::Private::pickTarget(Guild &g, bool *isThread)
{
    *isThread = !g.threads.isEmpty() && rng.chance(0.15);
    if (*isThread)
        return g.threads[rng.below(g.threads.size())];
    // #general is the busiest channel, as on most servers.
    if (rng.chance(0.35))
        return g.texts[0];
    return g.texts[rng.below(g.texts.size())];
}

QString TrafficGenerator::Private::composeText(int targetBytes)
{
    // Most chat lines are one short thought; the rest run on to about the configured length.
    QString out = rng.pick(pool(Pool::ChatPhrases));
    if (rng.chance(0.45))
        return out;
    const int target
            = int(rng.range(std::max(1, targetBytes / 4), std::max(2, targetBytes * 3 / 2)));
    while (out.size() < target && out.size() < MaxContent - 200) {
        out += rng.chance(0.2) ? u"\n"_s : u" "_s;
        out += rng.pick(pool(Pool::ChatPhrases));
    }
    return out;
}

QString TrafficGenerator::Private::longText()
{
    const int target = int(rng.range(1000, 1800));
    QString out;
    out.reserve(target + 200);
    while (out.size() < target) {
        if (!out.isEmpty())
            out += rng.chance(0.25) ? u"\n\n"_s : u" "_s;
        out += rng.pick(pool(Pool::LongSentences));
    }
    return out;
}

QJsonObject TrafficGenerator::Private::attachment(qint64 nowMs, const QString &channelId,
                                                  bool imageOnly)
{
    const qsizetype kinds = imageOnly ? 3 : qsizetype(std::size(attachmentKinds));
    const AttachmentInfo &kind = attachmentKinds[rng.below(kinds)];
    const QString id = Snowflake::toString(mintLive(nowMs));
    const QString filename = QString::fromUtf16(kind.filename);
    const QString path = u"/attachments/"_s + channelId + u'/' + id + u'/'
                         + QString::fromUtf8(QUrl::toPercentEncoding(filename));
    const QString query
            = u"?ex=%1&is=%2&hm=%3&"_s.arg(QString::number(nowMs / 1000 + 86400, 16),
                                           QString::number(nowMs / 1000, 16), hexHash(32));
    QJsonObject o;
    o.insert(u"id"_s, id);
    o.insert(u"filename"_s, filename);
    o.insert(u"size"_s, rng.range(1200, 8000000));
    o.insert(u"url"_s, u"https://cdn.discordapp.com"_s + path + query);
    o.insert(u"proxy_url"_s, u"https://media.discordapp.net"_s + path + query);
    o.insert(u"content_type"_s, QString::fromUtf16(kind.contentType));
    if (kind.width > 0) {
        o.insert(u"width"_s, kind.width);
        o.insert(u"height"_s, kind.height);
        o.insert(u"placeholder"_s, u"2/cFBICKiHeId3h4eIiJgHeH93cA"_s);
        o.insert(u"placeholder_version"_s, 1);
    }
    if (rng.chance(0.1))
        o.insert(u"description"_s, u"alt text: a screenshot, \"quoted\""_s);
    o.insert(u"flags"_s, 0);
    return o;
}

QJsonObject TrafficGenerator::Private::linkEmbed(const LinkInfo &link)
{
    QJsonObject o;
    o.insert(u"type"_s, QString::fromUtf16(link.type));
    o.insert(u"url"_s, QString::fromUtf16(link.url));
    o.insert(u"title"_s, QString::fromUtf16(link.title));
    o.insert(u"description"_s, u"A preview of the linked page, with “curly quotes” and ünïcödé."_s);
    o.insert(u"provider"_s, QJsonObject{{u"name"_s, QString::fromUtf16(link.provider)}});
    QJsonObject thumb;
    thumb.insert(u"url"_s, u"https://example.com/preview.png"_s);
    thumb.insert(u"proxy_url"_s, u"https://images-ext-1.discordapp.net/external/x/preview.png"_s);
    thumb.insert(u"width"_s, 400);
    thumb.insert(u"height"_s, 400);
    o.insert(u"thumbnail"_s, thumb);
    return o;
}

QJsonObject TrafficGenerator::Private::richEmbed(qint64 nowMs, const QString &title,
                                                 const QString &description)
{
    QJsonObject o;
    o.insert(u"type"_s, u"rich"_s);
    o.insert(u"title"_s, title);
    o.insert(u"description"_s, description);
    o.insert(u"color"_s, int(rng.below(0x1000000)));
    o.insert(u"timestamp"_s, TrafficGenerator::isoTimestamp(nowMs));
    o.insert(u"footer"_s, QJsonObject{{u"text"_s, u"Gatescope emulator"_s}});
    QJsonArray fields;
    fields.append(QJsonObject{
            {u"name"_s, u"Status"_s}, {u"value"_s, u"✅ passing"_s}, {u"inline"_s, true}});
    fields.append(
            QJsonObject{{u"name"_s, u"Latency"_s}, {u"value"_s, u"42 ms"_s}, {u"inline"_s, true}});
    o.insert(u"fields"_s, fields);
    return o;
}

QJsonObject TrafficGenerator::Private::poll(qint64 nowMs)
{
    QJsonArray answers;
    const QList<QString> texts = {u"Pizza 🍕"_s, u"寿司"_s, u"فلافل"_s, u"Tacos, obviously"_s};
    for (int i = 0; i < texts.size(); ++i) {
        answers.append(QJsonObject{{u"answer_id"_s, i + 1},
                                   {u"poll_media"_s, QJsonObject{{u"text"_s, texts.at(i)}}}});
    }
    QJsonObject o;
    o.insert(u"question"_s, QJsonObject{{u"text"_s, u"What should we order tonight?"_s}});
    o.insert(u"answers"_s, answers);
    o.insert(u"expiry"_s, TrafficGenerator::isoTimestamp(nowMs + DayMs));
    o.insert(u"allow_multiselect"_s, false);
    o.insert(u"layout_type"_s, 1);
    return o;
}

QJsonObject TrafficGenerator::Private::emojiFor(int guild)
{
    if (guild >= 0 && rng.chance(0.25)) {
        const Emoji &e = guilds.at(guild).emojis.at(rng.below(guilds.at(guild).emojis.size()));
        QJsonObject o;
        o.insert(u"id"_s, e.idStr);
        o.insert(u"name"_s, e.name);
        if (e.animated)
            o.insert(u"animated"_s, true);
        return o;
    }
    QJsonObject o;
    o.insert(u"id"_s, nullValue());
    o.insert(u"name"_s, rng.pick(pool(Pool::UnicodeEmoji)));
    return o;
}

Body TrafficGenerator::Private::humanBody(qint64 nowMs, int guild, const QString &channelId)
{
    Body b;
    const double roll = rng.unit();
    if (roll < 0.03) {
        // Only an attachment, no text.
        b.attachments.append(attachment(nowMs, channelId, false));
        return b;
    }
    if (guild >= 0 && roll < 0.035) {
        b.poll = poll(nowMs);
        return b;
    }
    if (guild < 0) {
        b.content = rng.pick(pool(Pool::DmPhrases));
        if (rng.chance(0.1))
            b.attachments.append(attachment(nowMs, channelId, true));
        return b;
    }
    b.content = roll < 0.06 ? longText() : composeText(config.typicalContentBytes);

    const Guild &g = guilds.at(guild);
    if (rng.chance(0.08)) {
        const Member &m = member(g, pickHumanOrBot(g));
        b.content = u"<@"_s + users.at(m.user).idStr + u"> "_s + b.content;
        b.mentions.append(m.mention);
    }
    if (rng.chance(0.03)) {
        const Member &bot = member(g, 0);
        b.content = u"<@"_s + users.at(0).idStr + u"> "_s + b.content;
        b.mentions.append(bot.mention);
        b.mentionsBot = true;
    }
    if (g.roles.size() > 2 && rng.chance(0.02)) {
        const Role &r = g.roles.at(1 + rng.below(g.roles.size() - 2));
        b.content += u" <@&"_s + r.idStr + u'>';
        b.mentionRoles.append(r.idStr);
    }
    if (rng.chance(0.03))
        b.content += u" see <#"_s + g.texts.at(rng.below(g.texts.size())).idStr + u'>';
    if (rng.chance(0.01)) {
        b.content = (rng.chance(0.5) ? u"@everyone "_s : u"@here "_s) + b.content;
        b.mentionEveryone = true;
    }
    if (rng.chance(0.05)) {
        const Emoji &e = g.emojis.at(rng.below(g.emojis.size()));
        b.content += (e.animated ? u" <a:"_s : u" <:"_s) + e.name + u':' + e.idStr + u'>';
    }
    if (rng.chance(0.03))
        b.content += u'\n' + rng.pick(pool(Pool::CodeBlocks));
    if (rng.chance(0.10)) {
        const LinkInfo &link = links[rng.below(qsizetype(std::size(links)))];
        b.content += u' ' + QString::fromUtf16(link.url);
        if (rng.chance(0.6))
            b.embeds.append(linkEmbed(link));
    }
    if (rng.chance(0.06))
        b.attachments.append(attachment(nowMs, channelId, false));
    if (rng.chance(0.01))
        b.flags |= 1 << 12; // SUPPRESS_NOTIFICATIONS, "@silent"
    return b;
}

Body TrafficGenerator::Private::botBody(qint64 nowMs, int guild)
{
    Body b;
    b.content = rng.pick(pool(Pool::BotPhrases));
    if (guild >= 0 && rng.chance(0.2)) {
        const Guild &g = guilds.at(guild);
        const Member &m = member(g, pickHumanOrBot(g));
        b.content = u"GG <@"_s + users.at(m.user).idStr + u">, you just advanced to level "_s
                    + QString::number(rng.range(2, 60)) + u"! 🎉"_s;
        b.mentions.append(m.mention);
    }
    if (rng.chance(0.35))
        b.embeds.append(
                richEmbed(nowMs, u"Server stats 📊"_s,
                          u"Messages today: **%1**\nActive members: %2"_s.arg(rng.range(100, 90000))
                                  .arg(rng.range(3, 400))));
    if (rng.chance(0.15)) {
        QJsonObject button;
        button.insert(u"type"_s, 2);
        button.insert(u"style"_s, 5);
        button.insert(u"label"_s, u"Open dashboard"_s);
        button.insert(u"url"_s, u"https://example.com/dashboard"_s);
        b.components.append(QJsonObject{{u"type"_s, 1}, {u"components"_s, QJsonArray{button}}});
    }
    return b;
}

Body TrafficGenerator::Private::webhookBody(qint64 nowMs)
{
    Body b;
    const qint64 commits = rng.range(1, 5);
    b.content = rng.chance(0.3) ? u"New release published: v1.%1.0 🚀"_s.arg(rng.range(0, 30))
                                : QString();
    b.embeds.append(richEmbed(nowMs, u"[gatescope:main] %1 new commit(s)"_s.arg(commits),
                              u"`%1` Fix reconnect loop after op 9 — alice\n`%2` Update docs, "
                              "\"CSV\" section"_s.arg(hexHash(4).left(7), hexHash(4).left(7))));
    return b;
}

const Recent *TrafficGenerator::Private::replyTarget(quint64 channelId)
{
    int checked = 0;
    for (auto it = recent.rbegin(); it != recent.rend() && checked < 64; ++it, ++checked) {
        if (it->channelId == channelId && !it->hasPoll)
            return &*it;
    }
    return nullptr;
}

void TrafficGenerator::Private::remember(Recent entry)
{
    recent.push_back(std::move(entry));
    if (recent.size() > MaxRecent)
        recent.pop_front();
}

qsizetype TrafficGenerator::Private::pickRecent()
{
    // Mostly recent messages get edited, reacted to and deleted.
    const qsizetype window = std::min<qsizetype>(qsizetype(recent.size()), 64);
    return qsizetype(recent.size()) - 1 - rng.below(window);
}

TrafficGenerator::Event TrafficGenerator::Private::messageCreate(qint64 nowMs)
{
    const bool dm = !dms.isEmpty() && (guilds.isEmpty() || rng.chance(config.dmShare));
    const quint64 id = mintLive(nowMs);
    const QString idStr = Snowflake::toString(id);
    const QString timestamp = isoNow(nowMs);

    Event ev;
    ev.type = u"MESSAGE_CREATE"_s;
    QJsonObject m = messageSkeleton();
    m.insert(u"id"_s, idStr);
    m.insert(u"timestamp"_s, timestamp);

    Channel *channel = nullptr;
    int guildIdx = -1;
    const User *author = nullptr;
    const Member *mem = nullptr;
    bool webhook = false;
    Body body;
    if (dm) {
        channel = &dms[rng.below(dms.size())];
        const bool botReply = rng.chance(0.15);
        author = &users.at(botReply ? 0 : channel->dmUser);
        ev.fromBot = botReply;
        body = botReply ? botBody(nowMs, -1) : humanBody(nowMs, -1, channel->idStr);
        ev.requiredIntent = Intents::DirectMessages;
    } else {
        guildIdx = int(rng.below(guilds.size()));
        Guild &g = guilds[guildIdx];
        ev.guildId = g.id;
        ev.requiredIntent = Intents::GuildMessages;
        m.insert(u"guild_id"_s, g.idStr);
        const double who = rng.unit();
        if (who < 0.04 && !g.webhooks.isEmpty()) {
            const Webhook &hook = g.webhooks.at(rng.below(g.webhooks.size()));
            channel = &g.texts[hook.channel];
            author = &users.at(hook.user);
            webhook = true;
            m.insert(u"webhook_id"_s, author->idStr);
            body = webhookBody(nowMs);
        } else {
            bool thread = false;
            channel = &pickTarget(g, &thread);
            if (thread)
                ++channel->messageCount;
            const int mi = who < 0.045 ? 0 : pickHumanOrBot(g);
            mem = &member(g, mi);
            author = &users.at(mem->user);
            ev.fromBot = mi == 0;
            body = author->kind == Kind::Bot ? botBody(nowMs, guildIdx)
                                             : humanBody(nowMs, guildIdx, channel->idStr);
        }
    }
    channel->lastMessageId = id;
    m.insert(u"channel_id"_s, channel->idStr);
    m.insert(u"channel_type"_s, channel->type);
    m.insert(u"author"_s, author->object);
    if (mem)
        m.insert(u"member"_s, mem->partial);
    MessageParts parts;
    if (!webhook) {
        parts.nonce = Snowflake::toString(Snowflake::make(nowMs - rng.range(30, 900)));
        m.insert(u"nonce"_s, parts.nonce);
    }

    int type = 0;
    if (!webhook && rng.chance(0.10)) {
        if (const Recent *target = replyTarget(channel->id)) {
            type = 19;
            QJsonObject &reference = parts.reference;
            reference.insert(u"type"_s, 0);
            reference.insert(u"message_id"_s, target->idStr);
            reference.insert(u"channel_id"_s, channel->idStr);
            if (guildIdx >= 0)
                reference.insert(u"guild_id"_s, guilds.at(guildIdx).idStr);
            m.insert(u"message_reference"_s, reference);
            QJsonObject &referenced = parts.referenced;
            referenced = target->message;
            referenced.remove(u"referenced_message"_s);
            referenced.remove(u"member"_s);
            referenced.remove(u"guild_id"_s);
            referenced.remove(u"nonce"_s);
            m.insert(u"referenced_message"_s, referenced);
            ev.referencedContentVisible = target->mentionsBot || target->fromBot || guildIdx < 0;
            // Replies ping the replied-to author by default.
            const QJsonObject refAuthor = target->message.value(u"author"_s).toObject();
            if (guildIdx >= 0 && target->message.contains(u"member"_s) && rng.chance(0.7)) {
                QJsonObject mention = refAuthor;
                mention.insert(u"member"_s, target->message.value(u"member"_s));
                body.mentions.append(mention);
                if (target->fromBot)
                    body.mentionsBot = true;
            }
        }
    }
    if (type != 0)
        m.insert(u"type"_s, type);
    if (!body.content.isEmpty())
        m.insert(u"content"_s, body.content);
    insertIfNotEmpty(m, u"mentions"_s, body.mentions);
    insertIfNotEmpty(m, u"mention_roles"_s, body.mentionRoles);
    if (body.mentionEveryone)
        m.insert(u"mention_everyone"_s, true);
    insertIfNotEmpty(m, u"attachments"_s, body.attachments);
    insertIfNotEmpty(m, u"embeds"_s, body.embeds);
    insertIfNotEmpty(m, u"components"_s, body.components);
    if (body.flags != 0)
        m.insert(u"flags"_s, body.flags);
    const bool hasPoll = !body.poll.isEmpty();
    if (hasPoll)
        m.insert(u"poll"_s, body.poll);

    ev.mentionsBot = body.mentionsBot;
    ev.data = m;
    parts.body = &body;
    parts.author = author;
    parts.member = mem;
    parts.channel = channel;
    parts.guildId = guildIdx >= 0 ? &guilds.at(guildIdx).idStr : nullptr;
    parts.id = idStr;
    parts.timestamp = timestamp;
    parts.type = type;
    parts.webhook = webhook;
    ev.json = messageJson(parts);

    Recent entry;
    entry.id = id;
    entry.idStr = idStr;
    entry.channelId = channel->id;
    entry.guild = guildIdx;
    entry.message = m;
    entry.mentionsBot = ev.mentionsBot;
    entry.fromBot = ev.fromBot;
    entry.hasPoll = hasPoll;
    entry.referencedVisible = ev.referencedContentVisible;
    if (dm)
        entry.dmPartnerId = users.at(channel->dmUser).idStr;
    remember(std::move(entry));
    return ev;
}

std::optional<TrafficGenerator::Event> TrafficGenerator::Private::messageUpdate(qint64 nowMs)
{
    if (recent.empty())
        return std::nullopt;
    Recent &entry = recent[size_t(pickRecent())];
    if (entry.hasPoll)
        return std::nullopt;
    QJsonObject m = entry.message;
    QString content = m.value(u"content"_s).toString();
    const LinkInfo *unfurl = nullptr;
    if (m.value(u"embeds"_s).toArray().isEmpty() && rng.chance(0.5)) {
        for (const LinkInfo &link : links) {
            if (content.contains(QString::fromUtf16(link.url)))
                unfurl = &link;
        }
    }
    if (unfurl) {
        // A link preview arriving later: an UPDATE that is not an edit (edited_timestamp stays).
        m.insert(u"embeds"_s, QJsonArray{linkEmbed(*unfurl)});
    } else {
        const QString suffix = rng.pick(pool(Pool::EditSuffixes));
        content = content.isEmpty() || content.size() + suffix.size() > MaxContent
                          ? rng.pick(pool(Pool::ChatPhrases))
                          : content + suffix;
        m.insert(u"content"_s, content);
        m.insert(u"edited_timestamp"_s, isoNow(nowMs));
    }
    m.remove(u"nonce"_s);
    entry.message = m;

    Event ev;
    ev.type = u"MESSAGE_UPDATE"_s;
    ev.data = m;
    ev.guildId = entry.guild >= 0 ? guilds.at(entry.guild).id : 0;
    ev.requiredIntent = entry.guild >= 0 ? Intents::GuildMessages : Intents::DirectMessages;
    ev.mentionsBot = entry.mentionsBot;
    ev.fromBot = entry.fromBot;
    ev.referencedContentVisible = entry.referencedVisible;
    return ev;
}

std::optional<TrafficGenerator::Event> TrafficGenerator::Private::messageDelete()
{
    if (recent.empty())
        return std::nullopt;
    const auto it = recent.begin() + pickRecent();
    Event ev;
    ev.type = u"MESSAGE_DELETE"_s;
    QJsonObject d;
    d.insert(u"id"_s, it->idStr);
    d.insert(u"channel_id"_s, Snowflake::toString(it->channelId));
    if (it->guild >= 0) {
        d.insert(u"guild_id"_s, guilds.at(it->guild).idStr);
        ev.guildId = guilds.at(it->guild).id;
    }
    ev.requiredIntent = it->guild >= 0 ? Intents::GuildMessages : Intents::DirectMessages;
    ev.data = d;
    const QString deleted = it->idStr;
    recent.erase(it);
    std::erase_if(reactions, [&deleted](const Reaction &r) { return r.messageId == deleted; });
    return ev;
}

std::optional<TrafficGenerator::Event> TrafficGenerator::Private::messageDeleteBulk()
{
    if (recent.empty())
        return std::nullopt;
    const Recent &seed = recent[size_t(pickRecent())];
    if (seed.guild < 0)
        return std::nullopt; // DMs cannot be bulk-deleted
    const quint64 channelId = seed.channelId;
    const int guild = seed.guild;
    const qsizetype wanted = rng.range(2, 10);
    QList<quint64> ids;
    for (auto it = recent.rbegin(); it != recent.rend() && ids.size() < wanted; ++it) {
        if (it->channelId == channelId)
            ids.append(it->id);
    }
    if (ids.size() < 2)
        return std::nullopt;
    std::sort(ids.begin(), ids.end());
    QJsonArray idArray;
    QSet<QString> gone;
    for (quint64 id : ids) {
        idArray.append(Snowflake::toString(id));
        gone.insert(Snowflake::toString(id));
    }
    std::erase_if(recent, [&gone](const Recent &r) { return gone.contains(r.idStr); });
    std::erase_if(reactions, [&gone](const Reaction &r) { return gone.contains(r.messageId); });

    Event ev;
    ev.type = u"MESSAGE_DELETE_BULK"_s;
    ev.guildId = guilds.at(guild).id;
    ev.requiredIntent = Intents::GuildMessages;
    QJsonObject d;
    d.insert(u"ids"_s, idArray);
    d.insert(u"channel_id"_s, Snowflake::toString(channelId));
    d.insert(u"guild_id"_s, guilds.at(guild).idStr);
    ev.data = d;
    return ev;
}

std::optional<TrafficGenerator::Event> TrafficGenerator::Private::reactionAdd()
{
    if (recent.empty())
        return std::nullopt;
    const Recent &target = recent[size_t(pickRecent())];
    if (target.hasPoll && rng.chance(0.5))
        return std::nullopt;
    Reaction reaction;
    reaction.channelId = Snowflake::toString(target.channelId);
    reaction.messageId = target.idStr;
    reaction.guild = target.guild;
    reaction.emoji = emojiFor(target.guild);
    reaction.burst = rng.chance(0.05);

    Event ev;
    ev.type = u"MESSAGE_REACTION_ADD"_s;
    QJsonObject d;
    if (target.guild >= 0) {
        const Guild &g = guilds.at(target.guild);
        const Member &mem = member(g, rng.chance(0.02) ? 0 : pickHumanOrBot(g));
        reaction.userId = users.at(mem.user).idStr;
        d.insert(u"guild_id"_s, g.idStr);
        d.insert(u"member"_s, mem.full);
        ev.guildId = g.id;
        ev.requiredIntent = Intents::GuildMessageReactions;
    } else {
        reaction.userId = rng.chance(0.5) ? target.dmPartnerId : users.at(0).idStr;
        ev.requiredIntent = Intents::DirectMessageReactions;
    }
    d.insert(u"user_id"_s, reaction.userId);
    d.insert(u"channel_id"_s, reaction.channelId);
    d.insert(u"message_id"_s, reaction.messageId);
    d.insert(u"emoji"_s, reaction.emoji);
    d.insert(u"message_author_id"_s,
             target.message.value(u"author"_s).toObject().value(u"id"_s).toString());
    d.insert(u"burst"_s, reaction.burst);
    d.insert(u"burst_colors"_s,
             reaction.burst ? QJsonArray{u"#ff6b6b"_s, u"#ffd93d"_s} : QJsonArray());
    d.insert(u"type"_s, reaction.burst ? 1 : 0);
    ev.data = d;

    reactions.push_back(std::move(reaction));
    if (reactions.size() > MaxReactions)
        reactions.pop_front();
    return ev;
}

std::optional<TrafficGenerator::Event> TrafficGenerator::Private::reactionRemove()
{
    if (reactions.empty())
        return std::nullopt;
    const auto it = reactions.begin() + rng.below(qsizetype(reactions.size()));
    Event ev;
    ev.type = u"MESSAGE_REACTION_REMOVE"_s;
    QJsonObject d;
    d.insert(u"user_id"_s, it->userId);
    d.insert(u"channel_id"_s, it->channelId);
    d.insert(u"message_id"_s, it->messageId);
    if (it->guild >= 0) {
        d.insert(u"guild_id"_s, guilds.at(it->guild).idStr);
        ev.guildId = guilds.at(it->guild).id;
    }
    d.insert(u"emoji"_s, it->emoji);
    d.insert(u"burst"_s, it->burst);
    d.insert(u"type"_s, it->burst ? 1 : 0);
    ev.requiredIntent
            = it->guild >= 0 ? Intents::GuildMessageReactions : Intents::DirectMessageReactions;
    ev.data = d;
    reactions.erase(it);
    return ev;
}

std::optional<TrafficGenerator::Event> TrafficGenerator::Private::typingStart(qint64 nowMs)
{
    Event ev;
    ev.type = u"TYPING_START"_s;
    QJsonObject d;
    d.insert(u"timestamp"_s, nowMs / 1000);
    const bool dm = !dms.isEmpty() && (guilds.isEmpty() || rng.chance(config.dmShare));
    if (dm) {
        const Channel &channel = dms.at(rng.below(dms.size()));
        d.insert(u"channel_id"_s, channel.idStr);
        d.insert(u"user_id"_s, users.at(channel.dmUser).idStr);
        ev.requiredIntent = Intents::DirectMessageTyping;
    } else {
        if (guilds.isEmpty())
            return std::nullopt;
        Guild &g = guilds[rng.below(guilds.size())];
        bool thread = false;
        const Channel &channel = pickTarget(g, &thread);
        const Member &mem = member(g, pickHumanOrBot(g));
        d.insert(u"channel_id"_s, channel.idStr);
        d.insert(u"guild_id"_s, g.idStr);
        d.insert(u"user_id"_s, users.at(mem.user).idStr);
        d.insert(u"member"_s, mem.full);
        ev.guildId = g.id;
        ev.requiredIntent = Intents::GuildMessageTyping;
    }
    ev.data = d;
    return ev;
}

std::optional<TrafficGenerator::Event> TrafficGenerator::Private::threadCreate(qint64 nowMs)
{
    if (guilds.isEmpty())
        return std::nullopt;
    Guild &g = guilds[rng.below(guilds.size())];
    Channel th;
    th.id = mintLive(nowMs);
    th.idStr = Snowflake::toString(th.id);
    th.type = 11;
    th.name = rng.pick(pool(Pool::ThreadNames));
    th.parentId = g.texts.at(0).id;
    th.ownerId = users.at(g.members.at(pickHumanOrBot(g)).user).id;
    th.createdMs = nowMs;
    th.memberCount = 1;
    // Keep the world bounded: the oldest live thread goes quiet (it stays known to clients).
    if (g.threads.size() >= std::max(0, config.threadsPerGuild) + 8)
        g.threads.removeFirst();
    g.threads.append(th);

    Event ev;
    ev.type = u"THREAD_CREATE"_s;
    QJsonObject d = channelObject(g, th, true);
    d.insert(u"newly_created"_s, true);
    ev.data = d;
    ev.guildId = g.id;
    ev.requiredIntent = Intents::Guilds;
    return ev;
}

std::optional<TrafficGenerator::Event> TrafficGenerator::Private::channelUpdate()
{
    if (guilds.isEmpty())
        return std::nullopt;
    Guild &g = guilds[rng.below(guilds.size())];
    Channel &c = g.texts[rng.below(g.texts.size())];
    const QString name = rng.pick(pool(Pool::TextChannelNames));
    c.name = name == c.name ? name + u"-2"_s : name;
    Event ev;
    ev.type = u"CHANNEL_UPDATE"_s;
    ev.data = channelObject(g, c, true);
    ev.guildId = g.id;
    ev.requiredIntent = Intents::Guilds;
    return ev;
}

std::optional<TrafficGenerator::Event> TrafficGenerator::Private::guildUpdate()
{
    if (guilds.isEmpty())
        return std::nullopt;
    Guild &g = guilds[rng.below(guilds.size())];
    const QString name = rng.pick(pool(Pool::GuildNames));
    g.name = name == g.name ? name + u" ✨"_s : name;
    Event ev;
    ev.type = u"GUILD_UPDATE"_s;
    ev.data = guildObject(g);
    ev.guildId = g.id;
    ev.requiredIntent = Intents::Guilds;
    return ev;
}

TrafficGenerator::TrafficGenerator(const Config &config)
    : d(std::make_unique<Private>(config))
{
    Config &c = d->config;
    c.guildCount = std::clamp(c.guildCount, 0, 100000);
    c.textChannelsPerGuild = std::clamp(c.textChannelsPerGuild, 1, 400);
    c.threadsPerGuild = std::clamp(c.threadsPerGuild, 0, 400);
    c.usersPerGuild = std::clamp(c.usersPerGuild, 1, 100000);
    c.messageShare = std::clamp(c.messageShare, 0.0, 1.0);
    c.dmShare = std::clamp(c.dmShare, 0.0, 1.0);
    c.typicalContentBytes = std::clamp(c.typicalContentBytes, 1, 1800);

    const int poolSize = std::max(
            c.usersPerGuild,
            int(std::min<qint64>(qint64(c.usersPerGuild) * std::max(1, c.guildCount) * 2 / 3,
                                 200000)));
    const qint64 perGuild = 16 + c.textChannelsPerGuild + c.threadsPerGuild;
    const qint64 estimate = 16 + poolSize + qint64(c.guildCount) * perGuild;
    // The world is "created" during about three years that start somewhere in 2016–2018,
    // chosen by the seed, so ids look like real ones of that age.
    constexpr qint64 start2016 = 1451606400000;
    constexpr qint64 spanMs = 3 * 365 * DayMs;
    d->worldCursor = start2016 + qint64(d->rng.next() % quint64(2 * 365 * DayMs));
    d->worldGap = std::max<qint64>(1, spanMs / estimate);
    d->liveWorker = quint32(d->rng.below(32));
    d->liveProcess = quint32(d->rng.below(32));

    d->buildUsers(poolSize);
    for (int i = 0; i < c.guildCount; ++i)
        d->buildGuild(i, poolSize);
    d->buildDms();

    // Joins happen after both the guild and the user existed, up to a year after the world.
    const qint64 worldEnd = d->worldCursor;
    for (Guild &g : d->guilds) {
        for (qsizetype m = 0; m < g.members.size(); ++m) {
            const qint64 from = std::max(g.createdMs, d->users.at(g.members.at(m).user).createdMs);
            const qint64 joined = d->rng.range(from, worldEnd + 365 * DayMs);
            g.members[m].joinedAt = isoTimestamp(joined);
        }
        g.joinedAt = g.members.at(0).joinedAt;
    }
    for (qsizetype i = 0; i < d->guilds.size(); ++i)
        d->guildIndex.insert(d->guilds.at(i).id, int(i));
    d->lastMs = worldEnd + 365 * DayMs;
}

TrafficGenerator::~TrafficGenerator() = default;

const TrafficGenerator::Config &TrafficGenerator::config() const
{
    return d->config;
}

QJsonObject TrafficGenerator::botUser() const
{
    return d->botReadyUser;
}

QList<quint64> TrafficGenerator::guildIds() const
{
    QList<quint64> ids;
    ids.reserve(d->guilds.size());
    for (const Guild &g : d->guilds)
        ids.append(g.id);
    return ids;
}

QJsonArray TrafficGenerator::readyGuilds(int shardId, int shardCount) const
{
    QJsonArray out;
    const int count = std::max(1, shardCount);
    for (const Guild &g : d->guilds) {
        if (Snowflake::shardFor(g.id, count) == shardId)
            out.append(QJsonObject{{u"id"_s, g.idStr}, {u"unavailable"_s, true}});
    }
    return out;
}

QJsonObject TrafficGenerator::guildCreate(quint64 guildId) const
{
    const auto found = d->guildIndex.constFind(guildId);
    if (found == d->guildIndex.constEnd())
        return {};
    const Guild &g = d->guilds.at(*found);
    QJsonObject o = d->guildObject(g);
    const qsizetype memberCount = g.members.size();
    const bool large = memberCount > 50;
    o.insert(u"joined_at"_s, g.joinedAt);
    o.insert(u"large"_s, large);
    o.insert(u"unavailable"_s, false);
    o.insert(u"member_count"_s, qint64(memberCount));
    o.insert(u"lazy"_s, true);

    QJsonArray members;
    const qsizetype listed = large ? 50 : memberCount;
    for (qsizetype m = 0; m < listed; ++m)
        members.append(d->member(g, int(m)).full);
    o.insert(u"members"_s, members);

    QJsonArray channels;
    channels.append(d->channelObject(g, g.category, false));
    for (const Channel &c : g.texts)
        channels.append(d->channelObject(g, c, false));
    channels.append(d->channelObject(g, g.voice, false));
    o.insert(u"channels"_s, channels);

    QJsonArray threads;
    for (const Channel &t : g.threads)
        threads.append(d->channelObject(g, t, true));
    o.insert(u"threads"_s, threads);

    o.insert(u"presences"_s, QJsonArray());
    o.insert(u"voice_states"_s, QJsonArray());
    o.insert(u"stage_instances"_s, QJsonArray());
    o.insert(u"guild_scheduled_events"_s, QJsonArray());
    o.insert(u"soundboard_sounds"_s, QJsonArray());
    o.insert(u"embedded_activities"_s, QJsonArray());
    return o;
}

TrafficGenerator::Event TrafficGenerator::next(qint64 nowMs)
{
    Private &p = *d;
    if (p.guilds.isEmpty() && p.dms.isEmpty()) {
        // A world without guilds and without DM partners has nowhere to post; USER_UPDATE (the
        // bot user, no intent needed) keeps the stream well-formed instead of failing.
        Event ev;
        ev.type = u"USER_UPDATE"_s;
        ev.data = p.botReadyUser;
        return ev;
    }
    if (p.rng.unit() >= p.config.messageShare) {
        // Weights of the non-MESSAGE_CREATE events, in percent of the rest.
        const qint64 roll = p.rng.range(0, 99);
        std::optional<Event> ev;
        if (roll < 24)
            ev = p.messageUpdate(nowMs);
        else if (roll < 38)
            ev = p.messageDelete();
        else if (roll < 41)
            ev = p.messageDeleteBulk();
        else if (roll < 65)
            ev = p.reactionAdd();
        else if (roll < 73)
            ev = p.reactionRemove();
        else if (roll < 94)
            ev = p.typingStart(nowMs);
        else if (roll < 96)
            ev = p.threadCreate(nowMs);
        else if (roll < 98)
            ev = p.channelUpdate();
        else
            ev = p.guildUpdate();
        if (ev)
            return std::move(*ev);
    }
    return p.messageCreate(nowMs);
}

namespace {

void blankContent(QJsonObject &m)
{
    m.insert(u"content"_s, QString());
    m.insert(u"embeds"_s, QJsonArray());
    m.insert(u"attachments"_s, QJsonArray());
    m.insert(u"components"_s, QJsonArray());
    m.remove(u"poll"_s);
}

bool reaches(const TrafficGenerator::Event &event, int shardId, int shardCount, quint32 intents)
{
    const int count = std::max(1, shardCount);
    const int target = event.guildId != 0 ? Snowflake::shardFor(event.guildId, count) : 0;
    return shardId == target
           && (event.requiredIntent == 0 || (intents & event.requiredIntent) != 0);
}

/// True if MESSAGE_CONTENT blanking applies (it may still leave the content visible).
bool mayBlank(const TrafficGenerator::Event &event, quint32 intents)
{
    const bool isMessage = event.type == "MESSAGE_CREATE"_L1 || event.type == "MESSAGE_UPDATE"_L1;
    return isMessage && (intents & Intents::MessageContent) == 0;
}

} // namespace

std::optional<QJsonObject> TrafficGenerator::deliver(const Event &event, int shardId,
                                                     int shardCount, quint32 intents)
{
    if (!reaches(event, shardId, shardCount, intents))
        return std::nullopt;
    if (!mayBlank(event, intents))
        return event.data;

    QJsonObject d = event.data;
    const bool dm = event.guildId == 0;
    if (!dm && !event.mentionsBot && !event.fromBot)
        blankContent(d);
    if (!event.referencedContentVisible && d.contains(u"referenced_message"_s)) {
        QJsonObject referenced = d.value(u"referenced_message"_s).toObject();
        blankContent(referenced);
        d.insert(u"referenced_message"_s, referenced);
    }
    return d;
}

std::optional<QByteArray> TrafficGenerator::deliverJson(const Event &event, int shardId,
                                                        int shardCount, quint32 intents)
{
    if (!event.json.isEmpty() && reaches(event, shardId, shardCount, intents)
        && !mayBlank(event, intents))
        return event.json;
    const std::optional<QJsonObject> d = deliver(event, shardId, shardCount, intents);
    if (!d)
        return std::nullopt;
    return WireFormat::json(*d);
}

} // namespace Gatescope::Emulator
