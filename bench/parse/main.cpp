// Decode throughput: events per second and ns per event for the JSON-tree reference path,
// EventDecoder::decode() (simdjson on-demand) and a purpose-built scanner, over the ~300-byte
// MESSAGE_CREATE payloads of bench_ingest and over the emulator's mixed traffic. Inflate alone
// and inflate + decode give the decoder's share of the receive path.
//
//   build/bench/parse/bench_parse [events=200000] [passes=5]
#include "payloadscanner.h"

#include "messagepayloads.h"

#include "core/gateway/eventdecoder.h"
#include "core/gateway/zlibstreamdeflater.h"
#include "core/gateway/zlibstreaminflater.h"
#include "core/store/stringinterner.h"
#include "emulator/trafficgenerator.h"
#include "emulator/wireformat.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Gatescope;

namespace {

/// Emulator traffic serialised as the emulator sends it: its full mix of dispatch types.
QList<QByteArray> makeMixedPayloads(int count)
{
    Emulator::TrafficGenerator::Config config;
    config.seed = 15;
    Emulator::TrafficGenerator generator(config);
    QList<QByteArray> payloads;
    payloads.reserve(count);
    qint64 nowMs = 1764244800000;
    for (int i = 0; i < count; ++i) {
        const Emulator::TrafficGenerator::Event event = generator.next(nowMs += 1 + i % 7);
        payloads.append(Emulator::WireFormat::dispatch(event.type, i + 2, event.data));
    }
    return payloads;
}

/// The same payloads, each followed by EventDecoder::PaddingBytes, as the inflater hands them.
struct PaddedPayloads
{
    QByteArray storage;
    QList<QByteArrayView> views;

    explicit PaddedPayloads(const QList<QByteArray> &payloads)
    {
        qsizetype total = 0;
        for (const QByteArray &payload : payloads)
            total += payload.size() + EventDecoder::PaddingBytes;
        storage = QByteArray(total, '\0');
        qsizetype offset = 0;
        for (const QByteArray &payload : payloads) {
            std::copy(payload.begin(), payload.end(), storage.begin() + offset);
            views.append(QByteArrayView(storage.constData() + offset, payload.size()));
            offset += payload.size() + EventDecoder::PaddingBytes;
        }
    }
};

QList<QByteArray> compressAll(const QList<QByteArray> &payloads)
{
    ZlibStreamDeflater deflater;
    QList<QByteArray> frames;
    frames.reserve(payloads.size());
    for (const QByteArray &payload : payloads)
        frames.append(deflater.compress(payload));
    return frames;
}

/// Median ns per event over @p passes runs of @p pass (after one warm-up run).
double nsPerEvent(qsizetype events, int passes, const std::function<quint64()> &pass)
{
    volatile quint64 sink = pass();
    QList<double> figures;
    for (int i = 0; i < passes; ++i) {
        QElapsedTimer timer;
        timer.start();
        sink = sink + pass();
        figures.append(double(timer.nsecsElapsed()) / double(events));
    }
    std::sort(figures.begin(), figures.end());
    return figures.at(figures.size() / 2);
}

struct PayloadSet
{
    QList<QByteArray> payloads;
    PaddedPayloads padded;
    QList<QByteArray> frames;

    explicit PayloadSet(QList<QByteArray> list)
        : payloads(std::move(list))
        , padded(payloads)
        , frames(compressAll(payloads))
    { }
};

using Measure = std::function<double(const PayloadSet &)>;

void printRow(const char *name, const Measure &measure, const PayloadSet &messages,
              const PayloadSet &mixed)
{
    const double a = measure(messages);
    const double b = measure(mixed);
    std::printf("%-36s %12.0f %9.0f   %12.0f %9.0f\n", name, 1e9 / a, a, 1e9 / b, b);
}

/// How many MESSAGE_CREATE records the scanner reads exactly as decode() does.
int scannerAgreement(const QList<QByteArray> &payloads)
{
    EventDecoder decoder;
    Bench::PayloadScanner scanner;
    Bench::PayloadScanner::Event scanned;
    int equal = 0;
    for (const QByteArray &payload : payloads) {
        const Message m = decoder.decode(payload).event.message;
        if (!scanner.scan(payload, scanned))
            continue;
        const Message &s = scanned.message;
        equal += m.id == s.id && m.channelId == s.channelId && m.guildId == s.guildId
                 && m.authorId == s.authorId && m.authorName == s.authorName
                 && m.content == s.content && m.searchKey == s.searchKey
                 && m.timestampMs == s.timestampMs && m.flags == s.flags && m.type == s.type;
    }
    return equal;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int count = args.size() > 1 ? args.at(1).toInt() : 200000;
    const int passes = args.size() > 2 ? args.at(2).toInt() : 5;

    const PayloadSet messages(makeMessageCreatePayloads(count));
    const PayloadSet mixed(makeMixedPayloads(count));
    const auto averageBytes = [](const QList<QByteArray> &payloads) {
        qint64 bytes = 0;
        for (const QByteArray &payload : payloads)
            bytes += payload.size();
        return double(bytes) / double(payloads.size());
    };
    std::printf("parse: %d MESSAGE_CREATE payloads (%.0f bytes on average), %d emulator events "
                "(%.0f bytes on average); median of %d passes; simdjson %s (stage 1: %s)\n",
                count, averageBytes(messages.payloads), count, averageBytes(mixed.payloads), passes,
                SIMDJSON_STRINGIFY(SIMDJSON_VERSION),
                simdjson::get_active_implementation()->name().c_str());
    std::printf("scanner reads %d of %d MESSAGE_CREATE records exactly as decode() does\n\n",
                scannerAgreement(messages.payloads), count);
    std::printf("%-36s %22s   %22s\n", "", "MESSAGE_CREATE", "emulator mix");
    std::printf("%-36s %12s %9s   %12s %9s\n", "path", "events/s", "ns/event", "events/s",
                "ns/event");

    StringInterner interner;
    EventDecoder decoder(&interner);
    const auto overPayloads = [&](const auto &decodeOne) {
        return [&, decodeOne](const PayloadSet &set) {
            return nsPerEvent(set.payloads.size(), passes, [&] {
                quint64 sum = 0;
                for (qsizetype i = 0; i < set.payloads.size(); ++i)
                    sum += decodeOne(set, i);
                return sum;
            });
        };
    };
    printRow("(a) decodeWithJsonTree (old path)",
             overPayloads([&](const PayloadSet &set, qsizetype i) {
                 return decoder.decodeWithJsonTree(set.payloads[i]).event.message.id;
             }),
             messages, mixed);
    printRow("(b) decode(QByteArray), simdjson",
             overPayloads([&](const PayloadSet &set, qsizetype i) {
                 return decoder.decode(set.payloads[i]).event.message.id;
             }),
             messages, mixed);
    printRow("(b) decodePadded(view), simdjson",
             overPayloads([&](const PayloadSet &set, qsizetype i) {
                 return decoder.decodePadded(set.padded.views[i]).event.message.id;
             }),
             messages, mixed);
    Bench::PayloadScanner scanner(&interner);
    Bench::PayloadScanner::Event scanned;
    printRow("(c) purpose-built scanner", overPayloads([&](const PayloadSet &set, qsizetype i) {
                 const bool ok = scanner.scan(set.padded.views[i], scanned);
                 return quint64(ok) + scanned.message.id;
             }),
             messages, mixed);

    const auto overFrames = [&](bool decode) {
        return [&, decode](const PayloadSet &set) {
            return nsPerEvent(set.frames.size(), passes, [&] {
                ZlibStreamInflater inflater; // one stream per pass, as per connection
                quint64 sum = 0;
                QByteArrayView payload;
                for (const QByteArray &frame : set.frames) {
                    inflater.feed(frame, &payload);
                    sum += decode ? decoder.decodePadded(payload).event.message.id
                                  : quint64(payload.size());
                }
                return sum;
            });
        };
    };
    printRow("inflate only (view)", overFrames(false), messages, mixed);
    printRow("inflate + decodePadded", overFrames(true), messages, mixed);
    return 0;
}
