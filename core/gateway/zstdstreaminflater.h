#pragma once

#include "core/gateway/streaminflater.h"

#include <QByteArrayView>
#include <QString>

#include <memory>

namespace Gatescope {

/// Decodes Discord's `compress=zstd-stream` transport (protocol reference §9).
///
/// One instance holds one zstd decompression context (`ZSTD_DCtx`) for one connection: call
/// reset() for every new connection, resumes included. The server never ends its zstd frame; it
/// flushes after each payload, so a binary WebSocket message normally decompresses to exactly one
/// payload. zstd marks no payload boundary, though, and a message may end mid-payload (a split
/// frame) or carry several, so payloads are cut from the decompressed bytes by their JSON
/// structure: a payload is one top-level JSON object or array (strings and escapes respected);
/// the bytes of an unfinished one are kept for the next message. A payload that does not start
/// with `{` or `[` (garbage) ends with the message, so the decoder reports it instead of it
/// swallowing what follows.
///
/// Output: one reused buffer (64 KiB, grown for large payloads and shrunk back once it passed
/// 1 MiB), every payload followed by OutputPadding readable bytes (zeros after a message's last
/// payload), read in place by EventDecoder::decodePadded(). Decompressed bytes per message,
/// plus an unfinished payload carried over, are capped by maxPayloadBytes() (a decompression
/// bomb is an error, not an allocation). The context is created on first use, so an idle
/// instance costs nothing.
///
/// Not thread-safe; owned by the connection that feeds it. zstd.h stays out of this header.
class ZstdStreamInflater : public StreamInflater
{
public:
    enum class Error {
        None,
        CorruptStream, ///< zstd rejected the data (bad magic, bad block, bad checksum)
        PayloadTooLarge, ///< a payload (or one message) decompressed beyond maxPayloadBytes()
        StreamEnded, ///< the server ended the zstd frame, which zstd-stream never does
        Unsupported, ///< this build has no zstd-stream support
    };

    explicit ZstdStreamInflater(qsizetype maxPayloadBytes = DefaultMaxPayloadBytes);
    ~ZstdStreamInflater() override;

    /// False when Gatescope was built without zstd-stream (CMake option GATESCOPE_ZSTD_STREAM).
    static bool isSupported();

    void reset() override;
    Result feed(QByteArrayView message, QByteArrayView *payload) override;
    Result nextPayload(QByteArrayView *payload) override;

    Error error() const;
    QString errorString() const override;
    qsizetype maxPayloadBytes() const override;
    void setMaxPayloadBytes(qsizetype bytes) override;
    /// Decompressed bytes of an unfinished payload, kept for the next message.
    qsizetype pendingBytes() const;
    /// Size of the reused output buffer, padding included (tests check that it is kept).
    qsizetype outputBufferBytes() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Gatescope
