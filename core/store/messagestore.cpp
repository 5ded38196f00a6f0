#include "core/store/messagestore.h"

#include "core/logging.h"
#include "core/store/directory.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Gatescope {

MessageStore::MessageStore(Directory *directory, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
{
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
        deleteMessages(ids, MessageParser::parseId(d.value("channel_id"_L1)),
                       MessageParser::parseId(d.value("guild_id"_L1)));
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
    case Kind::MessageCreate:
        appendDecoded(event.message, event.rawData);
        break;
    case Kind::MessageUpdate:
        applyDecodedUpdate(event.update, event.rawData);
        break;
    case Kind::MessageDelete:
    case Kind::MessageDeleteBulk:
        deleteMessages(event.deletedIds, event.channelId, event.guildId);
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

void MessageStore::appendDecoded(const Message &message, const QByteArray &raw)
{
    if (message.id == 0) {
        ++m_counters.malformed;
        qCDebug(lcStore) << "message without a usable id ignored";
        return;
    }
    int row = -1;
    if (Message *existing = findMutable(message.id, &row)) {
        ++m_counters.duplicates;
        const QJsonObject object = QJsonDocument::fromJson(raw).object();
        if (!object.isEmpty() && m_parser.applyUpdate(*existing, object, message.timestampMs)
            && row >= 0)
            Q_EMIT messageChanged(row);
        return;
    }
    ++m_counters.created;
    if (m_directory)
        m_directory->noteMessage(message);
    if (!raw.isEmpty())
        m_raw.insertRaw(message.id, raw);
    m_index.insert(message.id, m_firstSeq + quint64(m_count) + quint64(m_pending.size()));
    m_pending.append(message);
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void MessageStore::applyDecodedUpdate(const MessageUpdate &update, const QByteArray &raw)
{
    const quint64 id = update.values.id;
    int row = -1;
    Message *message = id ? findMutable(id, &row) : nullptr;
    if (!message) {
        ++m_counters.unknownUpdates;
        qCDebug(lcStore) << "MESSAGE_UPDATE for an unknown message" << id;
        return;
    }
    ++m_counters.updated;
    if (m_raw.contains(id))
        m_raw.merge(id, QJsonDocument::fromJson(raw).object());
    if (MessageParser::applyUpdate(*message, update, QDateTime::currentMSecsSinceEpoch())
        && row >= 0)
        Q_EMIT messageChanged(row);
}

void MessageStore::addMessage(const QJsonObject &d)
{
    append(m_parser.parse(d), d);
}

void MessageStore::append(Message message, const QJsonObject &raw)
{
    if (message.id == 0) {
        ++m_counters.malformed;
        qCDebug(lcStore) << "message without a usable id ignored";
        return;
    }
    int row = -1;
    if (Message *existing = findMutable(message.id, &row)) {
        // A replayed MESSAGE_CREATE (e.g. after a resume): merge, never duplicate the row.
        ++m_counters.duplicates;
        if (!raw.isEmpty() && m_parser.applyUpdate(*existing, raw, message.timestampMs) && row >= 0)
            Q_EMIT messageChanged(row);
        return;
    }
    ++m_counters.created;
    if (m_directory)
        m_directory->noteMessage(message);
    if (!raw.isEmpty())
        m_raw.insert(message.id, raw);
    m_index.insert(message.id, m_firstSeq + quint64(m_count) + quint64(m_pending.size()));
    m_pending.append(std::move(message));
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void MessageStore::updateMessage(const QJsonObject &d)
{
    const quint64 id = MessageParser::parseId(d.value("id"_L1));
    int row = -1;
    Message *message = id ? findMutable(id, &row) : nullptr;
    if (!message) {
        ++m_counters.unknownUpdates;
        qCDebug(lcStore) << "MESSAGE_UPDATE for an unknown message" << id;
        return;
    }
    ++m_counters.updated;
    m_raw.merge(id, d);
    if (m_parser.applyUpdate(*message, d, QDateTime::currentMSecsSinceEpoch()) && row >= 0)
        Q_EMIT messageChanged(row);
}

void MessageStore::markDeleted(quint64 id, qint64 nowMs)
{
    int row = -1;
    Message *message = id ? findMutable(id, &row) : nullptr;
    if (!message) {
        ++m_counters.unknownDeletes;
        return;
    }
    if (message->isDeleted())
        return;
    ++m_counters.deleted;
    message->flags |= Message::Deleted;
    message->deletedAtMs = nowMs;
    if (row >= 0)
        Q_EMIT messageChanged(row);
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
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (quint64 id : ids)
        markDeleted(id, now);
}

Message *MessageStore::findMutable(quint64 id, int *row)
{
    *row = -1;
    const auto it = m_index.constFind(id);
    if (it == m_index.cend())
        return nullptr;
    const quint64 offset = *it - m_firstSeq;
    if (offset < quint64(m_count)) {
        *row = int(offset);
        return &m_ring[slot(*row)];
    }
    return &m_pending[qsizetype(offset - quint64(m_count))];
}

const Message *MessageStore::find(quint64 id) const
{
    int row = -1;
    return const_cast<MessageStore *>(this)->findMutable(id, &row);
}

int MessageStore::rowOf(quint64 id) const
{
    const auto it = m_index.constFind(id);
    if (it == m_index.cend())
        return -1;
    const quint64 offset = *it - m_firstSeq;
    return offset < quint64(m_count) ? int(offset) : -1;
}

void MessageStore::evictOldest(int n)
{
    n = qMin(n, int(m_count));
    if (n <= 0)
        return;
    Q_EMIT aboutToEvict(n);
    for (int i = 0; i < n; ++i) {
        Message &message = m_ring[slot(i)];
        m_index.remove(message.id);
        message = Message();
    }
    m_head = (m_head + n) % qsizetype(m_ring.size());
    m_count -= n;
    m_firstSeq += quint64(n);
    m_counters.evicted += quint64(n);
    Q_EMIT evicted(n);
}

void MessageStore::rebuildRing(qsizetype newSize)
{
    std::vector<Message> ring;
    ring.reserve(size_t(newSize));
    for (qsizetype row = 0; row < m_count; ++row)
        ring.push_back(std::move(m_ring[slot(int(row))]));
    ring.resize(size_t(qMax(newSize, m_count)));
    m_ring.swap(ring);
    m_head = 0;
}

void MessageStore::flush()
{
    m_batchTimer.stop();
    if (m_pending.isEmpty())
        return;
    qsizetype skip = 0;
    if (m_pending.size() > m_capacity) {
        // More arrived in one batch than the ring holds: the oldest never reach a view.
        skip = m_pending.size() - m_capacity;
        for (qsizetype i = 0; i < skip; ++i)
            m_index.remove(m_pending[i].id);
        m_counters.evicted += quint64(skip);
    }
    const qsizetype toAdd = m_pending.size() - skip;
    const qsizetype overflow = m_count + toAdd - m_capacity;
    if (overflow > 0)
        evictOldest(int(overflow));
    m_firstSeq += quint64(skip);

    Q_EMIT aboutToAppend(int(toAdd));
    if (m_count + toAdd > qsizetype(m_ring.size())) {
        // Rows wrap around the end (only after a capacity change): unwrap them first.
        if (m_head + m_count > qsizetype(m_ring.size()))
            rebuildRing(m_count);
        // Reserve the whole capacity at the first append: growing by doubling moved every
        // stored Message on each step (one 100,000-row move stalled the GUI). Untouched pages of
        // the reservation are not committed, so an unused capacity still costs no memory.
        // Reserving keeps every row in its slot.
        if (m_ring.capacity() < size_t(m_capacity))
            m_ring.reserve(size_t(m_capacity));
        // The batch that fills the ring evicted from the front first: rows sit in
        // [m_head, size()). Extending to the capacity in place keeps them in their slots (slot()
        // stays right, as no row wraps), where unwrapping them moved every row.
        if (m_head != 0)
            m_ring.resize(size_t(m_capacity));
    }
    for (qsizetype i = skip; i < m_pending.size(); ++i) {
        if (m_count < qsizetype(m_ring.size()))
            m_ring[slot(int(m_count))] = std::move(m_pending[i]);
        else
            m_ring.push_back(std::move(m_pending[i]));
        ++m_count;
    }
    m_pending.clear();
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
    if (qsizetype(m_ring.size()) > capacity) {
        rebuildRing(m_count);
        m_ring.shrink_to_fit();
    }
    Q_EMIT capacityChanged(capacity);
}

void MessageStore::setBatchInterval(int ms)
{
    m_batchTimer.setInterval(qMax(0, ms));
}

void MessageStore::setRawJsonLimits(qsizetype maxEntries, qsizetype maxBytes)
{
    m_raw.setLimits(maxEntries, maxBytes);
}

qint64 MessageStore::contentBytes() const
{
    qint64 bytes = 0;
    for (qsizetype row = 0; row < m_count; ++row)
        bytes += at(int(row)).content.size() * qint64(sizeof(QChar));
    return bytes;
}

void MessageStore::clear()
{
    m_batchTimer.stop();
    Q_EMIT aboutToClear();
    m_firstSeq += quint64(m_count) + quint64(m_pending.size());
    m_ring.clear();
    m_ring.shrink_to_fit();
    m_head = 0;
    m_count = 0;
    m_pending.clear();
    m_index.clear();
    m_raw.clear();
    m_interner.clear();
    Q_EMIT cleared();
}

} // namespace Gatescope
