#include "core/io/framerecorder.h"

#include "core/gateway/redaction.h"
#include "core/io/exporttext.h"
#include "core/logging.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Gatescope {

FrameRecorder::FrameRecorder(QObject *parent)
    : QObject(parent)
{ }

FrameRecorder::~FrameRecorder()
{
    close();
}

bool FrameRecorder::open(const QString &path)
{
    close();
    m_file.setFileName(path);
    m_frames = 0;
    m_error.clear();
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        m_error = u"cannot write %1: %2"_s.arg(path, m_file.errorString());
        return false;
    }
    qCInfo(lcIo).noquote() << "recording frames to" << path;
    return true;
}

void FrameRecorder::close()
{
    if (!m_file.isOpen())
        return;
    m_file.close();
    qCInfo(lcIo).noquote() << "recording closed after" << m_frames << "frames";
}

void FrameRecorder::appendLineStart(QByteArray &line, qint64 timeMs, bool outgoing)
{
    line += R"({"ts":")";
    ExportText::appendIsoUtc(line, timeMs);
    line += outgoing ? R"(","dir":"out")" : R"(","dir":"in")";
}

QByteArray FrameRecorder::encodeLine(const FrameRecord &frame)
{
    QByteArray line;
    line.reserve(frame.json.size() + 96);
    appendLineStart(line, frame.timeMs, frame.direction == FrameRecord::Direction::Outgoing);
    line += R"(,"wire_bytes":)";
    line += QByteArray::number(qint64(frame.wireBytes));
    if (!frame.rejected.isEmpty()) {
        // The mark a rejected (malformed) event's frame carries; a replay finds it again itself.
        line += R"(,"rejected":)";
        line += QJsonDocument(QJsonArray{frame.rejected}).toJson(QJsonDocument::Compact).mid(1);
        line.chop(1);
    }
    line += R"(,"payload":)";
    // frame.json is compact JSON (Payload::serialize), so it holds no raw newline.
    line += frame.json;
    line += "}\n";
    return line;
}

QByteArray FrameRecorder::encodeCloseLine(qint64 timeMs, int code, const QString &reason,
                                          GatewayClient::Initiator initiator,
                                          CloseCodes::Action action)
{
    const bool byClient = initiator == GatewayClient::Initiator::Client
                          || initiator == GatewayClient::Initiator::User;
    const QJsonObject close{{u"code"_s, code},
                            {u"reason"_s, Redaction::redact(reason)},
                            {u"by"_s, GatewayClient::initiatorName(initiator)},
                            {u"next"_s, CloseCodes::actionName(action)}};
    QByteArray line;
    appendLineStart(line, timeMs, byClient);
    line += R"(,"close":)";
    line += QJsonDocument(close).toJson(QJsonDocument::Compact);
    line += "}\n";
    return line;
}

void FrameRecorder::record(const FrameRecord &frame)
{
    writeLine(encodeLine(frame));
}

void FrameRecorder::recordClose(int code, const QString &reason, GatewayClient::Initiator initiator,
                                CloseCodes::Action action)
{
    writeLine(
            encodeCloseLine(QDateTime::currentMSecsSinceEpoch(), code, reason, initiator, action));
}

void FrameRecorder::writeLine(const QByteArray &line)
{
    if (!m_file.isOpen())
        return;
    if (m_file.write(line) != line.size()) {
        m_error = u"writing %1 failed: %2; recording stopped"_s.arg(m_file.fileName(),
                                                                    m_file.errorString());
        qCWarning(lcIo).noquote() << m_error;
        m_file.close();
        emit errorOccurred(m_error);
        return;
    }
    ++m_frames;
}

} // namespace Gatescope
