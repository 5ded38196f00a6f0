#pragma once

#include "core/gateway/gatewaytypes.h"

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QTimer>

#include <optional>

namespace Gatescope {

/// Reads a FrameRecorder file back and hands its frames out at the recorded pace, at a multiple
/// of it, or as fast as possible. Connect frameReady() to GatewayClient::replayFrame() so a
/// recording goes through the same pipeline as a live connection.
///
/// A corrupt line (not JSON, a bad field, a payload without "op", longer than MaxLineBytes) is
/// reported through corruptLine() with its 1-based number and skipped; it never ends the replay.
/// Work is done in slices, so the thread's event loop keeps turning even at maximum speed.
class Replayer : public QObject
{
    Q_OBJECT

public:
    /// Larger than any payload the client accepts (64 MiB) plus the line's envelope.
    static constexpr qint64 MaxLineBytes = 80 * 1024 * 1024;

    explicit Replayer(QObject *parent = nullptr);

    /// Opens @p path for reading. False, with errorString(), if it cannot be read.
    bool open(const QString &path);
    QString errorString() const { return m_error; }
    /// 1 = recorded pace, 2 = twice as fast, 0 = as fast as possible.
    void setSpeed(double factor) { m_speed = factor; }
    double speed() const { return m_speed; }

    qint64 framesReplayed() const { return m_frames; }
    qint64 corruptLines() const { return m_corrupt; }
    qint64 linesRead() const { return m_lineNumber; }
    bool isFinished() const { return m_finished; }

    /// Decodes one line (without its newline). On failure, nothing and a reason in @p error.
    static std::optional<RecordedFrame> decodeLine(const QByteArray &line, QString *error);

public slots:
    void start();
    /// Stops handing out frames; finished() is not emitted.
    void stop();

signals:
    void frameReady(const Gatescope::RecordedFrame &frame);
    void corruptLine(qint64 lineNumber, const QString &reason);
    /// The end of the file was reached and every frame was handed out.
    void finished();

private:
    void replayDue();
    struct RawLine
    {
        QByteArray bytes; ///< without the newline
        bool tooLong = false; ///< over MaxLineBytes; bytes is empty
        bool incomplete = false; ///< the file ended before a newline
    };
    std::optional<RawLine> readRawLine();
    bool fillBuffer();
    void readNextFrame();
    qint64 dueInMs(const RecordedFrame &frame) const;

    static constexpr qint64 ReadChunkBytes = 1 << 20;

    QFile m_file;
    QByteArray m_buffer; ///< read ahead; lines before m_bufferPos were handed out
    qsizetype m_bufferPos = 0;
    QTimer m_timer;
    QElapsedTimer m_clock;
    QString m_error;
    std::optional<RecordedFrame> m_next;
    qint64 m_firstTimeMs = 0;
    qint64 m_lineNumber = 0;
    qint64 m_frames = 0;
    qint64 m_corrupt = 0;
    double m_speed = 1.0;
    bool m_running = false;
    bool m_finished = false;
};

} // namespace Gatescope
