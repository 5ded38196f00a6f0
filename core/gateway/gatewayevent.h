#pragma once

#include "core/store/message.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <memory>

namespace Gatescope {

/// One dispatch (op 0), decoded once in the client's thread and handed on in batches.
///
/// The raw bytes of `d` are kept as received (never re-serialised): they are the event's raw
/// JSON for the details pane and the sinks. Message events carry their decoded form; every other
/// event (READY, GUILD_CREATE, CHANNEL_*, …) is rare enough to be read with data() where needed.
struct GatewayEvent
{
    enum class Kind : quint8 {
        Other, ///< any other event type; read it with data()
        MessageCreate, ///< `message` holds the decoded message
        MessageUpdate, ///< `update` holds the fields the update carried
        MessageDelete, ///< `deletedIds` holds one id
        MessageDeleteBulk, ///< `deletedIds` holds the ids
        Malformed, ///< a message event whose `d` is unusable; `error` says why
    };

    Kind kind = Kind::Other;
    QString type; ///< `t`
    qint64 seq = -1; ///< `s`, -1 when null
    qint64 receivedMs = 0; ///< Unix ms the frame arrived (the recorded time in a replay)
    int shard = -1; ///< the shard of the client that received it, -1 for a lone client
    QByteArray rawData; ///< the raw JSON of `d`, as received

    Message message;
    /// MessageUpdate only (null otherwise). Out of line: events are moved into batches by the
    /// thousand, and every byte of an event is a byte written to memory the cache does not hold.
    std::shared_ptr<const MessageUpdate> update;
    QList<quint64> deletedIds;
    quint64 channelId = 0; ///< deletes: the channel named by the event
    quint64 guildId = 0; ///< deletes: the guild named by the event (0 in DMs)
    QString error; ///< Malformed: one line a person can read

    bool isMessageEvent() const { return kind != Kind::Other; }
    /// `d` as a JSON object (parsed from rawData on each call; empty when not an object).
    QJsonObject data() const;
};

using GatewayEventBatch = QList<GatewayEvent>;

} // namespace Gatescope

Q_DECLARE_METATYPE(Gatescope::GatewayEvent)
