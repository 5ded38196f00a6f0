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

void EventBatcher::flush()
{
    m_timer.stop();
    if (!m_events.isEmpty()) {
        GatewayEventBatch events;
        events.swap(m_events);
        // The next batch is likely as large: one allocation instead of growing (and moving
        // every event) a few times.
        m_events.reserve(std::min<qsizetype>(events.size(), 4096));
        Q_EMIT eventsReady(events);
    }
    if (!m_frames.isEmpty()) {
        QList<FrameRecord> frames;
        frames.swap(m_frames);
        Q_EMIT framesReady(frames);
    }
}

} // namespace Gatescope
