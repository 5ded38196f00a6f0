#pragma once

#include "core/gateway/streaminflater.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

namespace Gatescope {

/// Decodes Discord's `compress=zlib-stream` transport (protocol reference §9).
///
/// One instance holds one zlib stream for one connection: call reset() (or make a new instance)
/// for every new connection, resumes included, because the server starts a new deflate stream
/// each time. Binary WebSocket messages are appended to a buffer, and the buffer is inflated only
/// once it ends with the Z_SYNC_FLUSH marker `00 00 FF FF`, so a payload may span several
/// messages. A message that ends with the marker while nothing is buffered is inflated straight
/// from the caller's bytes, without a copy. Errors are returned, never thrown; after an error the
/// stream is unusable until reset().
///
/// Payloads are inflated into one output buffer that is kept from payload to payload (it grows
/// for a large payload and shrinks back to its initial 64 KiB before the next one when it grew
/// past 1 MiB), and that always has OutputPadding readable bytes after the payload, so the
/// EventDecoder can hand it to simdjson without copying (see feed(QByteArrayView,
/// QByteArrayView*)).
///
/// Not thread-safe; owned by the connection that feeds it. zlib.h stays out of this header.
/// NeedMoreData means the buffer does not end with the flush marker yet.
class ZlibStreamInflater : public StreamInflater
{
public:
    enum class Error {
        None,
        CorruptStream, ///< zlib rejected the data (bad header, bad block, bad checksum)
        PayloadTooLarge, ///< one payload inflated beyond maxPayloadBytes()
        BufferTooLarge, ///< compressed data piled up beyond the cap without a flush marker
        StreamEnded, ///< the server finished the deflate stream, which Discord never does
    };

    explicit ZlibStreamInflater(qsizetype maxPayloadBytes = DefaultMaxPayloadBytes);
    ~ZlibStreamInflater() override;

    /// Starts a fresh stream, dropping any buffered input and any error.
    void reset() override;

    /// Appends one binary WebSocket message. On PayloadReady, @p payload holds the inflated bytes
    /// (a copy of the output buffer, exactly the payload's size).
    Result feed(QByteArrayView message, QByteArray *payload);
    /// As above without the copy: on PayloadReady, @p payload views the reused output buffer and
    /// is followed by at least OutputPadding readable bytes. The view is valid until the next
    /// feed() or reset().
    Result feed(QByteArrayView message, QByteArrayView *payload) override;

    Error error() const;
    QString errorString() const override;
    qsizetype maxPayloadBytes() const override;
    /// Changes the cap on one payload's inflated size; takes effect for the next payload.
    void setMaxPayloadBytes(qsizetype bytes) override;
    /// Compressed bytes buffered while waiting for the flush marker.
    qsizetype pendingBytes() const;
    /// Size of the reused output buffer, padding included (tests check that it is kept).
    qsizetype outputBufferBytes() const;

    static bool endsWithFlushMarker(QByteArrayView data);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Gatescope
