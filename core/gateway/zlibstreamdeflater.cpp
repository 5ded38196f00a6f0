#include "core/gateway/zlibstreamdeflater.h"

#include <zlib.h>

namespace Gatescope {

struct ZlibStreamDeflater::Private
{
    z_stream stream{};
    int level = 6;
    bool initialised = false;

    void init()
    {
        end();
        stream = z_stream{};
        initialised = deflateInit(&stream, level) == Z_OK;
        Q_ASSERT(initialised);
    }
    void end()
    {
        if (initialised)
            deflateEnd(&stream);
        initialised = false;
    }
};

ZlibStreamDeflater::ZlibStreamDeflater(int level)
    : d(std::make_unique<Private>())
{
    d->level = level;
    d->init();
}

ZlibStreamDeflater::~ZlibStreamDeflater()
{
    d->end();
}

void ZlibStreamDeflater::reset()
{
    d->init();
}

QByteArray ZlibStreamDeflater::compress(QByteArrayView payload)
{
    QByteArray output;
    output.resize(qsizetype(deflateBound(&d->stream, uLong(payload.size()))) + 64);
    d->stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(payload.data()));
    d->stream.avail_in = uInt(payload.size());
    qsizetype written = 0;
    for (;;) {
        d->stream.next_out = reinterpret_cast<Bytef *>(output.data() + written);
        d->stream.avail_out = uInt(output.size() - written);
        deflate(&d->stream, Z_SYNC_FLUSH);
        written = output.size() - qsizetype(d->stream.avail_out);
        // Z_SYNC_FLUSH is complete when deflate leaves output room unused.
        if (d->stream.avail_out != 0)
            break;
        output.resize(output.size() * 2);
    }
    output.resize(written);
    return output;
}

} // namespace Gatescope
