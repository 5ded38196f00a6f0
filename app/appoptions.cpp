#include "app/appoptions.h"

#include "core/connection/durationtext.h"
#include "core/gateway/heartbeatoverride.h"
#include "core/gateway/zstdstreaminflater.h"
#include "core/metrics/metricsserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>
#include <QSysInfo>

using namespace Qt::StringLiterals;

namespace Gatescope::App {

namespace {

struct Options
{
    QCommandLineOption tokenFile{
            u"token-file"_s, u"Read the bot token from PATH (else $DISCORD_TOKEN)."_s, u"PATH"_s};
    QCommandLineOption gatewayUrl{
            u"gateway-url"_s,
            u"Connect straight to this gateway (ws:// or wss://), skipping discovery."_s, u"URL"_s};
    QCommandLineOption apiUrl{u"api-url"_s,
                              u"REST base for discovery (default https://discord.com/api/v10)."_s,
                              u"URL"_s};
    QCommandLineOption intents{u"intents"_s,
                               u"Intent names (comma-separated) or a number. Default "
                               "GUILDS,GUILD_MESSAGES,DIRECT_MESSAGES,MESSAGE_CONTENT."_s,
                               u"LIST"_s};
    QCommandLineOption compress{
            u"compress"_s, u"Transport compression: zlib-stream (default), zstd-stream or none."_s,
            u"MODE"_s};
    QCommandLineOption shards{u"shards"_s,
                              u"Run shard N, or the shards A to B in one process, of "
                              "--shard-count."_s,
                              u"A-B"_s};
    QCommandLineOption shardCount{
            u"shard-count"_s, u"Total number of shards, or auto to ask /gateway/bot."_s, u"N"_s};
    QCommandLineOption demo{u"demo"_s, u"Demo mode: an in-process emulator with lively traffic."_s};
    QCommandLineOption headless{u"headless"_s,
                                u"No window: one line per event on stdout, status on stderr."_s};
    QCommandLineOption csv{u"csv"_s, u"Stream every message to a CSV file."_s, u"PATH"_s};
    QCommandLineOption duration{u"duration"_s, u"Exit after S seconds."_s, u"S"_s};
    QCommandLineOption exitAfter{
            u"exit-after-messages"_s,
            u"Once N MESSAGE_CREATE events were processed, close with 1000, flush "
            "every output and exit 0."_s,
            u"N"_s};
    QCommandLineOption quiet{u"quiet"_s, u"Headless without the per-event lines."_s};
    QCommandLineOption record{u"record"_s,
                              u"Record every frame in and out to PATH as JSON Lines (token "
                              "redacted; an existing file is replaced)."_s,
                              u"PATH"_s};
    QCommandLineOption replay{
            u"replay"_s, u"Replay a recording through the same pipeline instead of connecting."_s,
            u"PATH"_s};
    QCommandLineOption replaySpeed{
            u"replay-speed"_s, u"1 = the recorded pace (default), any factor above 0, or max."_s,
            u"X"_s};
    QCommandLineOption statsJson{
            u"stats-json"_s,
            u"On exit, print one JSON object with the run's figures as the last line "
            "of stdout."_s};
    QCommandLineOption proxy{u"proxy"_s,
                             u"Reach the gateway and the discovery through this proxy: "
                             "http://host:port (CONNECT) or socks5://[user:pass@]host:port. "
                             "Default: the system proxy ($https_proxy, $all_proxy …)."_s,
                             u"URL"_s};
    QCommandLineOption noProxy{u"no-proxy"_s, u"Connect directly, ignoring the system proxy."_s};
    QCommandLineOption heartbeatInterval{
            u"heartbeat-interval"_s,
            u"Heartbeat every MS milliseconds (at least 1000) when that is shorter than the "
            "server's interval; a longer one is not used (with a warning)."_s,
            u"MS"_s};
    QCommandLineOption csvEvents{
            u"csv-events"_s,
            u"With --csv: an event column, and edits and deletes as rows of their own."_s};
    QCommandLineOption metricsListen{
            u"metrics-listen"_s,
            u"Serve Prometheus metrics at http://ADDR:PORT/metrics (for example "
            "127.0.0.1:9464), without authentication; loopback unless "
            "--metrics-allow-remote."_s,
            u"ADDR:PORT"_s};
    QCommandLineOption metricsAllowRemote{
            u"metrics-allow-remote"_s,
            u"Let --metrics-listen use an address other hosts can reach (anyone who reaches it "
            "can read the metrics)."_s};
    QCommandLineOption sessionFile{
            u"session-file"_s,
            u"Keep the session across a restart: a graceful exit (signal, --duration, closing "
            "the window) saves each shard's session here (0600, no token) and the next start "
            "within ~3 minutes resumes it instead of identifying."_s,
            u"PATH"_s};
    QCommandLineOption publish{
            u"publish"_s,
            u"Headless collector of a fleet: also write every event and each shard's health to "
            "Redis Streams at redis://host:port[/prefix] or rediss://… (TLS), and share the "
            "identify budget through it."_s,
            u"URL"_s};
    QCommandLineOption subscribe{u"subscribe"_s,
                                 u"Watch a fleet: read the events and health the collectors "
                                 "publish to redis://host:port[/prefix] or rediss://…, instead "
                                 "of connecting."_s,
                                 u"URL"_s};
    QCommandLineOption publishMaxLen{
            u"publish-maxlen"_s,
            u"Cap each stream at about N entries (XADD MAXLEN ~ N; default 1000000)."_s, u"N"_s};
    QCommandLineOption publishBuffer{u"publish-buffer"_s,
                                     u"Keep at most N events while Redis is unreachable (default "
                                     "1000000); older ones are dropped and counted."_s,
                                     u"N"_s};
    QCommandLineOption redisPasswordFile{u"redis-password-file"_s,
                                         u"Redis AUTH password from PATH (else "
                                         "$GATESCOPE_REDIS_PASSWORD)."_s,
                                         u"PATH"_s};
    QCommandLineOption redisCaFile{u"redis-ca-file"_s,
                                   u"Trust the PEM certificate(s) in PATH for rediss:// (a "
                                   "self-signed server)."_s,
                                   u"PATH"_s};
    QCommandLineOption collectorId{u"collector-id"_s,
                                   u"This collector's name in the fleet (default host:pid)."_s,
                                   u"NAME"_s};
    QCommandLineOption fromNow{u"from-now"_s,
                               u"With --subscribe: skip the history the streams keep."_s};
    QCommandLineOption silentAfter{
            u"silent-after"_s,
            u"Raise the silent-shard alarm when a shard's heartbeats are acknowledged but no "
            "event came for this long: 90s, 10m (default), 1h."_s,
            u"DURATION"_s};
};

/// QCommandLineParser names the program after argv[0], or "<executable_name>" before the
/// application object exists (which is when we parse); the usage line says "gatescope".
QString withProgramName(QString help)
{
    const QString usage = u"Usage: "_s;
    if (!help.startsWith(usage))
        return help;
    const qsizetype nameEnd = help.indexOf(u' ', usage.size());
    const qsizetype lineEnd = help.indexOf(u'\n');
    if (nameEnd > 0 && (lineEnd < 0 || nameEnd < lineEnd))
        help.replace(usage.size(), nameEnd - usage.size(), u"gatescope"_s);
    return help;
}

bool fail(ParseOutcome *outcome, const QString &message)
{
    outcome->error = message;
    outcome->options.reset();
    return false;
}

/// Discord shows tokens bare, but HTTP headers carry them as "Bot <token>"; accept both.
QString withoutBotPrefix(QString token)
{
    token = token.trimmed();
    if (token.startsWith(u"Bot "_s, Qt::CaseInsensitive))
        token = token.mid(4).trimmed();
    return token;
}

bool readTokenFile(const QString &path, AppOptions *options, ParseOutcome *outcome)
{
    QFile file(path);
    if (QFileInfo(path).isDir())
        return fail(outcome, u"--token-file: %1 is a folder, not a file"_s.arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return fail(outcome, u"--token-file: cannot read %1: %2"_s.arg(path, file.errorString()));
    const QString token = withoutBotPrefix(QString::fromUtf8(file.read(4096)));
    if (file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther)) {
        outcome->warnings.append(
                u"warning: --token-file %1 can be read by other users; chmod 600 %1"_s.arg(path));
    }
    if (token.isEmpty())
        return fail(outcome, u"--token-file: %1 is empty"_s.arg(path));
    if (token.contains(u'\n') || token.contains(u' '))
        return fail(outcome, u"--token-file: %1 must hold one token on one line"_s.arg(path));
    options->token = token;
    options->tokenSource = u"--token-file %1"_s.arg(QFileInfo(path).fileName());
    return true;
}

bool parseUrl(const QString &text, const QStringList &schemes, const QString &option, QUrl *url,
              ParseOutcome *outcome)
{
    const QUrl parsed(text, QUrl::StrictMode);
    if (!parsed.isValid() || !schemes.contains(parsed.scheme()) || parsed.host().isEmpty()) {
        return fail(outcome,
                    u"%1: \"%2\" is not a %3 URL"_s.arg(option, text, schemes.join(u"/"_s)));
    }
    *url = parsed;
    return true;
}

bool parseShards(const QString &range, const QString &countText, AppOptions *options,
                 ParseOutcome *outcome)
{
    const bool autoCount = countText == "auto"_L1;
    bool countOk = false;
    const int count = countText.isEmpty() ? 1 : autoCount ? 0 : countText.toInt(&countOk);
    if (!countText.isEmpty() && !autoCount && (!countOk || count < 1 || count > 65535))
        return fail(
                outcome,
                u"--shard-count: \"%1\" is not a number from 1 to 65535, or auto"_s.arg(countText));
    if (range.isEmpty()) {
        if (autoCount)
            return fail(outcome, u"--shard-count auto needs --shards A-B (the range to run)"_s);
        if (!countText.isEmpty()) {
            options->gateway.shardId = 0;
            options->gateway.shardCount = count;
        }
        return true;
    }
    const QStringList parts = range.split(u'-');
    bool aOk = false;
    bool bOk = false;
    const int a = parts.value(0).toInt(&aOk);
    const int b = parts.size() == 2 ? parts.at(1).toInt(&bOk) : a;
    if (parts.size() > 2 || !aOk || (parts.size() == 2 && !bOk) || a < 0 || b < a)
        return fail(outcome, u"--shards: \"%1\" is not N or A-B with A <= B"_s.arg(range));
    if (!autoCount && b >= count)
        return fail(outcome,
                    u"--shards: shard %1 is not below --shard-count %2"_s.arg(b).arg(count));
    options->firstShard = a;
    options->lastShard = b;
    options->shardCount = count;
    options->gateway.shardId = a;
    options->gateway.shardCount = count;
    return true;
}

std::optional<int> heartbeatOverrideFromText(const QString &text)
{
    bool ok = false;
    const int ms = text.trimmed().toInt(&ok);
    if (!ok || ms < HeartbeatOverride::MinMs || ms > HeartbeatOverride::MaxMs)
        return std::nullopt;
    return ms;
}

bool parsePositive(const QString &text, const QString &option, double *value, ParseOutcome *outcome)
{
    bool ok = false;
    const double parsed = text.toDouble(&ok);
    if (!ok || !(parsed > 0) || parsed > 1e7)
        return fail(outcome, u"%1: \"%2\" is not a positive number"_s.arg(option, text));
    *value = parsed;
    return true;
}

bool parseSilentAfter(const QString &text, AppOptions *options, ParseOutcome *outcome)
{
    constexpr qint64 MinMs = 1000;
    constexpr qint64 MaxMs = 7LL * 24 * 3600 * 1000;
    QString error;
    const std::optional<qint64> ms = DurationText::parseMs(text, &error);
    if (!ms)
        return fail(outcome, u"--silent-after: "_s + error);
    if (*ms < MinMs || *ms > MaxMs)
        return fail(outcome, u"--silent-after: \"%1\" is outside 1s to 7d"_s.arg(text));
    options->silentAfterMs = *ms;
    return true;
}

bool parseRecordAndReplay(const QCommandLineParser &parser, const Options &o, AppOptions *options,
                          ParseOutcome *outcome)
{
    if (parser.isSet(o.record)) {
        options->recordPath = parser.value(o.record);
        if (options->recordPath.isEmpty() || QFileInfo(options->recordPath).isDir())
            return fail(outcome, u"--record: \"%1\" is not a file path"_s.arg(options->recordPath));
    }
    if (parser.isSet(o.replay)) {
        options->replayPath = parser.value(o.replay);
        QFile file(options->replayPath);
        if (QFileInfo(options->replayPath).isDir())
            return fail(outcome,
                        u"--replay: %1 is a folder, not a recording"_s.arg(file.fileName()));
        if (!file.open(QIODevice::ReadOnly))
            return fail(outcome,
                        u"--replay: cannot read %1: %2"_s.arg(file.fileName(), file.errorString()));
    }
    if (parser.isSet(o.replaySpeed)) {
        const QString text = parser.value(o.replaySpeed);
        bool ok = false;
        const double factor = text == "max"_L1 ? 0 : text.toDouble(&ok);
        if (text != "max"_L1 && (!ok || !(factor > 0) || factor > 1e6))
            return fail(outcome,
                        u"--replay-speed: \"%1\" is not a factor above 0 (1 = recorded pace) or "
                        "max"_s.arg(text));
        options->replaySpeed = factor;
    }
    return true;
}

bool parseMetricsListen(const QCommandLineParser &parser, const Options &o, AppOptions *options,
                        ParseOutcome *outcome)
{
    options->metricsAllowRemote = parser.isSet(o.metricsAllowRemote);
    if (!parser.isSet(o.metricsListen))
        return !options->metricsAllowRemote
               || fail(outcome, u"--metrics-allow-remote only applies with --metrics-listen"_s);
    options->metricsListen = parser.value(o.metricsListen);
    QString error;
    const std::optional<MetricsServer::ListenAddress> listen
            = MetricsServer::parseListenAddress(options->metricsListen, &error);
    if (!listen)
        return fail(outcome, u"--metrics-listen: "_s + error);
    if (!listen->address.isLoopback() && !options->metricsAllowRemote)
        return fail(outcome,
                    u"--metrics-listen: %1 is not a loopback address, and the endpoint has no "
                    "authentication; add --metrics-allow-remote to serve it there anyway"_s.arg(
                            listen->address.toString()));
    options->metricsAddress = listen->address;
    options->metricsPort = listen->port;
    return true;
}

/// Options that make no sense together: one line naming both.
bool checkConflicts(const QCommandLineParser &parser, const Options &o, const AppOptions &options,
                    ParseOutcome *outcome)
{
    const auto conflict = [&](const QCommandLineOption &a, const QCommandLineOption &b,
                              const QString &why) {
        return parser.isSet(a) && parser.isSet(b)
               && !fail(outcome, u"--%1 and --%2 cannot be combined: %3"_s.arg(
                                         a.names().constFirst(), b.names().constFirst(), why));
    };
    const QString replayOffline = u"a replay does not connect"_s;
    if (conflict(o.record, o.replay, u"a replay is already a recording"_s)
        || conflict(o.replay, o.gatewayUrl, replayOffline)
        || conflict(o.replay, o.apiUrl, replayOffline) || conflict(o.replay, o.demo, replayOffline)
        || conflict(o.replay, o.tokenFile, replayOffline)
        || conflict(o.replay, o.shards, replayOffline)
        || conflict(o.replay, o.shardCount, replayOffline)
        || conflict(o.replay, o.proxy, replayOffline)
        || conflict(o.replay, o.noProxy, replayOffline)
        || conflict(o.proxy, o.noProxy, u"--no-proxy connects directly"_s)
        || conflict(o.replay, o.sessionFile, replayOffline))
        return false;
    if (options.usesShardManager() && parser.isSet(o.record))
        return fail(outcome, u"--record: a recording holds one shard; record each shard in a "
                             "process of its own"_s);
    if (options.shardCount == 0 && parser.isSet(o.gatewayUrl))
        return fail(outcome, u"--shard-count auto asks /gateway/bot, which --gateway-url skips; "
                             "give the count"_s);
    if (parser.isSet(o.replaySpeed) && !parser.isSet(o.replay))
        return fail(outcome, u"--replay-speed only applies with --replay"_s);
    for (const QCommandLineOption *headlessOnly : {&o.quiet, &o.statsJson, &o.exitAfter}) {
        if (parser.isSet(*headlessOnly) && !options.headless)
            return fail(outcome, u"--%1 only applies with --headless"_s.arg(
                                         headlessOnly->names().constFirst()));
    }
    return true;
}

bool readPasswordFile(const QString &path, QByteArray *password, ParseOutcome *outcome)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(outcome,
                    u"--redis-password-file: cannot read %1: %2"_s.arg(path, file.errorString()));
    *password = file.read(4096).trimmed();
    if (password->isEmpty())
        return fail(outcome, u"--redis-password-file: %1 is empty"_s.arg(path));
    if (file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther))
        outcome->warnings.append(
                u"warning: --redis-password-file %1 can be read by other users; chmod 600 %1"_s.arg(
                        path));
    return true;
}

bool parseCount(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 *value,
                ParseOutcome *outcome)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    *value = parser.value(option).toLongLong(&ok);
    if (!ok || *value < 1)
        return fail(outcome, u"--%1: \"%2\" is not a whole number of at least 1"_s.arg(
                                     option.names().constFirst(), parser.value(option)));
    return true;
}

/// --publish, --subscribe and their companions (issue 14).
bool parseFleet(const QCommandLineParser &parser, const Options &o, AppOptions *options,
                ParseOutcome *outcome)
{
    options->publish = parser.isSet(o.publish);
    options->subscribe = parser.isSet(o.subscribe);
    options->fromNow = parser.isSet(o.fromNow);
    if (options->publish && options->subscribe)
        return fail(outcome, u"--publish and --subscribe cannot be combined: a collector "
                             "publishes, a watcher subscribes"_s);
    const QCommandLineOption &urlOption = options->publish ? o.publish : o.subscribe;
    if (!options->publish && !options->subscribe) {
        for (const QCommandLineOption *fleetOnly :
             {&o.publishMaxLen, &o.publishBuffer, &o.redisPasswordFile, &o.redisCaFile,
              &o.collectorId, &o.fromNow}) {
            if (parser.isSet(*fleetOnly))
                return fail(outcome, u"--%1 only applies with --publish or --subscribe"_s.arg(
                                             fleetOnly->names().constFirst()));
        }
        return true;
    }
    if (options->publish && !options->headless)
        return fail(outcome, u"--publish runs a headless collector; add --headless"_s);
    if (options->publish && (parser.isSet(o.fromNow)))
        return fail(outcome, u"--from-now only applies with --subscribe"_s);
    if (options->subscribe) {
        for (const QCommandLineOption *connecting :
             {&o.gatewayUrl, &o.apiUrl, &o.demo, &o.replay, &o.shards, &o.shardCount, &o.record,
              &o.tokenFile, &o.publishMaxLen, &o.publishBuffer, &o.collectorId, &o.exitAfter}) {
            if (parser.isSet(*connecting))
                return fail(outcome, u"--subscribe and --%1 cannot be combined: a watcher reads "
                                     "Redis and connects to no gateway"_s.arg(
                                             connecting->names().constFirst()));
        }
    }
    QString error;
    options->fleetRedis = RedisEndpoint::parse(parser.value(urlOption), &error);
    if (!options->fleetRedis)
        return fail(outcome, u"--%1: %2"_s.arg(urlOption.names().constFirst(), error));
    if (parser.isSet(o.redisPasswordFile)) {
        if (!readPasswordFile(parser.value(o.redisPasswordFile), &options->fleetRedis->password,
                              outcome))
            return false;
    } else {
        options->fleetRedis->password = qgetenv("GATESCOPE_REDIS_PASSWORD").trimmed();
    }
    if (parser.isSet(o.redisCaFile)) {
        if (!options->fleetRedis->tls)
            return fail(outcome, u"--redis-ca-file only applies to a rediss:// URL"_s);
        QFile file(parser.value(o.redisCaFile));
        if (!file.open(QIODevice::ReadOnly))
            return fail(outcome, u"--redis-ca-file: cannot read %1: %2"_s.arg(file.fileName(),
                                                                              file.errorString()));
        options->fleetRedis->caCertificates = QSslCertificate::fromData(file.readAll());
        if (options->fleetRedis->caCertificates.isEmpty())
            return fail(outcome,
                        u"--redis-ca-file: %1 holds no PEM certificate"_s.arg(file.fileName()));
    }
    if (!parseCount(parser, o.publishMaxLen, &options->publishMaxLen, outcome)
        || !parseCount(parser, o.publishBuffer, &options->publishBuffer, outcome))
        return false;
    options->collectorId = parser.isSet(o.collectorId)
                                   ? parser.value(o.collectorId)
                                   : u"%1:%2"_s.arg(QSysInfo::machineHostName())
                                             .arg(QCoreApplication::applicationPid());
    if (options->collectorId.isEmpty())
        return fail(outcome, u"--collector-id: the name is empty"_s);
    return true;
}

} // namespace

ParseOutcome parseCommandLine(const QStringList &arguments, const QString &environmentToken)
{
    ParseOutcome outcome;
    Options o;
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Gatescope: a monitor for Discord gateway connections. With "
                                     u"no token and no --gateway-url "
                                     "it starts in demo mode.\nExit codes: 0 ok, 1 error, 2 bad "
                                     "usage, 3 authentication failed "
                                     "(4004), 4 other fatal close (4010-4014)."_s);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    parser.addOptions({o.tokenFile, o.gatewayUrl, o.apiUrl,      o.intents,  o.compress,
                       o.shards,    o.shardCount, o.demo,        o.headless, o.csv,
                       o.record,    o.replay,     o.replaySpeed, o.duration, o.exitAfter,
                       o.quiet,     o.statsJson,  o.proxy,       o.noProxy,  o.heartbeatInterval});
    parser.addOption(o.csvEvents);
    parser.addOptions({o.metricsListen, o.metricsAllowRemote});
    parser.addOption(o.sessionFile);
    parser.addOptions({o.publish, o.subscribe, o.publishMaxLen, o.publishBuffer,
                       o.redisPasswordFile, o.redisCaFile, o.collectorId, o.fromNow});
    parser.addOption(o.silentAfter);
    outcome.helpText = withProgramName(parser.helpText());

    AppOptions options;
    if (!parser.parse(arguments)) {
        fail(&outcome, parser.errorText());
        return outcome;
    }
    if (!parser.positionalArguments().isEmpty()) {
        fail(&outcome,
             u"unexpected argument \"%1\""_s.arg(parser.positionalArguments().constFirst()));
        return outcome;
    }
    options.showHelp = parser.isSet(help);
    options.showVersion = parser.isSet(version);
    options.demo = parser.isSet(o.demo);
    options.headless = parser.isSet(o.headless);
    options.quiet = parser.isSet(o.quiet);
    options.statsJson = parser.isSet(o.statsJson);

    if (parser.isSet(o.tokenFile)) {
        if (!readTokenFile(parser.value(o.tokenFile), &options, &outcome))
            return outcome;
    } else if (!withoutBotPrefix(environmentToken).isEmpty() && !parser.isSet(o.replay)) {
        options.token = withoutBotPrefix(environmentToken);
        options.tokenSource = u"$DISCORD_TOKEN"_s;
    }
    options.gateway.token = options.token;

    if (parser.isSet(o.gatewayUrl)
        && !parseUrl(parser.value(o.gatewayUrl), {u"ws"_s, u"wss"_s}, u"--gateway-url"_s,
                     &options.gateway.gatewayUrl, &outcome))
        return outcome;
    if (parser.isSet(o.apiUrl)
        && !parseUrl(parser.value(o.apiUrl), {u"http"_s, u"https"_s}, u"--api-url"_s,
                     &options.gateway.apiUrl, &outcome))
        return outcome;
    if (parser.isSet(o.intents)) {
        QString error;
        const std::optional<quint32> intents = Intents::parse(parser.value(o.intents), &error);
        if (!intents) {
            fail(&outcome, u"--intents: %1"_s.arg(error));
            return outcome;
        }
        options.gateway.intents = *intents;
    }
    if (parser.isSet(o.compress)) {
        const std::optional<Compression> mode = compressionFromName(parser.value(o.compress));
        if (!mode) {
            fail(&outcome, u"--compress: \"%1\" is not zlib-stream, zstd-stream or none"_s.arg(
                                   parser.value(o.compress)));
            return outcome;
        }
        if (*mode == Compression::ZstdStream && !ZstdStreamInflater::isSupported()) {
            fail(&outcome, u"--compress: zstd-stream is not available, Gatescope was built "
                           "without zstd-stream support"_s);
            return outcome;
        }
        options.gateway.compression = *mode;
    }
    if (!parseShards(parser.value(o.shards), parser.value(o.shardCount), &options, &outcome))
        return outcome;
    if (parser.isSet(o.proxy)) {
        QString error;
        const std::optional<ProxySettings> proxy
                = ProxySettings::parse(parser.value(o.proxy), &error);
        if (!proxy || proxy->mode != ProxySettings::Mode::Url) {
            fail(&outcome,
                 u"--proxy: "_s
                         + (proxy ? u"give a proxy URL (--no-proxy connects directly)"_s : error));
            return outcome;
        }
        options.gateway.proxy = *proxy;
    }
    if (parser.isSet(o.noProxy))
        options.gateway.proxy = ProxySettings::none();
    if (parser.isSet(o.heartbeatInterval)) {
        const QString text = parser.value(o.heartbeatInterval);
        const std::optional<int> interval = heartbeatOverrideFromText(text);
        if (!interval) {
            fail(&outcome,
                 u"--heartbeat-interval: \"%1\" is not a whole number of milliseconds from %2 to "
                 "%3 (shorter beats would use more than half of the send budget)"_s.arg(text)
                         .arg(HeartbeatOverride::MinMs)
                         .arg(HeartbeatOverride::MaxMs));
            return outcome;
        }
        options.gateway.heartbeatIntervalOverrideMs = *interval;
    }
    if (parser.isSet(o.csv)) {
        options.csvPath = parser.value(o.csv);
        if (options.csvPath.isEmpty()) {
            fail(&outcome, u"--csv: the path is empty"_s);
            return outcome;
        }
    }
    options.csvEvents = parser.isSet(o.csvEvents);
    if (parser.isSet(o.sessionFile)) {
        options.sessionFilePath = parser.value(o.sessionFile);
        if (options.sessionFilePath.isEmpty()) {
            fail(&outcome, u"--session-file: the path is empty"_s);
            return outcome;
        }
    }
    if (options.csvEvents && options.csvPath.isEmpty()) {
        fail(&outcome, u"--csv-events adds rows to the --csv file; give --csv PATH too"_s);
        return outcome;
    }
    if (parser.isSet(o.duration)
        && !parsePositive(parser.value(o.duration), u"--duration"_s, &options.durationS, &outcome))
        return outcome;
    if (parser.isSet(o.exitAfter)) {
        bool ok = false;
        options.exitAfterMessages = parser.value(o.exitAfter).toLongLong(&ok);
        if (!ok || options.exitAfterMessages < 1) {
            fail(&outcome,
                 u"--exit-after-messages: \"%1\" is not a whole number of at least 1"_s.arg(
                         parser.value(o.exitAfter)));
            return outcome;
        }
    }
    if (parser.isSet(o.silentAfter)
        && !parseSilentAfter(parser.value(o.silentAfter), &options, &outcome))
        return outcome;
    if (!parseRecordAndReplay(parser, o, &options, &outcome)
        || !checkConflicts(parser, o, options, &outcome)
        || !parseMetricsListen(parser, o, &options, &outcome)
        || !parseFleet(parser, o, &options, &outcome))
        return outcome;
    if (options.demo && (parser.isSet(o.gatewayUrl) || parser.isSet(o.apiUrl))) {
        fail(&outcome,
             u"--demo runs its own gateway; it cannot be combined with --gateway-url or --api-url"_s);
        return outcome;
    }
    if (!options.demo && options.token.isEmpty() && options.replayPath.isEmpty()
        && !options.subscribe) {
        if (parser.isSet(o.gatewayUrl) && options.headless) {
            fail(&outcome, u"a token is needed: use --token-file PATH or set $DISCORD_TOKEN"_s);
            return outcome;
        }
        // No token and no gateway: demo mode (the window can still ask for a token later).
        options.demo = !parser.isSet(o.gatewayUrl);
    }
    outcome.options = options;
    return outcome;
}

} // namespace Gatescope::App
