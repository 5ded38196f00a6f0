#pragma once

// The fuzz logic shared by the transport-compression inflaters (zlib-stream, zstd-stream): each
// target is then one short file, e.g.
//
//     extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
//     {
//         return Gatescope::Fuzz::fuzzStreamInflater<ZlibStreamInflater, ZlibStreamDeflater>(data,
//         size);
//     }
//
// Inflater needs ZlibStreamInflater's interface: a constructor taking the payload cap, both
// feed() overloads, Result (NeedMoreData, PayloadReady, Error), error() with Error::None,
// errorString() and OutputPadding. Compressor needs `QByteArray compress(QByteArrayView)` that
// returns one whole flushed frame per payload.
//
// The first input byte picks a mode:
// - even: the rest is a compressed stream as a hostile server would send it (raw bytes, cut into
//   messages at points the input chooses). Nothing may crash, and after an error the inflater
//   must keep refusing until reset().
// - odd: the rest is plain payloads (separated by NUL), compressed with Compressor as the
//   emulator does, cut at points the input chooses, with one byte optionally flipped and a small
//   payload cap (so large payloads act as bombs). Without a flip, every payload under the cap must
//   come out exactly as it went in, through both feed() overloads alike.
#include "fuzzinput.h"

#include <cstdlib>

namespace Gatescope::Fuzz {

// Small, so a fuzz input (4 KiB by default) can hold a payload past it: a decompression bomb.
constexpr qsizetype FuzzPayloadCap = 1024;

inline void check(bool condition)
{
    if (!condition)
        abort();
}

/// Feeds @p message through both overloads of two inflaters kept in step; they must agree.
template<typename Inflater>
typename Inflater::Result feedBoth(Inflater &copying, Inflater &viewing, const QByteArray &message,
                                   QByteArray *payload)
{
    const typename Inflater::Result a = copying.feed(QByteArrayView(message), payload);
    QByteArrayView view;
    const typename Inflater::Result b = viewing.feed(QByteArrayView(message), &view);
    check(a == b);
    if (a == Inflater::Result::PayloadReady) {
        check(view == QByteArrayView(*payload));
        // The padding promised to simdjson is readable (ASan reports it if it is not).
        volatile char last = view.data()[view.size() + Inflater::OutputPadding - 1];
        (void)last;
    }
    check(copying.error() == viewing.error());
    return a;
}

template<typename Inflater>
void fuzzRawStream(FuzzInput &input)
{
    Inflater copying(FuzzPayloadCap);
    Inflater viewing(FuzzPayloadCap);
    const QByteArray splitPlan = input.take(input.byte());
    FuzzInput splits(reinterpret_cast<const uint8_t *>(splitPlan.constData()),
                     size_t(splitPlan.size()));
    const QByteArray stream = input.rest();
    bool failed = false;
    for (const QByteArray &message : splitLikeANetwork(stream, splits)) {
        QByteArray payload;
        const typename Inflater::Result result = feedBoth(copying, viewing, message, &payload);
        if (failed)
            check(result == Inflater::Result::Error);
        if (result == Inflater::Result::Error) {
            check(copying.error() != Inflater::Error::None);
            check(!copying.errorString().isEmpty());
            failed = true;
        } else {
            check(payload.size() <= FuzzPayloadCap);
        }
    }
}

template<typename Inflater, typename Compressor>
void fuzzCompressedPayloads(FuzzInput &input)
{
    const quint8 flipAt = input.byte(); // 0: no corruption
    const QByteArray splitPlan = input.take(input.byte());
    const QList<QByteArray> payloads = input.rest().split('\0');

    Compressor deflater;
    QByteArray stream;
    QList<qsizetype> payloadEnds;
    for (const QByteArray &payload : payloads) {
        stream += deflater.compress(payload);
        payloadEnds.append(stream.size());
    }
    if (flipAt != 0 && !stream.isEmpty())
        stream[flipAt % stream.size()] = char(stream[flipAt % stream.size()] ^ 0x5A);

    Inflater copying(FuzzPayloadCap);
    Inflater viewing(FuzzPayloadCap);
    // Cut every payload's frame into pieces; a message never spans two payloads (as on the wire).
    FuzzInput splits(reinterpret_cast<const uint8_t *>(splitPlan.constData()),
                     size_t(splitPlan.size()));
    qsizetype start = 0;
    bool failed = false;
    for (qsizetype i = 0; i < payloads.size(); ++i) {
        const QByteArray frame = stream.mid(start, payloadEnds[i] - start);
        start = payloadEnds[i];
        const QList<QByteArray> pieces = splitLikeANetwork(frame, splits);
        // A piece that ends in 00 00 FF FF by chance is inflated early (allowed); the payload is
        // then checked no further.
        bool early = false;
        for (qsizetype p = 0; p < pieces.size(); ++p) {
            QByteArray out;
            const typename Inflater::Result result = feedBoth(copying, viewing, pieces[p], &out);
            if (result == Inflater::Result::Error) {
                failed = true;
                continue;
            }
            if (failed || flipAt != 0 || early)
                continue; // after corruption only "no crash" is promised
            if (p != pieces.size() - 1) {
                early = result == Inflater::Result::PayloadReady;
                continue;
            }
            // A payload over the cap (a bomb) is refused above, never handed out.
            check(payloads[i].size() <= FuzzPayloadCap);
            check(result == Inflater::Result::PayloadReady);
            check(out == payloads[i]);
        }
    }
}

template<typename Inflater, typename Compressor>
int fuzzStreamInflater(const uint8_t *data, size_t size)
{
    FuzzInput input(data, size);
    if (input.byte() % 2 == 0)
        fuzzRawStream<Inflater>(input);
    else
        fuzzCompressedPayloads<Inflater, Compressor>(input);
    return 0;
}

} // namespace Gatescope::Fuzz
