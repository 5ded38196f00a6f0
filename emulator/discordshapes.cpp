#include "emulator/discordshapes.h"

#include "core/gateway/snowflake.h"
#include "emulator/messagecontent.h"
#include "emulator/wireformat.h"

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator::DiscordShapes {

using namespace World;

namespace {

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

} // namespace

QJsonValue nullValue()
{
    return QJsonValue(QJsonValue::Null);
}

QJsonValue stringOrNull(const QString &s)
{
    return s.isEmpty() ? nullValue() : QJsonValue(s);
}

QByteArray messageJson(const MessageParts &m)
{
    const MessageBody &body = *m.body;
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
    if (!body.stickerItems.isEmpty()) {
        appendKey(out, "sticker_items");
        appendArray(out, body.stickerItems);
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

QJsonObject channelObject(const Guild &g, const Channel &c, bool withGuildId)
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

QJsonObject guildObject(const Guild &g)
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

} // namespace Gatescope::Emulator::DiscordShapes
