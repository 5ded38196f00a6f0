#include "core/io/replayer.h"

#include "core/logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {

/// One slice of work per event-loop turn: enough frames to be fast, short enough to keep a
/// window responsive when the replayer shares the GUI's thread.
constexpr int FramesPerSlice = 2000;
constexpr qint64 MsPerSlice = 15;

std::optional<qint64> parseTime(const QJsonValue &value)
{
    if (!value.isString())
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    return time.toMSecsSinceEpoch();
}

std::optional<FrameRecord::Direction> parseDirection(const QJsonValue &value)
{
    if (value == "in"_L1)
        return FrameRecord::Direction::Incoming;
    if (value == "out"_L1)
        return FrameRecord::Direction::Outgoing;
    return std::nullopt;
}

} // namespace

Replayer::Replayer(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Replayer::replayDue);
}

bool Replayer::open(const QString &path)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly)) {
        m_error = u"cannot read %1: %2"_s.arg(path, m_file.errorString());
        return false;
    }
    return true;
}

std::optional<RecordedFrame> Replayer::decodeLine(const QByteArray &line, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = u"not JSON (byte %1: %2)"_s.arg(parseError.offset).arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    if (!document.isObject()) {
        *error = u"not a JSON object"_s;
        return std::nullopt;
    }
    RecordedFrame frame;
    const std::optional<qint64> time = parseTime(object.value("ts"_L1));
    if (!time) {
        *error = u"\"ts\" is not an ISO 8601 time"_s;
        return std::nullopt;
    }
    const std::optional<FrameRecord::Direction> direction = parseDirection(object.value("dir"_L1));
    if (!direction) {
        *error = u"\"dir\" is neither \"in\" nor \"out\""_s;
        return std::nullopt;
    }
    frame.timeMs = *time;
    frame.direction = *direction;
    const QJsonValue close = object.value("close"_L1);
    if (close.isObject()) {
        frame.closeCode = close["code"_L1].toInt(-1);
        if (frame.closeCode < 0 || frame.closeCode > 4999) {
            *error = u"\"close\" has no valid \"code\""_s;
            return std::nullopt;
        }
        frame.closeReason = close["reason"_L1].toString();
        frame.closedBy = close["by"_L1].toString();
        frame.closeAction = close["next"_L1].toString();
        return frame;
    }
    const QJsonValue payload = object.value("payload"_L1);
    if (!payload.isObject()) {
        *error = u"no \"payload\" object"_s;
        return std::nullopt;
    }
    PayloadParseResult parsed = payloadFromObject(payload.toObject());
    if (!parsed.ok()) {
        *error = parsed.error.message;
        return std::nullopt;
    }
    frame.wireBytes = qsizetype(std::max(0.0, object.value("wire_bytes"_L1).toDouble(0)));
    // FrameRecorder writes the payload last, so it spans from its key to the closing brace.
    const qsizetype payloadAt = line.indexOf(R"("payload":)");
    frame.jsonBytes = payloadAt >= 0 ? line.size() - payloadAt - 11 : 0;
    frame.payload = std::move(parsed.payload);
    return frame;
}

void Replayer::start()
{
    if (m_running || m_finished || !m_file.isOpen())
        return;
    m_running = true;
    m_clock.start();
    readNextFrame();
    if (m_next)
        m_firstTimeMs = m_next->timeMs;
    m_timer.start(0);
}

void Replayer::stop()
{
    m_running = false;
    m_timer.stop();
}

bool Replayer::fillBuffer()
{
    // Drop the lines already handed out, so the buffer holds at most one line plus a chunk.
    m_buffer.remove(0, m_bufferPos);
    m_bufferPos = 0;
    const QByteArray chunk = m_file.read(ReadChunkBytes);
    m_buffer += chunk;
    return !chunk.isEmpty();
}

std::optional<Replayer::RawLine> Replayer::readRawLine()
{
    // Our own line splitting: QIODevice::readLine(maxSize) allocates maxSize up front, which
    // for a limit as large as MaxLineBytes costs more than parsing the line.
    RawLine line;
    qsizetype scanFrom = m_bufferPos;
    while (true) {
        const qsizetype newline = m_buffer.indexOf('\n', scanFrom);
        if (newline >= 0) {
            line.tooLong = line.tooLong || newline - m_bufferPos > MaxLineBytes;
            if (!line.tooLong)
                line.bytes = m_buffer.mid(m_bufferPos, newline - m_bufferPos);
            m_bufferPos = newline + 1;
            ++m_lineNumber;
            return line;
        }
        if (m_buffer.size() - m_bufferPos > MaxLineBytes) {
            // Longer than any real frame: forget it while looking for its end.
            line.tooLong = true;
            m_bufferPos = m_buffer.size();
        }
        const qsizetype scanned = m_buffer.size() - m_bufferPos;
        if (!fillBuffer()) {
            if (scanned == 0 && !line.tooLong)
                return std::nullopt;
            ++m_lineNumber;
            line.incomplete = true;
            if (!line.tooLong)
                line.bytes = m_buffer;
            m_buffer.clear();
            return line;
        }
        scanFrom = scanned;
    }
}

void Replayer::readNextFrame()
{
    m_next.reset();
    while (const std::optional<RawLine> line = readRawLine()) {
        QString error;
        if (line->tooLong)
            error = u"longer than %1 MiB"_s.arg(MaxLineBytes / (1024 * 1024));
        else if (line->bytes.trimmed().isEmpty())
            continue;
        else if ((m_next = decodeLine(line->bytes, &error)))
            return;
        if (line->incomplete)
            error += u" (the file ends in the middle of this line, as after a crash)"_s;
        ++m_corrupt;
        qCWarning(lcIo).noquote() << "replay: line" << m_lineNumber << error;
        emit corruptLine(m_lineNumber, error);
    }
}

qint64 Replayer::dueInMs(const RecordedFrame &frame) const
{
    if (m_speed <= 0)
        return 0;
    const double offset = double(frame.timeMs - m_firstTimeMs) / m_speed;
    return qint64(std::ceil(offset)) - m_clock.elapsed();
}

void Replayer::replayDue()
{
    QElapsedTimer slice;
    slice.start();
    int handed = 0;
    while (m_running && m_next) {
        const qint64 wait = dueInMs(*m_next);
        if (wait > 0) {
            m_timer.start(int(std::min<qint64>(wait, 60'000)));
            return;
        }
        if (handed >= FramesPerSlice || slice.elapsed() >= MsPerSlice) {
            m_timer.start(0);
            return;
        }
        const RecordedFrame frame = std::move(*m_next);
        readNextFrame();
        ++m_frames;
        ++handed;
        emit frameReady(frame);
    }
    if (!m_running)
        return;
    m_running = false;
    m_finished = true;
    qCInfo(lcIo).noquote() << "replay finished:" << m_frames << "frames," << m_corrupt
                           << "corrupt lines skipped";
    emit finished();
}

} // namespace Gatescope
