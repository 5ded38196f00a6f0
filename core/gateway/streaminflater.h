#pragma once

#include <QByteArrayView>
#include <QString>

namespace Gatescope {

/// What GatewayTransport needs from a transport decompressor (zlib-stream or zstd-stream): one
/// compressed stream per connection, fed binary WebSocket messages in order, handing out whole
/// payloads as views of a reused output buffer.
///
/// Every payload view is followed by at least OutputPadding readable bytes (zero bytes after the
/// last payload of a message), so EventDecoder::decodePadded() can read it in place. A view is
/// valid until the next feed() or reset(). Errors are returned, never thrown; after an error the
/// stream is unusable until reset(). Not thread-safe; owned by the connection that feeds it.
class StreamInflater
{
public:
    enum class Result {
        NeedMoreData, ///< no whole payload yet (or no further one in this message)
        PayloadReady, ///< one complete payload was written to the output
        Error, ///< see errorString()
    };

    /// Readable bytes that follow every payload view (simdjson's SIMDJSON_PADDING is 64).
    static constexpr qsizetype OutputPadding = 64;
    static constexpr qsizetype DefaultMaxPayloadBytes = 64 * 1024 * 1024;

    virtual ~StreamInflater() = default;

    /// Starts a fresh stream (a new connection, resumes included), dropping buffered data and
    /// any error.
    virtual void reset() = 0;
    /// Takes one binary WebSocket message; on PayloadReady @p payload views the first payload it
    /// completed.
    virtual Result feed(QByteArrayView message, QByteArrayView *payload) = 0;
    /// The next payload the last message completed, if any (NeedMoreData when none is left).
    /// zlib-stream yields at most one payload per message, so it never has one.
    virtual Result nextPayload(QByteArrayView *payload)
    {
        Q_UNUSED(payload);
        return Result::NeedMoreData;
    }
    virtual QString errorString() const = 0;
    /// Changes the cap on one payload's decompressed size; takes effect for the next payload.
    virtual void setMaxPayloadBytes(qsizetype bytes) = 0;
    virtual qsizetype maxPayloadBytes() const = 0;

protected:
    StreamInflater() = default;
    StreamInflater(const StreamInflater &) = delete;
    StreamInflater &operator=(const StreamInflater &) = delete;
};

} // namespace Gatescope
