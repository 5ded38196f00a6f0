#include "core/gateway/zstdstreaminflater.h"

#include "core/logging.h"

#include <QByteArray>

#ifdef GATESCOPE_ZSTD_STREAM
#include <zstd.h>
#endif

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {
constexpr qsizetype InitialOutputBytes = 64 * 1024;
// A buffer grown past this by one large payload (GUILD_CREATE) is not kept for the small ones.
constexpr qsizetype KeptOutputBytes = 1024 * 1024;

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}
} // namespace

struct ZstdStreamInflater::Private
{
#ifdef GATESCOPE_ZSTD_STREAM
    ZSTD_DCtx *context = nullptr;
#endif
    qsizetype maxPayloadBytes = DefaultMaxPayloadBytes;
    /// Decompressed bytes; [handedOut, produced) is not handed out yet, OutputPadding bytes
    /// stay readable after `produced`.
    QByteArray output;
    qsizetype produced = 0;
    qsizetype handedOut = 0;

    // Where the payload being cut ends: a scan of its JSON structure that survives messages.
    qsizetype payloadStart = -1; ///< -1 between payloads
    qsizetype scanned = 0; ///< the next byte to look at
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    bool opaque = false; ///< the payload is not an object or array: it ends with the message

    Error error = Error::None;
    QString errorString;

    ~Private()
    {
#ifdef GATESCOPE_ZSTD_STREAM
        ZSTD_freeDCtx(context);
#endif
    }

    void clear()
    {
        produced = handedOut = scanned = 0;
        payloadStart = -1;
        depth = 0;
        inString = escaped = opaque = false;
        error = Error::None;
        errorString.clear();
    }

    Result fail(Error kind, QString message)
    {
        error = kind;
        errorString = std::move(message);
        qCWarning(lcZstd) << "zstd-stream error:" << errorString;
        return Result::Error;
    }

    /// Moves the unfinished payload to the buffer's start (views handed out die here), and
    /// gives a buffer grown by one large payload back.
    void compact()
    {
        const qsizetype kept = produced - handedOut;
        if (output.size() < InitialOutputBytes
            || (output.size() > KeptOutputBytes && kept + OutputPadding <= InitialOutputBytes)) {
            QByteArray fresh(InitialOutputBytes, Qt::Uninitialized);
            std::memcpy(fresh.data(), output.constData() + handedOut, std::size_t(kept));
            output = std::move(fresh);
        } else if (handedOut > 0) {
            std::memmove(output.data(), output.constData() + handedOut, std::size_t(kept));
        }
        if (payloadStart >= 0)
            payloadStart -= handedOut;
        scanned -= handedOut;
        produced = kept;
        handedOut = 0;
    }

    /// Room for the next decompression call, growing the buffer (at most to just past the cap).
    qsizetype roomAfterProduced()
    {
        if (output.size() - OutputPadding - produced == 0) {
            const qsizetype cap = maxPayloadBytes + 1 + OutputPadding;
            output.resize(qMax(output.size() + 1, qMin(output.size() * 2, cap)));
        }
        return output.size() - OutputPadding - produced;
    }

    Result decompress(QByteArrayView message);
    bool scanToPayloadEnd(qsizetype *end);
    Result next(QByteArrayView *payload);
};

#ifdef GATESCOPE_ZSTD_STREAM
ZstdStreamInflater::Result ZstdStreamInflater::Private::decompress(QByteArrayView message)
{
    if (!context && !(context = ZSTD_createDCtx()))
        return fail(Error::CorruptStream, u"zstd could not create a decompression context"_s);
    ZSTD_inBuffer input{message.data(), std::size_t(message.size()), 0};
    // The protocol's rule: decompress until all input is taken and the output was not filled.
    for (;;) {
        const qsizetype room = roomAfterProduced();
        ZSTD_outBuffer out{output.data() + produced, std::size_t(room), 0};
        const std::size_t rc = ZSTD_decompressStream(context, &out, &input);
        produced += qsizetype(out.pos);
        if (ZSTD_isError(rc)) {
            return fail(Error::CorruptStream, u"corrupt zstd stream: %1"_s.arg(
                                                      QString::fromLatin1(ZSTD_getErrorName(rc))));
        }
        if (produced > maxPayloadBytes) {
            return fail(Error::PayloadTooLarge,
                        u"a payload decompressed beyond the %1 MiB limit"_s.arg(maxPayloadBytes
                                                                                / (1024 * 1024)));
        }
        if (rc == 0) {
            return fail(Error::StreamEnded,
                        u"the server ended the zstd frame, which zstd-stream never does"_s);
        }
        if (input.pos == input.size && out.pos < out.size)
            break;
    }
    std::fill_n(output.data() + produced, OutputPadding, '\0');
    return Result::NeedMoreData;
}
#else
ZstdStreamInflater::Result ZstdStreamInflater::Private::decompress(QByteArrayView)
{
    return fail(Error::Unsupported, u"built without zstd-stream support"_s);
}
#endif

/// Advances the structural scan of the current payload; true with @p end once it closed.
bool ZstdStreamInflater::Private::scanToPayloadEnd(qsizetype *end)
{
    const char *bytes = output.constData();
    qsizetype i = scanned;
    for (; i < produced; ++i) {
        const char c = bytes[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            scanned = i + 1;
            *end = i + 1;
            return true;
        }
    }
    scanned = i;
    return false;
}

ZstdStreamInflater::Result ZstdStreamInflater::Private::next(QByteArrayView *payload)
{
    if (payloadStart < 0) {
        while (scanned < produced && isJsonSpace(output.at(scanned)))
            ++scanned;
        handedOut = scanned; // whitespace between payloads is nobody's
        if (scanned == produced)
            return Result::NeedMoreData;
        payloadStart = scanned;
        const char first = output.at(scanned);
        opaque = first != '{' && first != '[';
        depth = 0;
        inString = escaped = false;
    }
    qsizetype end = produced;
    if (!opaque && !scanToPayloadEnd(&end))
        return Result::NeedMoreData;
    *payload = QByteArrayView(output.constData() + payloadStart, end - payloadStart);
    handedOut = scanned = end;
    payloadStart = -1;
    return Result::PayloadReady;
}

ZstdStreamInflater::ZstdStreamInflater(qsizetype maxPayloadBytes)
    : d(std::make_unique<Private>())
{
    d->maxPayloadBytes = maxPayloadBytes;
}

ZstdStreamInflater::~ZstdStreamInflater() = default;

bool ZstdStreamInflater::isSupported()
{
#ifdef GATESCOPE_ZSTD_STREAM
    return true;
#else
    return false;
#endif
}

void ZstdStreamInflater::reset()
{
#ifdef GATESCOPE_ZSTD_STREAM
    if (d->context)
        ZSTD_DCtx_reset(d->context, ZSTD_reset_session_only);
#endif
    d->clear();
}

ZstdStreamInflater::Result ZstdStreamInflater::feed(QByteArrayView message, QByteArrayView *payload)
{
    if (d->error != Error::None)
        return Result::Error;
    d->compact();
    if (d->decompress(message) == Result::Error)
        return Result::Error;
    return d->next(payload);
}

ZstdStreamInflater::Result ZstdStreamInflater::nextPayload(QByteArrayView *payload)
{
    if (d->error != Error::None)
        return Result::Error;
    return d->next(payload);
}

ZstdStreamInflater::Error ZstdStreamInflater::error() const
{
    return d->error;
}

QString ZstdStreamInflater::errorString() const
{
    return d->errorString;
}

qsizetype ZstdStreamInflater::maxPayloadBytes() const
{
    return d->maxPayloadBytes;
}

void ZstdStreamInflater::setMaxPayloadBytes(qsizetype bytes)
{
    d->maxPayloadBytes = bytes;
}

qsizetype ZstdStreamInflater::pendingBytes() const
{
    return d->payloadStart < 0 ? 0 : d->produced - d->payloadStart;
}

qsizetype ZstdStreamInflater::outputBufferBytes() const
{
    return d->output.size();
}

} // namespace Gatescope
