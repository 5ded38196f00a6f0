#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace Gatescope {

/// Gateway intents (protocol reference §4): names, bits, and which ones are privileged.
namespace Intents {

enum Bit : quint32 {
    Guilds = 1u << 0,
    GuildMembers = 1u << 1, ///< privileged
    GuildModeration = 1u << 2,
    GuildExpressions = 1u << 3,
    GuildIntegrations = 1u << 4,
    GuildWebhooks = 1u << 5,
    GuildInvites = 1u << 6,
    GuildVoiceStates = 1u << 7,
    GuildPresences = 1u << 8, ///< privileged
    GuildMessages = 1u << 9,
    GuildMessageReactions = 1u << 10,
    GuildMessageTyping = 1u << 11,
    DirectMessages = 1u << 12,
    DirectMessageReactions = 1u << 13,
    DirectMessageTyping = 1u << 14,
    MessageContent = 1u << 15, ///< privileged
    GuildScheduledEvents = 1u << 16,
    AutoModerationConfiguration = 1u << 20,
    AutoModerationExecution = 1u << 21,
    GuildMessagePolls = 1u << 24,
    DirectMessagePolls = 1u << 25,
};

constexpr quint32 AllDocumented = 53608447u;
constexpr quint32 Privileged = GuildMembers | GuildPresences | MessageContent;
/// GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT, the monitor's default.
constexpr quint32 MonitorDefault = 37377u;

/// Upper-case protocol name of one bit ("MESSAGE_CONTENT"), empty if the bit is undefined.
QString name(quint32 bit);
/// The bit for a name (case-insensitive, old names GUILD_BANS and GUILD_EMOJIS_AND_STICKERS too).
std::optional<quint32> bitForName(const QString &name);
/// Names of all bits set in @p mask, in bit order.
QStringList names(quint32 mask);
/// Every documented bit, in order.
QList<quint32> allBits();
/// Bits of @p mask that no documented intent uses.
constexpr quint32 undefinedBits(quint64 mask)
{
    return quint32(mask & ~quint64(AllDocumented));
}

/// Parses "GUILDS,GUILD_MESSAGES" or "37377" (also `|` or `+` separated). On failure returns
/// nullopt and writes a one-line reason to @p error.
std::optional<quint32> parse(const QString &text, QString *error = nullptr);

/// What a person must enable in the Developer Portal for a privileged bit (used for close 4014).
QString portalToggleName(quint32 privilegedBit);

} // namespace Intents
} // namespace Gatescope
