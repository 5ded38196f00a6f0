#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

namespace Gatescope {
class GatewayClient;
}

namespace Gatescope::Ui {

/// Coalesces GatewayClient::dispatch signals into batches for another thread.
///
/// A queued signal per event costs the receiving thread one posted event and one QJsonObject
/// copy per message; at 10,000 messages/s that alone keeps the GUI thread busy. The batcher lives
/// in the client's thread, takes each event with a direct connection (onDispatch()) and hands
/// them over as one batchReady() list at most every interval() ms (default 16). Events keep
/// their order inside a batch, and batches are emitted in order, so a queued receiver sees
/// exactly the sequence of dispatches the client emitted. flush() hands over what is waiting at
/// once (call it before the client goes away so nothing received is lost).
///
/// Lives in (and must be used from) the client's thread.
class DispatchBatcher : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultIntervalMs = 16;

    /// One dispatch, as GatewayClient::dispatch(type, seq, data) carries it.
    struct Event
    {
        QString type;
        qint64 seq = 0;
        QJsonObject data;
    };

    explicit DispatchBatcher(QObject *parent = nullptr);
    /// A batcher that is @p client's child (so it lives in the client's thread and goes with
    /// it), fed by a direct connection to GatewayClient::dispatch. Call it in that thread.
    static DispatchBatcher *attachTo(GatewayClient *client);

    int interval() const { return m_timer.interval(); }
    /// Longest time an event waits before it is handed over (at least 0 ms).
    void setInterval(int ms) { m_timer.setInterval(qMax(0, ms)); }
    /// Events received but not yet handed over.
    qsizetype pendingCount() const { return m_pending.size(); }

public Q_SLOTS:
    /// Matches GatewayClient::dispatch; connect it with Qt::DirectConnection.
    void onDispatch(const QString &type, qint64 seq, const QJsonObject &data);
    /// Emits batchReady() with every waiting event now (nothing when none wait).
    void flush();

Q_SIGNALS:
    /// The events received since the last batch, oldest first; never empty.
    void batchReady(const QList<Gatescope::Ui::DispatchBatcher::Event> &events);

private:
    QList<Event> m_pending;
    QTimer m_timer{this}; // a child, so moveToThread() takes it along
};

} // namespace Gatescope::Ui
