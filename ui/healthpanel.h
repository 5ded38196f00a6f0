#pragma once

#include "core/gateway/gatewayclient.h"

#include <QElapsedTimer>
#include <QHash>
#include <QWidget>

class QLabel;
class QGridLayout;

namespace Gatescope {
class IdentifyBudget;
}

namespace Gatescope::Ui {

class LatencyChart;
class StateBadge;

/// The connection health dock: state badge, session, latency (now, smoothed, 10-minute chart),
/// sequence, event rates, bytes and compression ratio, reconnect counters, identify budget and
/// uptime.
///
/// It only displays: MainWindow feeds it from GatewayClient's signals and, once a second, its
/// metrics(), so the panel can be tested by calling the setters directly.
class HealthPanel : public QWidget
{
    Q_OBJECT

public:
    explicit HealthPanel(QWidget *parent = nullptr);

    void setState(GatewayClient::State state);
    void setLatency(int lastMs, int smoothedMs);
    void addAckMiss();
    void setSession(const SessionInfo &session);
    /// A range of shards in one window: "shards 0–3/8" instead of one shard's number.
    void setShardRange(int firstShard, int lastShard, int shardCount);
    void setBotInfo(const GatewayBotInfo &info);
    /// The identify budget as IdentifyBudget tracks it: remaining / total with the reset, the
    /// identifies of this run (and of the last hour), max_concurrency, and its warning shown in
    /// red under them (hidden when there is none).
    void setIdentifyBudget(const IdentifyBudget &budget);
    /// The budget warning shown, empty when none.
    QString budgetWarningText() const;
    /// Refreshes every counter; per-type event rates come from the change since the last call.
    void setMetrics(const GatewayMetrics &metrics);
    /// Forgets the previous connection's figures (a new connection starts).
    void reset();

    LatencyChart *latencyChart() const { return m_chart; }
    StateBadge *stateBadge() const { return m_badge; }
    /// The "latency now" text, e.g. "42 ms" ("—" before the first ACK).
    QString latencyText() const;

private:
    QLabel *addRow(QGridLayout *grid, int row, int column, const QString &caption,
                   const QString &objectName, const QString &toolTip = QString());
    void updateUptime();

    StateBadge *m_badge = nullptr;
    QLabel *m_session = nullptr;
    QLabel *m_resumeHost = nullptr;
    QLabel *m_shard = nullptr;
    QLabel *m_latency = nullptr;
    QLabel *m_smoothed = nullptr;
    QLabel *m_ackMisses = nullptr;
    LatencyChart *m_chart = nullptr;
    QLabel *m_seq = nullptr;
    QLabel *m_eventsPerSecond = nullptr;
    QLabel *m_topTypes = nullptr;
    QLabel *m_wireBytes = nullptr;
    QLabel *m_inflatedBytes = nullptr;
    QLabel *m_ratio = nullptr;
    QLabel *m_bytesOut = nullptr;
    QLabel *m_frames = nullptr;
    QLabel *m_identifies = nullptr;
    QLabel *m_resumes = nullptr;
    QLabel *m_reconnects = nullptr;
    QLabel *m_budget = nullptr;
    QLabel *m_runIdentifies = nullptr;
    QLabel *m_budgetWarning = nullptr;
    QLabel *m_budgetWarningIcon = nullptr;
    QLabel *m_uptime = nullptr;

    qint64 m_connectedSinceMs = 0;
    QHash<QString, quint64> m_previousByType;
    QElapsedTimer m_sinceLastMetrics;
};

} // namespace Gatescope::Ui
