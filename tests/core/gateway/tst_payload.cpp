#include "core/gateway/payload.h"

#include <QJsonObject>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_Payload : public QObject
{
    Q_OBJECT

private slots:
    void parsesWellFormed_data();
    void parsesWellFormed();
    void rejectsMalformed_data();
    void rejectsMalformed();
    void serialisesRoundTrip();
};

void tst_Payload::parsesWellFormed_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("op");
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<QString>("type");

    QTest::newRow("hello")
            << R"({"t":null,"s":null,"op":10,"d":{"heartbeat_interval":41250,"_trace":["x"]}})"_ba
            << 10 << qint64(-1) << QString();
    QTest::newRow("ack with object d") << R"({"op":11,"d":{}})"_ba << 11 << qint64(-1) << QString();
    QTest::newRow("ack without d") << R"({"op":11})"_ba << 11 << qint64(-1) << QString();
    QTest::newRow("dispatch") << R"({"t":"MESSAGE_CREATE","s":42,"op":0,"d":{"id":"1"},"x":1})"_ba
                              << 0 << qint64(42) << u"MESSAGE_CREATE"_s;
    QTest::newRow("sequence zero")
            << R"({"t":"READY","s":0,"op":0,"d":{}})"_ba << 0 << qint64(0) << u"READY"_s;
}

void tst_Payload::parsesWellFormed()
{
    QFETCH(QByteArray, json);
    QFETCH(int, op);
    QFETCH(qint64, seq);
    QFETCH(QString, type);

    const PayloadParseResult result = parsePayload(json);
    QVERIFY2(result.ok(), qPrintable(result.error.message));
    QCOMPARE(result.payload.op, op);
    QCOMPARE(result.payload.s.value_or(-1), seq);
    QCOMPARE(result.payload.t, type);
}

void tst_Payload::rejectsMalformed_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("kind");

    QTest::newRow("empty") << QByteArray() << int(PayloadError::Kind::InvalidJson);
    QTest::newRow("truncated") << R"({"op":0,"d":{"id":)"_ba
                               << int(PayloadError::Kind::InvalidJson);
    QTest::newRow("garbage") << "\x01\x02\xff\xfe"_ba << int(PayloadError::Kind::InvalidJson);
    QTest::newRow("invalid utf-8")
            << "{\"op\":0,\"d\":\"\xc3\x28\"}"_ba << int(PayloadError::Kind::InvalidJson);
    QTest::newRow("array") << "[1,2]"_ba << int(PayloadError::Kind::NotAnObject);
    QTest::newRow("no op") << R"({"d":null})"_ba << int(PayloadError::Kind::MissingOp);
    QTest::newRow("string op") << R"({"op":"1"})"_ba << int(PayloadError::Kind::MissingOp);
    QTest::newRow("fractional op") << R"({"op":1.5})"_ba << int(PayloadError::Kind::MissingOp);
    QTest::newRow("negative seq") << R"({"op":0,"s":-3,"t":"X"})"_ba
                                  << int(PayloadError::Kind::BadSequence);
    QTest::newRow("numeric t") << R"({"op":0,"s":3,"t":5})"_ba
                               << int(PayloadError::Kind::BadEventName);
}

void tst_Payload::rejectsMalformed()
{
    QFETCH(QByteArray, json);
    QFETCH(int, kind);

    const PayloadParseResult result = parsePayload(json);
    QVERIFY(!result.ok());
    QCOMPARE(int(result.error.kind), kind);
    QVERIFY(!result.error.message.isEmpty());
}

void tst_Payload::serialisesRoundTrip()
{
    const Payload heartbeat = Payload::make(Opcode::Heartbeat, 17);
    QCOMPARE(heartbeat.serialize(), R"({"d":17,"op":1,"s":null,"t":null})"_ba);

    const Payload dispatch = Payload::dispatch(u"READY"_s, 1, QJsonObject{{u"v"_s, 10}});
    const PayloadParseResult back = parsePayload(dispatch.serialize());
    QVERIFY(back.ok());
    QCOMPARE(back.payload.op, 0);
    QCOMPARE(*back.payload.s, 1);
    QCOMPARE(back.payload.t, u"READY"_s);
    QCOMPARE(back.payload.d.toObject().value(u"v"_s).toInt(), 10);
}

QTEST_GUILESS_MAIN(tst_Payload)
#include "tst_payload.moc"
