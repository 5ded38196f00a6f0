#pragma once

#include "core/connection/connectioncontroller.h"
#include "core/connection/injectableclock.h"
#include "core/gateway/gatewaytypes.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <deque>
#include <functional>

namespace Gatescope {

/// The daily identify budget in view: `session_start_limit` from `GET /gateway/bot` (total,
/// remaining, reset time, max_concurrency) and the identifies this run made, with a warning
/// when the budget runs low (remaining under 10 % of total) or this run alone identified more
/// than 50 times in the last hour (a loop that would spend the budget; Discord resets the
/// token after 1,000 in a day).
///
/// remaining() is discovery's figure minus the identifies sent since that discovery (Discord
/// only tells it when asked again); once the reset time has passed it starts again from total.
///
/// Fed by a ConnectionController (attach()): discoveryFinished() gives the limit, the per-shard
/// counter copies (metricsUpdated(), once a second; applySnapshots() after stop()) give the
/// identifies, each counted at the time its copy arrived (so the hour window is exact to a
/// second). Times come from injectable clocks, so tests move an hour on without waiting.
///
/// Thread affinity: the thread it lives in (the controller's consumer thread). Owns nothing
/// beyond its figures; the controller is not owned.
class IdentifyBudget : public QObject
{
    Q_OBJECT

public:
    using Clock = InjectableClock::Clock;

    /// Remaining under this share of total raises the warning.
    static constexpr int LowRemainingPercent = 10;
    /// More identifies than this in one hour, by this run alone, raise the warning.
    static constexpr int HourlyIdentifyLimit = 50;
    static constexpr qint64 HourMs = 3600 * 1000;

    explicit IdentifyBudget(QObject *parent = nullptr);

    /// Follows @p controller from now on.
    void attach(ConnectionController *controller);
    /// Replaces the monotonic clock (ms, for the hour window and the reset countdown) and the
    /// wall clock (Unix ms, for resetAtMs()); empty functions restore the real ones.
    void setClock(Clock monotonicMs, Clock wallMs);

    /// Whether a discovery gave session_start_limit (a run with --gateway-url has none).
    bool isKnown() const { return m_known; }
    int total() const { return m_total; } ///< 0 when unknown
    /// Session starts left: discovery's figure minus the identifies since; -1 when unknown.
    int remaining() const;
    /// Ms until the budget resets; -1 when unknown (or the reset has passed and no discovery
    /// told the next one).
    qint64 resetAfterMs() const;
    /// Unix ms of the reset; 0 when unknown.
    qint64 resetAtMs() const;
    int maxConcurrency() const { return m_maxConcurrency; } ///< 0 when unknown
    /// Identifies sent in this run (every connection and shard since the process started).
    int identifiesThisRun() const { return m_identifiesThisRun; }
    /// Identifies sent in the hour before now.
    int identifiesLastHour() const;

    bool lowRemaining() const;
    bool manyIdentifies() const;
    /// lowRemaining() or manyIdentifies().
    bool warning() const { return lowRemaining() || manyIdentifies(); }
    /// One line saying why, empty without a warning, e.g. "45 of 1000 session starts left
    /// (under 10 %)".
    QString warningText() const;
    /// `total`, `remaining`, `reset_after_ms`, `reset_at` (ISO UTC or null), `max_concurrency`,
    /// `identifies`, `identifies_last_hour`, `warning`, `warning_text`, for `--stats-json`.
    /// Unknown figures are null.
    QJsonObject toJson() const;

public slots:
    /// A discovery's answer: the limit as of now.
    void setLimit(const Gatescope::GatewayBotInfo &info);
    /// @p count identifies were sent now.
    void noteIdentifies(int count);
    /// Counts the identifies the copies add to what the previous copies of the same shards said.
    void applySnapshots(const QList<Gatescope::ConnectionController::ShardSnapshot> &snapshots);
    /// A new connection: its shards' counters start from zero (the run's count goes on).
    void resetShards();
    /// Re-reads the clock: the hour window and the reset; emits changed() and, when it
    /// flipped, warningChanged().
    void refresh();

signals:
    /// Any figure changed (also once per refresh()).
    void changed();
    /// The warning was raised (@p text says why) or cleared (@p text empty).
    void warningChanged(bool warning, const QString &text);

private:
    qint64 now() const;
    qint64 wallNow() const;
    void dropOldIdentifies();

    bool m_known = false;
    int m_total = 0;
    int m_discoveredRemaining = 0;
    int m_identifiesSinceDiscovery = 0;
    qint64 m_resetAt = -1; ///< monotonic
    qint64 m_resetAtWallMs = 0;
    int m_maxConcurrency = 0;
    int m_identifiesThisRun = 0;
    std::deque<qint64> m_recent; ///< monotonic times of the identifies in the last hour
    QHash<int, int> m_seenPerShard; ///< identifies each shard's counters said last
    bool m_warning = false; ///< as last announced by warningChanged()
    InjectableClock m_clock;
};

} // namespace Gatescope
