#include "emulator/session.h"

namespace Gatescope::Emulator {

Session::Session(const QString &id, const QString &token, int shardId, int shardCount,
                 quint32 intents, int replayCapacity, qint64 replayCapacityBytes)
    : m_id(id)
    , m_token(token)
    , m_shardId(shardId)
    , m_shardCount(shardCount)
    , m_intents(intents)
    , m_capacity(qMax(1, replayCapacity))
    , m_capacityBytes(qMax<qint64>(0, replayCapacityBytes))
{ }

void Session::record(qint64 seq, const QByteArray &json, quint64 messageId)
{
    // Sequences are contiguous per session, so the buffer only needs the first one's number.
    if (m_buffer.empty())
        m_firstBufferedSeq = seq;
    m_buffer.push_back(json);
    m_messageIds.push_back(messageId);
    m_bufferedBytes += json.size();
    const auto overBudget = [this] {
        return qsizetype(m_buffer.size()) > m_capacity
               || (m_capacityBytes > 0 && m_bufferedBytes > m_capacityBytes && m_buffer.size() > 1);
    };
    while (overBudget()) {
        m_bufferedBytes -= m_buffer.front().size();
        m_buffer.pop_front();
        m_messageIds.pop_front();
        ++m_firstBufferedSeq;
    }
}

bool Session::canReplayAfter(qint64 seq) const
{
    if (seq >= m_lastSeq)
        return true;
    return !m_buffer.empty() && seq + 1 >= m_firstBufferedSeq;
}

QList<QByteArray> Session::replayAfter(qint64 seq) const
{
    QList<QByteArray> out;
    if (m_buffer.empty() || seq >= m_lastSeq)
        return out;
    const qint64 start = qMax<qint64>(0, seq + 1 - m_firstBufferedSeq);
    out.reserve(qsizetype(m_buffer.size()) - start);
    for (auto it = m_buffer.begin() + start; it != m_buffer.end(); ++it)
        out.append(*it);
    return out;
}

quint64 Session::messageIdAt(qint64 seq) const
{
    const qint64 index = seq - m_firstBufferedSeq;
    if (index < 0 || index >= qint64(m_messageIds.size()))
        return 0;
    return m_messageIds[size_t(index)];
}

void Session::attach(int connectionId)
{
    m_connectionId = connectionId;
    m_detachedAtMs = 0;
}

void Session::detach(qint64 nowMs)
{
    m_connectionId = 0;
    m_detachedAtMs = nowMs;
}

} // namespace Gatescope::Emulator
