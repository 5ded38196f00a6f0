// bench_traffic: how many events per second the traffic generator makes, with and without the
// server's per-event work after it (deliverJson(), WireFormat::dispatchJson(), zlib-stream deflate
// at level 6 and 1), and how large the payloads are. No sockets: bench_emulator measures those.
// Usage: bench_traffic [events=200000] [seed=1]

#include "core/gateway/intents.h"
#include "core/gateway/zlibstreamdeflater.h"
#include "emulator/trafficgenerator.h"
#include "emulator/wireformat.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <ctime>
#include <memory>

using namespace Qt::StringLiterals;
using Gatescope::Emulator::TrafficGenerator;
namespace WireFormat = Gatescope::Emulator::WireFormat;

namespace {

struct Result
{
    double seconds = 0; ///< wall clock
    double cpuSeconds = 0; ///< this process's CPU time: robust when other jobs share the cores
    qint64 bytes = 0;
};

enum class Work {
    Generate, ///< next() only
    Serialise, ///< + deliverJson() + WireFormat::dispatchJson(), what the server does per event
    Deflate6, ///< + zlib-stream deflate at level 6 (the default)
    Deflate1, ///< + zlib-stream deflate at level 1
};

/// Runs @p events events, doing @p work for each.
Result run(quint64 seed, int events, Work work, quint32 intents)
{
    TrafficGenerator::Config config;
    config.seed = seed;
    TrafficGenerator gen(config);
    std::unique_ptr<Gatescope::ZlibStreamDeflater> deflater;
    if (work == Work::Deflate6 || work == Work::Deflate1)
        deflater = std::make_unique<Gatescope::ZlibStreamDeflater>(work == Work::Deflate6 ? 6 : 1);
    constexpr qint64 start = 1785000000000;
    Result r;
    QElapsedTimer timer;
    timer.start();
    const std::clock_t cpuStart = std::clock();
    for (int i = 0; i < events; ++i) {
        const TrafficGenerator::Event ev = gen.next(start + i / 10);
        if (work == Work::Generate)
            continue;
        const std::optional<QByteArray> d = TrafficGenerator::deliverJson(ev, 0, 1, intents);
        if (!d)
            continue;
        const QByteArray json = WireFormat::dispatchJson(ev.type, i + 2, *d);
        r.bytes += deflater ? deflater->compress(json).size() : json.size();
    }
    r.seconds = double(timer.nsecsElapsed()) / 1e9;
    r.cpuSeconds = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int events = args.size() > 1 ? args.at(1).toInt() : 200000;
    const quint64 seed = args.size() > 2 ? args.at(2).toULongLong() : 1;
    if (events <= 0) {
        QTextStream(stderr) << "usage: bench_traffic [events>0] [seed]\n";
        return 2;
    }
    QTextStream out(stdout);
    out << "bench_traffic: " << events << " events, seed " << seed << ", default config\n";

    const auto report = [&out, events](const char *what, const Result &r) {
        out << "  " << what << ": " << qRound64(events / r.seconds) << " events/s wall, "
            << qRound64(events / r.cpuSeconds) << " events per CPU second";
        if (r.bytes > 0)
            out << ", avg payload " << r.bytes / events << " bytes";
        out << '\n';
    };
    const quint32 all = Gatescope::Intents::AllDocumented;
    const quint32 noContent = all & ~quint32(Gatescope::Intents::MessageContent);
    report("next() only", run(seed, events, Work::Generate, 0));
    report("+deliverJson()+dispatchJson(), all intents", run(seed, events, Work::Serialise, all));
    report("+deliverJson()+dispatchJson(), no MESSAGE_CONTENT",
           run(seed, events, Work::Serialise, noContent));
    report("+deflate level 6 (avg compressed)", run(seed, events, Work::Deflate6, all));
    report("+deflate level 1 (avg compressed)", run(seed, events, Work::Deflate1, all));
    return 0;
}
