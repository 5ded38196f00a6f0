// A standalone blast gateway for the headless comparison (bench/headless/run.sh): serves the
// gateway handshake on 127.0.0.1 and then N pre-encoded ~320-byte MESSAGE_CREATE dispatches as
// fast as the client reads (zlib-stream when the client's URL asks for it, text frames otherwise).
// Prints "listening ws://127.0.0.1:PORT" once it listens; exits when the given number of
// connections have ended.
//
//   build/bench/headless/bench_blast_gateway [--messages N] [--port P] [--connections K]
//                                            [--heartbeat-ms MS]
#include "blastserver.h"
#include "messagepayloads.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Blast gateway for bench/headless/run.sh"_s);
    parser.addHelpOption();
    const QCommandLineOption messages(u"messages"_s, u"MESSAGE_CREATE dispatches after READY."_s,
                                      u"N"_s, u"200000"_s);
    const QCommandLineOption port(u"port"_s, u"Port on 127.0.0.1 (0 = any free one)."_s, u"P"_s,
                                  u"0"_s);
    const QCommandLineOption connections(
            u"connections"_s, u"Exit after this many connections ended."_s, u"K"_s, u"1"_s);
    // Long by default so no client beats during a run (its first beat is jittered).
    const QCommandLineOption heartbeat(u"heartbeat-ms"_s, u"Hello's heartbeat_interval."_s, u"MS"_s,
                                       u"600000"_s);
    parser.addOptions({messages, port, connections, heartbeat});
    parser.process(app);

    const int count = parser.value(messages).toInt();
    const int heartbeatMs = parser.value(heartbeat).toInt();
    int remaining = parser.value(connections).toInt();
    if (count < 1 || heartbeatMs < 1 || remaining < 1) {
        std::fprintf(stderr, "bench_blast_gateway: --messages, --heartbeat-ms and --connections "
                             "must be positive numbers\n");
        return 2;
    }
    BlastServer server(makeMessageCreatePayloads(count));
    server.setHeartbeatIntervalMs(heartbeatMs);
    QObject::connect(&server, &BlastServer::connectionEnded, &app, [&remaining] {
        if (--remaining == 0)
            QCoreApplication::quit();
    });
    const quint16 listening = server.listen(quint16(parser.value(port).toUInt()));
    if (listening == 0) {
        std::fprintf(stderr, "bench_blast_gateway: cannot listen on 127.0.0.1:%s\n",
                     qPrintable(parser.value(port)));
        return 1;
    }
    std::printf("listening ws://127.0.0.1:%u\n", unsigned(listening));
    std::fflush(stdout);
    return app.exec();
}
