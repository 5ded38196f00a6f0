#pragma once

#include "emulator/serverconfig.h"

/// An emulator that runs @p shards shards, all identifying at once (max_concurrency = shards), with
/// enough guilds that every shard has some and heartbeats every second (latency samples arrive
/// quickly), accepting @p token. Only MESSAGE_CREATE traffic, so filters have rows to count.
inline Gatescope::Emulator::ServerConfig shardedServerConfig(const QString &token, int shards)
{
    Gatescope::Emulator::ServerConfig config;
    config.tokens = {token};
    config.heartbeatIntervalMs = 1000;
    config.traffic.guildCount = 24;
    config.traffic.messageShare = 1.0;
    config.identifyWindowMs = 50;
    config.recommendedShards = shards;
    config.maxConcurrency = shards;
    return config;
}
