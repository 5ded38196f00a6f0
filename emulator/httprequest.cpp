#include "emulator/httprequest.h"

#include <QList>

namespace Gatescope::Emulator {

HttpRequest::Status HttpRequest::parse(const QByteArray &data, HttpRequest *request)
{
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0)
        return data.size() > MaxHeadBytes ? Status::TooLarge : Status::Incomplete;
    if (end + 4 > MaxHeadBytes)
        return Status::TooLarge;
    const QList<QByteArray> lines = data.left(end).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")
        || requestLine.at(0).isEmpty() || !requestLine.at(1).startsWith('/'))
        return Status::Malformed;
    HttpRequest result;
    result.method = requestLine.at(0);
    result.target = requestLine.at(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return Status::Malformed;
        result.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    result.headBytes = end + 4;
    *request = result;
    return Status::Complete;
}

bool HttpRequest::isWebSocketUpgrade() const
{
    return header("upgrade").toLower() == "websocket";
}

QByteArray HttpRequest::path() const
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.left(query);
}

} // namespace Gatescope::Emulator
