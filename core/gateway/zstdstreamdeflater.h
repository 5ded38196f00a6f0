#pragma once

#include "core/gateway/streamdeflater.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

namespace Gatescope {

/// The server side of `compress=zstd-stream`: one zstd compression context (`ZSTD_CCtx`) per
/// connection; every payload is flushed with `ZSTD_e_flush` and the frame is never ended, so the
/// first message starts with the magic `28 B5 2F FD` and each one decompresses to its payload.
/// Used by the emulator and by tests that need real compressed fixtures. In a build without
/// zstd-stream, compress() returns nothing. Not thread-safe.
class ZstdStreamDeflater : public StreamDeflater
{
public:
    /// zstd's level (3 is zstd's default).
    explicit ZstdStreamDeflater(int level = 3);
    ~ZstdStreamDeflater() override;

    QByteArray compress(QByteArrayView payload) override;
    void reset() override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Gatescope
