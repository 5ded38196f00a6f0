// bench_fleet: one collector's publishing rate to a local Redis (pipelined, batched), and a
// subscriber's lag from publish to delivery at a paced rate.
// Usage: bench_fleet [events=500000] [paced_rate=10000] [paced_seconds=10]
//
// The machine may be shared: besides the wall-clock rate it prints the CPU time per event of
// this process (the publisher) and of redis-server, which do not depend on other load.

#include "core/fleet/fleetpublisher.h"
#include "core/fleet/fleetsubscriber.h"
#include "core/gateway/eventdecoder.h"
#include "messagepayloads.h"
#include "redisserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {

QTextStream out(stdout);

GatewayEventBatch makeEvents(int count)
{
    const QList<QByteArray> payloads = makeMessageCreatePayloads(qMin(count, 20000));
    EventDecoder decoder;
    GatewayEventBatch events;
    events.reserve(count);
    for (int i = 0; i < count; ++i) {
        GatewayEvent event = decoder.decode(payloads.at(i % payloads.size())).event;
        event.shard = 0;
        event.seq = i + 2;
        events.append(std::move(event));
    }
    return events;
}

RedisEndpoint endpointOf(const RedisServer &server, const QString &prefix)
{
    return *RedisEndpoint::parse(server.url(prefix), nullptr);
}

/// Runs the event loop until @p condition holds (checked every 2 ms) or @p timeoutMs pass.
/// Not QTest::qWaitFor: that sleeps 10 ms between turns of the loop, and a publisher that only
/// runs between those sleeps measures the sleeps.
bool waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    if (condition())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.start(2);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (condition())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return condition();
}

/// CPU time of this process, in ms: user and system (the kernel's share, mostly loopback TCP).
struct CpuMs
{
    double user = 0;
    double system = 0;
};

CpuMs processCpuMs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval &t) {
        return double(t.tv_sec) * 1000.0 + double(t.tv_usec) / 1000.0;
    };
    return {ms(usage.ru_utime), ms(usage.ru_stime)};
}

/// CPU time (user + system) of process @p pid, in ms, from /proc (0 where there is none).
double otherProcessCpuMs(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // Fields after the command name (which may hold spaces), from field 3: utime is 14, stime 15.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    const double ticks = double(fields.at(11).toLongLong() + fields.at(12).toLongLong());
    return ticks * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

/// The measured part: hands @p batches to @p publisher and runs until Redis acknowledged all.
/// Not inlined, so that a profile can be limited to it:
/// `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*publishAll*' bench_fleet …`
[[gnu::noinline]] void publishAll(FleetPublisher &publisher,
                                  const QList<GatewayEventBatch> &batches, qint64 total)
{
    for (const GatewayEventBatch &batch : batches)
        publisher.publish(batch);
    waitFor([&] { return publisher.published() + publisher.failed() == total; }, 600000);
}

struct Rate
{
    double eventsPerSecond = 0;
    double clientUsPerEvent = 0; ///< CPU of this process
    double clientSystemUsPerEvent = 0; ///< of which in the kernel
    double redisUsPerEvent = 0; ///< CPU of redis-server
};

/// Events/s acknowledged by Redis for @p events published in batches of 1,024 (the client's
/// batch size) as fast as the publisher takes them, and the CPU time each event cost.
Rate pipelinedRate(const RedisServer &server, const GatewayEventBatch &events)
{
    FleetPublisher::Options options;
    options.collectorId = u"bench"_s;
    options.maxLen = 100000;
    FleetPublisher publisher(endpointOf(server, u"pipelined"_s), options);
    publisher.open();
    waitFor([&] { return publisher.isConnected(); }, 10000);
    // The batches exist before the clock starts: a collector gets them from its decoder.
    QList<GatewayEventBatch> batches;
    for (qsizetype i = 0; i < events.size(); i += 1024)
        batches.append(events.mid(i, 1024));
    const CpuMs clientCpuBefore = processCpuMs();
    const double redisCpuBefore = otherProcessCpuMs(server.processId());
    QElapsedTimer timer;
    timer.start();
    publishAll(publisher, batches, events.size());
    const qint64 elapsedMs = qMax<qint64>(timer.elapsed(), 1);
    const double count = double(qMax<qint64>(publisher.published(), 1));
    Rate rate;
    rate.eventsPerSecond = double(publisher.published()) * 1000.0 / double(elapsedMs);
    const CpuMs clientCpuAfter = processCpuMs();
    rate.clientSystemUsPerEvent = (clientCpuAfter.system - clientCpuBefore.system) * 1000.0 / count;
    rate.clientUsPerEvent = (clientCpuAfter.user - clientCpuBefore.user) * 1000.0 / count
                            + rate.clientSystemUsPerEvent;
    rate.redisUsPerEvent
            = (otherProcessCpuMs(server.processId()) - redisCpuBefore) * 1000.0 / count;
    return rate;
}

struct Lag
{
    qint64 received = 0;
    double p50 = 0, p99 = 0, max = 0;
};

/// Publishes @p rate events/s for @p seconds while a subscriber in its own thread reads them;
/// the lag is the time from Redis taking an entry (its id) to the subscriber handing it on.
Lag pacedLag(const RedisServer &server, const GatewayEventBatch &events, int rate, int seconds)
{
    const RedisEndpoint endpoint = endpointOf(server, u"paced"_s);
    QThread thread;
    std::vector<qint64> lags;
    std::atomic<qint64> received = 0;
    auto *subscriber = new FleetSubscriber(endpoint, FleetSubscriber::Options{});
    subscriber->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, subscriber, &QObject::deleteLater);
    QObject::connect(subscriber, &FleetSubscriber::eventsReady, subscriber,
                     [&](const GatewayEventBatch &batch) {
                         const qint64 now = QDateTime::currentMSecsSinceEpoch();
                         for (const GatewayEvent &event : batch)
                             lags.push_back(now - event.receivedMs);
                         received += batch.size();
                     });
    thread.start();
    QMetaObject::invokeMethod(subscriber, [subscriber] { subscriber->open(); });

    FleetPublisher::Options options;
    options.collectorId = u"bench"_s;
    FleetPublisher publisher(endpoint, options);
    publisher.open();
    waitFor([&] { return publisher.isConnected(); }, 10000);
    const qint64 total = qint64(rate) * seconds;
    QElapsedTimer timer;
    timer.start();
    qint64 sent = 0;
    // Every 16 ms, what the rate owes by now: the client's own batching interval.
    QTimer pace;
    pace.setTimerType(Qt::PreciseTimer);
    QObject::connect(&pace, &QTimer::timeout, [&] {
        const qint64 due = qMin(total, timer.elapsed() * rate / 1000);
        GatewayEventBatch batch;
        for (; sent < due; ++sent)
            batch.append(events.at(sent % events.size()));
        if (!batch.isEmpty())
            publisher.publish(batch);
    });
    pace.start(16);
    waitFor([&] { return received.load() >= total; }, (seconds + 60) * 1000);
    pace.stop();
    QMetaObject::invokeMethod(
            subscriber, [subscriber] { subscriber->close(); }, Qt::BlockingQueuedConnection);
    thread.quit();
    thread.wait();
    Lag lag;
    lag.received = received;
    std::sort(lags.begin(), lags.end());
    if (!lags.empty()) {
        lag.p50 = double(lags[lags.size() / 2]);
        lag.p99 = double(lags[std::min(lags.size() - 1, lags.size() * 99 / 100)]);
        lag.max = double(lags.back());
    }
    return lag;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int count = args.size() > 1 ? args.at(1).toInt() : 500000;
    const int rate = args.size() > 2 ? args.at(2).toInt() : 10000;
    const int seconds = args.size() > 3 ? args.at(3).toInt() : 10;
    if (!RedisServer::available()) {
        out << "bench_fleet: skipped: " << RedisServer::skipReason() << Qt::endl;
        return 0;
    }
    RedisServer server;
    if (!server.start()) {
        out << "bench_fleet: redis-server did not start" << Qt::endl;
        return 1;
    }
    const GatewayEventBatch events = makeEvents(count);
    out << "bench_fleet: " << count << " MESSAGE_CREATE events of ~"
        << events.first().rawData.size()
        << " bytes of d, redis-server on 127.0.0.1:" << server.port() << Qt::endl;
    const Rate pipelined = pipelinedRate(server, events);
    out << "publish, pipelined (FleetPublisher):  " << qRound64(pipelined.eventsPerSecond)
        << " events/s; CPU per event: publisher "
        << QString::number(pipelined.clientUsPerEvent, 'f', 2) << " us (kernel "
        << QString::number(pipelined.clientSystemUsPerEvent, 'f', 2) << " us), redis-server "
        << QString::number(pipelined.redisUsPerEvent, 'f', 2) << " us" << Qt::endl;
    const Lag lag = pacedLag(server, events, rate, seconds);
    out << "subscriber at " << rate << " events/s for " << seconds << " s: " << lag.received
        << " received, lag p50 " << lag.p50 << " ms, p99 " << lag.p99 << " ms, max " << lag.max
        << " ms" << Qt::endl;
    server.stop();
    return 0;
}
