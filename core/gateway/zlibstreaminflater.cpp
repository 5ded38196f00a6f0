#include "core/gateway/zlibstreaminflater.h"

#include "core/logging.h"

#include <zlib.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {
constexpr char FlushMarker[] = {'\x00', '\x00', '\xff', '\xff'};
constexpr qsizetype InitialOutputBytes = 64 * 1024;
// A buffer grown past this by one large payload (GUILD_CREATE) is not kept for the small ones.
constexpr qsizetype KeptOutputBytes = 1024 * 1024;
} // namespace

struct ZlibStreamInflater::Private
{
    z_stream stream{};
    bool initialised = false;
    qsizetype maxPayloadBytes = DefaultMaxPayloadBytes;
    QByteArray pending;
    /// The reused output buffer; a payload fills its start, OutputPadding bytes stay after it.
    QByteArray output;
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

    void prepareOutput()
    {
        if (output.size() < InitialOutputBytes || output.size() > KeptOutputBytes)
            output = QByteArray(InitialOutputBytes, Qt::Uninitialized);
    }

    /// Room for the next inflate() call, growing the buffer (at most to just past the cap).
    qsizetype roomAfter(qsizetype produced)
    {
        if (output.size() - OutputPadding - produced == 0) {
            const qsizetype cap = maxPayloadBytes + 1 + OutputPadding;
            output.resize(qMax(output.size() + 1, qMin(output.size() * 2, cap)));
        }
        return output.size() - OutputPadding - produced;
    }

    Result inflateAll(QByteArrayView input, QByteArrayView *payload);
};

ZlibStreamInflater::Result ZlibStreamInflater::Private::inflateAll(QByteArrayView input,
                                                                   QByteArrayView *payload)
{
    prepareOutput();
    qsizetype produced = 0;
    // zlib takes no const input, but inflate() never writes through next_in.
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.data()));
    stream.avail_in = uInt(input.size());
    do {
        const uInt room = uInt(qMin<qsizetype>(roomAfter(produced), 1 << 30));
        stream.next_out = reinterpret_cast<Bytef *>(output.data() + produced);
        stream.avail_out = room;
        const int rc = inflate(&stream, Z_SYNC_FLUSH);
        produced += qsizetype(room - stream.avail_out);
        if (rc == Z_STREAM_END) {
            return fail(Error::StreamEnded,
                        u"the server ended the zlib stream, which zlib-stream never does"_s);
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            const QString reason
                    = stream.msg ? QString::fromLatin1(stream.msg) : u"zlib error %1"_s.arg(rc);
            return fail(Error::CorruptStream, u"corrupt zlib stream: %1"_s.arg(reason));
        }
        if (produced > maxPayloadBytes) {
            return fail(Error::PayloadTooLarge, u"a payload inflated beyond the %1 MiB limit"_s.arg(
                                                        maxPayloadBytes / (1024 * 1024)));
        }
        if (rc == Z_BUF_ERROR && stream.avail_out != 0)
            break; // no progress possible: all input consumed
    } while (stream.avail_in > 0 || stream.avail_out == 0);

    pending.resize(0); // keeps its capacity for the next split payload
    std::fill_n(output.data() + produced, OutputPadding, '\0');
    *payload = QByteArrayView(output.constData(), produced);
    return Result::PayloadReady;
}

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
    QByteArrayView view;
    const Result result = feed(message, &view);
    if (result == Result::PayloadReady)
        *payload = view.toByteArray();
    return result;
}

ZlibStreamInflater::Result ZlibStreamInflater::feed(QByteArrayView message, QByteArrayView *payload)
{
    if (d->error != Error::None)
        return Result::Error;

    // The usual case, one whole payload per message, is inflated from the message itself.
    if (d->pending.isEmpty() && endsWithFlushMarker(message))
        return d->inflateAll(message, payload);

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
    return d->inflateAll(d->pending, payload);
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

qsizetype ZlibStreamInflater::outputBufferBytes() const
{
    return d->output.size();
}

} // namespace Gatescope
