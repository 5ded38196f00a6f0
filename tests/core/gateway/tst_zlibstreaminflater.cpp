#include "core/gateway/zlibstreaminflater.h"

#include "core/gateway/zlibstreamdeflater.h"

#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_ZlibStreamInflater : public QObject
{
    Q_OBJECT

private slots:
    void inflatesConsecutivePayloads_data();
    void inflatesConsecutivePayloads();
    void payloadSplitAcrossThreeFrames();
    void corruptStreamIsAnError();
    void errorIsStickyUntilReset();
    void oversizedPayloadIsRefused();
    void markerlessGarbageIsBounded();
    void freshStreamAfterReset();
    void viewsReuseOnePaddedBuffer();
    void largePayloadGrowsThenShrinksTheBuffer();
    void viewOfPayloadSplitAcrossFrames();
    void copyAndViewOverloadsAgree();
};

void tst_ZlibStreamInflater::inflatesConsecutivePayloads_data()
{
    QTest::addColumn<int>("level");
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("78 9C") << 6 << "\x78\x9c"_ba;
    QTest::newRow("78 DA") << 9 << "\x78\xda"_ba;
}

void tst_ZlibStreamInflater::inflatesConsecutivePayloads()
{
    QFETCH(int, level);
    QFETCH(QByteArray, header);

    ZlibStreamDeflater deflater(level);
    ZlibStreamInflater inflater;
    for (int i = 0; i < 50; ++i) {
        const QByteArray json = R"({"op":0,"s":)"_ba + QByteArray::number(i)
                                + R"(,"t":"MESSAGE_CREATE","d":{"content":"héllo 👋"}})"_ba;
        const QByteArray frame = deflater.compress(json);
        if (i == 0)
            QVERIFY(frame.startsWith(header));
        QVERIFY(ZlibStreamInflater::endsWithFlushMarker(frame));
        QByteArray out;
        QCOMPARE(inflater.feed(frame, &out), ZlibStreamInflater::Result::PayloadReady);
        QCOMPARE(out, json);
    }
}

void tst_ZlibStreamInflater::payloadSplitAcrossThreeFrames()
{
    ZlibStreamDeflater deflater;
    ZlibStreamInflater inflater;
    QByteArray big;
    for (int i = 0; i < 2000; ++i)
        big += "guild " + QByteArray::number(i * 7919) + ',';
    const QByteArray frame = deflater.compress(big);
    const qsizetype a = frame.size() / 3;
    const qsizetype b = 2 * frame.size() / 3;
    QByteArray out;
    QCOMPARE(inflater.feed(frame.first(a), &out), ZlibStreamInflater::Result::NeedMoreData);
    QCOMPARE(inflater.feed(frame.sliced(a, b - a), &out), ZlibStreamInflater::Result::NeedMoreData);
    QCOMPARE(inflater.pendingBytes(), b);
    QCOMPARE(inflater.feed(frame.sliced(b), &out), ZlibStreamInflater::Result::PayloadReady);
    QCOMPARE(out, big);
}

void tst_ZlibStreamInflater::corruptStreamIsAnError()
{
    ZlibStreamInflater inflater;
    QByteArray out;
    const QByteArray garbage = "\x12\x34\x56\x78garbage\x00\x00\xff\xff"_ba;
    QCOMPARE(inflater.feed(garbage, &out), ZlibStreamInflater::Result::Error);
    QCOMPARE(inflater.error(), ZlibStreamInflater::Error::CorruptStream);
    QVERIFY(inflater.errorString().contains(u"corrupt"_s));
}

void tst_ZlibStreamInflater::errorIsStickyUntilReset()
{
    ZlibStreamDeflater deflater;
    ZlibStreamInflater inflater;
    QByteArray out;
    QByteArray first = deflater.compress("{\"op\":11}");
    first[first.size() / 2] = char(first[first.size() / 2] ^ 0x5a);
    const ZlibStreamInflater::Result result = inflater.feed(first, &out);
    if (result == ZlibStreamInflater::Result::PayloadReady)
        QVERIFY(out != "{\"op\":11}");
    // A stream once broken stays broken: the client must reconnect with a fresh inflater.
    if (result == ZlibStreamInflater::Result::Error)
        QCOMPARE(inflater.feed(deflater.compress("x"), &out), ZlibStreamInflater::Result::Error);
}

void tst_ZlibStreamInflater::oversizedPayloadIsRefused()
{
    ZlibStreamDeflater deflater;
    ZlibStreamInflater inflater(1024 * 1024);
    const QByteArray huge(3 * 1024 * 1024, 'a');
    QByteArray out;
    QCOMPARE(inflater.feed(deflater.compress(huge), &out), ZlibStreamInflater::Result::Error);
    QCOMPARE(inflater.error(), ZlibStreamInflater::Error::PayloadTooLarge);
    QVERIFY(inflater.errorString().contains(u"1 MiB"_s));
}

void tst_ZlibStreamInflater::markerlessGarbageIsBounded()
{
    ZlibStreamInflater inflater(1024);
    QByteArray out;
    QCOMPARE(inflater.feed(QByteArray(1000, 'x'), &out), ZlibStreamInflater::Result::NeedMoreData);
    QCOMPARE(inflater.feed(QByteArray(1000, 'x'), &out), ZlibStreamInflater::Result::Error);
    QCOMPARE(inflater.error(), ZlibStreamInflater::Error::BufferTooLarge);
    QCOMPARE(inflater.pendingBytes(), 0);
}

void tst_ZlibStreamInflater::freshStreamAfterReset()
{
    ZlibStreamInflater inflater;
    QByteArray out;
    {
        ZlibStreamDeflater first;
        QCOMPARE(inflater.feed(first.compress("one"), &out),
                 ZlibStreamInflater::Result::PayloadReady);
    }
    // A new connection starts a new deflate stream with its own header; the old inflater
    // state would reject it, a reset one accepts it.
    ZlibStreamDeflater second;
    const QByteArray frame = second.compress("two");
    inflater.reset();
    QCOMPARE(inflater.feed(frame, &out), ZlibStreamInflater::Result::PayloadReady);
    QCOMPARE(out, "two"_ba);
}

void tst_ZlibStreamInflater::viewsReuseOnePaddedBuffer()
{
    ZlibStreamDeflater deflater;
    ZlibStreamInflater inflater;
    const char *buffer = nullptr;
    for (int i = 0; i < 200; ++i) {
        const QByteArray json = R"({"op":0,"s":)"_ba + QByteArray::number(i) + R"(,"d":")"_ba
                                + QByteArray(i * 37 % 900, 'x') + R"("})"_ba;
        QByteArrayView view;
        QCOMPARE(inflater.feed(deflater.compress(json), &view),
                 ZlibStreamInflater::Result::PayloadReady);
        QCOMPARE(view, json);
        // The same buffer every time, and zero padding after the payload for simdjson.
        if (i == 0)
            buffer = view.data();
        QCOMPARE(view.data(), buffer);
        QCOMPARE(inflater.outputBufferBytes(), 64 * 1024);
        QCOMPARE(QByteArrayView(view.data() + view.size(), ZlibStreamInflater::OutputPadding),
                 QByteArray(ZlibStreamInflater::OutputPadding, '\0'));
    }
}

void tst_ZlibStreamInflater::largePayloadGrowsThenShrinksTheBuffer()
{
    ZlibStreamDeflater deflater;
    ZlibStreamInflater inflater;
    QByteArray big;
    for (int i = 0; big.size() < 3 * 1024 * 1024; ++i)
        big += "member " + QByteArray::number(i * 7919) + ',';
    QByteArrayView view;
    QCOMPARE(inflater.feed(deflater.compress(big), &view),
             ZlibStreamInflater::Result::PayloadReady);
    QCOMPARE(view, big);
    QVERIFY(inflater.outputBufferBytes() >= big.size() + ZlibStreamInflater::OutputPadding);
    QCOMPARE(view.data()[view.size() + ZlibStreamInflater::OutputPadding - 1], '\0');

    // One large payload does not keep megabytes for the small ones after it.
    QCOMPARE(inflater.feed(deflater.compress("{\"op\":11}"), &view),
             ZlibStreamInflater::Result::PayloadReady);
    QCOMPARE(view, "{\"op\":11}"_ba);
    QCOMPARE(inflater.outputBufferBytes(), 64 * 1024);
}

void tst_ZlibStreamInflater::viewOfPayloadSplitAcrossFrames()
{
    ZlibStreamDeflater deflater;
    ZlibStreamInflater inflater;
    const QByteArray json = R"({"t":"MESSAGE_CREATE","d":{"content":"split 👋"}})"_ba;
    const QByteArray frame = deflater.compress(json);
    QByteArrayView view;
    QCOMPARE(inflater.feed(frame.first(5), &view), ZlibStreamInflater::Result::NeedMoreData);
    QCOMPARE(inflater.pendingBytes(), 5);
    QCOMPARE(inflater.feed(frame.sliced(5), &view), ZlibStreamInflater::Result::PayloadReady);
    QCOMPARE(view, json);
    QCOMPARE(inflater.pendingBytes(), 0);
    // A whole frame afterwards is inflated straight from the message.
    QCOMPARE(inflater.feed(deflater.compress("next"), &view),
             ZlibStreamInflater::Result::PayloadReady);
    QCOMPARE(view, "next"_ba);
    QCOMPARE(inflater.pendingBytes(), 0);
}

void tst_ZlibStreamInflater::copyAndViewOverloadsAgree()
{
    ZlibStreamDeflater deflater;
    ZlibStreamInflater viaCopy;
    ZlibStreamInflater viaView;
    for (int i = 0; i < 20; ++i) {
        const QByteArray frame = deflater.compress("payload " + QByteArray::number(i * i));
        QByteArray copy;
        QByteArrayView view;
        QCOMPARE(viaCopy.feed(frame, &copy), ZlibStreamInflater::Result::PayloadReady);
        QCOMPARE(viaView.feed(frame, &view), ZlibStreamInflater::Result::PayloadReady);
        QCOMPARE(copy, view);
        // The copy is the payload's own (not the 64 KiB buffer).
        QVERIFY(copy.capacity() < 1024);
    }
}

QTEST_GUILESS_MAIN(tst_ZlibStreamInflater)
#include "tst_zlibstreaminflater.moc"
