#include "core/gateway/zlibstreaminflater.h"

#include "core/logging.h"

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {
constexpr char FlushMarker[] = {'\x00', '\x00', '\xff', '\xff'};
constexpr qsizetype InflateChunk = 64 * 1024;
} // namespace

struct ZlibStreamInflater::Private
{
    z_stream stream{};
    bool initialised = false;
    qsizetype maxPayloadBytes = DefaultMaxPayloadBytes;
    QByteArray pending;
    Error error = Error::None;
    QString errorString;

    void init()
    {
        end();
        stream = z_stream{};
        // windowBits 15 = zlib (RFC 1950) wrapper, which is what Discord sends; inflate() itself
        // validates whichever header (78 01/5E/9C/DA) the server used.
        initialised = inflateInit2(&stream, 15) == Z_OK;
        pending.clear();
        error = initialised ? Error::None : Error::CorruptStream;
        errorString = initialised ? QString() : u"zlib could not initialise an inflate stream"_s;
    }

    void end()
    {
        if (initialised)
            inflateEnd(&stream);
        initialised = false;
    }

    Result fail(Error kind, QString message)
    {
        error = kind;
        errorString = std::move(message);
        pending.clear();
        qCWarning(lcZlib) << "zlib-stream error:" << errorString;
        return Result::Error;
    }
};

ZlibStreamInflater::ZlibStreamInflater(qsizetype maxPayloadBytes)
    : d(std::make_unique<Private>())
{
    d->maxPayloadBytes = maxPayloadBytes;
    d->init();
}

ZlibStreamInflater::~ZlibStreamInflater()
{
    d->end();
}

void ZlibStreamInflater::reset()
{
    d->init();
}

bool ZlibStreamInflater::endsWithFlushMarker(QByteArrayView data)
{
    return data.endsWith(QByteArrayView(FlushMarker, sizeof FlushMarker));
}

ZlibStreamInflater::Result ZlibStreamInflater::feed(QByteArrayView message, QByteArray *payload)
{
    if (d->error != Error::None)
        return Result::Error;

    d->pending.append(message.data(), message.size());
    if (!endsWithFlushMarker(d->pending)) {
        // Compressed data is never larger than what it inflates to by much; a buffer past the
        // payload cap without a marker can only be garbage or an attack.
        if (d->pending.size() > d->maxPayloadBytes) {
            return d->fail(Error::BufferTooLarge,
                           u"%1 compressed bytes arrived without a zlib flush marker"_s.arg(
                                   d->pending.size()));
        }
        return Result::NeedMoreData;
    }

    QByteArray output;
    d->stream.next_in = reinterpret_cast<Bytef *>(d->pending.data());
    d->stream.avail_in = uInt(d->pending.size());
    do {
        const qsizetype offset = output.size();
        output.resize(offset + InflateChunk);
        d->stream.next_out = reinterpret_cast<Bytef *>(output.data() + offset);
        d->stream.avail_out = uInt(InflateChunk);
        const int rc = inflate(&d->stream, Z_SYNC_FLUSH);
        output.resize(output.size() - qsizetype(d->stream.avail_out));
        if (rc == Z_STREAM_END) {
            return d->fail(Error::StreamEnded,
                           u"the server ended the zlib stream, which zlib-stream never does"_s);
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            const QString reason = d->stream.msg ? QString::fromLatin1(d->stream.msg)
                                                 : u"zlib error %1"_s.arg(rc);
            return d->fail(Error::CorruptStream, u"corrupt zlib stream: %1"_s.arg(reason));
        }
        if (output.size() > d->maxPayloadBytes) {
            return d->fail(Error::PayloadTooLarge,
                           u"a payload inflated beyond the %1 MiB limit"_s.arg(d->maxPayloadBytes
                                                                               / (1024 * 1024)));
        }
        if (rc == Z_BUF_ERROR && d->stream.avail_out != 0)
            break; // no progress possible: all input consumed
    } while (d->stream.avail_in > 0 || d->stream.avail_out == 0);

    d->pending.clear();
    *payload = std::move(output);
    return Result::PayloadReady;
}

ZlibStreamInflater::Error ZlibStreamInflater::error() const
{
    return d->error;
}

QString ZlibStreamInflater::errorString() const
{
    return d->errorString;
}

qsizetype ZlibStreamInflater::maxPayloadBytes() const
{
    return d->maxPayloadBytes;
}

void ZlibStreamInflater::setMaxPayloadBytes(qsizetype bytes)
{
    d->maxPayloadBytes = bytes;
}

qsizetype ZlibStreamInflater::pendingBytes() const
{
    return d->pending.size();
}

} // namespace Gatescope
