// Transport compression compared: for zlib-stream, zstd-stream and none, the bytes on the wire
// and the client's CPU time per 1,000,000 MESSAGE_CREATE events. BlastServer (its own thread,
// everything encoded before READY) sends the events; one GatewayClient in this thread receives,
// decompresses and decodes them, so this thread's CPU time from READY to the last event is the
// client's cost. Wire bytes are the WebSocket message payloads the client received (what
// GatewayMetrics::wireBytesIn counts), without WebSocket and TCP headers.
//
//   build/bench/compression/bench_compression [messages=200000] [rounds=3]
#include "blastserverthread.h"
#include "messagepayloads.h"

#include "core/gateway/gatewayclient.h"
#include "core/gateway/zstdstreaminflater.h"

#include <QCoreApplication>
#include <QEventLoop>

#include <cstdio>
#include <ctime>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {

double threadCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

struct Figures
{
    double wireBytes = 0; ///< from READY to the last event
    double cpuSeconds = 0;
    bool ok = false;
};

Figures measure(const QList<QByteArray> &payloads, Compression compression)
{
    BlastServerThread server(payloads);
    GatewayConfig config;
    config.token = u"bench"_s;
    config.gatewayUrl = QUrl(u"ws://127.0.0.1:%1"_s.arg(server.port));
    config.compression = compression;
    GatewayClient client;
    client.setConfig(config);
    Figures figures;
    double cpuAtReady = 0;
    quint64 wireAtReady = 0;
    qsizetype messages = 0;
    QEventLoop loop;
    QObject::connect(&client, &GatewayClient::sessionEstablished, &loop, [&] {
        cpuAtReady = threadCpuSeconds();
        wireAtReady = client.metrics().wireBytesIn;
    });
    QObject::connect(&client, &GatewayClient::eventsReady, &loop,
                     [&](const GatewayEventBatch &events) {
                         for (const GatewayEvent &event : events)
                             messages += event.kind == GatewayEvent::Kind::MessageCreate ? 1 : 0;
                         if (messages < payloads.size())
                             return;
                         figures.cpuSeconds = threadCpuSeconds() - cpuAtReady;
                         figures.wireBytes = double(client.metrics().wireBytesIn - wireAtReady);
                         figures.ok = true;
                         loop.quit();
                     });
    QObject::connect(&client, &GatewayClient::connectionError, &loop, [&](const QString &error) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(compressionName(compression)),
                     qPrintable(error));
        loop.quit();
    });
    client.open();
    loop.exec();
    client.close();
    return figures;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int count = args.size() > 1 ? args.at(1).toInt() : 200000;
    const int rounds = args.size() > 2 ? args.at(2).toInt() : 3;
    const QList<QByteArray> payloads = makeMessageCreatePayloads(count);
    double jsonBytes = 0;
    for (const QByteArray &payload : payloads)
        jsonBytes += double(payload.size());
    const double scale = 1e6 / count;
    std::printf("compression: %d MESSAGE_CREATE payloads, %.0f bytes of JSON each on average; "
                "per 1,000,000 events, best of %d rounds (least CPU)\n",
                count, jsonBytes / count, rounds);
    std::printf("%-12s %16s %12s %18s\n", "compress", "wire MB/1M ev", "vs JSON",
                "client CPU s/1M ev");
    QList<Compression> modes{Compression::ZlibStream, Compression::ZstdStream, Compression::None};
    if (!ZstdStreamInflater::isSupported()) {
        modes.removeOne(Compression::ZstdStream);
        std::printf("(built without zstd-stream support)\n");
    }
    for (const Compression mode : std::as_const(modes)) {
        Figures best;
        for (int round = 0; round < rounds; ++round) {
            const Figures figures = measure(payloads, mode);
            if (figures.ok && (!best.ok || figures.cpuSeconds < best.cpuSeconds))
                best = figures;
        }
        if (!best.ok) {
            std::printf("%-12s failed\n", qPrintable(compressionName(mode)));
            continue;
        }
        std::printf("%-12s %16.1f %11.1f%% %18.2f\n", qPrintable(compressionName(mode)),
                    best.wireBytes * scale / 1e6, 100.0 * best.wireBytes / jsonBytes,
                    best.cpuSeconds * scale);
    }
    return 0;
}
