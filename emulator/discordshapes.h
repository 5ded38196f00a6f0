#pragma once

#include "emulator/trafficworld.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace Gatescope::Emulator {

struct MessageBody;

/// The JSON shapes of the generated world, as Discord writes them (protocol reference §11):
/// channel and guild objects, and MESSAGE_CREATE's `d` written straight to bytes. Pure
/// functions, any thread.
namespace DiscordShapes {

QJsonValue nullValue();
QJsonValue stringOrNull(const QString &s);

/// What the `d` of a MESSAGE_CREATE is made of, to write it without QJsonDocument.
struct MessageParts
{
    const MessageBody *body = nullptr;
    const World::User *author = nullptr;
    const World::Member *member = nullptr; ///< null for DMs and webhooks
    const World::Channel *channel = nullptr;
    const QString *guildId = nullptr; ///< null for DMs
    QString id;
    QString timestamp;
    QString nonce; ///< empty for webhook messages, which have none
    QJsonObject reference; ///< `message_reference` of a reply, else empty
    QJsonObject referenced; ///< `referenced_message` of a reply, else empty
    int type = 0;
    bool webhook = false;
};

/// The compact JSON of a MESSAGE_CREATE `d`, byte for byte what QJsonDocument writes for the
/// QJsonObject the generator builds: keys in QJsonObject's (sorted) order, the author and
/// member from their cached JSON. A MESSAGE_CREATE costs a third of the time this way.
QByteArray messageJson(const MessageParts &m);
/// The fields every MESSAGE_CREATE has, with their usual values: copying this and replacing what
/// differs costs much less than inserting every key (QJsonObject keeps its keys sorted).
const QJsonObject &messageSkeleton();
void insertIfNotEmpty(QJsonObject &object, const QString &key, const QJsonArray &array);
/// A channel or thread object; GUILD_CREATE's `channels` leave out guild_id.
QJsonObject channelObject(const World::Guild &g, const World::Channel &c, bool withGuildId);
/// The guild object without the GUILD_CREATE extras.
QJsonObject guildObject(const World::Guild &g);

} // namespace DiscordShapes

} // namespace Gatescope::Emulator
