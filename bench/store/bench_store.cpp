// Prints the store's figures over N messages (default 1,000,000): append rate, memory per stored
// message without and with the raw JSON of every row, eviction cost, and the time of a filter
// change with the longest time the GUI thread was held while it ran.
// Usage: bench_store [messages]
// Content: 6-36 words of chat (about 40-200 characters); one message in ten carries a non-ASCII
// word, one in twenty a link, one in fifty "errorNN"; 500 authors, 40 channels, 4 guilds.

#include "core/gateway/eventdecoder.h"
#include "core/store/columnarfilter.h"
#include "core/store/directory.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QThreadPool>
#include <QTimer>

#include <cstdio>
#include <ctime>
#include <memory>
#include <unistd.h>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {

qint64 rssBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) : 0;
}

/// CPU time of this thread, or of the whole process (all threads), in ns: the machine may be
/// shared, so wall times alone can hide what the work itself costs.
qint64 cpuNs(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

qint64 threadCpuNs()
{
    return cpuNs(CLOCK_THREAD_CPUTIME_ID);
}

qint64 processCpuNs()
{
    return cpuNs(CLOCK_PROCESS_CPUTIME_ID);
}

const char *const words[] = {"hello",  "world", "the",   "build", "is",     "green",  "again",
                             "Error",  "no",    "idea",  "what",  "Rust",   "async",  "lunch",
                             "deploy", "prod",  "ok",    "lol",   "thanks", "review", "merge",
                             "I",      "PR",    "today", "test",  "we",     "can",    "ship"};
// Non-ASCII words; one in ten messages carries one (emoji, accents, other scripts).
const char *const unicodeWords[] = {"🎉", "café", "naïve", "über", "Привет", "日本語", "👍"};

/// A real-shaped MESSAGE_CREATE with ~40-200 characters of content.
QJsonObject makeMessage(QRandomGenerator &random, quint64 id)
{
    const int author = int(random.bounded(500));
    QString content;
    const int wordCount = 6 + int(random.bounded(30));
    for (int i = 0; i < wordCount; ++i) {
        if (i)
            content += u' ';
        content += QString::fromUtf8(words[random.bounded(int(std::size(words)))]);
    }
    if (random.bounded(10) == 0)
        content += u' '
                   + QString::fromUtf8(unicodeWords[random.bounded(int(std::size(unicodeWords)))]);
    if (random.bounded(20) == 0)
        content += u" https://example.com/x"_s;
    if (random.bounded(50) == 0)
        content += u" error%1"_s.arg(random.bounded(100));
    QJsonObject user{{u"id"_s, QString::number(1000 + author)},
                     {u"username"_s, u"user%1"_s.arg(author)},
                     {u"global_name"_s, author % 3 ? u"User %1"_s.arg(author) : QJsonValue()},
                     {u"discriminator"_s, u"0"_s}};
    if (author % 10 == 0)
        user.insert(u"bot"_s, true);
    QJsonArray mentions;
    if (random.bounded(10) == 0)
        mentions.append(QJsonObject{{u"id"_s, u"1001"_s}, {u"username"_s, u"user1"_s}});
    return {{u"id"_s, QString::number(id)},
            {u"channel_id"_s, QString::number(2000 + random.bounded(40))},
            {u"guild_id"_s, QString::number(3000 + random.bounded(4))},
            {u"author"_s, user},
            {u"content"_s, content},
            {u"timestamp"_s, u"2024-05-01T12:00:00.123000+00:00"_s},
            {u"edited_timestamp"_s, QJsonValue()},
            {u"tts"_s, false},
            {u"mention_everyone"_s, false},
            {u"mentions"_s, mentions},
            {u"attachments"_s, QJsonArray()},
            {u"embeds"_s, QJsonArray()},
            {u"type"_s, 0},
            {u"flags"_s, 0}};
}

/// One MESSAGE_CREATE as the client hands it to the store: decoded once, raw `d` kept.
GatewayEvent decodedCreate(EventDecoder &decoder, const QJsonObject &d)
{
    const QJsonObject payload{
            {u"op"_s, 0}, {u"s"_s, 1}, {u"t"_s, u"MESSAGE_CREATE"_s}, {u"d"_s, d}};
    return decoder.decode(QJsonDocument(payload).toJson(QJsonDocument::Compact)).event;
}

/// The longest time between two turns of the event loop while it runs (a 1 ms precise timer).
class LoopWatch
{
public:
    LoopWatch()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        m_timer.callOnTimeout([this] { tick(); });
    }
    void start()
    {
        m_longestNs = 0;
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        m_longestNs = qMax(m_longestNs, now - m_last);
        m_last = now;
    }
    double stopMs()
    {
        tick();
        m_timer.stop();
        return m_longestNs / 1e6;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_longestNs = 0;
};

void printMemory(const char *what, const MessageStore &store, qint64 rssDelta, int total)
{
    const qint64 content = store.contentBytes();
    const MessageStore::MemoryUsage usage = store.memoryUsage();
    std::printf("%s: RSS delta %.1f MB = %.1f B/message; content (UTF-16) %.1f B/message; "
                "beyond the content text %.1f B/message\n",
                what, rssDelta / 1e6, double(rssDelta) / total, double(content) / total,
                double(rssDelta - content) / total);
    std::printf("  accounted per message: columns %.1f, texts (folded + original UTF-8) %.1f, "
                "index %.1f, side tables %.1f, raw JSON %.1f B\n",
                double(usage.columns) / total, double(usage.text) / total,
                double(usage.index) / total, double(usage.sideTables) / total,
                double(usage.rawJson) / total);
}

double filterOnce(MessageFilterModel &proxy, const QString &query, LoopWatch &watch,
                  double *longestMs)
{
    proxy.setFilter(MessageFilter());
    QEventLoop loop;
    bool applied = false;
    const auto connection
            = QObject::connect(&proxy, &MessageFilterModel::filterApplied, &loop, [&] {
                  applied = true;
                  loop.quit();
              });
    watch.start();
    QElapsedTimer timer;
    timer.start();
    proxy.setFilter(MessageFilter::parse(query));
    if (!applied)
        loop.exec();
    const double ms = timer.nsecsElapsed() / 1e6;
    *longestMs = watch.stopMs();
    QObject::disconnect(connection);
    return ms;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const int total = argc > 1 ? qMax(1000, atoi(argv[1])) : 1000000;
    QRandomGenerator random(42);
    std::printf("bench_store over %d messages, StoreChunk::Rows %d, raw JSON blocks of %d rows, "
                "%d pool threads\n",
                total, StoreChunk::Rows, RawJsonBlocks::DefaultBlockRows,
                QThreadPool::globalInstance()->maxThreadCount());

    // 1. Memory without raw JSON: parsed messages appended without their JSON.
    auto bare = std::make_unique<MessageStore>();
    bare->setCapacity(total);
    {
        MessageParser parser;
        const qint64 rssBefore = rssBytes();
        QElapsedTimer fill;
        fill.start();
        for (int i = 0; i < total; ++i) {
            bare->append(parser.parse(makeMessage(random, 5000000 + quint64(i))));
            if (i % 500 == 499)
                bare->flush();
        }
        bare->flush();
        const qint64 delta = rssBytes() - rssBefore;
        std::printf("fill without raw JSON (generate + parse + store): %.2f s\n",
                    fill.nsecsElapsed() / 1e9);
        printMemory("memory without raw JSON", *bare, delta, total);
    }

    // 2. Memory with the raw JSON of every row: decoded events through ingest(), as live.
    Directory directory;
    MessageStore store(&directory);
    store.setCapacity(total);
    MessageModel model(&store);
    {
        EventDecoder decoder;
        const qint64 rssBefore = rssBytes();
        QElapsedTimer fill;
        fill.start();
        GatewayEventBatch batch;
        for (int i = 0; i < total; ++i) {
            batch.append(decodedCreate(decoder, makeMessage(random, 5000000 + quint64(i))));
            if (batch.size() == 500) {
                store.ingest(batch);
                batch.clear();
                store.flush();
            }
        }
        store.ingest(batch);
        store.flush();
        const qint64 delta = rssBytes() - rssBefore;
        std::printf("fill with raw JSON (generate + serialise + decode + ingest): %.2f s\n",
                    fill.nsecsElapsed() / 1e9);
        printMemory("memory with raw JSON", store, delta, total);
    }
    bare.reset();

    // 3. Append rate, batches of 500 flushed as the 50 ms timer would, into an empty store and
    // into a full one (every append evicts).
    {
        const int poolSize = 100000;
        EventDecoder decoder;
        QList<QJsonObject> objects;
        GatewayEventBatch events;
        objects.reserve(poolSize);
        events.reserve(poolSize);
        for (int i = 0; i < poolSize; ++i) {
            objects.append(makeMessage(random, 1000000 + quint64(i)));
            events.append(decodedCreate(decoder, objects.last()));
        }
        for (bool full : {false, true}) {
            Directory directory;
            MessageStore target(&directory);
            target.setCapacity(full ? poolSize / 2 : poolSize);
            MessageModel model(&target);
            QElapsedTimer timer;
            timer.start();
            const qint64 cpuStart = threadCpuNs();
            for (int i = 0; i < poolSize; i += 500) {
                target.ingest(events.mid(i, 500));
                target.flush();
            }
            const double seconds = timer.nsecsElapsed() / 1e9;
            const double cpuSeconds = (threadCpuNs() - cpuStart) / 1e9;
            std::printf("append (ingest decoded events + store + model signals%s): %d messages "
                        "in %.3f s = %.0f messages/s (CPU %.3f s = %.0f messages/s)\n",
                        full ? ", store full: every row evicts one" : "", poolSize, seconds,
                        poolSize / seconds, cpuSeconds, poolSize / cpuSeconds);
        }
        Directory directory;
        MessageStore target(&directory);
        target.setCapacity(poolSize);
        MessageModel model(&target);
        QElapsedTimer timer;
        timer.start();
        const qint64 cpuStart = threadCpuNs();
        for (int i = 0; i < poolSize; ++i) {
            target.handleDispatch(u"MESSAGE_CREATE"_s, objects.at(i));
            if (i % 500 == 499)
                target.flush();
        }
        target.flush();
        const double seconds = timer.nsecsElapsed() / 1e9;
        const double cpuSeconds = (threadCpuNs() - cpuStart) / 1e9;
        std::printf("append (handleDispatch QJsonObject: parse + serialise raw + store + model "
                    "signals): %d messages in %.3f s = %.0f messages/s (CPU %.3f s = %.0f "
                    "messages/s)\n",
                    poolSize, seconds, poolSize / seconds, cpuSeconds, poolSize / cpuSeconds);
        QElapsedTimer evict;
        evict.start();
        target.setCapacity(poolSize / 10);
        std::printf("evict %d rows at once: %.1f ms = %.0f ns/row\n", poolSize - poolSize / 10,
                    evict.nsecsElapsed() / 1e6,
                    double(evict.nsecsElapsed()) / (poolSize - poolSize / 10));
    }

    // 4. Filter changes over `total` messages.
    MessageFilterModel proxy;
    proxy.setMessageModel(&model);
    LoopWatch watch;
    const QStringList queries = {u"deploy"_s,    u"\"build is green\""_s,    u"/error\\d+/i"_s,
                                 u"/\\d{2}$/"_s, u"from:user17"_s,           u"in:2005"_s,
                                 u"-deploy"_s,   u"is:bot has:link -lunch"_s};
    for (const QString &query : queries) {
        MessageFilter alone = MessageFilter::parse(query);
        alone.resolve(&directory);
        const StoreSnapshot snapshot = store.snapshot();
        QElapsedTimer evaluation;
        evaluation.start();
        const qint64 cpuStart = threadCpuNs();
        const ColumnarFilter columnar(alone, store.tables());
        size_t matched = 0;
        for (size_t i = 0; i < snapshot.chunks.size(); ++i)
            matched += columnar.matchesInChunk(snapshot, i).size();
        std::printf("filter %-26s %-24s %8.1f ms (CPU %6.1f ms), %zu match\n",
                    qPrintable(u'\'' + query + u'\''), "columnar, one thread",
                    evaluation.nsecsElapsed() / 1e6, (threadCpuNs() - cpuStart) / 1e6, matched);
        for (bool background : {false, true}) {
            proxy.setChunkThreshold(background ? MessageFilterModel::DefaultChunkThreshold
                                               : std::numeric_limits<int>::max());
            double longestMs = 0;
            const qint64 cpuStart = processCpuNs();
            const double ms = filterOnce(proxy, query, watch, &longestMs);
            std::printf("filter %-26s %-24s %8.1f ms total (CPU of all threads %6.1f ms), longest "
                        "GUI block %6.1f ms (proxy's own %5.1f ms), %d match\n",
                        qPrintable(u'\'' + query + u'\''),
                        background ? "proxy, background" : "proxy, on GUI thread", ms,
                        (processCpuNs() - cpuStart) / 1e6, longestMs,
                        proxy.lastLongestBlockNs() / 1e6, proxy.matchCount());
        }
    }
    QElapsedTimer clear;
    clear.start();
    proxy.setFilter(MessageFilter());
    std::printf("filter cleared (all rows): %.1f ms\n", clear.nsecsElapsed() / 1e6);
    std::printf("done\n");
    return 0;
}
