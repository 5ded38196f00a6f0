#pragma once

#include "core/gateway/gatewayevent.h"
#include "core/store/message.h"
#include "core/store/messageparser.h"
#include "core/store/rawjsonblocks.h"
#include "core/store/storechunk.h"
#include "core/store/stringinterner.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QTimer>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace Gatescope {

class Directory;

/// The messages in memory: a bounded run of rows stored as columns, built for search.
///
/// Rows live in chunks of StoreChunk::Rows rows (ids, times, flags, interned author/channel/guild
/// indices, and the case-folded and original content as UTF-8 arenas); rare data (attachments,
/// mentions, replies, webhooks) sits in a side table per chunk. A full chunk never changes: an
/// edited or deleted row keeps its current version as a whole Message beside the chunks. at()
/// materialises a Message by value. snapshot() hands filter workers a copy-free view.
/// The raw JSON of every stored row is kept in zstd-compressed blocks (RawJsonBlocks).
///
/// Appends are coalesced: MESSAGE_CREATEs wait as pending rows, and at most every
/// batchInterval() ms (default 50) one flush tells the views, in this order:
/// 1. aboutToEvict(n) / evicted(n) — the n oldest rows leave (rows 0..n-1), if the store is full;
/// 2. aboutToAppend(n) / appended(n) — n rows are added at the end.
/// Between an about-to signal and its done signal, count() and at() still describe the old
/// state; a model maps them one to one onto beginRemoveRows/endRemoveRows and
/// beginInsertRows/endInsertRows. Edits and deletes of shown rows emit messageChanged(row) at once,
/// followed by messageChangedAs(row, change), which says what happened (an edit, a delete, one id
/// of a bulk delete, or a repeated create merged) for consumers that log changes (`--csv-events`).
/// Eviction is O(1) amortised per row (an index removal; whole chunks and raw blocks are freed).
///
/// MESSAGE_UPDATE is merged defensively (see MessageParser::applyUpdate). MESSAGE_DELETE and
/// MESSAGE_DELETE_BULK set Deleted and deletedAtMs and keep the message. Updates and deletes for
/// messages not in the store (never seen or already evicted) are counted in counters(); a
/// repeated MESSAGE_CREATE (a replay) is merged into the existing record and counted.
///
/// Every row has a sequence number (seqAt()) that never changes while the row lives, so caches
/// (like the filter's match list) can be keyed by it across evictions.
///
/// Lives in (and must be used from) the thread that owns it; only snapshot() results may be read
/// from other threads. The Directory is not owned.
class MessageStore : public QObject
{
    Q_OBJECT
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY capacityChanged)

public:
    /// What changed a stored row (messageChangedAs()).
    enum class Change {
        Edit, ///< MESSAGE_UPDATE changed it
        Delete, ///< MESSAGE_DELETE marked it deleted
        DeleteBulk, ///< MESSAGE_DELETE_BULK marked it deleted
        Merge, ///< a repeated MESSAGE_CREATE (a replay) was merged into it
    };
    Q_ENUM(Change)

    static constexpr int DefaultCapacity = 200000;
    static constexpr int DefaultBatchIntervalMs = 50;

    /// What happened to events that did not simply land in the store.
    struct Counters
    {
        quint64 created = 0; ///< MESSAGE_CREATEs accepted
        quint64 updated = 0; ///< MESSAGE_UPDATEs applied to a stored message
        quint64 deleted = 0; ///< messages marked deleted
        quint64 unknownUpdates = 0; ///< MESSAGE_UPDATE for a message not in the store
        quint64 unknownDeletes = 0; ///< deletes (single or in a bulk) for messages not in the store
        quint64 duplicates = 0; ///< MESSAGE_CREATE for an id already stored (merged)
        quint64 malformed = 0; ///< message events without a usable id
        quint64 evicted = 0; ///< rows dropped because the store was full
    };

    /// Bytes the store holds, by part (for memory accounting and benchmarks).
    struct MemoryUsage
    {
        qint64 columns = 0; ///< per-row columns of all chunks (capacity)
        qint64 text = 0; ///< the folded and original content arenas (UTF-8)
        qint64 index = 0; ///< the id → row index (estimated from its capacity)
        qint64 sideTables = 0; ///< rare per-row data, edited rows, interned tables (estimated)
        qint64 rawJson = 0; ///< compressed raw JSON blocks, the open block and kept updates
        qint64 total() const { return columns + text + index + sideTables + rawJson; }
    };

    explicit MessageStore(Directory *directory = nullptr, QObject *parent = nullptr);
    ~MessageStore() override;

    Directory *directory() const { return m_directory; }

    /// Routes one dispatch: MESSAGE_CREATE/UPDATE/DELETE/DELETE_BULK to the store, READY,
    /// GUILD_*, CHANNEL_*, THREAD_*, THREAD_LIST_SYNC and USER_UPDATE to the Directory.
    /// Returns true when the event type was used.
    bool handleDispatch(const QString &type, const QJsonObject &d);
    /// Takes a batch of decoded events in order: message events into the store, the others to
    /// the Directory (their `d` is read from GatewayEvent::rawData only there).
    void ingest(const Gatescope::GatewayEventBatch &events);
    /// One decoded event; see ingest().
    void ingestEvent(const Gatescope::GatewayEvent &event);

    /// Rows visible to views (pending appends excluded).
    int count() const { return int(m_count); }
    /// Messages received but not yet flushed to views.
    int pendingCount() const { return int(m_pendingCount); }
    /// Row @p row (0 = oldest), 0 <= row < count(), materialised.
    Message at(int row) const { return messageAtSeq(m_firstSeq + quint64(row)); }
    /// Sequence number of row @p row.
    quint64 seqAt(int row) const { return m_firstSeq + quint64(row); }
    /// Sequence number of row 0; rows are firstSeq() .. firstSeq()+count()-1.
    quint64 firstSeq() const { return m_firstSeq; }
    /// Row of message @p id, or -1 when it is not shown (unknown, evicted or still pending).
    int rowOf(quint64 id) const;
    /// The message @p id, shown or pending; nullopt when unknown.
    std::optional<Message> find(quint64 id) const;
    /// The raw JSON of @p id (its MESSAGE_CREATE `d` with later updates merged), for every
    /// stored row (shown or pending); empty when unknown or when it arrived without raw JSON.
    QByteArray rawJson(quint64 id) const;

    /// A view of the shown rows that any thread may read (see StoreSnapshot).
    StoreSnapshot snapshot() const;
    /// The interned authors, channels and guilds that rows refer to.
    const StoreTables &tables() const { return m_tables; }
    /// The current version of every edited or deleted row (and of rows that cannot be kept in
    /// columns exactly), keyed by sequence number.
    const QMap<quint64, Message> &overrides() const { return m_overrides; }
    /// The chunk holding the row with sequence number @p seq (shown or pending), or nullptr.
    const StoreChunk *chunkOf(quint64 seq) const;

    int capacity() const { return m_capacity; }
    /// Changes the bound at runtime (at least 1); shrinking evicts the oldest rows at once.
    void setCapacity(int capacity);
    int batchInterval() const { return m_batchTimer.interval(); }
    void setBatchInterval(int ms);

    Counters counters() const { return m_counters; }
    /// UTF-16 bytes of all shown contents (what QString copies of them would take).
    qint64 contentBytes() const;
    MemoryUsage memoryUsage() const;

public Q_SLOTS:
    /// Matches GatewayClient::dispatch(type, seq, data): connect it directly, e.g.
    /// `connect(client, &GatewayClient::dispatch, store, &MessageStore::onDispatch)`. Connect
    /// either this or the client's messageCreated/Updated/Deleted signals, not both (a message
    /// would arrive twice; the second is merged and counted as a duplicate).
    void onDispatch(const QString &type, qint64 seq, const QJsonObject &d)
    {
        Q_UNUSED(seq);
        handleDispatch(type, d);
    }
    /// MESSAGE_CREATE data. The same as handleDispatch(u"MESSAGE_CREATE"_s, d).
    void addMessage(const QJsonObject &d);
    /// Appends an already parsed message (id must be non-zero); @p raw may be empty.
    void append(const Gatescope::Message &message, const QJsonObject &raw = {});
    void updateMessage(const QJsonObject &d);
    void deleteMessage(quint64 id, quint64 channelId = 0, quint64 guildId = 0);
    void deleteMessages(const QList<quint64> &ids, quint64 channelId = 0, quint64 guildId = 0);
    /// Hands pending messages to the views now (normally done by the batch timer).
    void flush();
    /// Removes every message (aboutToClear/cleared); counters are kept.
    void clear();

Q_SIGNALS:
    void aboutToEvict(int count);
    void evicted(int count);
    void aboutToAppend(int count);
    void appended(int count);
    void messageChanged(int row);
    /// Right after messageChanged(@p row): what changed it.
    void messageChangedAs(int row, Gatescope::MessageStore::Change change);
    void aboutToClear();
    void cleared();
    void capacityChanged(int capacity);

private:
    Message messageAtSeq(quint64 seq) const;
    Message materialise(const StoreChunk &chunk, int row) const;
    StoreChunk *chunkOfMutable(quint64 seq);
    /// Appends a new row (the id is not stored yet) as the newest pending row.
    /// @p shard overrides message.shard (a decoded event names its shard beside the message).
    void storeRow(const Message &message, QByteArrayView raw, int shard);
    /// Merges a repeated MESSAGE_CREATE @p d into the stored row of its id.
    bool mergeDuplicate(quint64 id, const QJsonObject &d, qint64 createdMs);
    /// The current version of row @p seq, to be changed and put back with replaceRow().
    Message currentVersion(quint64 seq) const { return messageAtSeq(seq); }
    void replaceRow(quint64 seq, Message message);
    /// Sequence number of @p id (shown or pending), or nullopt.
    std::optional<quint64> seqOf(quint64 id) const;
    /// The row a MESSAGE_UPDATE for @p id applies to; counts it as applied or as unknown.
    std::optional<quint64> updateTarget(quint64 id);
    /// Merges @p update (and its raw JSON @p raw) into row @p seq, the one way updates land.
    void applyUpdateAt(quint64 seq, const MessageUpdate &update, QByteArrayView raw);
    /// Row of @p seq when it is shown, else -1.
    int shownRow(quint64 seq) const;
    void emitChanged(quint64 seq, Change change);
    void evictOldest(int n);
    /// Drops rows before @p seq from the index, the side tables and the chunks.
    void dropBefore(quint64 seq);
    void markDeleted(quint64 id, qint64 nowMs, Change change = Change::Delete);
    void markAllDeleted(const QList<quint64> &ids, Change change);
    quint32 internAuthor(const Message &message);
    static quint32 internId(std::vector<quint64> &table, QHash<quint64, quint32> &index,
                            quint64 id);

    Directory *m_directory = nullptr;
    StringInterner m_interner;
    MessageParser m_parser{&m_interner};
    RawJsonBlocks m_raw;

    // Chunks hold rows [m_chunks.front()->firstSeq, m_endSeq); shown rows are
    // [m_firstSeq, m_firstSeq + m_count), pending ones follow up to m_endSeq.
    std::deque<std::shared_ptr<StoreChunk>> m_chunks;
    quint64 m_firstSeq = 0;
    quint64 m_endSeq = 0;
    qsizetype m_count = 0;
    qsizetype m_pendingCount = 0;
    QHash<quint64, quint64> m_index; ///< id -> sequence number
    QMap<quint64, Message> m_overrides; ///< seq -> current version of edited/deleted rows

    StoreTables m_tables;
    QHash<QString, quint32> m_authorIndex; ///< "id/name/globalName" -> StoreTables::authors
    QHash<quint64, quint32> m_channelIndex;
    QHash<quint64, quint32> m_guildIndex;

    int m_capacity = DefaultCapacity;
    QTimer m_batchTimer;
    Counters m_counters;
};

} // namespace Gatescope
