#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>

namespace Gatescope {

/// Discord snowflakes (protocol reference §11). Always quint64 or a decimal string, never double.
namespace Snowflake {

constexpr qint64 DiscordEpochMs = 1420070400000;

constexpr qint64 timestampMs(quint64 id)
{
    return qint64(id >> 22) + DiscordEpochMs;
}
constexpr quint32 worker(quint64 id)
{
    return quint32((id & 0x3E0000) >> 17);
}
constexpr quint32 process(quint64 id)
{
    return quint32((id & 0x1F000) >> 12);
}
constexpr quint32 increment(quint64 id)
{
    return quint32(id & 0xFFF);
}

/// Builds an id for a time (ms since the Unix epoch) with the given worker, process and increment.
constexpr quint64 make(qint64 unixMs, quint32 workerId = 0, quint32 processId = 0, quint32 inc = 0)
{
    return (quint64(unixMs - DiscordEpochMs) << 22) | (quint64(workerId & 0x1F) << 17)
           | (quint64(processId & 0x1F) << 12) | quint64(inc & 0xFFF);
}

/// Parses a decimal snowflake; nullopt for anything that is not a plain unsigned 64-bit number.
std::optional<quint64> parse(QStringView text);
inline QString toString(quint64 id)
{
    return QString::number(id);
}

/// Which shard receives events of a guild: `(guild_id >> 22) % shard_count` (§8).
constexpr int shardFor(quint64 guildId, int shardCount)
{
    return shardCount <= 0 ? 0 : int((guildId >> 22) % quint64(shardCount));
}

} // namespace Snowflake
} // namespace Gatescope
