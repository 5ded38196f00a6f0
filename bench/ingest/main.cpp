// Ingest throughput: how many MESSAGE_CREATE events per second the whole pipeline takes in (the
// client decoding in its own thread, batches crossing to this thread, MessageStore::ingest
// here), next to the transport floor (QWebSocket receive + zlib inflate, no JSON) measured in
// the same run.
//
//   build/bench/ingest/bench_ingest [messages=200000] [compress=zlib-stream|none]
#include "blastserverthread.h"
#include "floorclient.h"
#include "messagepayloads.h"

#include "core/connection/connectioncontroller.h"
#include "core/gateway/gatewayclient.h"
#include "core/store/messagestore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {

QUrl urlFor(quint16 port, bool zlib)
{
    return QUrl(u"ws://127.0.0.1:%1/?v=10&encoding=json%2"_s.arg(port).arg(
            zlib ? u"&compress=zlib-stream"_s : QString()));
}

/// Transport floor: receive and inflate, optionally parse the JSON; count payloads.
double measureFloor(const QList<QByteArray> &payloads, bool zlib, bool parseJson)
{
    BlastServerThread server(payloads);
    FloorClient floor(payloads.size(), parseJson);
    QEventLoop loop;
    QObject::connect(&floor, &FloorClient::finished, &loop, &QEventLoop::quit);
    QObject::connect(&floor, &FloorClient::failed, &loop, [&loop](const QString &reason) {
        std::fprintf(stderr, "floor: %s\n", qPrintable(reason));
        loop.exit(1);
    });
    floor.open(urlFor(server.port, zlib));
    return loop.exec() == 0 ? floor.eventsPerSecond() : 0.0;
}

/// The whole pipeline, as the window and headless mode run it: a ConnectionController whose
/// client decodes each payload once in the controller's thread and hands batches over; this
/// thread ingests them into a MessageStore. Counted when the store has them.
double measurePipeline(const QList<QByteArray> &payloads, bool zlib)
{
    BlastServerThread server(payloads);
    GatewayConfig config;
    config.token = u"bench"_s;
    config.gatewayUrl = QUrl(u"ws://127.0.0.1:%1"_s.arg(server.port));
    config.compression = zlib ? Compression::ZlibStream : Compression::None;
    ConnectionController controller;
    MessageStore store;
    store.setCapacity(int(payloads.size()));
    QElapsedTimer timer;
    qsizetype messages = 0;
    QEventLoop loop;
    QObject::connect(&controller, &ConnectionController::sessionEstablished, &loop,
                     [&] { timer.start(); });
    QObject::connect(&controller, &ConnectionController::eventsReady, &loop,
                     [&](const GatewayEventBatch &events) {
                         store.ingest(events);
                         for (const GatewayEvent &event : events)
                             messages += event.kind == GatewayEvent::Kind::MessageCreate ? 1 : 0;
                         if (messages == payloads.size())
                             loop.quit();
                     });
    controller.connectTo(config);
    loop.exec();
    const double rate = double(payloads.size()) / (double(timer.nsecsElapsed()) / 1e9);
    controller.stop();
    return rate;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int count = args.size() > 1 ? args.at(1).toInt() : 200000;
    const bool zlib = args.size() > 2 ? args.at(2) != "none"_L1 : true;
    const QList<QByteArray> payloads = makeMessageCreatePayloads(count);
    qint64 bytes = 0;
    for (const QByteArray &payload : payloads)
        bytes += payload.size();
    std::printf("ingest: %d MESSAGE_CREATE payloads, %.0f bytes each on average, compress=%s\n",
                count, double(bytes) / count, zlib ? "zlib-stream" : "none");
    // Best of three, each a fresh connection, so one slow run (page faults, the other core busy)
    // does not decide the figure.
    double floor = 0, floorJson = 0, pipeline = 0;
    for (int run = 0; run < 3; ++run) {
        floor = std::max(floor, measureFloor(payloads, zlib, false));
        floorJson = std::max(floorJson, measureFloor(payloads, zlib, true));
        pipeline = std::max(pipeline, measurePipeline(payloads, zlib));
    }
    std::printf("transport floor (receive + inflate):        %9.0f events/s\n", floor);
    std::printf("floor + Payload parse (QJsonDocument):      %9.0f events/s\n", floorJson);
    std::printf("pipeline (decode, batches, store ingest):   %9.0f events/s\n", pipeline);
    std::printf("pipeline / floor:                           %9.2f  (target: >= 0.5)\n",
                pipeline / floor);
    return 0;
}
