// The chaos soak at any size (the CI size runs as tst_chaossoak). Prints the figures.
//
//   bench_soak [MESSAGES [FAULTS [SEED [EVENTS_PER_SECOND]]]]    (default 1000000 2000 1 600)
//
// Exit status 0 when nothing was lost, doubled or reordered and no identify was extra.

#include "chaossoak.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

using namespace Gatescope;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // The client's and the emulator's logs would drown the figures.
    QLoggingCategory::setFilterRules(u"gatescope.*=false"_s);
    const QStringList args = app.arguments().mid(1);
    Soak::SoakOptions options;
    options.messages = 1000000;
    options.faults = 2000;
    options.timeoutMs = 6 * 3600 * 1000;
    bool ok = true;
    const auto number = [&](int index, auto fallback) {
        if (args.size() <= index)
            return fallback;
        bool parsed = false;
        const double value = args.at(index).toDouble(&parsed);
        ok = ok && parsed && value >= 0;
        return decltype(fallback)(value);
    };
    options.messages = number(0, options.messages);
    options.faults = number(1, options.faults);
    options.seed = number(2, options.seed);
    options.eventsPerSecond = number(3, options.eventsPerSecond);
    options.verbose = qEnvironmentVariableIsSet("SOAK_VERBOSE");
    if (!ok || args.size() > 4) {
        std::fprintf(stderr, "usage: bench_soak [MESSAGES [FAULTS [SEED [EVENTS_PER_SECOND]]]]\n");
        return 2;
    }
    std::printf("chaos soak: %lld messages, %d faults, seed %llu, %.0f events/s\n",
                qint64(options.messages), options.faults,
                static_cast<unsigned long long>(options.seed), options.eventsPerSecond);
    std::fflush(stdout);
    const Soak::SoakResult result = Soak::runChaosSoak(options);
    std::printf("%s\n", qPrintable(result.summary()));
    return result.passed() ? 0 : 1;
}
