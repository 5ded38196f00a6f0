#include "core/io/exporttext.h"

#include <QDateTime>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_ExportText : public QObject
{
    Q_OBJECT

private slots:
    void isoUtc_data();
    void isoUtc();
    void isoUtcMatchesQt();
    void ids_data();
    void ids();
    void utf8_data();
    void utf8();
};

void tst_ExportText::isoUtc_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QByteArray>("iso");

    QTest::newRow("absent") << qint64(0) << QByteArray();
    QTest::newRow("brief example") << qint64(1704164645678) << "2024-01-02T03:04:05.678Z"_ba;
    QTest::newRow("epoch + 1 ms") << qint64(1) << "1970-01-01T00:00:00.001Z"_ba;
    QTest::newRow("before epoch") << qint64(-1) << "1969-12-31T23:59:59.999Z"_ba;
    QTest::newRow("leap day") << qint64(1709164800000) << "2024-02-29T00:00:00.000Z"_ba;
    QTest::newRow("discord epoch") << qint64(1420070400000) << "2015-01-01T00:00:00.000Z"_ba;
    QTest::newRow("end of 9999") << qint64(253402300799999) << "9999-12-31T23:59:59.999Z"_ba;
    QTest::newRow("midnight rollover") << qint64(1798416000000) << "2026-12-28T00:00:00.000Z"_ba;
}

void tst_ExportText::isoUtc()
{
    QFETCH(qint64, ms);
    QFETCH(QByteArray, iso);
    QCOMPARE(ExportText::isoUtc(ms), iso);
}

void tst_ExportText::isoUtcMatchesQt()
{
    // A walk over 1900..2100 in steps that hit every month, day and millisecond pattern.
    const qint64 from = -2208988800000LL;
    const qint64 to = 4102444800000LL;
    for (qint64 ms = from; ms < to; ms += 86400000LL * 7 + 3600000LL * 5 + 60000LL * 7 + 1237) {
        if (ms == 0)
            continue;
        const QByteArray expected = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                                            .toString(Qt::ISODateWithMs)
                                            .toLatin1();
        QCOMPARE(ExportText::isoUtc(ms), expected);
    }
}

void tst_ExportText::ids_data()
{
    QTest::addColumn<quint64>("id");
    QTest::addColumn<QByteArray>("text");

    QTest::newRow("absent") << quint64(0) << QByteArray();
    QTest::newRow("one") << quint64(1) << "1"_ba;
    QTest::newRow("snowflake") << quint64(1180000000000000001ULL) << "1180000000000000001"_ba;
    QTest::newRow("max") << quint64(18446744073709551615ULL) << "18446744073709551615"_ba;
}

void tst_ExportText::ids()
{
    QFETCH(quint64, id);
    QFETCH(QByteArray, text);
    QByteArray out = "x";
    ExportText::appendId(out, id);
    QCOMPARE(out, "x"_ba + text);
}

void tst_ExportText::utf8_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("ascii") << u"hello"_s;
    QTest::newRow("latin") << u"héllo wörld"_s;
    QTest::newRow("bmp") << u"你好 مرحبا שלום"_s;
    QTest::newRow("astral") << u"👋🏽 𝄞"_s;
    QTest::newRow("boundaries") << QString(QChar(0x7F)) + QChar(0x80) + QChar(0x7FF) + QChar(0x800)
                                           + QChar(0xFFFF) + QChar(0xE000);
}

void tst_ExportText::utf8()
{
    QFETCH(QString, text);
    QByteArray out;
    ExportText::appendUtf8(out, text);
    QCOMPARE(out, text.toUtf8());
}

QTEST_GUILESS_MAIN(tst_ExportText)
#include "tst_exporttext.moc"
