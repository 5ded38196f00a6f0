#include "core/store/messagestore.h"

#include "core/logging.h"
#include "core/store/directory.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

/// The ASCII lower case of the pure-ASCII @p ascii appended to @p out; returns true when it
/// changed anything. Converts from UTF-16 in place: no temporary Latin-1 copy per row.
bool appendAsciiLower(QByteArray &out, QStringView ascii)
{
    const qsizetype start = out.size();
    out.resize(start + ascii.size());
    char *p = out.data() + start;
    bool changed = false;
    for (qsizetype i = 0; i < ascii.size(); ++i) {
        char c = char(ascii[i].unicode());
        if (c >= 'A' && c <= 'Z') {
            c = char(c + 32);
            changed = true;
        }
        p[i] = c;
    }
    return changed;
}

/// Embed titles worth keeping: none when every embed is untitled (views then show the count).
bool hasEmbedTitles(const Message &m)
{
    return std::any_of(m.embedTitles.cbegin(), m.embedTitles.cend(),
                       [](const QString &title) { return !title.isEmpty(); });
}

bool hasExtras(const Message &m)
{
    return m.webhookId || m.replyToId || m.editedAtMs || !m.attachments.isEmpty()
           || !m.mentionIds.isEmpty() || hasEmbedTitles(m) || !m.stickerNames.isEmpty();
}

template<typename T>
qint64 vectorBytes(const std::vector<T> &v)
{
    return qint64(v.capacity() * sizeof(T));
}

} // namespace

qint64 StoreChunk::columnBytes() const
{
    return vectorBytes(ids) + vectorBytes(timestamps) + vectorBytes(authors) + vectorBytes(channels)
           + vectorBytes(guilds) + vectorBytes(messageFlags) + vectorBytes(embedCounts)
           + vectorBytes(types) + vectorBytes(flags) + vectorBytes(extraFlags) + vectorBytes(shards)
           + vectorBytes(foldedEnd) + vectorBytes(contentEnd) + qint64(sizeof(StoreChunk));
}

const StoreChunk *StoreSnapshot::chunkOf(quint64 seq) const
{
    if (chunks.empty() || seq < chunks.front()->firstSeq)
        return nullptr;
    const size_t index = size_t((seq - chunks.front()->firstSeq) / quint64(StoreChunk::Rows));
    return index < chunks.size() ? chunks[index].get() : nullptr;
}

MessageStore::MessageStore(Directory *directory, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
{
    m_batchTimer.setObjectName(u"storeFlushTimer"_s); // named for profiles
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(DefaultBatchIntervalMs);
    m_batchTimer.callOnTimeout(this, &MessageStore::flush);
}

MessageStore::~MessageStore() = default;

bool MessageStore::handleDispatch(const QString &type, const QJsonObject &d)
{
    if (type == "MESSAGE_CREATE"_L1) {
        addMessage(d);
    } else if (type == "MESSAGE_UPDATE"_L1) {
        updateMessage(d);
    } else if (type == "MESSAGE_DELETE"_L1) {
        deleteMessage(MessageParser::parseId(d.value("id"_L1)),
                      MessageParser::parseId(d.value("channel_id"_L1)),
                      MessageParser::parseId(d.value("guild_id"_L1)));
    } else if (type == "MESSAGE_DELETE_BULK"_L1) {
        QList<quint64> ids;
        const QJsonArray array = d.value("ids"_L1).toArray();
        ids.reserve(array.size());
        for (const QJsonValue &id : array)
            ids.append(MessageParser::parseId(id));
        markAllDeleted(ids, Change::DeleteBulk);
    } else {
        return m_directory && m_directory->handleDispatch(type, d);
    }
    return true;
}

void MessageStore::ingest(const GatewayEventBatch &events)
{
    for (const GatewayEvent &event : events)
        ingestEvent(event);
}

void MessageStore::ingestEvent(const GatewayEvent &event)
{
    using Kind = GatewayEvent::Kind;
    switch (event.kind) {
    case Kind::MessageCreate: {
        const Message &message = event.message;
        if (message.id == 0) {
            ++m_counters.malformed;
            qCDebug(lcStore) << "message without a usable id ignored";
        } else if (m_index.contains(message.id)) {
            mergeDuplicate(message.id, QJsonDocument::fromJson(event.rawData).object(),
                           message.timestampMs);
        } else {
            storeRow(message, event.rawData, event.shard);
        }
        break;
    }
    case Kind::MessageUpdate: {
        if (!event.update) {
            ++m_counters.malformed;
            return;
        }
        if (const std::optional<quint64> seq = updateTarget(event.update->values.id))
            applyUpdateAt(*seq, *event.update, event.rawData);
        break;
    }
    case Kind::MessageDelete:
        markAllDeleted(event.deletedIds, Change::Delete);
        break;
    case Kind::MessageDeleteBulk:
        markAllDeleted(event.deletedIds, Change::DeleteBulk);
        break;
    case Kind::Malformed:
        ++m_counters.malformed;
        qCDebug(lcStore).noquote() << "malformed message event ignored:" << event.error;
        break;
    case Kind::Other:
        if (m_directory)
            m_directory->handleDispatch(event.type, event.data());
        break;
    }
}

void MessageStore::addMessage(const QJsonObject &d)
{
    const Message message = m_parser.parse(d);
    if (message.id != 0 && m_index.contains(message.id)) {
        mergeDuplicate(message.id, d, message.timestampMs);
        return;
    }
    append(message, d);
}

void MessageStore::append(const Message &message, const QJsonObject &raw)
{
    if (message.id == 0) {
        ++m_counters.malformed;
        qCDebug(lcStore) << "message without a usable id ignored";
        return;
    }
    if (m_index.contains(message.id)) {
        mergeDuplicate(message.id, raw, message.timestampMs);
        return;
    }
    storeRow(message,
             raw.isEmpty() ? QByteArray() : QJsonDocument(raw).toJson(QJsonDocument::Compact),
             message.shard);
}

bool MessageStore::mergeDuplicate(quint64 id, const QJsonObject &d, qint64 createdMs)
{
    // A replayed MESSAGE_CREATE (e.g. after a resume): merge, never duplicate the row.
    ++m_counters.duplicates;
    const quint64 seq = m_index.value(id);
    if (d.isEmpty())
        return false;
    Message message = currentVersion(seq);
    const bool changed = m_parser.applyUpdate(message, d, createdMs);
    replaceRow(seq, std::move(message));
    if (changed)
        emitChanged(seq, Change::Merge);
    return changed;
}

quint32 MessageStore::internId(std::vector<quint64> &table, QHash<quint64, quint32> &index,
                               quint64 id)
{
    const auto it = index.constFind(id);
    if (it != index.cend())
        return *it;
    const quint32 i = quint32(table.size());
    table.push_back(id);
    index.insert(id, i);
    return i;
}

quint32 MessageStore::internAuthor(const Message &message)
{
    const QString key = QString::number(message.authorId) + u'\n' + message.authorName + u'\n'
                        + message.authorGlobalName;
    const auto it = m_authorIndex.constFind(key);
    if (it != m_authorIndex.cend())
        return *it;
    const quint32 i = quint32(m_tables.authors.size());
    m_tables.authors.push_back({message.authorId, m_interner.intern(message.authorName),
                                m_interner.intern(message.authorGlobalName)});
    m_authorIndex.insert(key, i);
    return i;
}

void MessageStore::storeRow(const Message &message, QByteArrayView raw, int shard)
{
    if (m_chunks.empty() || m_chunks.back()->isFull()) {
        auto chunk = std::make_shared<StoreChunk>();
        chunk->firstSeq = m_endSeq;
        // The last full chunk's text size is the best guess for the next one.
        chunk->reserve(m_chunks.empty() ? StoreChunk::Rows * 64 : m_chunks.back()->folded.size());
        m_chunks.push_back(std::move(chunk));
    }
    StoreChunk &c = *m_chunks.back();
    const quint64 seq = m_endSeq;
    const int row = c.size();
    c.ids.push_back(message.id);
    c.timestamps.push_back(message.timestampMs);
    c.authors.push_back(internAuthor(message));
    c.channels.push_back(internId(m_tables.channels, m_channelIndex, message.channelId));
    c.guilds.push_back(internId(m_tables.guilds, m_guildIndex, message.guildId));
    c.messageFlags.push_back(message.messageFlags);
    c.embedCounts.push_back(message.embedCount);
    c.types.push_back(message.type);
    c.flags.push_back(message.flags);
    c.shards.push_back(shard >= 0 && shard < StoreChunk::NoShard ? quint16(shard)
                                                                 : StoreChunk::NoShard);

    quint8 extra = 0;
    bool exact = message.revisions.isEmpty() && message.deletedAtMs == 0;
    const QString &content = message.content;
    if (QtPrivate::isAscii(QStringView(content))) {
        if (appendAsciiLower(c.folded, content))
            c.content.append(content.toLatin1());
        else
            extra |= StoreChunk::ContentIsFolded;
    } else {
        extra |= StoreChunk::NonAscii;
        // Lone surrogates do not survive UTF-8: such a row is kept whole beside the chunk.
        exact = exact && QStringView(content).isValidUtf16();
        const QByteArray folded
                = (message.searchKey.isNull() ? content.toCaseFolded() : message.searchKey)
                          .toUtf8();
        const QByteArray original = content.toUtf8();
        c.folded.append(folded);
        if (folded == original)
            extra |= StoreChunk::ContentIsFolded;
        else
            c.content.append(original);
    }
    c.foldedEnd.push_back(quint32(c.folded.size()));
    c.contentEnd.push_back(quint32(c.content.size()));
    if (!message.attachments.isEmpty())
        extra |= StoreChunk::HasAttachments;
    if (!message.mentionIds.isEmpty())
        extra |= StoreChunk::HasMentions;
    if (message.replyToId)
        extra |= StoreChunk::IsReply;
    if (hasExtras(message)) {
        extra |= StoreChunk::HasExtras;
        c.extras.insert(quint16(row),
                        RowExtras{message.webhookId, message.replyToId, message.editedAtMs,
                                  message.attachments, message.mentionIds,
                                  hasEmbedTitles(message) ? message.embedTitles : QStringList(),
                                  message.stickerNames});
    }
    c.extraFlags.push_back(extra);
    if (c.isFull()) {
        c.folded.squeeze();
        c.content.squeeze();
    }
    if (!exact) {
        Message whole = message;
        whole.shard = shard;
        m_overrides.insert(seq, whole);
    }

    ++m_counters.created;
    if (m_directory)
        m_directory->noteMessage(message);
    m_raw.append(raw);
    m_index.insert(message.id, seq);
    ++m_endSeq;
    ++m_pendingCount;
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

Message MessageStore::materialise(const StoreChunk &c, int row) const
{
    const size_t r = size_t(row);
    Message m;
    m.id = c.ids[r];
    m.timestampMs = c.timestamps[r];
    const StoredAuthor &author = m_tables.authors[c.authors[r]];
    m.authorId = author.id;
    m.authorName = author.name;
    m.authorGlobalName = author.globalName;
    m.channelId = m_tables.channels[c.channels[r]];
    m.guildId = m_tables.guilds[c.guilds[r]];
    m.messageFlags = c.messageFlags[r];
    m.embedCount = c.embedCounts[r];
    m.type = c.types[r];
    m.flags = c.flags[r];
    m.shard = c.shards[r] == StoreChunk::NoShard ? -1 : int(c.shards[r]);
    const quint8 extra = c.extraFlags[r];
    const QByteArrayView text = c.contentText(row);
    if (extra & StoreChunk::NonAscii) {
        m.content = QString::fromUtf8(text);
        m.searchKey = extra & StoreChunk::ContentIsFolded ? m.content
                                                          : QString::fromUtf8(c.foldedText(row));
    } else {
        m.content = QString::fromLatin1(text);
    }
    if (extra & StoreChunk::HasExtras) {
        const RowExtras extras = c.extras.value(quint16(row));
        m.webhookId = extras.webhookId;
        m.replyToId = extras.replyToId;
        m.editedAtMs = extras.editedAtMs;
        m.attachments = extras.attachments;
        m.mentionIds = extras.mentionIds;
        m.embedTitles = extras.embedTitles;
        m.stickerNames = extras.stickerNames;
    }
    return m;
}

const StoreChunk *MessageStore::chunkOf(quint64 seq) const
{
    if (m_chunks.empty() || seq < m_chunks.front()->firstSeq || seq >= m_endSeq)
        return nullptr;
    const size_t index = size_t((seq - m_chunks.front()->firstSeq) / quint64(StoreChunk::Rows));
    return index < m_chunks.size() ? m_chunks[index].get() : nullptr;
}

Message MessageStore::messageAtSeq(quint64 seq) const
{
    if (!m_overrides.isEmpty()) {
        const auto it = m_overrides.constFind(seq);
        if (it != m_overrides.cend())
            return *it;
    }
    const StoreChunk *chunk = chunkOf(seq);
    Q_ASSERT(chunk);
    return chunk ? materialise(*chunk, int(seq - chunk->firstSeq)) : Message();
}

void MessageStore::replaceRow(quint64 seq, Message message)
{
    m_overrides.insert(seq, std::move(message));
}

std::optional<quint64> MessageStore::seqOf(quint64 id) const
{
    if (id == 0)
        return std::nullopt;
    const auto it = m_index.constFind(id);
    if (it == m_index.cend())
        return std::nullopt;
    return *it;
}

int MessageStore::shownRow(quint64 seq) const
{
    const quint64 offset = seq - m_firstSeq;
    return seq >= m_firstSeq && offset < quint64(m_count) ? int(offset) : -1;
}

void MessageStore::emitChanged(quint64 seq, Change change)
{
    const int row = shownRow(seq);
    if (row < 0)
        return;
    Q_EMIT messageChanged(row);
    Q_EMIT messageChangedAs(row, change);
}

void MessageStore::updateMessage(const QJsonObject &d)
{
    const MessageUpdate update = m_parser.parseUpdate(d);
    if (const std::optional<quint64> seq = updateTarget(update.values.id))
        applyUpdateAt(*seq, update, QJsonDocument(d).toJson(QJsonDocument::Compact));
}

std::optional<quint64> MessageStore::updateTarget(quint64 id)
{
    const std::optional<quint64> seq = seqOf(id);
    if (!seq) {
        ++m_counters.unknownUpdates;
        qCDebug(lcStore) << "MESSAGE_UPDATE for an unknown message" << id;
        return std::nullopt;
    }
    ++m_counters.updated;
    return seq;
}

void MessageStore::applyUpdateAt(quint64 seq, const MessageUpdate &update, QByteArrayView raw)
{
    Message message = currentVersion(seq);
    const bool changed
            = MessageParser::applyUpdate(message, update, QDateTime::currentMSecsSinceEpoch());
    replaceRow(seq, std::move(message));
    m_raw.merge(seq, raw);
    if (changed)
        emitChanged(seq, Change::Edit);
}

void MessageStore::markDeleted(quint64 id, qint64 nowMs, Change change)
{
    const std::optional<quint64> seq = seqOf(id);
    if (!seq) {
        ++m_counters.unknownDeletes;
        return;
    }
    Message message = currentVersion(*seq);
    if (message.isDeleted())
        return;
    ++m_counters.deleted;
    message.flags |= Message::Deleted;
    message.deletedAtMs = nowMs;
    replaceRow(*seq, std::move(message));
    emitChanged(*seq, change);
}

void MessageStore::deleteMessage(quint64 id, quint64 channelId, quint64 guildId)
{
    Q_UNUSED(channelId);
    Q_UNUSED(guildId);
    markDeleted(id, QDateTime::currentMSecsSinceEpoch());
}

void MessageStore::deleteMessages(const QList<quint64> &ids, quint64 channelId, quint64 guildId)
{
    Q_UNUSED(channelId);
    Q_UNUSED(guildId);
    markAllDeleted(ids, Change::Delete);
}

void MessageStore::markAllDeleted(const QList<quint64> &ids, Change change)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (quint64 id : ids)
        markDeleted(id, now, change);
}

std::optional<Message> MessageStore::find(quint64 id) const
{
    const std::optional<quint64> seq = seqOf(id);
    if (!seq)
        return std::nullopt;
    return messageAtSeq(*seq);
}

QByteArray MessageStore::rawJson(quint64 id) const
{
    const std::optional<quint64> seq = seqOf(id);
    return seq ? m_raw.value(*seq) : QByteArray();
}

int MessageStore::rowOf(quint64 id) const
{
    const std::optional<quint64> seq = seqOf(id);
    return seq ? shownRow(*seq) : -1;
}

void MessageStore::dropBefore(quint64 seq)
{
    for (quint64 s = m_firstSeq; s < seq;) {
        const StoreChunk *chunk = chunkOf(s);
        if (!chunk)
            break;
        const quint64 end = qMin(seq, chunk->firstSeq + quint64(chunk->size()));
        for (; s < end; ++s)
            m_index.remove(chunk->ids[size_t(s - chunk->firstSeq)]);
    }
    m_firstSeq = seq;
    while (!m_chunks.empty() && m_chunks.front()->isFull()
           && m_chunks.front()->firstSeq + quint64(StoreChunk::Rows) <= seq)
        m_chunks.pop_front();
    if (!m_overrides.isEmpty())
        m_overrides.erase(m_overrides.cbegin(), m_overrides.lowerBound(seq));
    m_raw.dropBefore(seq);
}

void MessageStore::evictOldest(int n)
{
    n = qMin(n, int(m_count));
    if (n <= 0)
        return;
    Q_EMIT aboutToEvict(n);
    dropBefore(m_firstSeq + quint64(n));
    m_count -= n;
    m_counters.evicted += quint64(n);
    Q_EMIT evicted(n);
}

void MessageStore::flush()
{
    m_batchTimer.stop();
    if (m_pendingCount == 0)
        return;
    // More arrived in one batch than the store holds: the oldest never reach a view.
    const qsizetype skip = qMax<qsizetype>(0, m_pendingCount - m_capacity);
    const qsizetype toAdd = m_pendingCount - skip;
    const qsizetype overflow = m_count + toAdd - m_capacity;
    if (overflow > 0)
        evictOldest(int(overflow));
    if (skip > 0) {
        dropBefore(m_firstSeq + quint64(m_count) + quint64(skip));
        m_counters.evicted += quint64(skip);
        m_pendingCount -= skip;
    }
    Q_EMIT aboutToAppend(int(toAdd));
    m_count += toAdd;
    m_pendingCount = 0;
    Q_EMIT appended(int(toAdd));
}

void MessageStore::setCapacity(int capacity)
{
    capacity = qMax(1, capacity);
    if (capacity == m_capacity)
        return;
    m_capacity = capacity;
    if (m_count > capacity)
        evictOldest(int(m_count - capacity));
    Q_EMIT capacityChanged(capacity);
}

void MessageStore::setBatchInterval(int ms)
{
    m_batchTimer.setInterval(qMax(0, ms));
}

StoreSnapshot MessageStore::snapshot() const
{
    StoreSnapshot s;
    s.firstSeq = m_firstSeq;
    s.endSeq = m_firstSeq + quint64(m_count);
    s.overrides = m_overrides;
    for (const auto &chunk : m_chunks) {
        if (chunk->firstSeq + quint64(chunk->size()) <= s.firstSeq)
            continue;
        if (chunk->firstSeq >= s.endSeq)
            break;
        // Full chunks never change again; the open one is copied (at most Rows rows).
        if (chunk->isFull())
            s.chunks.push_back(chunk);
        else
            s.chunks.push_back(std::make_shared<const StoreChunk>(*chunk));
    }
    return s;
}

qint64 MessageStore::contentBytes() const
{
    qint64 bytes = 0;
    for (qsizetype row = 0; row < m_count; ++row) {
        const quint64 seq = m_firstSeq + quint64(row);
        const auto it = m_overrides.constFind(seq);
        if (it != m_overrides.cend()) {
            bytes += it->content.size() * qint64(sizeof(QChar));
            continue;
        }
        const StoreChunk *chunk = chunkOf(seq);
        const QByteArrayView text = chunk->contentText(int(seq - chunk->firstSeq));
        // UTF-16 units of UTF-8 text: one per lead byte, two for 4-byte sequences.
        qint64 units = 0;
        for (const char c : text) {
            const auto b = quint8(c);
            units += (b & 0xC0) != 0x80 ? 1 : 0;
            units += b >= 0xF0 ? 1 : 0;
        }
        bytes += units * qint64(sizeof(QChar));
    }
    return bytes;
}

MessageStore::MemoryUsage MessageStore::memoryUsage() const
{
    MemoryUsage usage;
    qint64 extras = 0;
    for (const auto &chunk : m_chunks) {
        usage.columns += chunk->columnBytes();
        usage.text += chunk->textBytes();
        extras += chunk->extras.size();
        extras += chunk->extras.capacity();
    }
    // QHash: one offset byte per bucket plus a 16-byte node per entry (and span headers).
    usage.index = m_index.capacity() + qint64(m_index.size()) * 16 + m_index.capacity() / 8;
    usage.sideTables = extras * qint64(sizeof(RowExtras) + 8)
                       + qint64(m_overrides.size()) * qint64(sizeof(Message) + 64)
                       + qint64(m_tables.authors.size()) * qint64(sizeof(StoredAuthor) + 64)
                       + qint64(m_tables.channels.size() + m_tables.guilds.size()) * 32;
    usage.rawJson = m_raw.bytes();
    return usage;
}

void MessageStore::clear()
{
    m_batchTimer.stop();
    Q_EMIT aboutToClear();
    m_firstSeq = m_endSeq;
    m_count = 0;
    m_pendingCount = 0;
    m_chunks.clear();
    m_index.clear();
    m_overrides.clear();
    m_tables = {};
    m_authorIndex.clear();
    m_channelIndex.clear();
    m_guildIndex.clear();
    m_interner.clear();
    m_raw.reset(m_endSeq);
    Q_EMIT cleared();
}

} // namespace Gatescope
