#include "emulator/fault.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gatescope::Emulator;

class tst_Fault : public QObject
{
    Q_OBJECT

private slots:
    void parsesGoodSpecs_data();
    void parsesGoodSpecs();
    void rejectsBadSpecs_data();
    void rejectsBadSpecs();
    void closeCodeValidity();
};

void tst_Fault::parsesGoodSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<Fault::Kind>("kind");
    QTest::addColumn<Fault::Trigger>("trigger");
    QTest::addColumn<qint64>("triggerValue");
    QTest::addColumn<QString>("canonical");

    QTest::newRow("op7 every 30s") << u"op7@every:30s"_s << Fault::Kind::Reconnect
                                   << Fault::Trigger::Every << qint64(30000) << u"op7@every:30s"_s;
    QTest::newRow("close after 5000")
            << u"close:4000@after:5000"_s << Fault::Kind::Close << Fault::Trigger::AfterMessages
            << qint64(5000) << u"close:4000@after:5000"_s;
    QTest::newRow("close with reason")
            << u"close:4001:go away@at:2m"_s << Fault::Kind::Close << Fault::Trigger::At
            << qint64(120000) << u"close:4001:go away@at:2m"_s;
    QTest::newRow("ack-delay range") << u"ack-delay:30-120"_s << Fault::Kind::AckDelay
                                     << Fault::Trigger::Now << qint64(0) << u"ack-delay:30-120"_s;
    QTest::newRow("ack-delay single") << u"ack-delay:50"_s << Fault::Kind::AckDelay
                                      << Fault::Trigger::Now << qint64(0) << u"ack-delay:50"_s;
    QTest::newRow("alias reconnect") << u"reconnect@at:500ms"_s << Fault::Kind::Reconnect
                                     << Fault::Trigger::At << qint64(500) << u"op7@at:500ms"_s;
    QTest::newRow("op9 false") << u"op9:false@every:1m"_s << Fault::Kind::InvalidSession
                               << Fault::Trigger::Every << qint64(60000) << u"op9:false@every:1m"_s;
    QTest::newRow("garbage default") << u"garbage@at:1s"_s << Fault::Kind::Garbage
                                     << Fault::Trigger::At << qint64(1000) << u"garbage:64@at:1s"_s;
    QTest::newRow("oversized 2m") << u"oversized:2m@after:1"_s << Fault::Kind::Oversized
                                  << Fault::Trigger::AfterMessages << qint64(1)
                                  << u"oversized:2097152@after:1"_s;
    QTest::newRow("slow") << u" slow:2k "_s << Fault::Kind::SlowWrite << Fault::Trigger::Now
                          << qint64(0) << u"slow:2048"_s;
    QTest::newRow("stop-acks scheduled")
            << u"stop-acks@at:10s"_s << Fault::Kind::StopAcks << Fault::Trigger::At << qint64(10000)
            << u"stop-acks@at:10s"_s;
    QTest::newRow("drop") << u"drop@every:45s"_s << Fault::Kind::DropTcp << Fault::Trigger::Every
                          << qint64(45000) << u"drop@every:45s"_s;
    QTest::newRow("op1") << u"op1@every:5s"_s << Fault::Kind::RequestHeartbeat
                         << Fault::Trigger::Every << qint64(5000) << u"op1@every:5s"_s;
    QTest::newRow("truncated") << u"truncated-zlib@at:3s"_s << Fault::Kind::TruncatedZlib
                               << Fault::Trigger::At << qint64(3000) << u"truncated-zlib@at:3s"_s;
    QTest::newRow("invalid json") << u"invalid-json@at:3s"_s << Fault::Kind::InvalidJson
                                  << Fault::Trigger::At << qint64(3000) << u"invalid-json@at:3s"_s;
    QTest::newRow("silence") << u"silence@at:5s"_s << Fault::Kind::Silence << Fault::Trigger::At
                             << qint64(5000) << u"silence@at:5s"_s;
    QTest::newRow("silence of shard 2")
            << u"silence:2@after:100"_s << Fault::Kind::Silence << Fault::Trigger::AfterMessages
            << qint64(100) << u"silence:2@after:100"_s;
    QTest::newRow("end-silence") << u"end-silence@at:1m"_s << Fault::Kind::EndSilence
                                 << Fault::Trigger::At << qint64(60000) << u"end-silence@at:1m"_s;
}

void tst_Fault::parsesGoodSpecs()
{
    QFETCH(QString, spec);
    QFETCH(Fault::Kind, kind);
    QFETCH(Fault::Trigger, trigger);
    QFETCH(qint64, triggerValue);
    QFETCH(QString, canonical);
    QString error;
    const std::optional<Fault> fault = Fault::parse(spec, &error);
    QVERIFY2(fault, qPrintable(error));
    QCOMPARE(fault->kind, kind);
    QCOMPARE(fault->trigger, trigger);
    QCOMPARE(fault->triggerValue, triggerValue);
    QCOMPARE(fault->toSpec(), canonical);
    const std::optional<Fault> again = Fault::parse(fault->toSpec());
    QVERIFY(again);
    QCOMPARE(again->toSpec(), canonical);
}

void tst_Fault::rejectsBadSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("empty") << u""_s << u"empty"_s;
    QTest::newRow("unknown action") << u"explode@at:1s"_s << u"unknown fault 'explode'"_s;
    QTest::newRow("one-shot without schedule") << u"op7"_s << u"needs a schedule"_s;
    QTest::newRow("bad duration") << u"op7@every:30"_s << u"not a duration"_s;
    QTest::newRow("bad unit") << u"op7@every:3h"_s << u"not a duration"_s;
    QTest::newRow("too fast") << u"op7@every:1ms"_s << u"at least"_s;
    QTest::newRow("unknown schedule") << u"op7@sometimes"_s << u"unknown schedule"_s;
    QTest::newRow("after zero") << u"drop@after:0"_s << u"message count"_s;
    QTest::newRow("close without code") << u"close@at:1s"_s << u"needs a code"_s;
    QTest::newRow("close 1005") << u"close:1005@at:1s"_s << u"not a close code"_s;
    QTest::newRow("close text") << u"close:abc@at:1s"_s << u"not a close code"_s;
    QTest::newRow("op9 maybe") << u"op9:maybe@at:1s"_s << u"true or false"_s;
    QTest::newRow("ack-delay reversed") << u"ack-delay:120-30"_s << u"ends below"_s;
    QTest::newRow("ack-delay words") << u"ack-delay:fast"_s << u"not MS"_s;
    QTest::newRow("ack-delay missing") << u"ack-delay"_s << u"needs a delay"_s;
    QTest::newRow("drop with argument") << u"drop:3@at:1s"_s << u"takes no argument"_s;
    QTest::newRow("garbage zero") << u"garbage:0@at:1s"_s << u"not a size"_s;
    QTest::newRow("oversized huge") << u"oversized:9999m@at:1s"_s << u"not a size"_s;
    QTest::newRow("slow missing") << u"slow"_s << u"bytes per second"_s;
    QTest::newRow("silence unscheduled") << u"silence"_s << u"needs a schedule"_s;
    QTest::newRow("silence of a word") << u"silence:all@at:1s"_s << u"not a shard id"_s;
}

void tst_Fault::rejectsBadSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, errorPart);
    QString error;
    QVERIFY(!Fault::parse(spec, &error));
    QVERIFY2(error.contains(errorPart), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void tst_Fault::closeCodeValidity()
{
    QVERIFY(Fault::isSendableCloseCode(1000));
    QVERIFY(Fault::isSendableCloseCode(4014));
    QVERIFY(!Fault::isSendableCloseCode(1006));
    QVERIFY(!Fault::isSendableCloseCode(2000));
    QVERIFY(!Fault::isSendableCloseCode(5000));
}

QTEST_GUILESS_MAIN(tst_Fault)
#include "tst_fault.moc"
