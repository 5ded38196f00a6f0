#include "core/metrics/latencyhistogram.h"

#include <QTest>

using namespace Gatescope;

class tst_LatencyHistogram : public QObject
{
    Q_OBJECT

private slots:
    void roundTripLandsInItsBucket_data();
    void roundTripLandsInItsBucket();
    void countsAreCumulative();
    void addSumsShards();
};

void tst_LatencyHistogram::roundTripLandsInItsBucket_data()
{
    QTest::addColumn<int>("ms");
    QTest::addColumn<int>("firstBucket"); ///< the first bucket counting it; size() = only +Inf
    QTest::newRow("0") << 0 << 0;
    QTest::newRow("negative counts as 0") << -3 << 0;
    QTest::newRow("on the first bound") << 5 << 0;
    QTest::newRow("just above it") << 6 << 1;
    QTest::newRow("42") << 42 << 3;
    QTest::newRow("on the last bound") << 5000 << int(LatencyHistogram::BoundsMs.size()) - 1;
    QTest::newRow("above every bound") << 5001 << int(LatencyHistogram::BoundsMs.size());
}

void tst_LatencyHistogram::roundTripLandsInItsBucket()
{
    QFETCH(int, ms);
    QFETCH(int, firstBucket);
    LatencyHistogram histogram;
    histogram.observe(ms);
    QCOMPARE(histogram.count(), 1u);
    QCOMPARE(histogram.sumMs(), quint64(std::max(ms, 0)));
    for (int bucket = 0; bucket < int(LatencyHistogram::BoundsMs.size()); ++bucket)
        QCOMPARE(histogram.cumulativeCount(bucket), bucket >= firstBucket ? 1u : 0u);
}

void tst_LatencyHistogram::countsAreCumulative()
{
    LatencyHistogram histogram;
    for (int ms : {1, 7, 7, 90, 20000})
        histogram.observe(ms);
    QCOMPARE(histogram.cumulativeCount(0), 1u); // ≤ 5
    QCOMPARE(histogram.cumulativeCount(1), 3u); // ≤ 10
    QCOMPARE(histogram.cumulativeCount(5), 4u); // ≤ 100
    QCOMPARE(histogram.cumulativeCount(qsizetype(LatencyHistogram::BoundsMs.size()) - 1), 4u);
    QCOMPARE(histogram.count(), 5u);
    QCOMPARE(histogram.sumMs(), 20105u);
}

void tst_LatencyHistogram::addSumsShards()
{
    LatencyHistogram a;
    LatencyHistogram b;
    a.observe(3);
    b.observe(3);
    b.observe(300);
    a.add(b);
    QCOMPARE(a.count(), 3u);
    QCOMPARE(a.sumMs(), 306u);
    QCOMPARE(a.cumulativeCount(0), 2u);
    QCOMPARE(a.cumulativeCount(8), 3u); // ≤ 500
}

QTEST_GUILESS_MAIN(tst_LatencyHistogram)
#include "tst_latencyhistogram.moc"
