#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// Real-shaped event data for the store tests (protocol reference §11).
namespace StoreTestData {

using namespace Qt::StringLiterals;

inline QJsonObject user(quint64 id, const QString &name, bool bot = false)
{
    QJsonObject u{{u"id"_s, QString::number(id)},
                  {u"username"_s, name},
                  {u"discriminator"_s, u"0"_s},
                  {u"global_name"_s, QJsonValue::Null}};
    if (bot)
        u.insert(u"bot"_s, true);
    return u;
}

inline QJsonObject message(quint64 id, const QString &content, quint64 channelId = 111,
                           quint64 guildId = 100, quint64 authorId = 900,
                           const QString &author = u"alice"_s)
{
    QJsonObject m{{u"id"_s, QString::number(id)},
                  {u"channel_id"_s, QString::number(channelId)},
                  {u"author"_s, user(authorId, author)},
                  {u"content"_s, content},
                  {u"timestamp"_s, u"2024-05-01T12:00:00.000000+00:00"_s},
                  {u"edited_timestamp"_s, QJsonValue::Null},
                  {u"tts"_s, false},
                  {u"mention_everyone"_s, false},
                  {u"mentions"_s, QJsonArray()},
                  {u"attachments"_s, QJsonArray()},
                  {u"embeds"_s, QJsonArray()},
                  {u"type"_s, 0}};
    if (guildId)
        m.insert(u"guild_id"_s, QString::number(guildId));
    return m;
}

/// GUILD_CREATE's `d` for guild 100 ("Guild") with text channels 111 (#general) and 112
/// (#random), the ids message() uses by default.
inline QJsonObject guildWithTwoChannels()
{
    const auto channel = [](const QString &id, const QString &name) {
        return QJsonObject{{u"id"_s, id}, {u"type"_s, 0}, {u"name"_s, name}};
    };
    return QJsonObject{{u"id"_s, u"100"_s},
                       {u"name"_s, u"Guild"_s},
                       {u"channels"_s, QJsonArray{channel(u"111"_s, u"general"_s),
                                                  channel(u"112"_s, u"random"_s)}}};
}

inline QJsonObject idsOnly(quint64 id, quint64 channelId = 111)
{
    return {{u"id"_s, QString::number(id)}, {u"channel_id"_s, QString::number(channelId)}};
}

} // namespace StoreTestData
