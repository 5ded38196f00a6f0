#include "core/gateway/sendlimiter.h"

#include <QTest>

using namespace Gatescope;

class tst_SendLimiter : public QObject
{
    Q_OBJECT

private slots:
    void the121stSendWaits();
    void reservedRoomIsKeptForHeartbeats();
    void windowSlides();
    void heartbeatRoomIsKeptFromOtherReservedSends();
};

void tst_SendLimiter::the121stSendWaits()
{
    SendLimiter limiter;
    qint64 now = 1'000'000;
    for (int i = 0; i < 120; ++i) {
        QVERIFY2(limiter.tryAcquire(SendLimiter::Priority::Reserved, now),
                 qPrintable(QString::number(i)));
        now += 10;
    }
    QVERIFY(!limiter.tryAcquire(SendLimiter::Priority::Reserved, now));
    // The first send leaves the window 60 s after it was made.
    QCOMPARE(limiter.waitMs(SendLimiter::Priority::Reserved, now), 1'000'000 + 60'000 - now);
    now = 1'000'000 + 60'000;
    QVERIFY(limiter.tryAcquire(SendLimiter::Priority::Reserved, now));
    QVERIFY(!limiter.tryAcquire(SendLimiter::Priority::Reserved, now));
}

void tst_SendLimiter::reservedRoomIsKeptForHeartbeats()
{
    SendLimiter limiter;
    limiter.setReserved(5);
    const qint64 now = 5000;
    int normal = 0;
    while (limiter.tryAcquire(SendLimiter::Priority::Normal, now))
        ++normal;
    QCOMPARE(normal, 115);
    QVERIFY(limiter.waitMs(SendLimiter::Priority::Normal, now) > 0);
    for (int i = 0; i < 5; ++i)
        QVERIFY(limiter.tryAcquire(SendLimiter::Priority::Reserved, now));
    QVERIFY(!limiter.tryAcquire(SendLimiter::Priority::Reserved, now));
    QCOMPARE(limiter.used(now), 120);
}

void tst_SendLimiter::windowSlides()
{
    SendLimiter limiter(3, 1000);
    QVERIFY(limiter.tryAcquire(SendLimiter::Priority::Normal, 0));
    QVERIFY(limiter.tryAcquire(SendLimiter::Priority::Normal, 400));
    QVERIFY(limiter.tryAcquire(SendLimiter::Priority::Normal, 800));
    QVERIFY(!limiter.tryAcquire(SendLimiter::Priority::Normal, 999));
    QCOMPARE(limiter.waitMs(SendLimiter::Priority::Normal, 999), 1);
    QVERIFY(limiter.tryAcquire(SendLimiter::Priority::Normal, 1000));
    QCOMPARE(limiter.used(1000), 3);
    QCOMPARE(limiter.used(2000), 0);
}

void tst_SendLimiter::heartbeatRoomIsKeptFromOtherReservedSends()
{
    // Answers to a flood of server op 1 requests are Reserved sends: they stop short of the
    // room kept for the client's own scheduled heartbeats.
    SendLimiter limiter;
    limiter.setReserved(10);
    limiter.setHeartbeatReserved(6);
    const qint64 now = 5000;
    int normal = 0;
    while (limiter.tryAcquire(SendLimiter::Priority::Normal, now))
        ++normal;
    QCOMPARE(normal, 110);
    int reserved = 0;
    while (limiter.tryAcquire(SendLimiter::Priority::Reserved, now))
        ++reserved;
    QCOMPARE(reserved, 4);
    QVERIFY(limiter.waitMs(SendLimiter::Priority::Reserved, now) > 0);
    for (int i = 0; i < 6; ++i)
        QVERIFY(limiter.tryAcquire(SendLimiter::Priority::Heartbeat, now));
    QVERIFY(!limiter.tryAcquire(SendLimiter::Priority::Heartbeat, now));
    QCOMPARE(limiter.used(now), 120);

    // A heartbeat room larger than the reserved room still keeps Normal sends out of it.
    SendLimiter wide;
    wide.setReserved(2);
    wide.setHeartbeatReserved(8);
    int wideNormal = 0;
    while (wide.tryAcquire(SendLimiter::Priority::Normal, now))
        ++wideNormal;
    QCOMPARE(wideNormal, 112);
}

QTEST_GUILESS_MAIN(tst_SendLimiter)
#include "tst_sendlimiter.moc"
