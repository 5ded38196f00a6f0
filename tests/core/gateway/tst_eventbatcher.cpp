#include "core/gateway/eventbatcher.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using Gatescope::EventBatcher;
using Gatescope::FrameRecord;
using Gatescope::GatewayEvent;
using Gatescope::GatewayEventBatch;

class tst_EventBatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversEveryEventInOrder_data();
    void deliversEveryEventInOrder();
    void flushHandsOverAtOnce();
    void acrossThreads();
    void framesComeWithTheirBatch();
};

namespace {

QByteArray payload(int i)
{
    return "{\"id\":\"" + QByteArray::number(1000 + i) + "\",\"n\":" + QByteArray::number(i) + "}";
}

QString typeFor(int i)
{
    return i % 3 == 0 ? u"MESSAGE_UPDATE"_s : u"MESSAGE_CREATE"_s;
}

GatewayEvent makeEvent(int i)
{
    GatewayEvent event;
    event.type = typeFor(i);
    event.seq = i;
    event.rawData = payload(i);
    return event;
}

// Every batch is non-empty and the concatenation is exactly events 0..count-1.
void verifySequence(const QList<GatewayEventBatch> &batches, int count)
{
    int next = 0;
    for (const auto &batch : batches) {
        QVERIFY(!batch.isEmpty());
        for (const GatewayEvent &event : batch) {
            QCOMPARE(event.seq, qint64(next));
            QCOMPARE(event.type, typeFor(next));
            QCOMPARE(event.rawData, payload(next));
            ++next;
        }
    }
    QCOMPARE(next, count);
}

} // namespace

void tst_EventBatcher::deliversEveryEventInOrder_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("interval");
    QTest::newRow("one") << 1 << 16;
    QTest::newRow("several") << 7 << 5;
    QTest::newRow("many, zero interval") << 5000 << 0;
}

void tst_EventBatcher::deliversEveryEventInOrder()
{
    QFETCH(int, count);
    QFETCH(int, interval);
    EventBatcher batcher;
    batcher.setInterval(interval);
    QCOMPARE(batcher.interval(), interval);
    QList<GatewayEventBatch> batches;
    connect(&batcher, &EventBatcher::eventsReady, this,
            [&batches](const GatewayEventBatch &events) { batches.append(events); });
    for (int i = 0; i < count; ++i)
        batcher.addEvent(makeEvent(i));
    QCOMPARE(batcher.pendingEvents(), qsizetype(count));
    QVERIFY(batches.isEmpty()); // handed over by the timer, not per event
    QTRY_COMPARE(batcher.pendingEvents(), qsizetype(0));
    verifySequence(batches, count);
}

void tst_EventBatcher::flushHandsOverAtOnce()
{
    EventBatcher batcher;
    batcher.setInterval(60000);
    QSignalSpy spy(&batcher, &EventBatcher::eventsReady);
    QSignalSpy frames(&batcher, &EventBatcher::framesReady);
    batcher.flush();
    QCOMPARE(spy.count(), 0); // nothing waiting: no empty batch
    batcher.addEvent(makeEvent(4));
    GatewayEvent deleted = makeEvent(5);
    deleted.type = u"MESSAGE_DELETE"_s;
    batcher.addEvent(std::move(deleted));
    batcher.flush();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(frames.count(), 0);
    const auto events = spy.at(0).at(0).value<GatewayEventBatch>();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(0).seq, qint64(4));
    QCOMPARE(events.at(1).type, u"MESSAGE_DELETE"_s);
    QCOMPARE(batcher.pendingEvents(), qsizetype(0));
    batcher.flush();
    QCOMPARE(spy.count(), 1);
}

void tst_EventBatcher::acrossThreads()
{
    // As in the window: the batcher lives in the producer's thread, the receiver in this one.
    constexpr int Count = 20000;
    QThread worker;
    worker.start();
    auto *batcher = new EventBatcher;
    batcher->moveToThread(&worker);
    auto stop = qScopeGuard([&] {
        QMetaObject::invokeMethod(batcher, &QObject::deleteLater);
        worker.quit();
        worker.wait();
    });
    QList<GatewayEventBatch> batches;
    int received = 0;
    connect(batcher, &EventBatcher::eventsReady, this, [&](const GatewayEventBatch &events) {
        QCOMPARE(QThread::currentThread(), thread());
        batches.append(events);
        received += int(events.size());
    });
    QMetaObject::invokeMethod(batcher, [batcher] {
        for (int i = 0; i < Count; ++i) {
            batcher->addEvent(makeEvent(i));
            if (i % 1000 == 999)
                QCoreApplication::processEvents(); // let the batch timer fire meanwhile
        }
    });
    QTRY_COMPARE_WITH_TIMEOUT(received, Count, 10000);
    verifySequence(batches, Count);
    QVERIFY(batches.size() < Count); // batched, not one per event
}

void tst_EventBatcher::framesComeWithTheirBatch()
{
    // The raw frames view gets frames in batches too, after the events of the same interval.
    EventBatcher batcher;
    batcher.setInterval(5);
    QList<QString> order;
    connect(&batcher, &EventBatcher::eventsReady, this, [&order](const GatewayEventBatch &events) {
        order.append(u"events %1"_s.arg(events.size()));
    });
    connect(&batcher, &EventBatcher::framesReady, this, [&order](const QList<FrameRecord> &frames) {
        order.append(u"frames %1"_s.arg(frames.size()));
    });
    for (int i = 0; i < 3; ++i) {
        FrameRecord frame;
        frame.seq = i;
        batcher.addFrame(frame);
        batcher.addEvent(makeEvent(i));
    }
    QCOMPARE(batcher.pendingFrames(), qsizetype(3));
    QTRY_COMPARE(order, (QList<QString>{u"events 3"_s, u"frames 3"_s}));
    QCOMPARE(batcher.pendingFrames(), qsizetype(0));
}

QTEST_GUILESS_MAIN(tst_EventBatcher)
#include "tst_eventbatcher.moc"
