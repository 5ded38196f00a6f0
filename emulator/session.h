#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <deque>

namespace Gatescope::Emulator {

/// One gateway session: who identified, how its events are routed, its sequence counter and a
/// bounded buffer of the dispatches it was sent (for Resume). A session outlives its connection:
/// while detached it keeps receiving (buffering) events until it expires.
///
/// The buffer is bounded twice, like a real gateway's resume buffer: by a number of dispatches
/// and by their bytes (a session that stays detached under heavy traffic would otherwise hold
/// its whole count of large dispatches). The oldest are dropped first; a Resume from a dropped
/// sequence gets op 9 false.
class Session
{
public:
    Session(const QString &id, const QString &token, int shardId, int shardCount, quint32 intents,
            int replayCapacity, qint64 replayCapacityBytes = 0);

    QString id() const { return m_id; }
    QString token() const { return m_token; }
    int shardId() const { return m_shardId; }
    int shardCount() const { return m_shardCount; }
    quint32 intents() const { return m_intents; }

    /// The `s` of the newest dispatch, 0 before READY.
    qint64 lastSeq() const { return m_lastSeq; }
    /// Takes the next sequence number for a dispatch.
    qint64 nextSeq() { return ++m_lastSeq; }
    /// Keeps the serialised dispatch @p json with sequence @p seq, dropping the oldest while the
    /// buffer holds more dispatches or bytes than allowed (the newest is always kept).
    /// @p messageId: the MESSAGE_CREATE's id, 0 for other dispatches (see messageIdAt()).
    void record(qint64 seq, const QByteArray &json, quint64 messageId = 0);
    /// True if every dispatch after @p seq is still in the buffer.
    bool canReplayAfter(qint64 seq) const;
    /// The buffered dispatches with s > @p seq, oldest first.
    QList<QByteArray> replayAfter(qint64 seq) const;
    /// The message id recorded with dispatch @p seq, 0 if none or no longer buffered.
    quint64 messageIdAt(qint64 seq) const;
    /// The bytes of the buffered dispatches.
    qint64 bufferedBytes() const { return m_bufferedBytes; }
    /// The number of buffered dispatches.
    qsizetype bufferedCount() const { return qsizetype(m_buffer.size()); }

    /// The connection currently attached, 0 when detached.
    int connectionId() const { return m_connectionId; }
    void attach(int connectionId);
    /// Detaches and remembers when (@p nowMs, monotonic), for expiry.
    void detach(qint64 nowMs);
    qint64 detachedAtMs() const { return m_detachedAtMs; }

private:
    QString m_id;
    QString m_token;
    int m_shardId = 0;
    int m_shardCount = 1;
    quint32 m_intents = 0;
    int m_capacity = 0;
    qint64 m_capacityBytes = 0; ///< 0 = no byte bound
    qint64 m_bufferedBytes = 0;
    qint64 m_lastSeq = 0;
    qint64 m_firstBufferedSeq = 1;
    std::deque<QByteArray> m_buffer;
    std::deque<quint64> m_messageIds; ///< parallel to m_buffer
    int m_connectionId = 0;
    qint64 m_detachedAtMs = 0;
};

} // namespace Gatescope::Emulator
