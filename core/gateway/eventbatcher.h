#pragma once

#include "core/gateway/gatewayevent.h"
#include "core/gateway/gatewaytypes.h"

#include <QList>
#include <QObject>
#include <QTimer>

namespace Gatescope {

/// Collects decoded events (and, when asked, logged frames) in the producer's thread and hands
/// them to other threads as batches: one queued signal per ~16 ms instead of one per event.
///
/// The first item of a batch starts the clock, so nothing waits longer than interval(), and a
/// batch of MaxBatchEvents events goes at once; events
/// and frames keep their order, and batches are emitted in order. flush() hands over what waits
/// at once: call it before the producer stops so nothing received is lost.
///
/// Thread affinity: lives in, and is used from, one thread (the client's). Owned by its parent
/// (GatewayClient keeps one as a child).
class EventBatcher : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultIntervalMs = 16;
    /// A batch is handed over when it is this large, even before the interval ends: a flood
    /// then crosses threads in blocks that stay in the cache and whose memory is reused, instead
    /// of one list growing by reallocation (and moving every event) for the whole interval.
    static constexpr qsizetype MaxBatchEvents = 1024;

    explicit EventBatcher(QObject *parent = nullptr);

    int interval() const { return m_timer.interval(); }
    /// Longest time an item waits before it is handed over (at least 0 ms).
    void setInterval(int ms) { m_timer.setInterval(qMax(0, ms)); }
    /// Events received but not yet handed over.
    qsizetype pendingEvents() const { return m_events.size(); }
    qsizetype pendingFrames() const { return m_frames.size(); }
    /// Batches whose list reused the block of an earlier batch its receivers had released.
    qsizetype reusedBlocks() const { return m_reusedBlocks; }

    void addEvent(GatewayEvent &&event);
    void addFrame(const FrameRecord &frame);

public Q_SLOTS:
    /// Emits what waits now: eventsReady() first, then framesReady() (each only when not empty).
    void flush();

Q_SIGNALS:
    /// Dispatches received since the last batch, oldest first; never empty.
    void eventsReady(const Gatescope::GatewayEventBatch &events);
    /// Frames logged since the last batch, oldest first; never empty.
    void framesReady(const QList<Gatescope::FrameRecord> &frames);

private:
    void armTimer();
    /// An empty list for the next batch, reusing the memory of the last emitted one when its
    /// receivers are done with it.
    GatewayEventBatch nextBatch(qsizetype lastSize);

    GatewayEventBatch m_events;
    GatewayEventBatch m_emitted; ///< the last batch handed out, while receivers may hold it
    qsizetype m_reusedBlocks = 0;
    QList<FrameRecord> m_frames;
    QTimer m_timer{this}; // a child, so moveToThread() takes it along
};

} // namespace Gatescope
