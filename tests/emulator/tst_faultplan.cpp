#include "emulator/emulatorclock.h"
#include "emulator/faultplan.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gatescope::Emulator;

class tst_FaultPlan : public QObject
{
    Q_OBJECT

private slots:
    void parsesScriptWithComments();
    void scriptErrorNamesTheLine();
    void addFileReadsRealFiles();
    void afterFiresOnceAtTheCount();
    void everyRepeatsAndAtFiresOnce();
    void modesAreKept();
};

void tst_FaultPlan::parsesScriptWithComments()
{
    const QString script = u"# a demo script\n\nack-delay:30-120   # jittery latency\n"
                           "op7@every:30s\n  close:4000@after:5000\n"_s;
    QString error;
    const std::optional<QList<Fault>> faults = FaultPlan::parseScript(script, &error);
    QVERIFY2(faults, qPrintable(error));
    QCOMPARE(faults->size(), 3);
    QCOMPARE(faults->at(0).toSpec(), u"ack-delay:30-120"_s);
    QCOMPARE(faults->at(2).toSpec(), u"close:4000@after:5000"_s);
}

void tst_FaultPlan::scriptErrorNamesTheLine()
{
    QString error;
    QVERIFY(!FaultPlan::parseScript(u"op7@every:30s\n# fine\nexplode@at:1s\n"_s, &error));
    QVERIFY2(error.startsWith(u"line 3:"_s), qPrintable(error));
}

void tst_FaultPlan::addFileReadsRealFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"faults.txt"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("drop@after:10\nop9:true@after:20\n");
    file.close();
    EmulatorClock clock;
    FaultPlan plan(clock);
    QString error;
    QVERIFY2(plan.addFile(path, &error), qPrintable(error));
    QCOMPARE(plan.scheduled().size(), 2);
    QVERIFY(!plan.addFile(dir.filePath(u"missing.txt"_s), &error));
    QVERIFY(error.contains(u"missing.txt"_s));

    QFile bad(dir.filePath(u"bad.txt"_s));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("drop@after:10\nclose:99@at:1s\n");
    bad.close();
    FaultPlan untouched(clock);
    QVERIFY(!untouched.addFile(bad.fileName(), &error));
    QVERIFY2(error.contains(u"line 2"_s), qPrintable(error));
    QVERIFY(untouched.scheduled().isEmpty());
}

void tst_FaultPlan::afterFiresOnceAtTheCount()
{
    EmulatorClock clock;
    FaultPlan plan(clock);
    QSignalSpy triggered(&plan, &FaultPlan::triggered);
    QVERIFY(plan.addSpec(u"close:4000@after:5"_s));
    plan.messagesGenerated(4);
    QCOMPARE(triggered.size(), 0);
    plan.messagesGenerated(7);
    QCOMPARE(triggered.size(), 1);
    QCOMPARE(triggered.first().at(0).value<Fault>().closeCode, 4000);
    plan.messagesGenerated(20);
    QCOMPARE(triggered.size(), 1);
}

void tst_FaultPlan::everyRepeatsAndAtFiresOnce()
{
    EmulatorClock clock;
    clock.useManualTime();
    FaultPlan plan(clock);
    QSignalSpy triggered(&plan, &FaultPlan::triggered);
    QVERIFY(plan.addSpec(u"op7@every:20ms"_s));
    QVERIFY(plan.addSpec(u"drop@at:30ms"_s));
    clock.advance(100);
    QCOMPARE(triggered.size(), 0); // nothing before start(); at: counts from start()
    plan.start();
    const auto kinds = [&] {
        QList<Fault::Kind> fired;
        for (const QList<QVariant> &args : std::as_const(triggered))
            fired.append(args.at(0).value<Fault>().kind);
        return fired;
    };
    clock.advance(19);
    QCOMPARE(triggered.size(), 0);
    clock.advance(1);
    QCOMPARE(kinds(), (QList<Fault::Kind>{Fault::Kind::Reconnect}));
    clock.advance(9);
    QCOMPARE(triggered.size(), 1);
    clock.advance(1);
    QCOMPARE(kinds(), (QList<Fault::Kind>{Fault::Kind::Reconnect, Fault::Kind::DropTcp}));
    clock.advance(30); // 40 and 60
    QCOMPARE(kinds(), (QList<Fault::Kind>{Fault::Kind::Reconnect, Fault::Kind::DropTcp,
                                          Fault::Kind::Reconnect, Fault::Kind::Reconnect}));
    QCOMPARE(plan.scheduled().size(), 1);
}

void tst_FaultPlan::modesAreKept()
{
    EmulatorClock clock;
    FaultPlan plan(clock);
    plan.applyMode(Fault::ackDelay(30, 120));
    QCOMPARE(plan.ackDelayMinMs(), 30);
    QCOMPARE(plan.ackDelayMaxMs(), 120);
    plan.applyMode(Fault::make(Fault::Kind::StopAcks));
    QVERIFY(plan.acksStopped());
    plan.applyMode(Fault::make(Fault::Kind::ResumeAcks));
    QVERIFY(!plan.acksStopped());
    QCOMPARE(plan.ackDelayMaxMs(), 0);
    plan.applyMode(Fault::withBytes(Fault::Kind::SlowWrite, 1000));
    QCOMPARE(plan.slowWriteBytesPerSecond(), 1000);
    plan.clear();
    QCOMPARE(plan.slowWriteBytesPerSecond(), 0);
}

QTEST_GUILESS_MAIN(tst_FaultPlan)
#include "tst_faultplan.moc"
