#include "ui/latencychart.h"

#include <QImage>
#include <QTest>

using namespace Gatescope::Ui;

class tst_LatencyChart : public QObject
{
    Q_OBJECT

private slots:
    void keepsOnlyTheWindow();
    void paintsLineAndMisses();
};

void tst_LatencyChart::keepsOnlyTheWindow()
{
    LatencyChart chart;
    qint64 now = 1'000'000;
    chart.setClock([&now] { return now; });
    chart.setWindowMs(60'000);
    for (int i = 0; i < 10; ++i) {
        chart.addSample(40 + i);
        now += 10'000;
    }
    chart.addAckMiss();
    // 10 samples over 100 s in a 60 s window: those older than the window go, except one kept
    // to draw the line in from the left edge.
    QCOMPARE_LE(chart.sampleCount(), 8);
    QCOMPARE_GE(chart.sampleCount(), 6);
    QCOMPARE(chart.ackMissCount(), 1);
    now += 120'000;
    chart.addSample(50);
    QCOMPARE(chart.ackMissCount(), 0);
    QCOMPARE(chart.sampleCount(), 2);
    chart.clear();
    QCOMPARE(chart.sampleCount(), 0);
}

void tst_LatencyChart::paintsLineAndMisses()
{
    LatencyChart chart;
    qint64 now = 5'000'000;
    chart.setClock([&now] { return now; });
    chart.resize(400, 120);
    const QImage empty = chart.grab().toImage();
    for (int i = 0; i < 30; ++i) {
        chart.addSample(30 + (i % 5) * 10);
        now += 20'000;
    }
    const QImage withLine = chart.grab().toImage();
    QVERIFY(withLine != empty);
    chart.addAckMiss();
    const QImage withMiss = chart.grab().toImage();
    QVERIFY(withMiss != withLine);
    // The miss marker is red: look for a strongly red pixel.
    bool foundRed = false;
    for (int y = 0; y < withMiss.height() && !foundRed; ++y) {
        for (int x = 0; x < withMiss.width(); ++x) {
            const QColor c = withMiss.pixelColor(x, y);
            if (c.red() > 180 && c.green() < 90 && c.blue() < 90) {
                foundRed = true;
                break;
            }
        }
    }
    QVERIFY(foundRed);
}

QTEST_MAIN(tst_LatencyChart)
#include "tst_latencychart.moc"
