#pragma once

#include "core/gateway/gatewayclient.h"
#include "core/gateway/gatewaytypes.h"

#include <QFile>
#include <QObject>

namespace Gatescope {

/// Writes every decoded gateway frame, in and out, to a JSON Lines file as it happens:
///
///     {"ts":"2026-11-27T10:00:00.123Z","dir":"in","wire_bytes":321,"payload":{"op":0,...}}
///
/// A frame whose event the client rejected (FrameRecord::rejected) also has
/// `"rejected":"<why>"` before `payload`.
///
/// Connect GatewayClient::frameLogged to record(): those frames are already redacted, so the
/// token never reaches the file. Connect GatewayClient::disconnected to recordClose() too, so a
/// replay shows why each connection ended:
///
///     {"ts":"…","dir":"in","close":{"code":4000,"reason":"…","by":"server","next":"resume"}}
///
/// (`dir` is "in" when the server or the network ended it, "out" when the client did.) The file is
/// unbuffered and each frame is one write() of one whole line, so a crash loses at most the line
/// being written. Replayer reads the format back.
class FrameRecorder : public QObject
{
    Q_OBJECT

public:
    explicit FrameRecorder(QObject *parent = nullptr);
    ~FrameRecorder() override;

    /// Creates (or replaces) @p path. False, with errorString(), when it cannot be written.
    bool open(const QString &path);
    void close();
    bool isOpen() const { return m_file.isOpen(); }
    QString filePath() const { return m_file.fileName(); }
    QString errorString() const { return m_error; }
    qint64 framesWritten() const { return m_frames; }

    /// The line (with its newline) that record() writes for @p frame.
    static QByteArray encodeLine(const FrameRecord &frame);
    /// The line recordClose() writes.
    static QByteArray encodeCloseLine(qint64 timeMs, int code, const QString &reason,
                                      GatewayClient::Initiator initiator,
                                      CloseCodes::Action action);

public slots:
    void record(const Gatescope::FrameRecord &frame);
    /// Matches GatewayClient::disconnected; the time is now.
    void recordClose(int code, const QString &reason, Gatescope::GatewayClient::Initiator initiator,
                     Gatescope::CloseCodes::Action action);

signals:
    /// Writing failed (disk full, file removed …); recording has stopped, the file keeps every
    /// line written before.
    void errorOccurred(const QString &message);

private:
    void writeLine(const QByteArray &line);
    /// `{"ts":"…","dir":"in|out"` — what every line starts with.
    static void appendLineStart(QByteArray &line, qint64 timeMs, bool outgoing);

    QFile m_file;
    QString m_error;
    qint64 m_frames = 0;
};

} // namespace Gatescope
