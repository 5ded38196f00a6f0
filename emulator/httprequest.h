#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

namespace Gatescope::Emulator {

/// The head of one HTTP/1.1 request, as the emulator's single port sees it before deciding
/// between a WebSocket upgrade and the small REST endpoint.
struct HttpRequest
{
    enum class Status {
        Incomplete, ///< no blank line yet: wait for more bytes
        Complete,
        Malformed, ///< not an HTTP/1.x request line or header block
        TooLarge, ///< the head exceeds MaxHeadBytes without a blank line
    };

    static constexpr qsizetype MaxHeadBytes = 16 * 1024;

    QByteArray method;
    QByteArray target; ///< path and query, as sent
    QHash<QByteArray, QByteArray> headers; ///< names lower-cased, values trimmed
    qsizetype headBytes = 0; ///< bytes up to and including the blank line

    /// Parses the request head at the start of @p data (which may hold more, or less).
    static Status parse(const QByteArray &data, HttpRequest *request);
    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
    /// True for `Upgrade: websocket` (any case).
    bool isWebSocketUpgrade() const;
    /// The target's path without the query.
    QByteArray path() const;
};

} // namespace Gatescope::Emulator
