#include "ui/dispatchbatcher.h"

#include "core/gateway/gatewayclient.h"

namespace Gatescope::Ui {

DispatchBatcher::DispatchBatcher(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(DefaultIntervalMs);
    m_timer.callOnTimeout(this, &DispatchBatcher::flush);
}

DispatchBatcher *DispatchBatcher::attachTo(GatewayClient *client)
{
    auto *batcher = new DispatchBatcher(client);
    connect(client, &GatewayClient::dispatch, batcher, &DispatchBatcher::onDispatch,
            Qt::DirectConnection);
    return batcher;
}

void DispatchBatcher::onDispatch(const QString &type, qint64 seq, const QJsonObject &data)
{
    m_pending.append(Event{type, seq, data});
    // The first event of a batch starts the clock, so no event waits longer than interval().
    if (!m_timer.isActive())
        m_timer.start();
}

void DispatchBatcher::flush()
{
    m_timer.stop();
    if (m_pending.isEmpty())
        return;
    QList<Event> events;
    events.swap(m_pending);
    Q_EMIT batchReady(events);
}

} // namespace Gatescope::Ui
