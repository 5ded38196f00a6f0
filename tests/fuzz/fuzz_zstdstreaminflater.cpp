// Fuzz target: ZstdStreamInflater, the zstd-stream transport decoder. zstd marks no payload
// boundary, so the inflater cuts payloads by their JSON structure and a message may complete
// several of them (nextPayload()); streaminflaterfuzz.h's one-payload-per-message checks do not
// fit, hence this target's own.
//
// The first input byte picks a mode:
// - even: the rest is a hostile zstd stream cut into messages at points the input chooses. Nothing
//   may crash, no payload may pass the cap, the padding after a payload is readable, and after an
//   error the inflater keeps refusing until reset().
// - odd: the rest is payload bytes (separated by NUL), each wrapped as a JSON object holding its
//   base64 text, compressed by ZstdStreamDeflater as the emulator does and cut into pieces. With
//   no flipped byte, every payload under the cap comes out exactly as it went in, in order.
#include "core/gateway/zstdstreamdeflater.h"
#include "core/gateway/zstdstreaminflater.h"
#include "fuzzinput.h"

#include <cstdlib>

using namespace Gatescope;

namespace {

constexpr qsizetype FuzzPayloadCap = 1024;

void check(bool condition)
{
    if (!condition)
        abort();
}

/// Feeds one message and collects every payload it completed.
StreamInflater::Result feedAll(ZstdStreamInflater &inflater, const QByteArray &message,
                               QList<QByteArray> *payloads)
{
    QByteArrayView view;
    StreamInflater::Result result = inflater.feed(QByteArrayView(message), &view);
    while (result == StreamInflater::Result::PayloadReady) {
        check(view.size() <= FuzzPayloadCap);
        // The padding promised to simdjson is readable (ASan reports it if it is not).
        volatile char last = view.data()[view.size() + StreamInflater::OutputPadding - 1];
        (void)last;
        payloads->append(view.toByteArray());
        result = inflater.nextPayload(&view);
    }
    if (result == StreamInflater::Result::Error) {
        check(inflater.error() != ZstdStreamInflater::Error::None);
        check(!inflater.errorString().isEmpty());
    }
    return result;
}

void fuzzRawStream(Fuzz::FuzzInput &input)
{
    ZstdStreamInflater inflater(FuzzPayloadCap);
    const QByteArray splitPlan = input.take(input.byte());
    Fuzz::FuzzInput splits(reinterpret_cast<const uint8_t *>(splitPlan.constData()),
                           size_t(splitPlan.size()));
    bool failed = false;
    for (const QByteArray &message : Fuzz::splitLikeANetwork(input.rest(), splits)) {
        QList<QByteArray> payloads;
        const StreamInflater::Result result = feedAll(inflater, message, &payloads);
        if (failed)
            check(result == StreamInflater::Result::Error && payloads.isEmpty());
        failed = failed || result == StreamInflater::Result::Error;
    }
}

void fuzzCompressedPayloads(Fuzz::FuzzInput &input)
{
    const quint8 flipAt = input.byte(); // 0: no corruption
    const QByteArray splitPlan = input.take(input.byte());
    QList<QByteArray> payloads;
    for (const QByteArray &bytes : input.rest().split('\0'))
        payloads.append("{\"d\":\"" + bytes.toBase64() + "\"}");

    ZstdStreamDeflater deflater;
    QByteArray stream;
    QList<qsizetype> payloadEnds;
    for (const QByteArray &payload : payloads) {
        stream += deflater.compress(payload);
        payloadEnds.append(stream.size());
    }
    if (flipAt != 0 && !stream.isEmpty())
        stream[flipAt % stream.size()] = char(stream[flipAt % stream.size()] ^ 0x5A);

    ZstdStreamInflater inflater(FuzzPayloadCap);
    Fuzz::FuzzInput splits(reinterpret_cast<const uint8_t *>(splitPlan.constData()),
                           size_t(splitPlan.size()));
    QList<QByteArray> received;
    bool failed = false;
    // Cut every payload's frame into pieces; a message never spans two payloads (as on the wire),
    // so the cap on one message's output is only ever passed by a payload over it (a bomb).
    qsizetype start = 0;
    for (const qsizetype end : std::as_const(payloadEnds)) {
        const QByteArray frame = stream.mid(start, end - start);
        start = end;
        for (const QByteArray &piece : Fuzz::splitLikeANetwork(frame, splits)) {
            if (feedAll(inflater, piece, &received) == StreamInflater::Result::Error)
                failed = true;
        }
    }
    if (flipAt != 0 || failed) {
        // After corruption only "no crash" is promised; without it, only a bomb may fail.
        if (flipAt == 0) {
            bool anyBomb = false;
            for (const QByteArray &payload : payloads)
                anyBomb = anyBomb || payload.size() > FuzzPayloadCap;
            check(anyBomb);
        }
        return;
    }
    check(received == payloads);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ZstdStreamInflater::isSupported())
        return 0;
    Fuzz::FuzzInput input(data, size);
    if (input.byte() % 2 == 0)
        fuzzRawStream(input);
    else
        fuzzCompressedPayloads(input);
    return 0;
}
