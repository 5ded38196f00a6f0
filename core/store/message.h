#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace Gatescope {

/// One attachment of a message, as shown in the details pane and exported.
struct Attachment
{
    QString filename;
    qint64 size = 0;
    QString url;
};

/// An earlier version of a message's content, kept when MESSAGE_UPDATE changes it.
struct MessageRevision
{
    qint64 replacedAtMs = 0; ///< edited_timestamp of the update that replaced this content
    QString content;
};

/// One message, parsed once from MESSAGE_CREATE and then updated in place.
///
/// Value type; ids are quint64 (0 = absent), times are ms since the Unix epoch in UTC
/// (0 = absent). Names that repeat (author, global name) are interned by the store so equal
/// names share one buffer.
struct Message
{
    enum Flag : quint8 {
        AuthorIsBot = 1 << 0,
        FromWebhook = 1 << 1,
        MentionsEveryone = 1 << 2,
        Deleted = 1 << 3,
        Edited = 1 << 4,
        Tts = 1 << 5,
    };

    quint64 id = 0;
    quint64 channelId = 0;
    quint64 guildId = 0; ///< 0 for DMs
    quint64 authorId = 0;
    quint64 webhookId = 0;
    quint64 replyToId = 0; ///< message_reference.message_id
    qint64 timestampMs = 0;
    qint64 editedAtMs = 0;
    qint64 deletedAtMs = 0; ///< when we saw the delete; the message stays visible

    QString authorName; ///< username (interned)
    QString authorGlobalName; ///< global_name, may be empty (interned)
    QString content;
    /// Case-folded content, precomputed for filtering. Null when the content is pure ASCII: its
    /// folded form is then just the ASCII lower case, which the filter compares on the fly, and
    /// not storing it saves a second copy of most messages (see MessageParser::searchKeyFor()).
    QString searchKey;

    QList<Attachment> attachments;
    QList<quint64> mentionIds;
    QStringList embedTitles; ///< each embed's title (empty when it has none), in order
    QStringList stickerNames; ///< sticker_items names, in order
    QList<MessageRevision> revisions; ///< earlier contents, oldest first

    quint32 messageFlags = 0; ///< Discord's message flags field
    quint16 embedCount = 0;
    quint8 type = 0; ///< Discord's message type
    quint8 flags = 0; ///< Flag bits above
    /// The shard whose connection received the message (GatewayEvent::shard), -1 for a single
    /// connection that sent no `shard`.
    int shard = -1;

    bool isDm() const { return guildId == 0; }
    bool isBot() const { return flags & AuthorIsBot; }
    bool isWebhook() const { return flags & FromWebhook; }
    bool isDeleted() const { return flags & Deleted; }
    bool isEdited() const { return flags & Edited; }
    bool isReply() const { return replyToId != 0; }
    /// The case-folded content (allocates for ASCII content; filters avoid calling it).
    QString foldedContent() const { return searchKey.isNull() ? content.toLower() : searchKey; }
    /// The name the feed shows: global_name if set, else username.
    QString displayAuthor() const
    {
        return authorGlobalName.isEmpty() ? authorName : authorGlobalName;
    }
};

/// What one MESSAGE_UPDATE carried (protocol reference §11: a missing key leaves the field
/// unchanged). `values` holds the carried fields; `fields` says which of them are meant.
struct MessageUpdate
{
    enum Field : quint32 {
        Content = 1 << 0,
        EditedTimestamp = 1 << 1, ///< edited_timestamp present and readable
        GuildId = 1 << 2,
        AuthorId = 1 << 3,
        AuthorName = 1 << 4,
        AuthorGlobalName = 1 << 5,
        AuthorBot = 1 << 6,
        Attachments = 1 << 7,
        Mentions = 1 << 8,
        Embeds = 1 << 9,
        MessageFlags = 1 << 10, ///< `flags` present and a valid unsigned 32-bit number
        MentionEveryone = 1 << 11,
        Reference = 1 << 12, ///< message_reference present (replyToId may be 0)
    };

    quint32 fields = 0;
    /// id and channelId name the message; the other members are read only where `fields` says.
    Message values;

    bool has(Field field) const { return fields & field; }
};

} // namespace Gatescope
