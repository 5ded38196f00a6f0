#pragma once

#include "emulator/splitmix64.h"
#include "emulator/trafficgenerator.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Gatescope::Emulator {

namespace World {

inline constexpr qint64 DayMs = 86400000;

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

} // namespace World

/// The generated Discord world: the bot, a pool of users, guilds with roles, emojis, channels,
/// threads, members and webhooks, and DM channels; and the two snowflake clocks (the world's
/// past, the live traffic's present). Built from the seed's draws in a fixed order, so the
/// same seed gives the same world.
///
/// Plain data owned by TrafficGenerator; it shares the generator's random source.
struct TrafficWorld
{
    TrafficWorld(const TrafficGenerator::Config &config, SplitMix64 &rng);

    const TrafficGenerator::Config &config;
    SplitMix64 &rng;
    QList<World::User> users; ///< [0] is the bot
    QJsonObject botReadyUser;
    QList<World::Guild> guilds;
    QHash<quint64, int> guildIndex;
    QList<World::Channel> dms;

    qint64 worldCursor = 0;
    qint64 worldGap = 1;
    quint32 worldIncrement = 0;
    qint64 lastMs = 0;
    quint32 liveIncrement = 0;
    quint32 liveWorker = 0;
    quint32 liveProcess = 0;

    quint64 mintWorld();
    /// A live id for @p nowMs: strictly increasing while the clock does not go back.
    quint64 mintLive(qint64 nowMs);
    QString hexHash(int bytes);
    QString avatar();
    void buildUsers(int poolSize);
    void buildGuild(int index, int poolSize);
    void buildDms();
    World::User makeUser(World::Kind kind, int ordinal);
    /// Member @p m of @p g, with its JSON shapes built on first use.
    const World::Member &member(const World::Guild &g, int m) const;
    /// A random member other than the bot (the bot if it is alone).
    int pickHumanOrBot(const World::Guild &g);
};

} // namespace Gatescope::Emulator
