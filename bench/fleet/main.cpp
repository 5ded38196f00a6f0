// bench_fleet: one collector's publishing rate to a local Redis (pipelined, batched), and a
// subscriber's lag from publish to delivery at a paced rate.
// Usage: bench_fleet [events=500000] [paced_rate=10000] [paced_seconds=10]

#include "core/fleet/fleetpublisher.h"
#include "core/fleet/fleetsubscriber.h"
#include "core/gateway/eventdecoder.h"
#include "messagepayloads.h"
#include "redisserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdio>

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

bool waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

/// Events/s acknowledged by Redis for @p events published in batches of 1,024 (the client's
/// batch size) as fast as the publisher takes them.
double pipelinedRate(const RedisServer &server, const GatewayEventBatch &events)
{
    FleetPublisher::Options options;
    options.collectorId = u"bench"_s;
    options.maxLen = 100000;
    FleetPublisher publisher(endpointOf(server, u"pipelined"_s), options);
    publisher.open();
    waitFor([&] { return publisher.isConnected(); }, 10000);
    QElapsedTimer timer;
    timer.start();
    for (qsizetype i = 0; i < events.size(); i += 1024)
        publisher.publish(events.mid(i, 1024));
    waitFor([&] { return publisher.published() == events.size(); }, 600000);
    return double(publisher.published()) * 1000.0 / double(qMax<qint64>(timer.elapsed(), 1));
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
    const double pipelined = pipelinedRate(server, events);
    out << "publish, pipelined (FleetPublisher):  " << qRound64(pipelined) << " events/s"
        << Qt::endl;
    const Lag lag = pacedLag(server, events, rate, seconds);
    out << "subscriber at " << rate << " events/s for " << seconds << " s: " << lag.received
        << " received, lag p50 " << lag.p50 << " ms, p99 " << lag.p99 << " ms, max " << lag.max
        << " ms" << Qt::endl;
    server.stop();
    return 0;
}
