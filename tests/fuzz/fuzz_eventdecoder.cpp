// Fuzz target: EventDecoder, the payload and message decoder (a differential fuzz).
//
// Every input is decoded by decode() (simdjson, one pass) and by decodeWithJsonTree() (the
// QJsonDocument + MessageParser reference). Neither may crash. When both accept the payload, they
// must agree on the envelope and on every decoded value of the event: Message fields, the fields an
// update carried, deleted ids. (The documented differences, invalid UTF-8 repaired and deep nesting
// refused by decode(), make one of the two refuse the input, so they are never compared.)
// decodePadded() must give what decode() gives.
#include "core/gateway/eventdecoder.h"
#include "core/store/stringinterner.h"
#include "fuzzinput.h"

#include <cstdio>
#include <cstdlib>

using namespace Gatescope;

namespace {

[[noreturn]] void disagree(const char *what, const QByteArray &payload)
{
    fprintf(stderr, "the decoders disagree on %s for: %s\n", what, payload.left(500).constData());
    abort();
}

template<typename T>
void same(const char *what, const T &a, const T &b, const QByteArray &payload)
{
    if (!(a == b))
        disagree(what, payload);
}

void sameMessage(const Message &a, const Message &b, const QByteArray &payload)
{
    same("id", a.id, b.id, payload);
    same("channelId", a.channelId, b.channelId, payload);
    same("guildId", a.guildId, b.guildId, payload);
    same("authorId", a.authorId, b.authorId, payload);
    same("webhookId", a.webhookId, b.webhookId, payload);
    same("replyToId", a.replyToId, b.replyToId, payload);
    same("timestampMs", a.timestampMs, b.timestampMs, payload);
    same("editedAtMs", a.editedAtMs, b.editedAtMs, payload);
    same("authorName", a.authorName, b.authorName, payload);
    same("authorGlobalName", a.authorGlobalName, b.authorGlobalName, payload);
    same("content", a.content, b.content, payload);
    same("searchKey", a.searchKey, b.searchKey, payload);
    same("searchKey null", a.searchKey.isNull(), b.searchKey.isNull(), payload);
    same("attachments", a.attachments.size(), b.attachments.size(), payload);
    for (qsizetype i = 0; i < a.attachments.size(); ++i) {
        same("attachment filename", a.attachments[i].filename, b.attachments[i].filename, payload);
        same("attachment size", a.attachments[i].size, b.attachments[i].size, payload);
        same("attachment url", a.attachments[i].url, b.attachments[i].url, payload);
    }
    same("mentionIds", a.mentionIds, b.mentionIds, payload);
    same("messageFlags", a.messageFlags, b.messageFlags, payload);
    same("embedCount", a.embedCount, b.embedCount, payload);
    same("embedTitles", a.embedTitles, b.embedTitles, payload);
    same("stickerNames", a.stickerNames, b.stickerNames, payload);
    same("type", a.type, b.type, payload);
    same("flags", a.flags, b.flags, payload);
}

void sameResult(const EventDecoder::Result &a, const EventDecoder::Result &b,
                const QByteArray &payload)
{
    same("op", a.op, b.op, payload);
    same("s", a.s, b.s, payload);
    same("t", a.t, b.t, payload);
    same("d", a.d(), b.d(), payload);
    const GatewayEvent &x = a.event;
    const GatewayEvent &y = b.event;
    same("event kind", x.kind, y.kind, payload);
    same("event type", x.type, y.type, payload);
    same("event seq", x.seq, y.seq, payload);
    same("deletedIds", x.deletedIds, y.deletedIds, payload);
    same("event channelId", x.channelId, y.channelId, payload);
    same("event guildId", x.guildId, y.guildId, payload);
    same("event error", x.error, y.error, payload);
    sameMessage(x.message, y.message, payload);
    same("update present", bool(x.update), bool(y.update), payload);
    if (x.update && y.update) {
        same("update fields", x.update->fields, y.update->fields, payload);
        sameMessage(x.update->values, y.update->values, payload);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // One decoder for the whole run, as a client keeps one: state left by an input must not
    // change the next one's result.
    static StringInterner interner;
    static EventDecoder decoder(&interner);
    if (interner.size() > 100000)
        interner.clear(); // a long run would otherwise keep every random author name
    const QByteArray payload(reinterpret_cast<const char *>(data), qsizetype(size));

    const EventDecoder::Result fast = decoder.decode(payload);
    const EventDecoder::Result tree = decoder.decodeWithJsonTree(payload);
    if (fast.ok() && tree.ok())
        sameResult(fast, tree, payload);

    QByteArray padded = payload;
    padded.append(EventDecoder::PaddingBytes, '\0');
    const EventDecoder::Result inPlace
            = decoder.decodePadded(QByteArrayView(padded.constData(), payload.size()));
    same("decodePadded error", inPlace.error.kind, fast.error.kind, payload);
    if (fast.ok())
        sameResult(inPlace, fast, payload);
    return 0;
}
