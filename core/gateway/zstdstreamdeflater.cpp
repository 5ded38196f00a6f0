#include "core/gateway/zstdstreamdeflater.h"

#ifdef GATESCOPE_ZSTD_STREAM
#include <zstd.h>
#endif

namespace Gatescope {

struct ZstdStreamDeflater::Private
{
    int level = 3;
#ifdef GATESCOPE_ZSTD_STREAM
    ZSTD_CCtx *context = nullptr;

    ~Private()
    {
        ZSTD_freeCCtx(context);
    }
#endif
};

ZstdStreamDeflater::ZstdStreamDeflater(int level)
    : d(std::make_unique<Private>())
{
    d->level = level;
#ifdef GATESCOPE_ZSTD_STREAM
    d->context = ZSTD_createCCtx();
    Q_ASSERT(d->context);
    ZSTD_CCtx_setParameter(d->context, ZSTD_c_compressionLevel, level);
#endif
}

ZstdStreamDeflater::~ZstdStreamDeflater() = default;

void ZstdStreamDeflater::reset()
{
#ifdef GATESCOPE_ZSTD_STREAM
    // Parameters (the level) survive a session reset.
    ZSTD_CCtx_reset(d->context, ZSTD_reset_session_only);
#endif
}

QByteArray ZstdStreamDeflater::compress(QByteArrayView payload)
{
    QByteArray output;
#ifdef GATESCOPE_ZSTD_STREAM
    output.resize(qsizetype(ZSTD_compressBound(std::size_t(payload.size()))) + 64);
    ZSTD_inBuffer input{payload.data(), std::size_t(payload.size()), 0};
    qsizetype written = 0;
    for (;;) {
        ZSTD_outBuffer out{output.data() + written, std::size_t(output.size() - written), 0};
        const std::size_t remaining = ZSTD_compressStream2(d->context, &out, &input, ZSTD_e_flush);
        written += qsizetype(out.pos);
        Q_ASSERT(!ZSTD_isError(remaining));
        // ZSTD_e_flush is complete when nothing is left to flush.
        if (remaining == 0 || ZSTD_isError(remaining))
            break;
        output.resize(output.size() * 2);
    }
    output.resize(written);
#else
    Q_UNUSED(payload);
#endif
    return output;
}

} // namespace Gatescope
