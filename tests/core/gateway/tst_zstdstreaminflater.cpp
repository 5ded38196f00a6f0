#include "core/gateway/zstdstreaminflater.h"

#include "core/gateway/zstdstreamdeflater.h"

#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

namespace {
using Result = StreamInflater::Result;

QByteArray messagePayload(int i)
{
    // Braces, brackets and escaped quotes inside strings must not end a payload early.
    return "{\"t\":\"MESSAGE_CREATE\",\"s\":"_ba + QByteArray::number(i)
           + ",\"op\":0,\"d\":{\"content\":\"h\\u00e9llo } ] \\\" { [ \\\\\","
             "\"embeds\":[{\"a\":[1,2]}]}}"_ba;
}

/// Feeds @p message and collects every payload it completes (copied).
Result feedAll(ZstdStreamInflater &inflater, QByteArrayView message, QList<QByteArray> *payloads)
{
    QByteArrayView view;
    Result result = inflater.feed(message, &view);
    while (result == Result::PayloadReady) {
        // The decoder reads OutputPadding bytes past the end in place: they must be readable.
        [[maybe_unused]] volatile char last
                = view.data()[view.size() + StreamInflater::OutputPadding - 1];
        payloads->append(view.toByteArray());
        result = inflater.nextPayload(&view);
    }
    return result;
}
} // namespace

class tst_ZstdStreamInflater : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void decompressesConsecutivePayloads_data();
    void decompressesConsecutivePayloads();
    void payloadSplitAtEveryOffset_data();
    void payloadSplitAtEveryOffset();
    void severalPayloadsInOneMessage();
    void zeroPaddingAfterLastPayload();
    void corruptMessageIsAnError_data();
    void corruptMessageIsAnError();
    void truncatedStreamWaitsAndResetRecovers();
    void decompressionBombIsRefused();
    void garbageJsonEndsWithTheMessage();
    void largePayloadGrowsThenShrinksTheBuffer();
};

void tst_ZstdStreamInflater::initTestCase()
{
    if (!ZstdStreamInflater::isSupported())
        QSKIP("built without zstd-stream support");
}

void tst_ZstdStreamInflater::decompressesConsecutivePayloads_data()
{
    QTest::addColumn<int>("level");
    QTest::newRow("level 1") << 1;
    QTest::newRow("level 3 (default)") << 3;
    QTest::newRow("level 19") << 19;
}

void tst_ZstdStreamInflater::decompressesConsecutivePayloads()
{
    QFETCH(int, level);
    ZstdStreamDeflater deflater(level);
    ZstdStreamInflater inflater;
    for (int i = 0; i < 50; ++i) {
        const QByteArray json = messagePayload(i);
        const QByteArray frame = deflater.compress(json);
        if (i == 0)
            QVERIFY(frame.startsWith("\x28\xb5\x2f\xfd"_ba)); // the frame magic, once
        else
            QVERIFY(!frame.startsWith("\x28\xb5\x2f\xfd"_ba));
        QList<QByteArray> out;
        QCOMPARE(feedAll(inflater, frame, &out), Result::NeedMoreData);
        QCOMPARE(out, QList<QByteArray>{json});
        QCOMPARE(inflater.pendingBytes(), 0);
    }
}

void tst_ZstdStreamInflater::payloadSplitAtEveryOffset_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("message") << messagePayload(7);
    QByteArray big = R"({"op":0,"t":"GUILD_CREATE","s":2,"d":{"members":[)"_ba;
    for (int i = 0; i < 400; ++i)
        big += "{\"id\":\"" + QByteArray::number(i * 7919) + "\",\"nick\":\"n{[\\\"]}\"},"_ba;
    big += "{}]}}";
    QTest::newRow("large") << big;
}

void tst_ZstdStreamInflater::payloadSplitAtEveryOffset()
{
    QFETCH(QByteArray, payload);
    ZstdStreamDeflater deflater;
    const QByteArray first = deflater.compress(messagePayload(1));
    const QByteArray frame = deflater.compress(payload);
    const QByteArray after = deflater.compress(messagePayload(3));
    for (qsizetype cut = 1; cut < frame.size(); ++cut) {
        ZstdStreamInflater inflater;
        QList<QByteArray> out;
        QCOMPARE(feedAll(inflater, first, &out), Result::NeedMoreData);
        QCOMPARE(feedAll(inflater, frame.first(cut), &out), Result::NeedMoreData);
        QCOMPARE(out.size(), 1);
        QCOMPARE(feedAll(inflater, frame.sliced(cut), &out), Result::NeedMoreData);
        QCOMPARE(feedAll(inflater, after, &out), Result::NeedMoreData);
        QCOMPARE(out, (QList<QByteArray>{messagePayload(1), payload, messagePayload(3)}));
    }
}

void tst_ZstdStreamInflater::severalPayloadsInOneMessage()
{
    ZstdStreamDeflater deflater;
    QByteArray message;
    QList<QByteArray> expected;
    for (int i = 0; i < 5; ++i) {
        expected.append(messagePayload(i));
        message += deflater.compress(expected.last());
    }
    // ... and a sixth that starts in this message and ends in the next.
    const QByteArray sixth = deflater.compress(messagePayload(5));
    message += sixth.first(sixth.size() / 2);
    ZstdStreamInflater inflater;
    QList<QByteArray> out;
    QCOMPARE(feedAll(inflater, message, &out), Result::NeedMoreData);
    QCOMPARE(out, expected);
    QCOMPARE(feedAll(inflater, sixth.sliced(sixth.size() / 2), &out), Result::NeedMoreData);
    expected.append(messagePayload(5));
    QCOMPARE(out, expected);
}

void tst_ZstdStreamInflater::zeroPaddingAfterLastPayload()
{
    ZstdStreamDeflater deflater;
    ZstdStreamInflater inflater;
    for (int i = 0; i < 3; ++i) {
        QByteArrayView view;
        QCOMPARE(inflater.feed(deflater.compress(messagePayload(i)), &view), Result::PayloadReady);
        QCOMPARE(view, messagePayload(i));
        const QByteArrayView padding(view.data() + view.size(), StreamInflater::OutputPadding);
        QCOMPARE(padding, QByteArray(StreamInflater::OutputPadding, '\0'));
    }
    QCOMPARE(inflater.outputBufferBytes(), 64 * 1024); // one buffer, reused
}

void tst_ZstdStreamInflater::corruptMessageIsAnError_data()
{
    QTest::addColumn<bool>("afterGoodPayload");
    QTest::newRow("first message") << false;
    QTest::newRow("mid-stream") << true;
}

void tst_ZstdStreamInflater::corruptMessageIsAnError()
{
    QFETCH(bool, afterGoodPayload);
    ZstdStreamDeflater deflater;
    ZstdStreamInflater inflater;
    QList<QByteArray> out;
    if (afterGoodPayload)
        QCOMPARE(feedAll(inflater, deflater.compress(messagePayload(1)), &out),
                 Result::NeedMoreData);
    // A block header announcing a reserved block type (3) is invalid in any position.
    const QByteArray garbage
            = afterGoodPayload ? "\x07\x00\x00garbage"_ba : "\x12\x34\x56\x78garbage"_ba;
    QCOMPARE(feedAll(inflater, garbage, &out), Result::Error);
    QCOMPARE(inflater.error(), ZstdStreamInflater::Error::CorruptStream);
    QVERIFY2(inflater.errorString().startsWith(u"corrupt zstd stream: "_s),
             qPrintable(inflater.errorString()));
    // Sticky until reset(), and nothing already handed out was lost.
    QCOMPARE(out.size(), afterGoodPayload ? 1 : 0);
    QCOMPARE(feedAll(inflater, deflater.compress(messagePayload(2)), &out), Result::Error);

    inflater.reset();
    ZstdStreamDeflater fresh;
    QCOMPARE(feedAll(inflater, fresh.compress(messagePayload(3)), &out), Result::NeedMoreData);
    QCOMPARE(out.last(), messagePayload(3));
}

void tst_ZstdStreamInflater::truncatedStreamWaitsAndResetRecovers()
{
    ZstdStreamDeflater deflater;
    ZstdStreamInflater inflater;
    const QByteArray frame = deflater.compress(messagePayload(1));
    QList<QByteArray> out;
    QCOMPARE(feedAll(inflater, frame.first(frame.size() - 3), &out), Result::NeedMoreData);
    QVERIFY(out.isEmpty()); // nothing half-made is handed out
    // A new connection: a new stream, a new frame.
    inflater.reset();
    ZstdStreamDeflater next;
    QCOMPARE(feedAll(inflater, next.compress(messagePayload(2)), &out), Result::NeedMoreData);
    QCOMPARE(out, QList<QByteArray>{messagePayload(2)});
}

void tst_ZstdStreamInflater::decompressionBombIsRefused()
{
    ZstdStreamDeflater deflater(19);
    const QByteArray bomb = deflater.compress(QByteArray(8 * 1024 * 1024, '{'));
    QVERIFY(bomb.size() < 4096);
    ZstdStreamInflater inflater(1024 * 1024);
    QList<QByteArray> out;
    QCOMPARE(feedAll(inflater, bomb, &out), Result::Error);
    QCOMPARE(inflater.error(), ZstdStreamInflater::Error::PayloadTooLarge);
    QVERIFY2(inflater.errorString().contains(u"1 MiB limit"_s), qPrintable(inflater.errorString()));
    QVERIFY(inflater.outputBufferBytes() <= 1024 * 1024 + 1 + StreamInflater::OutputPadding);
}

void tst_ZstdStreamInflater::garbageJsonEndsWithTheMessage()
{
    ZstdStreamDeflater deflater;
    ZstdStreamInflater inflater;
    QList<QByteArray> out;
    QCOMPARE(feedAll(inflater, deflater.compress("not json at all"_ba), &out),
             Result::NeedMoreData);
    QCOMPARE(feedAll(inflater, deflater.compress(messagePayload(1)), &out), Result::NeedMoreData);
    QCOMPARE(out, (QList<QByteArray>{"not json at all"_ba, messagePayload(1)}));
}

void tst_ZstdStreamInflater::largePayloadGrowsThenShrinksTheBuffer()
{
    ZstdStreamDeflater deflater;
    ZstdStreamInflater inflater;
    const QByteArray big = R"({"d":")"_ba + QByteArray(3 * 1024 * 1024, 'x') + R"("})"_ba;
    QList<QByteArray> out;
    QCOMPARE(feedAll(inflater, deflater.compress(big), &out), Result::NeedMoreData);
    QCOMPARE(out.last(), big);
    QVERIFY(inflater.outputBufferBytes() > 3 * 1024 * 1024);
    QCOMPARE(feedAll(inflater, deflater.compress(messagePayload(1)), &out), Result::NeedMoreData);
    QCOMPARE(out.last(), messagePayload(1));
    QCOMPARE(inflater.outputBufferBytes(), 64 * 1024);
}

QTEST_GUILESS_MAIN(tst_ZstdStreamInflater)
#include "tst_zstdstreaminflater.moc"
