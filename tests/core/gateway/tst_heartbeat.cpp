#include "core/gateway/heartbeat.h"

#include <QTest>

using Gatescope::Heartbeat;
using Due = Heartbeat::Due;

Q_DECLARE_METATYPE(Heartbeat::Due)

/// The heartbeat decisions without a socket or a timer: times are given, nothing waits.
class tst_Heartbeat : public QObject
{
    Q_OBJECT

private slots:
    void dueDecision_data();
    void dueDecision();
    void acksMatchBeatsOldestFirst();
    void busyConnectionBecomesZombieWhenFramesStop();
    void resetForgetsBeatsInFlight();
    void strayAckIsIgnored();
    void requestsAreCoalescedUntilAnAck();
};

void tst_Heartbeat::dueDecision_data()
{
    QTest::addColumn<int>("beatsUnacked");
    QTest::addColumn<int>("framesSinceBeat");
    QTest::addColumn<Due>("expected");
    QTest::newRow("first beat") << 0 << 0 << Due::Beat;
    QTest::newRow("un-ACKed, no frame: zombie") << 1 << 0 << Due::Zombie;
    QTest::newRow("un-ACKed, frames arriving: busy") << 1 << 250 << Due::BusyBeat;
    QTest::newRow("several un-ACKed, frames arriving") << 5 << 1 << Due::BusyBeat;
    QTest::newRow("too many un-ACKed despite frames")
            << int(Heartbeat::MaxBeatsInFlight) << 1000 << Due::Zombie;
}

void tst_Heartbeat::dueDecision()
{
    QFETCH(int, beatsUnacked);
    QFETCH(int, framesSinceBeat);
    QFETCH(Due, expected);
    Heartbeat heartbeat;
    for (int i = 0; i < beatsUnacked; ++i)
        heartbeat.noteBeatSent(1000 * i);
    for (int i = 0; i < framesSinceBeat; ++i)
        heartbeat.noteFrame();
    QCOMPARE(heartbeat.due(), expected);
    QCOMPARE(heartbeat.awaitingAck(), beatsUnacked > 0);
}

void tst_Heartbeat::acksMatchBeatsOldestFirst()
{
    // Beats at 0, 100 and 200 ms while ACKs are queued behind a flood; they arrive at 350,
    // 360 and 370: each is matched to its own beat, not to the latest.
    Heartbeat heartbeat;
    heartbeat.noteBeatSent(0);
    heartbeat.noteFrame();
    QCOMPARE(heartbeat.due(), Due::BusyBeat);
    heartbeat.noteBeatSent(100);
    heartbeat.noteFrame();
    heartbeat.noteBeatSent(200);
    QCOMPARE(heartbeat.beatsInFlight(), 3);
    QCOMPARE(heartbeat.noteAck(350), std::optional<int>(350));
    QCOMPARE(heartbeat.noteAck(360), std::optional<int>(260));
    QCOMPARE(heartbeat.noteAck(370), std::optional<int>(170));
    QCOMPARE(heartbeat.lastLatencyMs(), 170);
    QVERIFY(!heartbeat.awaitingAck());
    // 350, then 350 + 0.2·(260 − 350) = 332, then 332 + 0.2·(170 − 332) = 299.6
    QCOMPARE(heartbeat.smoothedLatencyMs(), 300);
}

void tst_Heartbeat::busyConnectionBecomesZombieWhenFramesStop()
{
    Heartbeat heartbeat;
    heartbeat.noteBeatSent(0);
    heartbeat.noteFrame();
    QCOMPARE(heartbeat.due(), Due::BusyBeat);
    heartbeat.noteBeatSent(1000); // a full interval follows with no frame at all
    QCOMPARE(heartbeat.framesSinceBeat(), quint64(0));
    QCOMPARE(heartbeat.due(), Due::Zombie);
}

void tst_Heartbeat::resetForgetsBeatsInFlight()
{
    Heartbeat heartbeat;
    heartbeat.noteBeatSent(0);
    heartbeat.noteFrame();
    heartbeat.reset(); // a new connection: the old beat's ACK will never come
    QVERIFY(!heartbeat.awaitingAck());
    QCOMPARE(heartbeat.framesSinceBeat(), quint64(0));
    QCOMPARE(heartbeat.due(), Due::Beat);
}

void tst_Heartbeat::strayAckIsIgnored()
{
    Heartbeat heartbeat;
    QCOMPARE(heartbeat.noteAck(50), std::nullopt);
    QCOMPARE(heartbeat.lastLatencyMs(), -1);
    QCOMPARE(heartbeat.smoothedLatencyMs(), -1);
}

void tst_Heartbeat::requestsAreCoalescedUntilAnAck()
{
    Heartbeat heartbeat;
    QVERIFY(heartbeat.shouldAnswerRequest());
    heartbeat.noteRequestAnswered(0);
    QCOMPARE(heartbeat.beatsInFlight(), 1);
    // More op 1 while the answer waits for its ACK: that answer serves them.
    QVERIFY(!heartbeat.shouldAnswerRequest());
    heartbeat.noteBeatSent(10); // a scheduled beat does not end the wait
    QVERIFY(!heartbeat.shouldAnswerRequest());
    QCOMPARE(heartbeat.noteAck(30), 30);
    QVERIFY(heartbeat.shouldAnswerRequest());
    heartbeat.noteRequestAnswered(40);
    heartbeat.reset(); // a new connection answers at once
    QVERIFY(heartbeat.shouldAnswerRequest());
}

QTEST_APPLESS_MAIN(tst_Heartbeat)
#include "tst_heartbeat.moc"
