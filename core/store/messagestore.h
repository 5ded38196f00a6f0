#pragma once

#include "core/gateway/gatewayevent.h"
#include "core/store/message.h"
#include "core/store/messageparser.h"
#include "core/store/rawjsoncache.h"
#include "core/store/stringinterner.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

#include <vector>

namespace Gatescope {

class Directory;

/// The messages in memory: a bounded ring of Message records, updated in place.
///
/// Appends are coalesced: MESSAGE_CREATEs wait in a pending list, and at most every
/// batchInterval() ms (default 50) one flush tells the views, in this order:
/// 1. aboutToEvict(n) / evicted(n) — the n oldest rows leave (rows 0..n-1), if the ring is full;
/// 2. aboutToAppend(n) / appended(n) — n rows are added at the end.
/// Between an about-to signal and its done signal, count() and at() still describe the old
/// state; a model maps them one to one onto beginRemoveRows/endRemoveRows and
/// beginInsertRows/endInsertRows. Edits and deletes of shown rows emit messageChanged(row) at once.
///
/// MESSAGE_UPDATE is merged defensively (see MessageParser::applyUpdate). MESSAGE_DELETE and
/// MESSAGE_DELETE_BULK set Deleted and deletedAtMs and keep the message. Updates and deletes for
/// messages not in the store (never seen or already evicted) are counted in counters(); a
/// repeated MESSAGE_CREATE (a replay) is merged into the existing record and counted.
///
/// Every row has a sequence number (seqAt()) that never changes while the row lives, so caches
/// (like the filter's match bitmap) can be keyed by it across evictions.
///
/// Lives in (and must be used from) the thread that owns it. The Directory is not owned.
class MessageStore : public QObject
{
    Q_OBJECT
    Q_PROPERTY(int capacity READ capacity WRITE setCapacity NOTIFY capacityChanged)

public:
    static constexpr int DefaultCapacity = 200000;
    static constexpr int DefaultBatchIntervalMs = 50;

    /// What happened to events that did not simply land in the ring.
    struct Counters
    {
        quint64 created = 0; ///< MESSAGE_CREATEs accepted
        quint64 updated = 0; ///< MESSAGE_UPDATEs applied to a stored message
        quint64 deleted = 0; ///< messages marked deleted
        quint64 unknownUpdates = 0; ///< MESSAGE_UPDATE for a message not in the store
        quint64 unknownDeletes = 0; ///< deletes (single or in a bulk) for messages not in the store
        quint64 duplicates = 0; ///< MESSAGE_CREATE for an id already stored (merged)
        quint64 malformed = 0; ///< message events without a usable id
        quint64 evicted = 0; ///< rows dropped because the ring was full
    };

    explicit MessageStore(Directory *directory = nullptr, QObject *parent = nullptr);
    ~MessageStore() override;

    Directory *directory() const { return m_directory; }

    /// Routes one dispatch: MESSAGE_CREATE/UPDATE/DELETE/DELETE_BULK to the store, READY,
    /// GUILD_*, CHANNEL_*, THREAD_*, THREAD_LIST_SYNC and USER_UPDATE to the Directory.
    /// Returns true when the event type was used.
    bool handleDispatch(const QString &type, const QJsonObject &d);
    /// Takes a batch of decoded events in order: message events into the ring, the others to
    /// the Directory (their `d` is read from GatewayEvent::rawData only there).
    void ingest(const Gatescope::GatewayEventBatch &events);
    /// One decoded event; see ingest().
    void ingestEvent(const Gatescope::GatewayEvent &event);

    /// Rows visible to views (pending appends excluded).
    int count() const { return int(m_count); }
    /// Messages received but not yet flushed to views.
    int pendingCount() const { return int(m_pending.size()); }
    /// Row @p row (0 = oldest), 0 <= row < count().
    const Message &at(int row) const { return m_ring[slot(row)]; }
    /// Sequence number of row @p row.
    quint64 seqAt(int row) const { return m_firstSeq + quint64(row); }
    /// Sequence number of row 0; rows are firstSeq() .. firstSeq()+count()-1.
    quint64 firstSeq() const { return m_firstSeq; }
    /// Row of message @p id, or -1 when it is not shown (unknown, evicted or still pending).
    int rowOf(quint64 id) const;
    /// The message @p id, shown or pending; nullptr when unknown.
    const Message *find(quint64 id) const;
    /// The compact raw JSON of @p id (MESSAGE_CREATE with later updates merged), if still kept.
    QByteArray rawJson(quint64 id) const { return m_raw.value(id); }

    int capacity() const { return m_capacity; }
    /// Changes the bound at runtime (at least 1); shrinking evicts the oldest rows at once.
    void setCapacity(int capacity);
    int batchInterval() const { return m_batchTimer.interval(); }
    void setBatchInterval(int ms);
    /// Bounds for the raw JSON kept for the details pane (see RawJsonCache).
    void setRawJsonLimits(qsizetype maxEntries, qsizetype maxBytes);

    Counters counters() const { return m_counters; }
    /// UTF-16 bytes of all stored contents (for memory accounting).
    qint64 contentBytes() const;

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
    void append(Gatescope::Message message, const QJsonObject &raw = {});
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
    void aboutToClear();
    void cleared();
    void capacityChanged(int capacity);

private:
    qsizetype slot(int row) const
    {
        return qsizetype((m_head + qsizetype(row)) % qsizetype(m_ring.size()));
    }
    Message *findMutable(quint64 id, int *row);
    void appendDecoded(const Message &message, const QByteArray &raw);
    void applyDecodedUpdate(const MessageUpdate &update, const QByteArray &raw);
    void evictOldest(int n);
    void markDeleted(quint64 id, qint64 nowMs);
    void rebuildRing(qsizetype newSize);

    Directory *m_directory = nullptr;
    StringInterner m_interner;
    MessageParser m_parser{&m_interner};
    RawJsonCache m_raw;

    // The ring reserves its capacity once (address space only: pages are committed as rows
    // arrive) and grows in place, so it never moves its Messages while filling up.
    // Row r lives in slot (m_head + r) % m_ring.size().
    std::vector<Message> m_ring;
    qsizetype m_head = 0;
    qsizetype m_count = 0;
    QList<Message> m_pending;
    // id -> sequence number; shown rows are [m_firstSeq, m_firstSeq + m_count), pending ones
    // follow.
    QHash<quint64, quint64> m_index;
    quint64 m_firstSeq = 0;

    int m_capacity = DefaultCapacity;
    QTimer m_batchTimer;
    Counters m_counters;
};

} // namespace Gatescope
