#pragma once

#include "core/gateway/intents.h"
#include "emulator/trafficgenerator.h"

#include <QStringList>
#include <QUrl>

namespace Gatescope::Emulator {

/// Everything an EmulatorServer can be told. Defaults are Discord's values; tests shorten the
/// timers. Plain data, copied into the server at construction.
struct ServerConfig
{
    quint16 port = 0; ///< 0 = the system picks a free port
    QStringList tokens{QStringLiteral("test-token")}; ///< accepted bot tokens (bare, no "Bot ")
    /// Privileged intents granted to every accepted token; asking for others closes with 4014.
    quint32 privilegedGranted = Intents::Privileged;
    int heartbeatIntervalMs = 41250;
    /// A connection that sends no heartbeat within interval + grace is closed with 4009.
    int heartbeatGraceMs = 5000;
    bool sendTrace = true; ///< `_trace` in Hello, READY and RESUMED
    TrafficGenerator::Config traffic;
    double eventsPerSecond = 0; ///< 0 = no automatic traffic
    int burstSize = 1; ///< events per timer tick when the rate is low enough to burst
    qint64 messageLimit = -1; ///< stop generating after this many MESSAGE_CREATE (-1 = never)
    int replayBufferSize = 5000; ///< dispatches kept per session for Resume
    int sessionTimeoutMs = 180000; ///< how long a detached session stays resumable
    int maxGuildsPerShard = 2500; ///< more guilds on one shard → 4011
    int recommendedShards = 1;
    int sessionStartTotal = 1000;
    int sessionStartRemaining = 1000;
    qint64 sessionStartResetAfterMs = 14400000;
    int maxConcurrency = 1;
    /// zlib-stream and zstd-stream: split each payload into several binary messages at random
    /// points.
    bool splitFrames = false;
    /// zlib-stream deflate level, 1–9. 6 (zlib's default) starts the stream with `78 9C` as
    /// Discord's does; 1 (`78 01`) costs about a third of the CPU, for very high rates.
    int zlibLevel = 6;
    /// While a connection has more bytes than this waiting to be sent, the rate timer generates
    /// nothing (the time counts as dropped backlog): a client that cannot keep up sets the pace
    /// instead of the server's memory growing without bound. 0 = no limit.
    qint64 maxPendingBytes = 16 * 1024 * 1024;
    /// Session ids, frame splits, ACK delay jitter. The generated world has its own seed,
    /// traffic.seed (the command line sets both from --seed).
    quint64 seed = 1;

    // Additions beyond the first contract.
    int rateLimitCount = 120; ///< client payloads allowed per window; one more → 4008
    int rateLimitWindowMs = 60000;
    int identifyWindowMs = 5000; ///< one Identify per concurrency bucket per window, else op 9
    int maxClientPayloadBytes = 4096; ///< larger client payloads → 4002
    /// After op 7 the server closes the connection itself (4000) if the client has not.
    int reconnectCloseDelayMs = 3000;
    bool allowUncompressed = true; ///< accept connections without `compress`
    bool allowZlibStream = true; ///< accept `compress=zlib-stream`
    bool allowZstdStream = true; ///< accept `compress=zstd-stream` (when built with it)
    /// If no Identify/Resume arrives this long after Hello, the connection is closed with 4003.
    int authTimeoutMs = 60000;
    /// Keep EmulatorServer::deliveries(): every MESSAGE_CREATE written to a live session (for
    /// soak tests that check a client received each exactly once). Costs 24 bytes a message.
    bool recordDeliveries = false;
    /// READY's resume_gateway_url; empty = this server's own `/resume`. Tests point it at a
    /// host that does not resolve (`ws://gateway.invalid`).
    QUrl resumeGatewayUrl;
    /// At most this many bytes of dispatches kept per session for Resume, besides
    /// replayBufferSize (0 = only the count bounds it). Without it a session left detached
    /// under heavy traffic holds its whole count of dispatches until it expires; a Resume from
    /// a dropped sequence gets op 9 false, as from a real gateway's bounded buffer.
    qint64 replayBufferBytes = 16 * 1024 * 1024;
};

} // namespace Gatescope::Emulator
