#include "emulator/trafficgenerator.h"

#include "core/gateway/intents.h"
#include "core/gateway/snowflake.h"
#include "emulator/discordshapes.h"
#include "emulator/eventdelivery.h"
#include "emulator/messagecontent.h"
#include "emulator/trafficworld.h"
#include "emulator/wordlists.h"

#include <QHash>
#include <QSet>
#include <QUrl>

#include <algorithm>
#include <array>
#include <deque>
#include <iterator>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

using namespace World;
using namespace WordLists;
using namespace DiscordShapes;

namespace {

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

constexpr int MaxRecent = 512;
constexpr int MaxReactions = 256;

} // namespace

/// The generator's state: its world, the content writer, and the traffic mix's memory of the
/// messages and reactions it may still edit, delete or remove.
struct TrafficGenerator::Private
{
    explicit Private(const Config &c)
        : config(c)
        , rng(c.seed)
        , world(config, rng)
        , content(world)
    { }

    Config config;
    SplitMix64 rng;
    TrafficWorld world;
    MessageContent content;
    std::deque<Recent> recent;
    std::deque<Reaction> reactions;

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
    const Recent *replyTarget(quint64 channelId);
    void remember(Recent entry);
    qsizetype pickRecent();
};

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
    const bool dm = !world.dms.isEmpty() && (world.guilds.isEmpty() || rng.chance(config.dmShare));
    const quint64 id = world.mintLive(nowMs);
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
    MessageBody body;
    if (dm) {
        channel = &world.dms[rng.below(world.dms.size())];
        const bool botReply = rng.chance(0.15);
        author = &world.users.at(botReply ? 0 : channel->dmUser);
        ev.fromBot = botReply;
        body = botReply ? content.botBody(nowMs, -1) : content.humanBody(nowMs, -1, channel->idStr);
        ev.requiredIntent = Intents::DirectMessages;
    } else {
        guildIdx = int(rng.below(world.guilds.size()));
        Guild &g = world.guilds[guildIdx];
        ev.guildId = g.id;
        ev.requiredIntent = Intents::GuildMessages;
        m.insert(u"guild_id"_s, g.idStr);
        const double who = rng.unit();
        if (who < 0.04 && !g.webhooks.isEmpty()) {
            const Webhook &hook = g.webhooks.at(rng.below(g.webhooks.size()));
            channel = &g.texts[hook.channel];
            author = &world.users.at(hook.user);
            webhook = true;
            m.insert(u"webhook_id"_s, author->idStr);
            body = content.webhookBody(nowMs);
        } else {
            bool thread = false;
            channel = &pickTarget(g, &thread);
            if (thread)
                ++channel->messageCount;
            const int mi = who < 0.045 ? 0 : world.pickHumanOrBot(g);
            mem = &world.member(g, mi);
            author = &world.users.at(mem->user);
            ev.fromBot = mi == 0;
            body = author->kind == Kind::Bot ? content.botBody(nowMs, guildIdx)
                                             : content.humanBody(nowMs, guildIdx, channel->idStr);
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
                reference.insert(u"guild_id"_s, world.guilds.at(guildIdx).idStr);
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
    insertIfNotEmpty(m, u"sticker_items"_s, body.stickerItems);
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
    parts.guildId = guildIdx >= 0 ? &world.guilds.at(guildIdx).idStr : nullptr;
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
        entry.dmPartnerId = world.users.at(channel->dmUser).idStr;
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
        m.insert(u"embeds"_s, QJsonArray{MessageContent::linkEmbed(*unfurl)});
    } else {
        const QString suffix = rng.pick(pool(Pool::EditSuffixes));
        content = content.isEmpty() || content.size() + suffix.size() > MessageContent::MaxContent
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
    ev.guildId = entry.guild >= 0 ? world.guilds.at(entry.guild).id : 0;
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
        d.insert(u"guild_id"_s, world.guilds.at(it->guild).idStr);
        ev.guildId = world.guilds.at(it->guild).id;
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
    ev.guildId = world.guilds.at(guild).id;
    ev.requiredIntent = Intents::GuildMessages;
    QJsonObject d;
    d.insert(u"ids"_s, idArray);
    d.insert(u"channel_id"_s, Snowflake::toString(channelId));
    d.insert(u"guild_id"_s, world.guilds.at(guild).idStr);
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
    reaction.emoji = content.emojiFor(target.guild);
    reaction.burst = rng.chance(0.05);

    Event ev;
    ev.type = u"MESSAGE_REACTION_ADD"_s;
    QJsonObject d;
    if (target.guild >= 0) {
        const Guild &g = world.guilds.at(target.guild);
        const Member &mem = world.member(g, rng.chance(0.02) ? 0 : world.pickHumanOrBot(g));
        reaction.userId = world.users.at(mem.user).idStr;
        d.insert(u"guild_id"_s, g.idStr);
        d.insert(u"member"_s, mem.full);
        ev.guildId = g.id;
        ev.requiredIntent = Intents::GuildMessageReactions;
    } else {
        reaction.userId = rng.chance(0.5) ? target.dmPartnerId : world.users.at(0).idStr;
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
        d.insert(u"guild_id"_s, world.guilds.at(it->guild).idStr);
        ev.guildId = world.guilds.at(it->guild).id;
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
    const bool dm = !world.dms.isEmpty() && (world.guilds.isEmpty() || rng.chance(config.dmShare));
    if (dm) {
        const Channel &channel = world.dms.at(rng.below(world.dms.size()));
        d.insert(u"channel_id"_s, channel.idStr);
        d.insert(u"user_id"_s, world.users.at(channel.dmUser).idStr);
        ev.requiredIntent = Intents::DirectMessageTyping;
    } else {
        if (world.guilds.isEmpty())
            return std::nullopt;
        Guild &g = world.guilds[rng.below(world.guilds.size())];
        bool thread = false;
        const Channel &channel = pickTarget(g, &thread);
        const Member &mem = world.member(g, world.pickHumanOrBot(g));
        d.insert(u"channel_id"_s, channel.idStr);
        d.insert(u"guild_id"_s, g.idStr);
        d.insert(u"user_id"_s, world.users.at(mem.user).idStr);
        d.insert(u"member"_s, mem.full);
        ev.guildId = g.id;
        ev.requiredIntent = Intents::GuildMessageTyping;
    }
    ev.data = d;
    return ev;
}

std::optional<TrafficGenerator::Event> TrafficGenerator::Private::threadCreate(qint64 nowMs)
{
    if (world.guilds.isEmpty())
        return std::nullopt;
    Guild &g = world.guilds[rng.below(world.guilds.size())];
    Channel th;
    th.id = world.mintLive(nowMs);
    th.idStr = Snowflake::toString(th.id);
    th.type = 11;
    th.name = rng.pick(pool(Pool::ThreadNames));
    th.parentId = g.texts.at(0).id;
    th.ownerId = world.users.at(g.members.at(world.pickHumanOrBot(g)).user).id;
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
    if (world.guilds.isEmpty())
        return std::nullopt;
    Guild &g = world.guilds[rng.below(world.guilds.size())];
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
    if (world.guilds.isEmpty())
        return std::nullopt;
    Guild &g = world.guilds[rng.below(world.guilds.size())];
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
    d->world.worldCursor = start2016 + qint64(d->rng.next() % quint64(2 * 365 * DayMs));
    d->world.worldGap = std::max<qint64>(1, spanMs / estimate);
    d->world.liveWorker = quint32(d->rng.below(32));
    d->world.liveProcess = quint32(d->rng.below(32));

    d->world.buildUsers(poolSize);
    for (int i = 0; i < c.guildCount; ++i)
        d->world.buildGuild(i, poolSize);
    d->world.buildDms();

    // Joins happen after both the guild and the user existed, up to a year after the world.
    const qint64 worldEnd = d->world.worldCursor;
    for (Guild &g : d->world.guilds) {
        for (qsizetype m = 0; m < g.members.size(); ++m) {
            const qint64 from
                    = std::max(g.createdMs, d->world.users.at(g.members.at(m).user).createdMs);
            const qint64 joined = d->rng.range(from, worldEnd + 365 * DayMs);
            g.members[m].joinedAt = isoTimestamp(joined);
        }
        g.joinedAt = g.members.at(0).joinedAt;
    }
    for (qsizetype i = 0; i < d->world.guilds.size(); ++i)
        d->world.guildIndex.insert(d->world.guilds.at(i).id, int(i));
    d->world.lastMs = worldEnd + 365 * DayMs;
}

TrafficGenerator::~TrafficGenerator() = default;

const TrafficGenerator::Config &TrafficGenerator::config() const
{
    return d->config;
}

QJsonObject TrafficGenerator::botUser() const
{
    return d->world.botReadyUser;
}

QList<quint64> TrafficGenerator::guildIds() const
{
    QList<quint64> ids;
    ids.reserve(d->world.guilds.size());
    for (const Guild &g : d->world.guilds)
        ids.append(g.id);
    return ids;
}

QJsonArray TrafficGenerator::readyGuilds(int shardId, int shardCount) const
{
    QJsonArray out;
    const int count = std::max(1, shardCount);
    for (const Guild &g : d->world.guilds) {
        if (Snowflake::shardFor(g.id, count) == shardId)
            out.append(QJsonObject{{u"id"_s, g.idStr}, {u"unavailable"_s, true}});
    }
    return out;
}

QJsonObject TrafficGenerator::guildCreate(quint64 guildId) const
{
    const auto found = d->world.guildIndex.constFind(guildId);
    if (found == d->world.guildIndex.constEnd())
        return {};
    const Guild &g = d->world.guilds.at(*found);
    QJsonObject o = guildObject(g);
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
        members.append(d->world.member(g, int(m)).full);
    o.insert(u"members"_s, members);

    QJsonArray channels;
    channels.append(channelObject(g, g.category, false));
    for (const Channel &c : g.texts)
        channels.append(channelObject(g, c, false));
    channels.append(channelObject(g, g.voice, false));
    o.insert(u"channels"_s, channels);

    QJsonArray threads;
    for (const Channel &t : g.threads)
        threads.append(channelObject(g, t, true));
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
    if (p.world.guilds.isEmpty() && p.world.dms.isEmpty()) {
        // A world without guilds and without DM partners has nowhere to post; USER_UPDATE (the
        // bot user, no intent needed) keeps the stream well-formed instead of failing.
        Event ev;
        ev.type = u"USER_UPDATE"_s;
        ev.data = p.world.botReadyUser;
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

std::optional<QJsonObject> TrafficGenerator::deliver(const Event &event, int shardId,
                                                     int shardCount, quint32 intents)
{
    return EventDelivery::deliver(event, shardId, shardCount, intents);
}

std::optional<QByteArray> TrafficGenerator::deliverJson(const Event &event, int shardId,
                                                        int shardCount, quint32 intents)
{
    return EventDelivery::deliverJson(event, shardId, shardCount, intents);
}

} // namespace Gatescope::Emulator
