#include "core/metrics/connectionmetrics.h"

#include "core/connection/connectioncontroller.h"
#include "core/connection/identifybudget.h"
#include "core/connection/shardstatsmodel.h"

#include <QMetaEnum>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

constexpr double MsPerSecond = 1000.0;

/// The counters copied last for @p shard, or zeros when its client does not exist yet (a
/// range's shard waiting for its turn to identify).
GatewayMetrics countersOf(const ConnectionController &controller, int shard)
{
    for (const ConnectionController::ShardSnapshot &snapshot : controller.shardSnapshots()) {
        if (snapshot.shard == shard)
            return snapshot.metrics;
    }
    return {};
}

HistogramValue histogramOf(const LatencyHistogram &latency)
{
    HistogramValue out;
    for (qsizetype i = 0; i < qsizetype(LatencyHistogram::BoundsMs.size()); ++i)
        out.buckets.append({LatencyHistogram::BoundsMs.at(std::size_t(i)) / MsPerSecond,
                            latency.cumulativeCount(i)});
    out.sum = double(latency.sumMs()) / MsPerSecond;
    out.count = latency.count();
    return out;
}

void addState(MetricsSnapshot &s, const MetricLabels &shard, GatewayClient::State state)
{
    const QMetaEnum states = QMetaEnum::fromType<GatewayClient::State>();
    for (int i = 0; i < states.keyCount(); ++i) {
        const auto each = GatewayClient::State(states.value(i));
        s.addGauge(u"gatescope_shard_state"_s,
                   u"1 for the state the shard is in, 0 for the others (the states of "
                   "--stats-json)"_s,
                   each == state ? 1 : 0,
                   shard + MetricLabels{{u"state"_s, GatewayClient::stateName(each)}});
    }
}

void addHeartbeat(MetricsSnapshot &s, const MetricLabels &shard, const ShardStats &row,
                  const GatewayMetrics &m)
{
    if (row.latencyMs >= 0)
        s.addGauge(u"gatescope_heartbeat_last_latency_seconds"_s,
                   u"The last heartbeat round trip (op 1 sent to op 11 received)"_s,
                   row.latencyMs / MsPerSecond, shard);
    s.addHistogram(u"gatescope_heartbeat_latency_seconds"_s,
                   u"Heartbeat round trips (op 1 sent to op 11 received)"_s,
                   histogramOf(m.heartbeatLatency), shard);
    s.addCounter(u"gatescope_heartbeat_ack_misses_total"_s,
                 u"Heartbeats due while the previous one was not acknowledged (zombie "
                 "connections)"_s,
                 m.ackMisses, shard);
}

void addSession(MetricsSnapshot &s, const MetricLabels &shard, const ShardStats &row,
                const GatewayMetrics &m)
{
    s.addGauge(u"gatescope_sequence"_s,
               u"The last sequence number (s) received; -1 before the first dispatch"_s,
               double(m.lastSeq), shard);
    s.addGauge(u"gatescope_guilds"_s, u"Guilds the shard's last READY listed"_s, row.guilds, shard);
    s.addCounter(u"gatescope_identifies_total"_s, u"Identify payloads sent (new sessions)"_s,
                 m.identifies, shard);
    s.addCounter(u"gatescope_resumes_total"_s, u"Sessions resumed (RESUMED received)"_s, m.resumes,
                 shard);
    for (auto it = m.reconnectsByCloseCode.cbegin(); it != m.reconnectsByCloseCode.cend(); ++it)
        s.addCounter(u"gatescope_reconnects_total"_s,
                     u"Reconnects, by the close code that ended the connection (0: the "
                     "/gateway/bot discovery failed)"_s,
                     it.value(), shard + MetricLabels{{u"code"_s, QString::number(it.key())}});
}

void addTraffic(MetricsSnapshot &s, const MetricLabels &shard, const GatewayMetrics &m)
{
    // Sorted, so a scrape lists the types in the same order every time.
    QStringList types = m.dispatchesByType.keys();
    types.sort();
    for (const QString &type : std::as_const(types))
        s.addCounter(u"gatescope_events_total"_s, u"Dispatches received, by event type (t)"_s,
                     double(m.dispatchesByType.value(type)),
                     shard + MetricLabels{{u"type"_s, type}});
    s.addCounter(u"gatescope_received_bytes_total"_s,
                 u"Bytes received on the WebSocket, as sent (compressed)"_s, double(m.wireBytesIn),
                 shard);
    s.addCounter(u"gatescope_inflated_bytes_total"_s,
                 u"Bytes received after decompression (the JSON payloads)"_s,
                 double(m.inflatedBytesIn), shard);
    s.addCounter(u"gatescope_sent_bytes_total"_s, u"Bytes sent on the WebSocket"_s,
                 double(m.bytesOut), shard);
}

/// The silent-shard alarm (ShardHealth's facts, which the model's rows carry).
void addSilence(MetricsSnapshot &s, const MetricLabels &shard, const ShardStats &row)
{
    s.addGauge(u"gatescope_shard_silent"_s,
               u"1 while the shard is connected, its heartbeats acknowledged, but no event came "
               "for longer than --silent-after"_s,
               row.silent ? 1 : 0, shard);
    if (row.msSinceDispatch >= 0)
        s.addGauge(u"gatescope_seconds_since_last_dispatch"_s,
                   u"Seconds since the shard's last dispatch"_s,
                   double(row.msSinceDispatch) / 1000.0, shard);
    if (row.msSinceAck >= 0)
        s.addGauge(u"gatescope_seconds_since_last_heartbeat_ack"_s,
                   u"Seconds since the shard's last heartbeat ACK"_s,
                   double(row.msSinceAck) / 1000.0, shard);
}

} // namespace

void ConnectionMetrics::collectBudget(MetricsSnapshot &s, const IdentifyBudget &budget)
{
    s.addCounter(u"gatescope_identify_run_total"_s,
                 u"Identify payloads this process sent, every shard and connection"_s,
                 budget.identifiesThisRun());
    s.addGauge(u"gatescope_identify_last_hour"_s, u"Identify payloads sent in the last hour"_s,
               budget.identifiesLastHour());
    s.addGauge(u"gatescope_identify_budget_warning"_s,
               u"1 while under 10 % of the session starts are left or this run identified more "
               "than 50 times in an hour"_s,
               budget.warning() ? 1 : 0);
    if (!budget.isKnown())
        return;
    s.addGauge(u"gatescope_session_starts_allowed"_s,
               u"Session starts allowed per reset period (session_start_limit.total)"_s,
               budget.total());
    if (budget.remaining() >= 0)
        s.addGauge(u"gatescope_session_starts_remaining"_s,
                   u"Session starts left before the reset (discovery's figure minus the "
                   "identifies since)"_s,
                   budget.remaining());
    if (budget.resetAfterMs() >= 0)
        s.addGauge(u"gatescope_session_starts_reset_seconds"_s,
                   u"Seconds until the session start limit resets"_s,
                   double(budget.resetAfterMs()) / 1000.0);
}

void ConnectionMetrics::collect(MetricsSnapshot &snapshot, const ConnectionController &controller,
                                const ShardStatsModel &shards)
{
    for (int row = 0; row < shards.rowCount(); ++row) {
        const ShardStats &stats = shards.stats(row);
        const MetricLabels shard{{u"shard"_s, QString::number(stats.shard)}};
        const GatewayMetrics counters = countersOf(controller, stats.shard);
        addState(snapshot, shard, stats.state);
        addHeartbeat(snapshot, shard, stats, counters);
        addSession(snapshot, shard, stats, counters);
        addTraffic(snapshot, shard, counters);
        addSilence(snapshot, shard, stats);
    }
}

MetricsRegistry::Provider ConnectionMetrics::provider(const ConnectionController *controller,
                                                      const ShardStatsModel *shards)
{
    return [controller, shards](MetricsSnapshot &snapshot) {
        collect(snapshot, *controller, *shards);
    };
}

} // namespace Gatescope
