// Prints the speed of the exports: CSV and JSON Lines, MB/s and rows/s, for 1,000,000 messages
// of about 300 bytes each, written to a temporary file; plus the longest event-loop turn of the
// chunked exporter (what a UI would feel).
//
//   bench_export [--rows N] [--dir PATH]

#include "core/io/csvwriter.h"
#include "core/io/exporter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {

// Deterministic message texts: mostly ASCII chat, some with punctuation that needs quoting,
// some non-ASCII, some formula-like; about 125 characters on average, which with the ids,
// names and times makes a CSV row of about 300 bytes.
QStringList makeContents(int count)
{
    static const QStringList words = {u"hello"_s,
                                      u"the"_s,
                                      u"server"_s,
                                      u"is"_s,
                                      u"down"_s,
                                      u"again,"_s,
                                      u"see"_s,
                                      u"https://example.com/some/long/path?x=1"_s,
                                      u"\"quoted\""_s,
                                      u"ok;"_s,
                                      u"thanks"_s,
                                      u"👋"_s,
                                      u"مرحبا"_s,
                                      u"你好"_s,
                                      u"naïve"_s,
                                      u"line\nbreak"_s,
                                      u"<@123456789012345678>"_s,
                                      u"lol"_s,
                                      u"gg"_s,
                                      u"deploy"_s};
    QRandomGenerator random(42);
    QStringList contents;
    for (int i = 0; i < count; ++i) {
        QString text = (i % 50 == 0) ? u"=SUM(A1:A9) "_s : QString();
        const int target = 60 + int(random.bounded(130));
        while (text.size() < target) {
            text += words.at(int(random.bounded(qsizetype(words.size()))));
            text += u' ';
        }
        contents << text.trimmed();
    }
    return contents;
}

struct Generator
{
    QStringList contents = makeContents(1000);
    QStringList authors;
    Message scratch;

    Generator()
    {
        for (int i = 0; i < 200; ++i)
            authors << u"user_%1"_s.arg(i);
        scratch.channelId = 1100000000000000001ULL;
        scratch.guildId = 1000000000000000001ULL;
    }

    ExportRow row(qsizetype i)
    {
        scratch.id = 1180000000000000000ULL + quint64(i);
        scratch.authorId = 900000000000000000ULL + quint64(i % 200);
        scratch.timestampMs = 1795737600000LL + i * 7;
        scratch.authorName = authors.at(i % authors.size());
        scratch.content = contents.at(i % contents.size());
        scratch.flags = (i % 10 == 0) ? Message::AuthorIsBot : 0;
        scratch.replyToId = (i % 5 == 0) ? scratch.id - 1 : 0;
        return ExportRow{&scratch, u"Bench Guild"_s, u"general"_s};
    }
};

void report(const char *what, qsizetype rows, qint64 bytes, qint64 ns)
{
    const double s = double(ns) / 1e9;
    std::printf("%-28s %9.1f MB/s  %11.0f rows/s  %7.3f s  %6.1f bytes/row  %lld bytes\n", what,
                double(bytes) / 1e6 / s, double(rows) / s, s, double(bytes) / double(rows),
                static_cast<long long>(bytes));
}

void exportFile(const char *what, const QString &path, ExportFormat format, qsizetype rows)
{
    Generator generator;
    QElapsedTimer timer;
    timer.start();
    QString error;
    const bool ok = Exporter::exportToFile(
            path, format, CsvOptions{true, ','}, rows,
            [&generator](qsizetype i) { return generator.row(i); }, &error);
    const qint64 ns = timer.nsecsElapsed();
    if (!ok) {
        std::fprintf(stderr, "%s failed: %s\n", what, qPrintable(error));
        return;
    }
    report(what, rows, QFileInfo(path).size(), ns);
}

void formatOnly(qsizetype rows)
{
    Generator generator;
    const CsvWriter csv;
    QByteArray buffer;
    qint64 bytes = 0;
    QElapsedTimer timer;
    timer.start();
    for (qsizetype i = 0; i < rows; ++i) {
        csv.appendRow(buffer, generator.row(i));
        if (buffer.size() > (1 << 20)) {
            bytes += buffer.size();
            buffer.clear();
        }
    }
    bytes += buffer.size();
    report("CSV format only (memory)", rows, bytes, timer.nsecsElapsed());
}

void chunked(const QString &path, qsizetype rows)
{
    Generator generator;
    Exporter exporter;
    exporter.setPath(path);
    exporter.setRows(rows, [&generator](qsizetype i) { return generator.row(i); });
    QElapsedTimer total;
    QElapsedTimer turn;
    QList<qint64> turnsNs;
    QObject::connect(&exporter, &Exporter::progress, [&] {
        turnsNs << turn.nsecsElapsed();
        turn.restart();
    });
    bool done = false;
    qint64 lastTurnNs = 0; // from the last progress() to finished(): QSaveFile::commit()
    QObject::connect(&exporter, &Exporter::finished, [&](bool ok, const QString &error) {
        lastTurnNs = turn.nsecsElapsed();
        if (!ok)
            std::fprintf(stderr, "chunked export failed: %s\n", qPrintable(error));
        done = true;
    });
    total.start();
    turn.start();
    exporter.start();
    while (!done)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    report("CSV chunked (event loop)", rows, QFileInfo(path).size(), total.nsecsElapsed());
    std::sort(turnsNs.begin(), turnsNs.end());
    const auto at = [&](double q) {
        return turnsNs.isEmpty()
                       ? 0.0
                       : double(turnsNs.at(qsizetype(q * double(turnsNs.size() - 1)))) / 1e6;
    };
    std::printf("  chunked: at most %d rows or %d ms per turn; %lld turns, median %.1f ms, "
                "p99 %.1f ms, longest %.1f ms\n",
                Exporter::DefaultRowsPerChunk, Exporter::DefaultTurnBudgetMs,
                static_cast<long long>(turnsNs.size()), at(0.5), at(0.99), at(1.0));
    std::printf("  chunked: the final commit (QSaveFile fsync + rename) took %.1f ms\n",
                double(lastTurnNs) / 1e6);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"gatescope.io.info=false"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Measures CSV and JSON Lines export speed."_s);
    parser.addHelpOption();
    parser.addOption({u"rows"_s, u"Rows to export (default 1000000)."_s, u"N"_s, u"1000000"_s});
    parser.addOption(
            {u"dir"_s, u"Folder for the output files (default: a temporary one)."_s, u"PATH"_s});
    parser.process(app);

    bool ok = false;
    const qsizetype rows = parser.value(u"rows"_s).toLongLong(&ok);
    if (!ok || rows <= 0) {
        std::fprintf(stderr, "--rows needs a positive number\n");
        return 2;
    }
    QTemporaryDir temp(parser.isSet(u"dir"_s) ? parser.value(u"dir"_s) + u"/bench-export-XXXXXX"_s
                                              : QString());
    if (!temp.isValid()) {
        std::fprintf(stderr, "cannot create a temporary folder: %s\n",
                     qPrintable(temp.errorString()));
        return 1;
    }
    std::printf("bench_export: %lld rows, output in %s\n", static_cast<long long>(rows),
                qPrintable(temp.path()));
    formatOnly(rows);
    exportFile("CSV export (file)", temp.filePath(u"export.csv"_s), ExportFormat::Csv, rows);
    exportFile("JSONL export (file)", temp.filePath(u"export.jsonl"_s), ExportFormat::JsonLines,
               rows);
    chunked(temp.filePath(u"chunked.csv"_s), rows);
    return 0;
}
