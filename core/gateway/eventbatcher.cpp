#include "core/gateway/eventbatcher.h"

#include <algorithm>

namespace Gatescope {

EventBatcher::EventBatcher(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<GatewayEventBatch>();
    qRegisterMetaType<QList<FrameRecord>>();
    m_timer.setSingleShot(true);
    m_timer.setInterval(DefaultIntervalMs);
    m_timer.callOnTimeout(this, &EventBatcher::flush);
}

void EventBatcher::addEvent(GatewayEvent &&event)
{
    m_events.append(std::move(event));
    if (m_events.size() >= MaxBatchEvents)
        flush();
    else
        armTimer();
}

void EventBatcher::addFrame(const FrameRecord &frame)
{
    m_frames.append(frame);
    armTimer();
}

void EventBatcher::armTimer()
{
    if (!m_timer.isActive())
        m_timer.start();
}

GatewayEventBatch EventBatcher::nextBatch(qsizetype lastSize)
{
    GatewayEventBatch next;
    // Once every receiver has let go of the batch emitted before, its block is reused: a new
    // block of thousands of events for every batch cost the client thread a page fault per few
    // events (freed in the consumer's thread, the allocator hands the pages back to the system).
    if (m_emitted.isDetached() && m_emitted.capacity() > 0) {
        m_emitted.clear(); // keeps the capacity of an unshared list
        next.swap(m_emitted);
        ++m_reusedBlocks;
    } else {
        // The next batch is likely as large: one allocation instead of growing (and moving
        // every event) a few times.
        next.reserve(std::min<qsizetype>(lastSize, MaxBatchEvents));
    }
    return next;
}

void EventBatcher::flush()
{
    m_timer.stop();
    if (!m_events.isEmpty()) {
        GatewayEventBatch events;
        events.swap(m_events);
        Q_EMIT eventsReady(events);
        m_events = nextBatch(events.size());
        // Kept (shared with the receivers) so that its memory can serve a later batch.
        m_emitted = std::move(events);
    }
    if (!m_frames.isEmpty()) {
        QList<FrameRecord> frames;
        frames.swap(m_frames);
        Q_EMIT framesReady(frames);
    }
}

} // namespace Gatescope
