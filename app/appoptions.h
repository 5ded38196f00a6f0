#pragma once

#include "core/fleet/redisendpoint.h"
#include "core/gateway/gatewaytypes.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace Gatescope::App {

/// Exit codes of the command-line contract (DESIGN.md).
enum ExitCode : int {
    ExitOk = 0,
    ExitError = 1,
    ExitUsage = 2,
    ExitAuthenticationFailed = 3,
    ExitOtherFatal = 4,
    ExitStoppedIdentifying = 5, ///< closes before READY in a row, or no session starts left
};

/// Everything the command line asked for, validated before anything starts.
struct AppOptions
{
    QString token; ///< never printed
    QString tokenSource; ///< "--token-file PATH", "$DISCORD_TOKEN" or empty
    GatewayConfig gateway;
    /// --shards A-B: the range a ShardManager runs when it is more than one shard or the count
    /// is "auto" (shardCount 0); otherwise gateway.shardId/shardCount say the one shard.
    int firstShard = -1;
    int lastShard = -1;
    int shardCount = 1; ///< 0 = auto (from /gateway/bot)
    bool usesShardManager() const
    {
        return firstShard >= 0 && (lastShard > firstShard || shardCount == 0);
    }
    bool demo = false; ///< in-process emulator
    bool headless = false;
    bool quiet = false;
    bool statsJson = false;
    QString csvPath;
    bool csvEvents = false; ///< --csv-events: event column, edit and delete rows
    QString recordPath; ///< --record: every frame in and out as JSON Lines
    QString replayPath; ///< --replay: feed this recording instead of connecting
    double replaySpeed = 1.0; ///< 0 = as fast as possible
    double durationS = 0; ///< 0 = run until closed
    qint64 exitAfterMessages = 0; ///< 0 = never
    /// --metrics-listen ADDR:PORT as given; empty = no Prometheus endpoint.
    QString metricsListen;
    QHostAddress metricsAddress;
    quint16 metricsPort = 0; ///< 0 = any free port (the status line names it)
    /// --metrics-allow-remote: a non-loopback metricsAddress was asked for knowingly.
    bool metricsAllowRemote = false;
    bool showHelp = false;
    bool showVersion = false;
    /// --session-file: sessions saved at a graceful exit and resumed at the next start.
    QString sessionFilePath;

    /// --publish / --subscribe: the fleet's Redis (issue 14); the password came from
    /// --redis-password-file or $GATESCOPE_REDIS_PASSWORD, never from the command line.
    std::optional<RedisEndpoint> fleetRedis;
    bool publish = false; ///< --publish: a collector (headless)
    bool subscribe = false; ///< --subscribe: watch the fleet instead of connecting
    qint64 publishMaxLen = 1000000; ///< --publish-maxlen: `XADD … MAXLEN ~ N`
    qint64 publishBuffer = 1000000; ///< --publish-buffer: events kept while Redis is down
    QString collectorId; ///< --collector-id, default host:pid
    bool fromNow = false; ///< --from-now: a subscriber skips the history the streams keep
    /// --silent-after: a Ready shard whose heartbeats are ACKed but that got no dispatch for this
    /// long is "silent" (ShardHealth). 0 = not given: headless uses the default (10 minutes), the
    /// window its saved setting.
    qint64 silentAfterMs = 0;
};

/// The parse result: options, or a one-line error for exit code 2.
struct ParseOutcome
{
    std::optional<AppOptions> options;
    QString error;
    QStringList warnings; ///< lines for stderr that do not stop the run (a readable token file)
    QString helpText;
};

/// Parses and validates @p arguments (argv including the program name). @p environmentToken is
/// the value of $DISCORD_TOKEN, passed in so tests control it.
ParseOutcome parseCommandLine(const QStringList &arguments, const QString &environmentToken);

} // namespace Gatescope::App
