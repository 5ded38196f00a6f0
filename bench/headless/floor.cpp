// The floor of the headless comparison (bench/headless/run.sh): a bare QWebSocket that identifies,
// inflates zlib-stream and counts payloads without parsing them, timed from READY to the N-th
// dispatch. Prints one JSON line like gatescope's --stats-json: {"messages":N,"ingest_s":S}.
//
//   build/bench/headless/bench_headless_floor URL N
//   e.g. bench_headless_floor "ws://127.0.0.1:PORT/?v=10&encoding=json&compress=zlib-stream" 200000
#include "floorclient.h"

#include <QCoreApplication>
#include <QUrl>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QUrl url(args.value(1), QUrl::StrictMode);
    const int messages = args.value(2).toInt();
    if (!url.isValid() || url.scheme() != "ws"_L1 || messages < 1) {
        std::fprintf(stderr, "usage: bench_headless_floor ws://HOST:PORT/?QUERY MESSAGES\n");
        return 2;
    }
    FloorClient floor(messages, false);
    QObject::connect(&floor, &FloorClient::finished, &app, [&floor, messages] {
        std::printf("{\"messages\":%d,\"ingest_s\":%.6f}\n", messages,
                    double(floor.elapsedNs()) / 1e9);
        QCoreApplication::exit(0);
    });
    QObject::connect(&floor, &FloorClient::failed, &app, [](const QString &reason) {
        std::fprintf(stderr, "bench_headless_floor: %s\n", qPrintable(reason));
        QCoreApplication::exit(1);
    });
    floor.open(url);
    return app.exec();
}
