// bench_traffic: how many events per second the traffic generator makes, with and without the
// compact JSON serialisation of the whole dispatch payload, and how large the payloads are.
// Usage: bench_traffic [events=200000] [seed=1]

#include "core/gateway/intents.h"
#include "emulator/trafficgenerator.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTextStream>

#include <ctime>

using namespace Qt::StringLiterals;
using Gatescope::Emulator::TrafficGenerator;

namespace {

struct Result
{
    double seconds = 0; ///< wall clock
    double cpuSeconds = 0; ///< this process's CPU time: robust when other jobs share the cores
    qint64 bytes = 0;
};

/// Runs @p events events; @p serialise adds deliver() and QJsonDocument::toJson(Compact) of
/// the full `{t, s, op, d}` payload, which is what the server does per event.
Result run(quint64 seed, int events, bool serialise, quint32 intents)
{
    TrafficGenerator::Config config;
    config.seed = seed;
    TrafficGenerator gen(config);
    constexpr qint64 start = 1785000000000;
    Result r;
    QElapsedTimer timer;
    timer.start();
    const std::clock_t cpuStart = std::clock();
    for (int i = 0; i < events; ++i) {
        const TrafficGenerator::Event ev = gen.next(start + i / 10);
        if (!serialise)
            continue;
        const std::optional<QJsonObject> d = TrafficGenerator::deliver(ev, 0, 1, intents);
        if (!d)
            continue;
        QJsonObject payload;
        payload.insert(u"t"_s, ev.type);
        payload.insert(u"s"_s, i + 2);
        payload.insert(u"op"_s, 0);
        payload.insert(u"d"_s, *d);
        r.bytes += QJsonDocument(payload).toJson(QJsonDocument::Compact).size();
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
    report("next() only", run(seed, events, false, 0));
    report("next()+deliver()+toJson, all intents", run(seed, events, true, all));
    report("next()+deliver()+toJson, no MESSAGE_CONTENT", run(seed, events, true, noContent));
    return 0;
}
