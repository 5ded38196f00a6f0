#pragma once

#include "core/store/message.h"

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QString>
#include <QtGlobal>

#include <memory>
#include <vector>

namespace Gatescope {

/// Data of a stored row that most rows do not have (MessageStore's side table).
struct RowExtras
{
    quint64 webhookId = 0;
    quint64 replyToId = 0;
    qint64 editedAtMs = 0; ///< set on create when a replayed MESSAGE_CREATE carried it
    QList<Attachment> attachments;
    QList<quint64> mentionIds;
    QStringList embedTitles; ///< empty when every embed is untitled
    QStringList stickerNames;
};

/// Up to StoreChunk::Rows consecutive rows of a MessageStore, as columns.
///
/// A chunk is written only while it is the store's open (last, not yet full) chunk; once full it
/// is never changed again, so filter workers read full chunks without locks. Edits and deletes
/// never touch a chunk: the store keeps the current version of changed rows beside it (see
/// StoreSnapshot::overrides). Row i has the sequence number firstSeq + i.
///
/// Texts are UTF-8 in two arenas: `folded` holds every row's case-folded content (ASCII lower case
/// for ASCII content, QString::toCaseFolded() otherwise), back to back, so a word search is one
/// memmem over contiguous bytes; `content` holds the original content of rows whose original
/// differs from the folded form (others have an empty range there and ContentIsFolded set).
struct StoreChunk
{
    static constexpr int Rows = 4096;
    /// `shards` value of a row received by a connection without a shard id (Message::shard -1).
    static constexpr quint16 NoShard = 0xffff;

    /// Bits of `extraFlags` (Message::flags are kept verbatim in `flags`).
    enum ExtraFlag : quint8 {
        HasAttachments = 1 << 0,
        HasMentions = 1 << 1,
        IsReply = 1 << 2,
        HasExtras = 1 << 3, ///< a RowExtras entry exists
        NonAscii = 1 << 4, ///< the content has non-ASCII characters (Message::searchKey is set)
        ContentIsFolded = 1 << 5, ///< the original content equals the folded text
    };

    quint64 firstSeq = 0;

    std::vector<quint64> ids;
    std::vector<qint64> timestamps;
    std::vector<quint32> authors; ///< StoreTables::authors index
    std::vector<quint32> channels; ///< StoreTables::channels index
    std::vector<quint32> guilds; ///< StoreTables::guilds index
    std::vector<quint32> messageFlags;
    std::vector<quint16> embedCounts;
    std::vector<quint8> types;
    std::vector<quint8> flags;
    std::vector<quint8> extraFlags;
    std::vector<quint16> shards; ///< Message::shard, NoShard for -1
    std::vector<quint32> foldedEnd; ///< end offset of row i's text in `folded`
    std::vector<quint32> contentEnd; ///< end offset of row i's text in `content`
    QByteArray folded;
    QByteArray content;
    QHash<quint16, RowExtras> extras; ///< keyed by row in the chunk

    int size() const { return int(ids.size()); }
    bool isFull() const { return size() >= Rows; }
    /// Reserves every column for Rows rows and the folded arena for @p textBytes, so filling
    /// the chunk never reallocates (and copies) a column.
    void reserve(qsizetype textBytes)
    {
        for (auto *column : {&authors, &channels, &guilds, &messageFlags, &foldedEnd, &contentEnd})
            column->reserve(Rows);
        ids.reserve(Rows);
        timestamps.reserve(Rows);
        embedCounts.reserve(Rows);
        shards.reserve(Rows);
        types.reserve(Rows);
        flags.reserve(Rows);
        extraFlags.reserve(Rows);
        folded.reserve(textBytes);
    }
    quint32 foldedStart(int row) const { return row == 0 ? 0 : foldedEnd[size_t(row) - 1]; }
    quint32 contentStart(int row) const { return row == 0 ? 0 : contentEnd[size_t(row) - 1]; }
    QByteArrayView foldedText(int row) const
    {
        return QByteArrayView(folded.constData() + foldedStart(row),
                              qsizetype(foldedEnd[size_t(row)] - foldedStart(row)));
    }
    /// The original content of @p row as UTF-8.
    QByteArrayView contentText(int row) const
    {
        if (extraFlags[size_t(row)] & ContentIsFolded)
            return foldedText(row);
        return QByteArrayView(content.constData() + contentStart(row),
                              qsizetype(contentEnd[size_t(row)] - contentStart(row)));
    }
    /// Bytes held by the columns (capacity) and arenas, for memory accounting.
    qint64 columnBytes() const;
    qint64 textBytes() const { return folded.capacity() + content.capacity(); }
};

/// An author as a row refers to it: the same id with another name is another entry, so a row
/// always shows the names it was sent with.
struct StoredAuthor
{
    quint64 id = 0;
    QString name;
    QString globalName;
};

/// Values shared by many rows, each stored once; rows hold indices into them. Only grows (until
/// MessageStore::clear()).
struct StoreTables
{
    std::vector<StoredAuthor> authors;
    std::vector<quint64> channels;
    std::vector<quint64> guilds;
};

/// A consistent, copy-free view of a store's rows [firstSeq, endSeq) for filter workers.
///
/// Holds the store's full chunks by reference (they never change) and a copy of the open chunk;
/// `overrides` is an implicitly shared copy of the current version of every edited or deleted row
/// (keyed by sequence number). Immutable once made, so any thread may read it.
struct StoreSnapshot
{
    std::vector<std::shared_ptr<const StoreChunk>> chunks;
    quint64 firstSeq = 0; ///< first visible row
    quint64 endSeq = 0; ///< one past the last visible row
    QMap<quint64, Message> overrides;

    /// The chunk holding @p seq, or nullptr.
    const StoreChunk *chunkOf(quint64 seq) const;
};

} // namespace Gatescope
