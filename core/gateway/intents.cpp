#include "core/gateway/intents.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gatescope::Intents {

namespace {

struct Entry
{
    quint32 bit;
    const char *name;
};

constexpr Entry Table[] = {
        {Guilds, "GUILDS"},
        {GuildMembers, "GUILD_MEMBERS"},
        {GuildModeration, "GUILD_MODERATION"},
        {GuildExpressions, "GUILD_EXPRESSIONS"},
        {GuildIntegrations, "GUILD_INTEGRATIONS"},
        {GuildWebhooks, "GUILD_WEBHOOKS"},
        {GuildInvites, "GUILD_INVITES"},
        {GuildVoiceStates, "GUILD_VOICE_STATES"},
        {GuildPresences, "GUILD_PRESENCES"},
        {GuildMessages, "GUILD_MESSAGES"},
        {GuildMessageReactions, "GUILD_MESSAGE_REACTIONS"},
        {GuildMessageTyping, "GUILD_MESSAGE_TYPING"},
        {DirectMessages, "DIRECT_MESSAGES"},
        {DirectMessageReactions, "DIRECT_MESSAGE_REACTIONS"},
        {DirectMessageTyping, "DIRECT_MESSAGE_TYPING"},
        {MessageContent, "MESSAGE_CONTENT"},
        {GuildScheduledEvents, "GUILD_SCHEDULED_EVENTS"},
        {AutoModerationConfiguration, "AUTO_MODERATION_CONFIGURATION"},
        {AutoModerationExecution, "AUTO_MODERATION_EXECUTION"},
        {GuildMessagePolls, "GUILD_MESSAGE_POLLS"},
        {DirectMessagePolls, "DIRECT_MESSAGE_POLLS"},
};

} // namespace

QString name(quint32 bit)
{
    for (const Entry &entry : Table) {
        if (entry.bit == bit)
            return QString::fromLatin1(entry.name);
    }
    return {};
}

std::optional<quint32> bitForName(const QString &text)
{
    const QString upper = text.trimmed().toUpper();
    if (upper == "GUILD_BANS"_L1)
        return GuildModeration;
    if (upper == "GUILD_EMOJIS_AND_STICKERS"_L1)
        return GuildExpressions;
    for (const Entry &entry : Table) {
        if (upper == QLatin1StringView(entry.name))
            return entry.bit;
    }
    return std::nullopt;
}

QStringList names(quint32 mask)
{
    QStringList result;
    for (const Entry &entry : Table) {
        if (mask & entry.bit)
            result.append(QString::fromLatin1(entry.name));
    }
    return result;
}

QList<quint32> allBits()
{
    QList<quint32> bits;
    for (const Entry &entry : Table)
        bits.append(entry.bit);
    return bits;
}

std::optional<quint32> parse(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        if (error)
            *error = u"no intents given"_s;
        return std::nullopt;
    }
    bool isNumber = false;
    const qulonglong number = trimmed.toULongLong(&isNumber);
    if (isNumber) {
        if (undefinedBits(number) != 0) {
            if (error)
                *error = u"intents %1 contain undefined bits (0x%2)"_s.arg(trimmed).arg(
                        QString::number(undefinedBits(number), 16));
            return std::nullopt;
        }
        return quint32(number);
    }
    quint32 mask = 0;
    static const QRegularExpression separators(u"[,|+\\s]+"_s);
    for (const QString &part : trimmed.split(separators, Qt::SkipEmptyParts)) {
        const std::optional<quint32> bit = bitForName(part);
        if (!bit) {
            if (error)
                *error = u"unknown intent \"%1\" (known: %2)"_s.arg(
                        part, names(AllDocumented).join(u", "_s));
            return std::nullopt;
        }
        mask |= *bit;
    }
    return mask;
}

QString portalToggleName(quint32 privilegedBit)
{
    switch (privilegedBit) {
    case GuildMembers:
        return u"Server Members Intent"_s;
    case GuildPresences:
        return u"Presence Intent"_s;
    case MessageContent:
        return u"Message Content Intent"_s;
    default:
        return {};
    }
}

} // namespace Gatescope::Intents
