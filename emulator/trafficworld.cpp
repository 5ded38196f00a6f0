#include "emulator/trafficworld.h"

#include "core/gateway/snowflake.h"
#include "emulator/discordshapes.h"
#include "emulator/wireformat.h"
#include "emulator/wordlists.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

using namespace World;
using namespace WordLists;
using namespace DiscordShapes;

TrafficWorld::TrafficWorld(const TrafficGenerator::Config &c, SplitMix64 &random)
    : config(c)
    , rng(random)
{ }

quint64 TrafficWorld::mintWorld()
{
    worldCursor += worldGap / 2 + rng.range(1, std::max<qint64>(1, worldGap));
    return Snowflake::make(worldCursor, quint32(rng.below(32)), quint32(rng.below(32)),
                           worldIncrement++ & 0xFFF);
}

QString TrafficWorld::hexHash(int bytes)
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

QString TrafficWorld::avatar()
{
    if (rng.chance(0.15))
        return {};
    QString hash = hexHash(16);
    if (rng.chance(0.1))
        hash = u"a_"_s + hash; // animated
    return hash;
}

User TrafficWorld::makeUser(Kind kind, int ordinal)
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

void TrafficWorld::buildUsers(int poolSize)
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

const Member &TrafficWorld::member(const Guild &g, int m) const
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

void TrafficWorld::buildGuild(int index, int poolSize)
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

void TrafficWorld::buildDms()
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

quint64 TrafficWorld::mintLive(qint64 nowMs)
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

int TrafficWorld::pickHumanOrBot(const Guild &g)
{
    return g.members.size() > 1 ? 1 + int(rng.below(g.members.size() - 1)) : 0;
}

} // namespace Gatescope::Emulator
