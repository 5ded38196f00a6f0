#include "core/gateway/exponentialbackoff.h"

#include <QTest>

using namespace Gatescope;

class tst_ExponentialBackoff : public QObject
{
    Q_OBJECT

private slots:
    void ceilingDoublesUpToCap_data();
    void ceilingDoublesUpToCap();
    void fullJitterStaysWithinBounds();
    void resetStartsOver();
    void neverOverflows();
};

void tst_ExponentialBackoff::ceilingDoublesUpToCap_data()
{
    QTest::addColumn<int>("attempts");
    QTest::addColumn<int>("ceiling");
    QTest::newRow("first") << 0 << 1000;
    QTest::newRow("second") << 1 << 2000;
    QTest::newRow("third") << 2 << 4000;
    QTest::newRow("sixth") << 5 << 32000;
    QTest::newRow("capped") << 6 << 60000;
    QTest::newRow("long outage") << 40 << 60000;
}

void tst_ExponentialBackoff::ceilingDoublesUpToCap()
{
    QFETCH(int, attempts);
    QFETCH(int, ceiling);
    ExponentialBackoff backoff(1000, 60000, [] { return 0.5; });
    for (int i = 0; i < attempts; ++i)
        backoff.next();
    QCOMPARE(backoff.currentCeilingMs(), ceiling);
    QCOMPARE(backoff.next(), ceiling / 2);
}

void tst_ExponentialBackoff::fullJitterStaysWithinBounds()
{
    // The extremes of the random source map to 0 and just under the ceiling.
    ExponentialBackoff low(1000, 60000, [] { return 0.0; });
    ExponentialBackoff high(1000, 60000, [] { return 0.999999; });
    for (int i = 0; i < 10; ++i) {
        const int ceiling = high.currentCeilingMs();
        QCOMPARE(low.next(), 0);
        const int delay = high.next();
        QVERIFY2(delay < ceiling && delay >= ceiling - 1, qPrintable(QString::number(delay)));
    }
    // The real random source: every delay within [0, ceiling).
    ExponentialBackoff real(1000, 60000);
    for (int i = 0; i < 200; ++i) {
        const int ceiling = real.currentCeilingMs();
        const int delay = real.next();
        QVERIFY(delay >= 0 && delay < ceiling);
    }
}

void tst_ExponentialBackoff::resetStartsOver()
{
    ExponentialBackoff backoff(1000, 60000, [] { return 0.5; });
    for (int i = 0; i < 8; ++i)
        backoff.next();
    QCOMPARE(backoff.attempt(), 8);
    backoff.reset();
    QCOMPARE(backoff.attempt(), 0);
    QCOMPARE(backoff.currentCeilingMs(), 1000);
}

void tst_ExponentialBackoff::neverOverflows()
{
    ExponentialBackoff backoff(1000, 60000, [] { return 0.99; });
    for (int i = 0; i < 100; ++i)
        QVERIFY(backoff.next() < 60000);
}

QTEST_GUILESS_MAIN(tst_ExponentialBackoff)
#include "tst_exponentialbackoff.moc"
