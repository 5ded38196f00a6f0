#pragma once

#include "core/metrics/metricsregistry.h"

namespace Gatescope {

class ConnectionController;
class IdentifyBudget;
class ShardStatsModel;

/// The per-shard series of a ConnectionController's connection, from the very numbers
/// `--stats-json` and the Shards dock read: the shards are ShardStatsModel's rows (state, last
/// latency, guilds), the counters the controller's copies (shardSnapshots(), copied from the
/// gateway thread once a second and once more, final, by stop()). Every series has a `shard`
/// label: the shard id, or -1 for a single connection or a replay (as `--stats-json` says).
///
/// Series: `gatescope_shard_state{state}` (1 for the shard's state, 0 for the others),
/// `gatescope_heartbeat_last_latency_seconds`, `gatescope_heartbeat_latency_seconds` (histogram),
/// `gatescope_sequence`, `gatescope_guilds`, `gatescope_events_total{type}`,
/// `gatescope_reconnects_total{code}`, `gatescope_resumes_total`, `gatescope_identifies_total`,
/// `gatescope_heartbeat_ack_misses_total`, `gatescope_received_bytes_total`,
/// `gatescope_inflated_bytes_total`, `gatescope_sent_bytes_total`, and the silent-shard alarm's
/// `gatescope_shard_silent`, `gatescope_seconds_since_last_dispatch` and
/// `gatescope_seconds_since_last_heartbeat_ack` (ShardHealth's facts on the model's rows).
///
/// Reads only; thread affinity that of the controller and the model (the front end's thread).
class ConnectionMetrics
{
public:
    /// Adds the series of every shard row of @p shards, with @p controller's counters.
    static void collect(MetricsSnapshot &snapshot, const ConnectionController &controller,
                        const ShardStatsModel &shards);
    /// The identify budget, process-wide: `gatescope_identify_run_total`,
    /// `gatescope_identify_last_hour`, `gatescope_identify_budget_warning`, and once discovery
    /// told it `gatescope_session_starts_{allowed,remaining,reset_seconds}`.
    static void collectBudget(MetricsSnapshot &snapshot, const IdentifyBudget &budget);
    /// A provider of collect() for MetricsRegistry; @p shards is its context.
    static MetricsRegistry::Provider provider(const ConnectionController *controller,
                                              const ShardStatsModel *shards);
};

} // namespace Gatescope
