#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace Gatescope::Emulator {

/// Makes a deterministic Discord world (guilds, channels, threads, users, bots, webhooks) and a
/// stream of realistic dispatch events for it, shaped exactly like the real gateway's (protocol
/// reference §11). Same seed and same clock values → byte-identical events.
///
/// Pure data: no sockets, no timers. The server decides the pace, routes events to shards and
/// applies intents with deliver().
class TrafficGenerator
{
public:
    struct Config
    {
        quint64 seed = 1;
        int guildCount = 3;
        int textChannelsPerGuild = 4;
        int threadsPerGuild = 2;
        int usersPerGuild = 40;
        /// Share of MESSAGE_CREATE among generated events; the rest are edits, deletes,
        /// bulk deletes, reactions, typing. 0.0–1.0.
        double messageShare = 0.8;
        /// Share of messages that are DMs (no guild_id), 0.0–1.0.
        double dmShare = 0.02;
        /// Approximate content length of an ordinary message in bytes (long texts are rarer).
        int typicalContentBytes = 120;
    };

    /// One generated dispatch, before shard routing and intent filtering.
    struct Event
    {
        QString type; ///< "MESSAGE_CREATE", ...
        QJsonObject data; ///< the `d` object, exactly as Discord sends it
        /// `data` as compact JSON, exactly as QJsonDocument writes it, when the generator wrote
        /// it directly (MESSAGE_CREATE); empty otherwise.
        QByteArray json;
        quint64 guildId = 0; ///< 0 for DMs and other guild-less events
        quint32 requiredIntent = 0; ///< the intent bit that gates this event (guild vs DM variant)
        bool mentionsBot = false; ///< content stays visible without MESSAGE_CONTENT
        /// The bot's own message: its content, too, stays visible without MESSAGE_CONTENT.
        bool fromBot = false;
        /// The `referenced_message` of a reply mentions the bot, is the bot's own or is a DM, so
        /// its content stays visible without MESSAGE_CONTENT.
        bool referencedContentVisible = false;
    };

    explicit TrafficGenerator(const Config &config);
    ~TrafficGenerator();
    TrafficGenerator(const TrafficGenerator &) = delete;
    TrafficGenerator &operator=(const TrafficGenerator &) = delete;

    const Config &config() const;

    /// The bot user object (READY `user`), stable for a seed.
    QJsonObject botUser() const;
    /// Every guild id of the world, in order.
    QList<quint64> guildIds() const;
    /// READY `guilds` for one shard: `[{id, unavailable:true}]` for the guilds routed to it.
    QJsonArray readyGuilds(int shardId, int shardCount) const;
    /// GUILD_CREATE `d` for one guild: channels (without guild_id), threads, a category,
    /// members (with user), member_count, roles, and the other documented fields. Threads carry
    /// their guild_id; only `channels` omit it (protocol reference §11). An unknown id gives `{}`.
    /// Members: the bot and everybody when the guild is not `large` (> 50 members), else the bot
    /// and the first 49 others, standing in for "online" members.
    QJsonObject guildCreate(quint64 guildId) const;

    /// The next event; @p nowMs (Unix ms) becomes the message timestamp and the snowflake time.
    /// Mix: Config::messageShare MESSAGE_CREATE; of the rest about 24% MESSAGE_UPDATE (edits and
    /// link previews), 14% MESSAGE_DELETE, 3% MESSAGE_DELETE_BULK, 24% MESSAGE_REACTION_ADD, 8%
    /// MESSAGE_REACTION_REMOVE, 21% TYPING_START, 2% each THREAD_CREATE, CHANNEL_UPDATE (rename)
    /// and GUILD_UPDATE (rename). Updates, deletes and reactions name messages generated before
    /// (a ring of the last 512 that are still alive). Ids are strictly increasing while @p nowMs
    /// does not decrease; after 4096 ids in one millisecond the id time runs 1 ms ahead.
    /// A world without guilds and DM partners yields the bot's USER_UPDATE.
    Event next(qint64 nowMs);

    /// Applies shard routing and intents to @p event for one connection. Returns the `d` to send,
    /// or nullopt when that connection must not receive the event. Without MESSAGE_CONTENT,
    /// content/embeds/attachments/components are emptied and `poll` dropped, except in DMs, the
    /// bot's own messages and messages mentioning the bot; `referenced_message` likewise.
    ///
    /// Routing: `(guild_id >> 22) % shardCount`; guild-less events (DMs) go to shard 0 only.
    static std::optional<QJsonObject> deliver(const Event &event, int shardId, int shardCount,
                                              quint32 intents);

    /// deliver() as the compact JSON the server writes: the event's own `json` when this
    /// connection gets it unchanged (shared, not copied), else the delivered `d` serialised.
    static std::optional<QByteArray> deliverJson(const Event &event, int shardId, int shardCount,
                                                 quint32 intents);

    /// ISO 8601 as Discord writes it: "2017-07-11T17:27:07.299000+00:00" (6 fractional digits).
    static QString isoTimestamp(qint64 unixMs);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Gatescope::Emulator
