// Fuzz target: the filter language (MessageFilter::parse) and its two evaluators.
//
// The input is a query (UTF-8). Parsing may refuse it but never crash, and a refusal names a
// position inside the query. A valid query is resolved against a small Directory and evaluated
// over a store of varied messages twice: one Message at a time (MessageFilter::matches) and a
// chunk at a time (ColumnarFilter, the store's fast path with PCRE2); both must pick the same rows.
#include "../core/store/storetestdata.h"
#include "core/store/columnarfilter.h"
#include "core/store/directory.h"
#include "core/store/messagefilter.h"
#include "core/store/messagestore.h"
#include "fuzzinput.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <cstdio>
#include <cstdlib>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using namespace StoreTestData;

namespace {

// Parsing relative times (`after:2h`) reads the clock; a fixed one keeps inputs reproducible.
constexpr qint64 NowMs = 1714564800000; // 2024-05-01T12:00:00Z

struct World
{
    Directory directory;
    MessageStore store{&directory};

    World()
    {
        store.handleDispatch(u"GUILD_CREATE"_s, guildWithTwoChannels());
        const QStringList contents = {u"hello World"_s,
                                      u"error42 deploy"_s,
                                      u"café CAFÉ Straße"_s,
                                      u"Привет 日本語 👍"_s,
                                      u"see https://example.com/x"_s,
                                      u"a.b aa ok"_s,
                                      u"=cmd|' /C calc'!A0"_s,
                                      QString(),
                                      u"line one\nline two\ttab"_s};
        quint64 id = 1;
        for (int round = 0; round < 3; ++round) {
            for (const QString &content : contents) {
                const quint64 author = 900 + id % 4;
                const quint64 guild = id % 5 == 0 ? 0 : 100;
                const quint64 channel = guild ? 111 + id % 2 : 500;
                QJsonObject m
                        = message(id, content, channel, guild, author, u"user%1"_s.arg(author));
                if (id % 3 == 0)
                    m.insert(u"author"_s, user(author, u"user%1"_s.arg(author), true));
                if (id % 4 == 0)
                    m.insert(u"message_reference"_s, QJsonObject{{u"message_id"_s, u"5"_s}});
                if (id % 7 == 0)
                    m.insert(u"webhook_id"_s, u"77"_s);
                m.insert(u"timestamp"_s, u"2024-04-2%1T12:00:00.000+00:00"_s.arg(id % 9));
                store.addMessage(m);
                ++id;
            }
            store.flush(); // a chunk per round
        }
        QJsonObject edit = idsOnly(4);
        edit.insert(u"content"_s, u"now an Error"_s);
        store.updateMessage(edit);
        store.deleteMessage(5);
        store.flush();
    }
};

World *world = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    Fuzz::silenceQtMessages();
    new QCoreApplication(*argc, *argv); // lives for the whole run
    world = new World;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString query = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    MessageFilter filter = MessageFilter::parse(query, NowMs);
    if (!filter.isValid()) {
        if (filter.errorPosition() > query.size() || filter.errorString().isEmpty())
            abort();
        return 0;
    }
    (void)filter.describe();
    filter.resolve(&world->directory);

    const ColumnarFilter columnar(filter, world->store.tables());
    const StoreSnapshot snapshot = world->store.snapshot();
    QList<quint64> byChunk;
    for (size_t i = 0; i < snapshot.chunks.size(); ++i) {
        const std::vector<quint64> part = columnar.matchesInChunk(snapshot, i);
        byChunk.append(QList<quint64>(part.begin(), part.end()));
    }
    QList<quint64> byRow;
    for (int row = 0; row < world->store.count(); ++row) {
        if (filter.matches(world->store.at(row)))
            byRow.append(world->store.seqAt(row));
    }
    if (byChunk != byRow) {
        fprintf(stderr, "ColumnarFilter and MessageFilter::matches disagree on: %s\n",
                query.toUtf8().constData());
        abort();
    }
    return 0;
}
