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
    void fullBatchesReuseReleasedMemory();
    void heldBatchesAreNeverReused();
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
    // Full batches go at once; the rest is handed over by the timer, not per event.
    const qsizetype full = count / EventBatcher::MaxBatchEvents;
    QCOMPARE(batcher.pendingEvents(), qsizetype(count) - full * EventBatcher::MaxBatchEvents);
    QCOMPARE(batches.size(), full);
    for (const GatewayEventBatch &batch : std::as_const(batches))
        QCOMPARE(batch.size(), EventBatcher::MaxBatchEvents);
    QTRY_COMPARE(batcher.pendingEvents(), qsizetype(0));
    verifySequence(batches, count);
}

void tst_EventBatcher::fullBatchesReuseReleasedMemory()
{
    EventBatcher batcher;
    batcher.setInterval(60000);
    QList<const GatewayEvent *> blocks;
    // A receiver that lets go of each batch, as the store's ingest does.
    connect(&batcher, &EventBatcher::eventsReady, this,
            [&blocks](const GatewayEventBatch &events) { blocks.append(events.constData()); });
    for (int i = 0; i < 4 * EventBatcher::MaxBatchEvents; ++i)
        batcher.addEvent(makeEvent(i));
    QCOMPARE(blocks.size(), 4);
    QCOMPARE(batcher.pendingEvents(), 0);
    // The block of a batch every receiver released serves a later one (two batches on, since
    // the batch just emitted is still referenced while the next list is prepared).
    // Each flush after the first prepares the next list from the batch emitted before it.
    QCOMPARE(batcher.reusedBlocks(), 3);
    QCOMPARE(blocks.at(2), blocks.at(0));
    QCOMPARE(blocks.at(3), blocks.at(1));
}

void tst_EventBatcher::heldBatchesAreNeverReused()
{
    EventBatcher batcher;
    batcher.setInterval(60000);
    QList<GatewayEventBatch> held;
    connect(&batcher, &EventBatcher::eventsReady, this,
            [&held](const GatewayEventBatch &events) { held.append(events); });
    for (int i = 0; i < 3 * EventBatcher::MaxBatchEvents; ++i)
        batcher.addEvent(makeEvent(i));
    QCOMPARE(held.size(), 3);
    QCOMPARE(batcher.reusedBlocks(), 0);
    verifySequence(held, 3 * EventBatcher::MaxBatchEvents);
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
