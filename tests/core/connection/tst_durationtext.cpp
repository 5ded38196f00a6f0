#include "core/connection/durationtext.h"

#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_DurationText : public QObject
{
    Q_OBJECT

private slots:
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void formats_data();
    void formats();
    void human();
};

void tst_DurationText::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("seconds") << u"90s"_s << qint64(90000);
    QTest::newRow("minutes") << u"10m"_s << qint64(600000);
    QTest::newRow("min") << u"10min"_s << qint64(600000);
    QTest::newRow("hour") << u"1h"_s << qint64(3600000);
    QTest::newRow("day") << u"2d"_s << qint64(2 * 86400000LL);
    QTest::newRow("ms") << u"1500ms"_s << qint64(1500);
    QTest::newRow("upper case, spaces") << u" 5 M "_s << qint64(300000);
}

void tst_DurationText::parses()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    QString error;
    const std::optional<qint64> parsed = DurationText::parseMs(text, &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(*parsed, ms);
}

void tst_DurationText::refuses_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("no unit") << u"10"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("negative") << u"-5m"_s;
    QTest::newRow("fraction") << u"1.5h"_s;
    QTest::newRow("unknown unit") << u"3w"_s;
    QTest::newRow("too long") << u"1234567890s"_s;
    QTest::newRow("two parts") << u"1h30m"_s;
}

void tst_DurationText::refuses()
{
    QFETCH(QString, text);
    QString error;
    QVERIFY(!DurationText::parseMs(text, &error));
    QVERIFY2(error.contains(u"is not a duration like 90s, 10m or 1h"_s), qPrintable(error));
}

void tst_DurationText::formats_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("10m") << qint64(600000) << u"10m"_s;
    QTest::newRow("90s") << qint64(90000) << u"90s"_s;
    QTest::newRow("1h") << qint64(3600000) << u"1h"_s;
    QTest::newRow("ms") << qint64(1500) << u"1500ms"_s;
}

void tst_DurationText::formats()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(DurationText::format(ms), text);
    QCOMPARE(DurationText::parseMs(text).value_or(-1), ms);
}

void tst_DurationText::human()
{
    QCOMPARE(DurationText::human(850), u"850 ms"_s);
    QCOMPARE(DurationText::human(42000), u"42 s"_s);
    QCOMPARE(DurationText::human(603000), u"10 min 3 s"_s);
    QCOMPARE(DurationText::human(7500000), u"2 h 5 min"_s);
    QCOMPARE(DurationText::human(-1), u"—"_s);
}

QTEST_GUILESS_MAIN(tst_DurationText)
#include "tst_durationtext.moc"
