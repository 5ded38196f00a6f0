// EmulatorClock and its ClockTimers: on a manual clock a timer fires only inside advance(), at
// the clock time it falls due; on the real clock it is a QTimer.
#include "emulator/clocktimer.h"
#include "emulator/emulatorclock.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Gatescope::Emulator;

class tst_EmulatorClock : public QObject
{
    Q_OBJECT

private slots:
    void manualTimeStandsStill();
    void singleShotFiresAtItsMillisecond();
    void periodicTimerFiresOncePerInterval();
    void timersFireInDueOrder();
    void stoppedOrDeletedTimersDoNotFire();
    void runningTimersKeepTheirRemainingTime();
    void singleShotSkipsADestroyedContext();
    void realClockUsesQTimer();
};

void tst_EmulatorClock::manualTimeStandsStill()
{
    EmulatorClock clock;
    clock.useManualTime();
    const qint64 start = clock.nowMs();
    QCOMPARE(clock.nowMs(), start);
    clock.advance(250);
    QCOMPARE(clock.nowMs(), start + 250);
    clock.advance(-5);
    QCOMPARE(clock.nowMs(), start + 250);
}

void tst_EmulatorClock::singleShotFiresAtItsMillisecond()
{
    EmulatorClock clock;
    clock.useManualTime();
    ClockTimer timer(clock);
    timer.setSingleShot(true);
    QSignalSpy fired(&timer, &ClockTimer::timeout);
    timer.start(100);
    QCOMPARE(timer.remainingTime(), 100);
    clock.advance(99);
    QCOMPARE(fired.size(), 0);
    QCOMPARE(timer.remainingTime(), 1);
    clock.advance(1);
    QCOMPARE(fired.size(), 1);
    QVERIFY(!timer.isActive());
    QCOMPARE(timer.remainingTime(), -1);
    clock.advance(1000);
    QCOMPARE(fired.size(), 1);
}

void tst_EmulatorClock::periodicTimerFiresOncePerInterval()
{
    EmulatorClock clock;
    clock.useManualTime();
    ClockTimer timer(clock);
    QList<qint64> firedAt;
    connect(&timer, &ClockTimer::timeout, this, [&] { firedAt.append(clock.nowMs()); });
    const qint64 start = clock.nowMs();
    timer.start(20);
    clock.advance(69);
    QCOMPARE(firedAt, (QList<qint64>{start + 20, start + 40, start + 60}));
    clock.advance(1);
    QCOMPARE(firedAt.size(), 3);
    clock.advance(10);
    QCOMPARE(firedAt.size(), 4);
    QVERIFY(timer.isActive());
}

void tst_EmulatorClock::timersFireInDueOrder()
{
    EmulatorClock clock;
    clock.useManualTime();
    QStringList order;
    ClockTimer late(clock);
    ClockTimer early(clock);
    ClockTimer tieFirst(clock);
    ClockTimer tieSecond(clock);
    for (ClockTimer *timer : {&late, &early, &tieFirst, &tieSecond})
        timer->setSingleShot(true);
    connect(&late, &ClockTimer::timeout, this, [&] { order.append(QStringLiteral("late")); });
    connect(&early, &ClockTimer::timeout, this, [&] { order.append(QStringLiteral("early")); });
    connect(&tieFirst, &ClockTimer::timeout, this, [&] { order.append(QStringLiteral("tie1")); });
    connect(&tieSecond, &ClockTimer::timeout, this, [&] { order.append(QStringLiteral("tie2")); });
    late.start(30);
    tieFirst.start(20);
    tieSecond.start(20);
    early.start(10);
    clock.advance(30);
    QCOMPARE(order, (QStringList{u"early"_qs, u"tie1"_qs, u"tie2"_qs, u"late"_qs}));
}

void tst_EmulatorClock::stoppedOrDeletedTimersDoNotFire()
{
    EmulatorClock clock;
    clock.useManualTime();
    ClockTimer stopped(clock);
    auto deleted = std::make_unique<ClockTimer>(clock);
    ClockTimer killer(clock);
    killer.setSingleShot(true);
    int fired = 0;
    connect(&stopped, &ClockTimer::timeout, this, [&] { ++fired; });
    connect(deleted.get(), &ClockTimer::timeout, this, [&] { ++fired; });
    // A slot may delete a timer that is due in the same advance().
    connect(&killer, &ClockTimer::timeout, this, [&] { deleted.reset(); });
    stopped.start(10);
    killer.start(5);
    deleted->start(10);
    stopped.stop();
    clock.advance(100);
    QCOMPARE(fired, 0);
}

void tst_EmulatorClock::runningTimersKeepTheirRemainingTime()
{
    EmulatorClock clock;
    ClockTimer timer(clock);
    timer.setSingleShot(true);
    QSignalSpy fired(&timer, &ClockTimer::timeout);
    timer.start(60000);
    clock.useManualTime();
    QVERIFY(timer.isActive());
    const int remaining = timer.remainingTime();
    // A coarse QTimer may be scheduled up to 5 % late; whatever it said is kept exactly.
    QVERIFY2(remaining > 50000 && remaining <= 63000, qPrintable(QString::number(remaining)));
    clock.advance(remaining - 1);
    QCOMPARE(fired.size(), 0);
    clock.advance(1);
    QCOMPARE(fired.size(), 1);
}

void tst_EmulatorClock::singleShotSkipsADestroyedContext()
{
    EmulatorClock clock;
    clock.useManualTime();
    int calls = 0;
    auto context = std::make_unique<QObject>();
    ClockTimer::singleShot(clock, 10, context.get(), [&] { ++calls; });
    ClockTimer::singleShot(clock, 10, this, [&] { ++calls; });
    context.reset();
    clock.advance(10);
    QCOMPARE(calls, 1);
    clock.advance(100);
    QCOMPARE(calls, 1);
}

void tst_EmulatorClock::realClockUsesQTimer()
{
    EmulatorClock clock;
    QVERIFY(!clock.isManual());
    ClockTimer timer(clock);
    timer.setSingleShot(true);
    QSignalSpy fired(&timer, &ClockTimer::timeout);
    timer.start(1);
    QVERIFY(timer.isActive());
    QVERIFY(fired.wait(10000));
    QVERIFY(!timer.isActive());
    clock.advance(1000); // no effect on real time
    QCOMPARE(fired.size(), 1);
}

QTEST_GUILESS_MAIN(tst_EmulatorClock)
#include "tst_emulatorclock.moc"
