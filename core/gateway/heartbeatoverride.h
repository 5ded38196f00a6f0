#pragma once

namespace Gatescope::HeartbeatOverride {

/// The range of GatewayConfig::heartbeatIntervalOverrideMs that `--heartbeat-interval` and the
/// connect dialog accept. Below 1 s, heartbeats would use more than half of the
/// 120-payloads-per-minute send budget. The override may only shorten the server's interval
/// (Discord closes a connection that beats too rarely): a longer one is not used, and the client
/// warns once.
constexpr int MinMs = 1000;
constexpr int MaxMs = 600000;

} // namespace Gatescope::HeartbeatOverride
