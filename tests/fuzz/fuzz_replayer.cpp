// Fuzz target: the replay reader (Replayer), which reads a recording file line by line.
//
// The input is written to a file and replayed at full speed through the real Replayer: it must
// finish (libFuzzer reports a hang as a timeout), never crash, and hand out exactly the lines that
// Replayer::decodeLine() accepts, reporting every other non-blank line as corrupt; its own buffered
// line splitting must agree with a plain split of the same bytes.
#include "core/io/replayer.h"
#include "fuzzinput.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {

QTemporaryDir *directory = nullptr;

struct Expected
{
    qint64 frames = 0;
    qint64 corrupt = 0;
};

Expected decodeEachLine(const QByteArray &recording)
{
    Expected expected;
    QList<QByteArray> lines = recording.split('\n');
    if (recording.endsWith('\n'))
        lines.removeLast();
    for (const QByteArray &line : std::as_const(lines)) {
        if (line.trimmed().isEmpty())
            continue;
        QString error;
        if (Replayer::decodeLine(line, &error))
            ++expected.frames;
        else if (error.isEmpty())
            abort(); // a refused line always says why
        else
            ++expected.corrupt;
    }
    return expected;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    Fuzz::silenceQtMessages();
    new QCoreApplication(*argc, *argv); // lives for the whole run
    directory = new QTemporaryDir;
    return directory->isValid() ? 0 : 1;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray recording(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString path = directory->filePath(u"recording.jsonl"_s);
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || file.write(recording) != recording.size())
            abort();
    }
    Replayer replayer;
    if (!replayer.open(path))
        abort();
    replayer.setSpeed(0);
    QEventLoop loop;
    QObject::connect(&replayer, &Replayer::finished, &loop, &QEventLoop::quit);
    replayer.start();
    if (!replayer.isFinished())
        loop.exec();

    const Expected expected = decodeEachLine(recording);
    if (replayer.framesReplayed() != expected.frames
        || replayer.corruptLines() != expected.corrupt) {
        fprintf(stderr,
                "Replayer handed out %lld frames and %lld corrupt lines, expected %lld and %lld\n",
                static_cast<long long>(replayer.framesReplayed()),
                static_cast<long long>(replayer.corruptLines()),
                static_cast<long long>(expected.frames), static_cast<long long>(expected.corrupt));
        abort();
    }
    return 0;
}
