#include "core/store/rawjsonblocks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_RawJsonBlocks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsEveryRowAcrossBlocks_data();
    void readsEveryRowAcrossBlocks();
    void mergesUpdates();
    void dropBeforeFreesWholeBlocks();
    void resetStartsAtSequence();
    void compresses();
};

namespace {

QByteArray row(quint64 seq)
{
    return R"({"id":")" + QByteArray::number(seq) + R"(","content":"row )" + QByteArray::number(seq)
           + R"("})";
}

} // namespace

void tst_RawJsonBlocks::readsEveryRowAcrossBlocks_data()
{
    QTest::addColumn<int>("blockRows");
    QTest::addColumn<int>("rows");
    QTest::newRow("open block only") << 4 << 3;
    QTest::newRow("exactly two blocks") << 4 << 8;
    QTest::newRow("blocks and open") << 4 << 10;
    QTest::newRow("one row blocks") << 1 << 5;
}

void tst_RawJsonBlocks::readsEveryRowAcrossBlocks()
{
    QFETCH(int, blockRows);
    QFETCH(int, rows);
    RawJsonBlocks blocks(blockRows);
    blocks.reset(1000);
    for (int i = 0; i < rows; ++i)
        blocks.append(i == 2 ? QByteArray() : row(1000 + quint64(i)));
    QCOMPARE(blocks.endSeq(), 1000ULL + quint64(rows));
    QCOMPARE(blocks.blockCount(), rows / blockRows);
    // Read in an order that leaves and re-enters the decompressed block.
    for (int i : {rows - 1, 0, rows / 2, 1, rows - 1})
        QCOMPARE(blocks.value(1000 + quint64(i)), i == 2 ? QByteArray() : row(1000 + quint64(i)));
    QVERIFY(blocks.value(999).isEmpty());
    QVERIFY(blocks.value(1000 + quint64(rows)).isEmpty());
}

void tst_RawJsonBlocks::mergesUpdates()
{
    RawJsonBlocks blocks(2);
    for (quint64 seq = 0; seq < 5; ++seq)
        blocks.append(row(seq));
    blocks.merge(1, R"({"id":"1","content":"edited"})");
    blocks.merge(1, R"({"id":"1","embeds":[1]})");
    blocks.merge(4, R"({"id":"4","pinned":true})");
    blocks.merge(9, R"({"id":"9"})"); // not held: ignored
    const QJsonObject one = QJsonDocument::fromJson(blocks.value(1)).object();
    QCOMPARE(one.value(u"content"_s).toString(), u"edited"_s);
    QCOMPARE(one.value(u"embeds"_s).toArray().size(), 1);
    QCOMPARE(one.value(u"id"_s).toString(), u"1"_s);
    const QJsonObject four = QJsonDocument::fromJson(blocks.value(4)).object();
    QCOMPARE(four.value(u"content"_s).toString(), u"row 4"_s);
    QVERIFY(four.value(u"pinned"_s).toBool());
    QCOMPARE(blocks.value(0), row(0));
    QVERIFY(blocks.value(9).isEmpty());
}

void tst_RawJsonBlocks::dropBeforeFreesWholeBlocks()
{
    RawJsonBlocks blocks(4);
    for (quint64 seq = 0; seq < 10; ++seq)
        blocks.append(row(seq));
    blocks.merge(2, R"({"content":"x"})");
    const qint64 before = blocks.bytes();
    blocks.dropBefore(5);
    QCOMPARE(blocks.blockCount(), 1); // rows 4..7; 0..3 are gone, 8..9 are open
    QCOMPARE(blocks.firstSeq(), 5ULL);
    QCOMPARE_LT(blocks.bytes(), before);
    QVERIFY(blocks.value(2).isEmpty());
    QVERIFY(blocks.value(4).isEmpty());
    QCOMPARE(blocks.value(5), row(5));
    QCOMPARE(blocks.value(9), row(9));
    blocks.dropBefore(10);
    QCOMPARE(blocks.blockCount(), 0);
    blocks.append(row(10));
    QCOMPARE(blocks.value(10), row(10));
    QVERIFY(blocks.value(9).isEmpty());
}

void tst_RawJsonBlocks::resetStartsAtSequence()
{
    RawJsonBlocks blocks(2);
    blocks.append(row(0));
    blocks.reset(100);
    QVERIFY(blocks.value(0).isEmpty());
    QCOMPARE(blocks.endSeq(), 100ULL);
    blocks.append(row(100));
    QCOMPARE(blocks.value(100), row(100));
}

void tst_RawJsonBlocks::compresses()
{
    RawJsonBlocks blocks;
    qint64 raw = 0;
    for (quint64 seq = 0; seq < 2048; ++seq) {
        const QByteArray json
                = R"({"id":")" + QByteArray::number(1234567890123456789ULL + seq)
                  + R"(","channel_id":"1111111111","author":{"id":"222","username":"alice","global_name":null},"content":"message number )"
                  + QByteArray::number(seq)
                  + R"(","timestamp":"2024-05-01T12:00:00.000000+00:00","tts":false,"mentions":[],"attachments":[],"embeds":[]})";
        raw += json.size();
        blocks.append(json);
    }
    QCOMPARE(blocks.blockCount(), 2048 / RawJsonBlocks::DefaultBlockRows);
    QCOMPARE(blocks.rawBytesCompressed(), raw);
    QCOMPARE_LT(blocks.bytes(), raw / 4);
}

QTEST_GUILESS_MAIN(tst_RawJsonBlocks)
#include "tst_rawjsonblocks.moc"
