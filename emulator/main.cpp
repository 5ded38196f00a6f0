// gatescope-emulator: a strict, Discord-compatible local gateway for testing bots and clients.

#include "core/gateway/intents.h"
#include "core/gateway/redactingmessagehandler.h"
#include "core/gateway/redaction.h"
#include "emulator/emulatorserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;
using namespace Gatescope;
using namespace Gatescope::Emulator;

namespace {

constexpr int UsageError = 2;

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "gatescope-emulator: %s\n", qPrintable(message));
    std::exit(UsageError);
}

qint64 integerOption(const QCommandLineParser &parser, const QString &name, qint64 lowest,
                     qint64 highest, qint64 fallback)
{
    if (!parser.isSet(name))
        return fallback;
    const QString text = parser.value(name);
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < lowest || value > highest)
        usageError(u"--%1: '%2' is not an integer between %3 and %4"_s.arg(name, text)
                           .arg(lowest)
                           .arg(highest));
    return value;
}

quint32 parsePrivileged(const QString &text)
{
    const QString trimmed = text.trimmed().toLower();
    if (trimmed == "none"_L1)
        return 0;
    if (trimmed == "all"_L1)
        return Intents::Privileged;
    quint32 mask = 0;
    for (const QString &part : text.split(u',')) {
        const QString name = part.trimmed();
        const std::optional<quint32> bit = Intents::bitForName(name);
        if (!bit || !(*bit & Intents::Privileged))
            usageError(u"--privileged: '%1' is not a privileged intent (MESSAGE_CONTENT, "
                       "GUILD_MEMBERS, GUILD_PRESENCES, all or none)"_s.arg(name));
        mask |= *bit;
    }
    return mask;
}

} // namespace

int main(int argc, char *argv[])
{
    // The tokens it accepts are secrets too: no log line of the emulator shows them.
    Gatescope::RedactingMessageHandler::install();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"gatescope-emulator"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(GATESCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"A strict, Discord-compatible Gateway v10 server on 127.0.0.1 with REST discovery, "
            "generated traffic and scripted faults.\nPoint any Discord client at the printed "
            "gateway URL (or the API URL for /gateway/bot).\n\n"_s
            + Fault::grammarHelp());
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
            {u"port"_s, u"TCP port on 127.0.0.1 (0 = pick a free one)."_s, u"N"_s, u"0"_s},
            {u"token"_s, u"An accepted bot token (repeatable; default test-token)."_s, u"T"_s},
            {u"privileged"_s,
             u"Privileged intents granted: comma list of MESSAGE_CONTENT, GUILD_MEMBERS, "
             "GUILD_PRESENCES, or all / none (default all)."_s,
             u"NAMES"_s},
            {u"seed"_s, u"Seed of the generated world and events (default 1)."_s, u"N"_s},
            {u"rate"_s, u"Generated events per second (default 5, 0 = none)."_s, u"X"_s},
            {u"burst"_s, u"Events per timer tick at low rates (default 1)."_s, u"N"_s},
            {u"guilds"_s, u"Number of guilds in the world (default 3)."_s, u"N"_s},
            {u"compress"_s,
             u"Transport compression the server accepts: any (default), zlib-stream, zstd-stream "
             "or none. "
             "The client still chooses with its compress= query."_s,
             u"MODE"_s},
            {u"zlib-level"_s,
             u"zlib-stream deflate level 1-9 (default 6, the 78 9C header Discord sends; 1 "
             "needs about a third of the CPU, for rates of tens of thousands per second)."_s,
             u"N"_s},
            {u"split-frames"_s,
             u"zlib-stream and zstd-stream: split every payload into several binary messages at "
             "random points."_s},
            {u"heartbeat-interval"_s, u"Hello heartbeat_interval in ms (default 41250)."_s,
             u"MS"_s},
            {u"max-concurrency"_s, u"session_start_limit.max_concurrency (default 1)."_s, u"N"_s},
            {u"shards"_s, u"Recommended shard count in /gateway/bot (default 1)."_s, u"N"_s},
            {u"fault"_s, u"A fault spec (repeatable); see the grammar above."_s, u"SPEC"_s},
            {u"fault-file"_s, u"A file of fault specs, one per line, # comments."_s, u"F"_s},
            {u"messages"_s, u"Stop generating after N MESSAGE_CREATE events."_s, u"N"_s},
            {u"session-start-total"_s,
             u"session_start_limit.total in /gateway/bot (default 1000)."_s, u"N"_s},
            {u"session-start-remaining"_s,
             u"session_start_limit.remaining at the start (default: the total); each Identify "
             "uses one; with none left, Identify is answered with op 9 false."_s,
             u"N"_s},
    });
    if (!parser.parse(QCoreApplication::arguments()))
        usageError(parser.errorText());
    if (parser.isSet(u"help"_s))
        parser.showHelp(0);
    if (parser.isSet(u"version"_s))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        usageError(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().constFirst()));

    ServerConfig config;
    config.port = quint16(integerOption(parser, u"port"_s, 0, 65535, 0));
    if (parser.isSet(u"token"_s)) {
        config.tokens.clear();
        for (const QString &token : parser.values(u"token"_s)) {
            if (token.isEmpty() || token.contains(u' '))
                usageError(u"--token: a token must be non-empty and without spaces"_s);
            config.tokens.append(token);
        }
    }
    if (parser.isSet(u"privileged"_s))
        config.privilegedGranted = parsePrivileged(parser.value(u"privileged"_s));
    config.seed
            = quint64(integerOption(parser, u"seed"_s, 0, std::numeric_limits<qint64>::max(), 1));
    config.traffic.seed = config.seed;
    config.eventsPerSecond = 5;
    if (parser.isSet(u"rate"_s)) {
        bool ok = false;
        config.eventsPerSecond = parser.value(u"rate"_s).toDouble(&ok);
        if (!ok || !(config.eventsPerSecond >= 0) || config.eventsPerSecond > 1000000)
            usageError(u"--rate: '%1' is not a number of events per second between 0 and 1000000"_s
                               .arg(parser.value(u"rate"_s)));
    }
    config.burstSize = int(integerOption(parser, u"burst"_s, 1, 100000, 1));
    config.traffic.guildCount = int(integerOption(parser, u"guilds"_s, 1, 100000, 3));
    if (parser.isSet(u"compress"_s)) {
        const QString mode = parser.value(u"compress"_s);
        if (mode != "any"_L1 && mode != "zlib-stream"_L1 && mode != "zstd-stream"_L1
            && mode != "none"_L1)
            usageError(
                    u"--compress: '%1' is not any, zlib-stream, zstd-stream or none"_s.arg(mode));
        if (mode != "any"_L1) {
            config.allowUncompressed = mode == "none"_L1;
            config.allowZlibStream = mode == "zlib-stream"_L1;
            config.allowZstdStream = mode == "zstd-stream"_L1;
        }
    }
    config.zlibLevel = int(integerOption(parser, u"zlib-level"_s, 1, 9, config.zlibLevel));
    config.splitFrames = parser.isSet(u"split-frames"_s);
    config.heartbeatIntervalMs = int(integerOption(parser, u"heartbeat-interval"_s, 10, 3600000,
                                                   config.heartbeatIntervalMs));
    config.maxConcurrency = int(integerOption(parser, u"max-concurrency"_s, 1, 1024, 1));
    config.recommendedShards = int(integerOption(parser, u"shards"_s, 1, 65535, 1));
    config.messageLimit
            = integerOption(parser, u"messages"_s, 0, std::numeric_limits<qint64>::max(), -1);
    config.sessionStartTotal = int(
            integerOption(parser, u"session-start-total"_s, 1, 1000000, config.sessionStartTotal));
    config.sessionStartRemaining
            = int(integerOption(parser, u"session-start-remaining"_s, 0, config.sessionStartTotal,
                                config.sessionStartTotal));

    QList<Fault> faults;
    for (const QString &spec : parser.values(u"fault"_s)) {
        QString error;
        const std::optional<Fault> fault = Fault::parse(spec, &error);
        if (!fault)
            usageError(u"--fault: "_s + error);
        faults.append(*fault);
    }

    for (const QString &token : std::as_const(config.tokens))
        Gatescope::Redaction::registerSecret(token);
    EmulatorServer server(config);
    for (const Fault &fault : std::as_const(faults))
        server.faults().add(fault);
    if (parser.isSet(u"fault-file"_s)) {
        QString error;
        if (!server.faults().addFile(parser.value(u"fault-file"_s), &error))
            usageError(u"--fault-file: "_s + error);
    }
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "gatescope-emulator: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("gateway: %s\napi: %s\n", qPrintable(server.gatewayUrl().toString()),
                qPrintable(server.apiUrl().toString()));
    std::fflush(stdout);
    return app.exec();
}
