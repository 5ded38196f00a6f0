// Prints the store's figures: append rate, memory per stored message, and the time of a filter
// change over 1,000,000 messages. Usage: bench_store [messages] (default 1000000).
// Content: 6-36 words of chat (about 40-200 characters); one message in ten carries a non-ASCII
// word, one in twenty a link, one in fifty "errorNN"; 500 authors, 40 channels, 4 guilds.

#include "core/store/directory.h"
#include "core/store/messagefiltermodel.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>

#include <cstdio>
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

void print(const char *line)
{
    std::printf("%s\n", line);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const int total = argc > 1 ? qMax(1000, atoi(argv[1])) : 1000000;
    QRandomGenerator random(42);

    // 1. Memory per stored message at `total` messages.
    Directory directory;
    MessageStore store(&directory);
    store.setCapacity(total);
    MessageModel model(&store);
    const qint64 rssBefore = rssBytes();
    QElapsedTimer fill;
    fill.start();
    for (int i = 0; i < total; ++i) {
        store.handleDispatch(u"MESSAGE_CREATE"_s, makeMessage(random, 5000000 + quint64(i)));
        if (i % 500 == 499)
            store.flush();
    }
    store.flush();
    const double fillSeconds = fill.nsecsElapsed() / 1e9;
    const qint64 rssAfter = rssBytes();
    const qint64 contentBytes = store.contentBytes();
    qint64 searchKeyBytes = 0;
    for (int row = 0; row < store.count(); ++row) {
        const Message &m = store.at(row);
        if (!m.searchKey.isNull() && m.searchKey.constData() != m.content.constData())
            searchKeyBytes += m.searchKey.size() * 2;
    }
    const double perMessage = double(rssAfter - rssBefore) / total;
    std::printf("fill %d messages (generate + parse + store): %.2f s\n", total, fillSeconds);
    std::printf("RSS delta: %.1f MB; content (UTF-16): %.1f MB = %.1f B/message; separate search "
                "keys: %.1f MB\n",
                (rssAfter - rssBefore) / 1e6, contentBytes / 1e6, double(contentBytes) / total,
                searchKeyBytes / 1e6);
    std::printf("memory per message: %.1f B total, %.1f B beyond the content text, %.1f B beyond "
                "content and search key\n",
                perMessage, perMessage - double(contentBytes) / total,
                perMessage - double(contentBytes + searchKeyBytes) / total);
    std::printf("sizeof(Message) = %zu B\n", sizeof(Message));

    // 2. Append rate (after the memory figure, so its freed heap cannot hide growth): parse +
    // store, batches of 500 flushed as the 50 ms timer would.
    {
        const int poolSize = 100000;
        QList<QJsonObject> pool;
        pool.reserve(poolSize);
        for (int i = 0; i < poolSize; ++i)
            pool.append(makeMessage(random, 1000000 + quint64(i)));
        Directory directory;
        MessageStore store(&directory);
        store.setCapacity(poolSize);
        MessageModel model(&store);
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < poolSize; ++i) {
            store.handleDispatch(u"MESSAGE_CREATE"_s, pool.at(i));
            if (i % 500 == 499)
                store.flush();
        }
        store.flush();
        const double seconds = timer.nsecsElapsed() / 1e9;
        std::printf(
                "append (parse + store + model signals): %d messages in %.3f s = %.0f messages/s\n",
                poolSize, seconds, poolSize / seconds);
    }

    // 3. Filter changes over `total` messages.
    MessageFilterModel proxy;
    proxy.setMessageModel(&model);
    const QStringList queries
            = {u"deploy"_s, u"from:user17"_s, u"/error\\d+/i"_s, u"is:bot has:link -lunch"_s};
    for (const QString &query : queries) {
        // The evaluation alone, without the proxy's mapping.
        MessageFilter alone = MessageFilter::parse(query);
        alone.resolve(&directory);
        QElapsedTimer evaluation;
        evaluation.start();
        int matched = 0;
        for (int row = 0; row < store.count(); ++row)
            matched += alone.matches(store.at(row)) ? 1 : 0;
        std::printf("filter %-26s %-12s %8.1f ms (match loop only), %d match\n",
                    qPrintable(u'\'' + query + u'\''), "evaluate", evaluation.nsecsElapsed() / 1e6,
                    matched);
        for (bool chunked : {false, true}) {
            proxy.setChunkThreshold(chunked ? MessageFilterModel::DefaultChunkThreshold
                                            : std::numeric_limits<int>::max());
            proxy.setFilter(MessageFilter());
            QEventLoop loop;
            bool applied = false;
            const auto connection
                    = QObject::connect(&proxy, &MessageFilterModel::filterApplied, &loop, [&] {
                          applied = true;
                          loop.quit();
                      });
            QElapsedTimer timer;
            timer.start();
            proxy.setFilter(MessageFilter::parse(query));
            if (!applied)
                loop.exec();
            QObject::disconnect(connection);
            const double ms = timer.nsecsElapsed() / 1e6;
            std::printf("filter %-26s %-12s %8.1f ms total, longest UI block %6.1f ms, %d match\n",
                        qPrintable(u'\'' + query + u'\''), chunked ? "sliced" : "synchronous", ms,
                        proxy.lastLongestSliceNs() / 1e6, proxy.matchCount());
        }
    }
    QElapsedTimer clear;
    clear.start();
    proxy.setFilter(MessageFilter());
    std::printf("filter cleared (all rows): %.1f ms\n", clear.nsecsElapsed() / 1e6);
    print("done");
    return 0;
}
