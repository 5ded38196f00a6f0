#include "messagepayloads.h"

QList<QByteArray> makeMessageCreatePayloads(int count)
{
    const char *words[]
            = {"deploy", "looks", "good", "to",    "me",     "the", "bot", "restarted", "again",
               "anyone", "seen",  "this", "error", "before", "🎉",   "ok",  "thanks",    "lol"};
    QList<QByteArray> payloads;
    payloads.reserve(count);
    for (int i = 0; i < count; ++i) {
        QByteArray content;
        for (int w = 0; w < 3 + i % 5; ++w)
            content += QByteArray(words[(i * 7 + w * 3) % 18]) + ' ';
        const QByteArray id = QByteArray::number(1180000000000000000ULL + quint64(i) * 4194304ULL);
        payloads.append(
                R"({"t":"MESSAGE_CREATE","s":)" + QByteArray::number(i + 2)
                + R"(,"op":0,"d":{"id":")" + id + R"(","channel_id":"1180000000000000)"
                + QByteArray::number(i % 5)
                + R"(","guild_id":"1170000000000000001","author":{"id":"11600000000000)"
                + QByteArray::number(1000 + i % 50) + R"(","username":"user)"
                + QByteArray::number(i % 50) + R"("},"content":")" + content.trimmed()
                + R"(","timestamp":"2026-11-27T12:00:00.000000+00:00","mentions":[],"attachments":[],"type":0}})");
    }
    return payloads;
}
