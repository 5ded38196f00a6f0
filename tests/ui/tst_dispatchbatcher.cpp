#include "ui/dispatchbatcher.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using Gatescope::Ui::DispatchBatcher;

class tst_DispatchBatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversEveryEventInOrder_data();
    void deliversEveryEventInOrder();
    void flushHandsOverAtOnce();
    void acrossThreads();
};

namespace {

QJsonObject payload(int i)
{
    return QJsonObject{{u"id"_s, QString::number(1000 + i)}, {u"n"_s, i}};
}

QString typeFor(int i)
{
    return i % 3 == 0 ? u"MESSAGE_UPDATE"_s : u"MESSAGE_CREATE"_s;
}

// Every batch is non-empty and the concatenation is exactly events 0..count-1.
void verifySequence(const QList<QList<DispatchBatcher::Event>> &batches, int count)
{
    int next = 0;
    for (const auto &batch : batches) {
        QVERIFY(!batch.isEmpty());
        for (const DispatchBatcher::Event &event : batch) {
            QCOMPARE(event.seq, qint64(next));
            QCOMPARE(event.type, typeFor(next));
            QCOMPARE(event.data, payload(next));
            ++next;
        }
    }
    QCOMPARE(next, count);
}

} // namespace

void tst_DispatchBatcher::deliversEveryEventInOrder_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("interval");
    QTest::newRow("one") << 1 << 16;
    QTest::newRow("several") << 7 << 5;
    QTest::newRow("many, zero interval") << 5000 << 0;
}

void tst_DispatchBatcher::deliversEveryEventInOrder()
{
    QFETCH(int, count);
    QFETCH(int, interval);
    DispatchBatcher batcher;
    batcher.setInterval(interval);
    QCOMPARE(batcher.interval(), interval);
    QList<QList<DispatchBatcher::Event>> batches;
    connect(&batcher, &DispatchBatcher::batchReady, this,
            [&batches](const QList<DispatchBatcher::Event> &events) { batches.append(events); });
    for (int i = 0; i < count; ++i)
        batcher.onDispatch(typeFor(i), i, payload(i));
    QCOMPARE(batcher.pendingCount(), qsizetype(count));
    QVERIFY(batches.isEmpty()); // handed over by the timer, not per event
    QTRY_COMPARE(batcher.pendingCount(), qsizetype(0));
    verifySequence(batches, count);
}

void tst_DispatchBatcher::flushHandsOverAtOnce()
{
    DispatchBatcher batcher;
    batcher.setInterval(60000);
    QSignalSpy spy(&batcher, &DispatchBatcher::batchReady);
    batcher.flush();
    QCOMPARE(spy.count(), 0); // nothing waiting: no empty batch
    batcher.onDispatch(u"MESSAGE_CREATE"_s, 4, payload(4));
    batcher.onDispatch(u"MESSAGE_DELETE"_s, 5, payload(5));
    batcher.flush();
    QCOMPARE(spy.count(), 1);
    const auto events = spy.at(0).at(0).value<QList<DispatchBatcher::Event>>();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.at(0).seq, qint64(4));
    QCOMPARE(events.at(1).type, u"MESSAGE_DELETE"_s);
    QCOMPARE(batcher.pendingCount(), qsizetype(0));
    batcher.flush();
    QCOMPARE(spy.count(), 1);
}

void tst_DispatchBatcher::acrossThreads()
{
    // As in the window: the batcher lives in the producer's thread, the receiver in this one.
    constexpr int Count = 20000;
    QThread worker;
    worker.start();
    auto *batcher = new DispatchBatcher;
    batcher->moveToThread(&worker);
    auto stop = qScopeGuard([&] {
        QMetaObject::invokeMethod(batcher, &QObject::deleteLater);
        worker.quit();
        worker.wait();
    });
    QList<QList<DispatchBatcher::Event>> batches;
    int received = 0;
    connect(batcher, &DispatchBatcher::batchReady, this,
            [&](const QList<DispatchBatcher::Event> &events) {
                QCOMPARE(QThread::currentThread(), thread());
                batches.append(events);
                received += int(events.size());
            });
    QMetaObject::invokeMethod(batcher, [batcher] {
        for (int i = 0; i < Count; ++i) {
            batcher->onDispatch(typeFor(i), i, payload(i));
            if (i % 1000 == 999)
                QCoreApplication::processEvents(); // let the batch timer fire meanwhile
        }
    });
    QTRY_COMPARE_WITH_TIMEOUT(received, Count, 10000);
    verifySequence(batches, Count);
    QVERIFY(batches.size() < Count); // batched, not one per event
}

QTEST_GUILESS_MAIN(tst_DispatchBatcher)
#include "tst_dispatchbatcher.moc"
