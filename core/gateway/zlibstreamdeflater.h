#pragma once

#include "core/gateway/streamdeflater.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace Gatescope {

/// The server side of `compress=zlib-stream`: one deflate stream per connection, and every
/// payload ends with Z_SYNC_FLUSH (so with `00 00 FF FF`). The stream is never finished.
/// Used by the emulator and by tests that need real compressed fixtures.
class ZlibStreamDeflater : public StreamDeflater
{
public:
    /// @p level 6 (zlib's default) writes the header `78 9C`, level 9 writes `78 DA`.
    explicit ZlibStreamDeflater(int level = 6);
    ~ZlibStreamDeflater() override;

    /// Compresses one payload and flushes; the result ends with `00 00 FF FF`.
    QByteArray compress(QByteArrayView payload) override;
    /// Starts a new stream (a new connection).
    void reset() override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Gatescope
