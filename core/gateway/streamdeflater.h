#pragma once

#include "core/gateway/gatewaytypes.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace Gatescope {

/// The server side of a transport compression (zlib-stream or zstd-stream): one compressed
/// stream per connection, flushed after every payload and never finished. Used by the emulator
/// and by tests and benchmarks that need real compressed fixtures. Not thread-safe.
class StreamDeflater
{
public:
    virtual ~StreamDeflater() = default;
    /// Compresses one payload and flushes, so the client can decompress it whole.
    virtual QByteArray compress(QByteArrayView payload) = 0;
    /// Starts a new stream (a new connection).
    virtual void reset() = 0;

    /// The deflater for @p compression (nullptr for Compression::None, and for zstd-stream in a
    /// build without it); @p zlibLevel 1–9 applies to zlib-stream.
    static std::unique_ptr<StreamDeflater> create(Compression compression, int zlibLevel = 6);

protected:
    StreamDeflater() = default;
    StreamDeflater(const StreamDeflater &) = delete;
    StreamDeflater &operator=(const StreamDeflater &) = delete;
};

} // namespace Gatescope
