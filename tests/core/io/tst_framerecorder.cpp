#include "core/gateway/redaction.h"
#include "core/io/framerecorder.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
Q_DECLARE_METATYPE(Gatescope::Payload)
using namespace Qt::StringLiterals;

class tst_FrameRecorder : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void encodesOneLinePerFrame_data();
    void encodesOneLinePerFrame();
    void eachFrameReachesTheFileAtOnce();
    void replacesAnExistingFile();
    void unwritablePathIsAnError();
    void tokenNeverReachesTheFile();
    void closesAreRecorded_data();
    void closesAreRecorded();

private:
    static FrameRecord frameFor(const Payload &payload, FrameRecord::Direction direction,
                                qint64 timeMs = 1795000000123);
    QTemporaryDir m_dir;
};

void tst_FrameRecorder::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

FrameRecord tst_FrameRecorder::frameFor(const Payload &payload, FrameRecord::Direction direction,
                                        qint64 timeMs)
{
    FrameRecord frame;
    frame.timeMs = timeMs;
    frame.direction = direction;
    frame.op = payload.op;
    frame.type = payload.t;
    frame.seq = payload.s.value_or(-1);
    frame.json = Redaction::redactedJson(payload);
    frame.wireBytes = frame.json.size() / 3;
    return frame;
}

void tst_FrameRecorder::encodesOneLinePerFrame_data()
{
    QTest::addColumn<Payload>("payload");
    QTest::addColumn<bool>("incoming");
    QTest::newRow("dispatch in") << Payload::dispatch(
            u"MESSAGE_CREATE"_s, 1234,
            QJsonObject{{u"id"_s, u"1"_s}, {u"content"_s, u"two\nlines\r\u2028and more"_s}})
                                 << true;
    QTest::newRow("heartbeat out") << Payload::make(Opcode::Heartbeat, 1234) << false;
    QTest::newRow("hello in") << Payload::make(Opcode::Hello,
                                               QJsonObject{{u"heartbeat_interval"_s, 41250}})
                              << true;
}

void tst_FrameRecorder::encodesOneLinePerFrame()
{
    QFETCH(Payload, payload);
    QFETCH(bool, incoming);
    const FrameRecord frame = frameFor(payload, incoming ? FrameRecord::Direction::Incoming
                                                         : FrameRecord::Direction::Outgoing);
    const QByteArray line = FrameRecorder::encodeLine(frame);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    const QJsonObject object = QJsonDocument::fromJson(line).object();
    QCOMPARE(object.value("ts"_L1).toString(), u"2026-11-18T11:06:40.123Z"_s);
    QCOMPARE(object.value("dir"_L1).toString(), incoming ? u"in"_s : u"out"_s);
    QCOMPARE(object.value("wire_bytes"_L1).toInteger(), frame.wireBytes);
    QCOMPARE(QJsonDocument(object.value("payload"_L1).toObject()).toJson(QJsonDocument::Compact),
             payload.serialize());
}

void tst_FrameRecorder::eachFrameReachesTheFileAtOnce()
{
    const QString path = m_dir.filePath(u"live.jsonl"_s);
    FrameRecorder recorder;
    QVERIFY2(recorder.open(path), qPrintable(recorder.errorString()));
    QFile reader(path);
    QVERIFY(reader.open(QIODevice::ReadOnly));
    for (int seq = 1; seq <= 3; ++seq) {
        recorder.record(frameFor(Payload::dispatch(u"TYPING_START"_s, seq, QJsonObject()),
                                 FrameRecord::Direction::Incoming));
        // Another reader sees the line while the recorder is still open: a crash loses nothing
        // that was recorded before it.
        const QByteArray line = reader.readLine();
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(QJsonDocument::fromJson(line)["payload"_L1]["s"_L1].toInt(), seq);
    }
    QCOMPARE(recorder.framesWritten(), 3);
}

void tst_FrameRecorder::replacesAnExistingFile()
{
    const QString path = m_dir.filePath(u"old.jsonl"_s);
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("an older recording\n");
    old.close();
    FrameRecorder recorder;
    QVERIFY(recorder.open(path));
    recorder.record(
            frameFor(Payload::make(Opcode::HeartbeatAck), FrameRecord::Direction::Incoming));
    recorder.close();
    QVERIFY(old.open(QIODevice::ReadOnly));
    const QByteArray content = old.readAll();
    QVERIFY(!content.contains("older"));
    QCOMPARE(content.count('\n'), 1);
}

void tst_FrameRecorder::unwritablePathIsAnError()
{
    const QString path = m_dir.filePath(u"no-such-folder/frames.jsonl"_s);
    FrameRecorder recorder;
    QVERIFY(!recorder.open(path));
    QVERIFY(recorder.errorString().contains(path));
    QVERIFY(!recorder.isOpen());
    // Recording into a closed recorder is harmless.
    recorder.record(
            frameFor(Payload::make(Opcode::HeartbeatAck), FrameRecord::Direction::Incoming));
    QCOMPARE(recorder.framesWritten(), 0);
}

void tst_FrameRecorder::tokenNeverReachesTheFile()
{
    const QString token = u"MTIzNDU2Nzg5.recorder-secret.token"_s;
    Redaction::registerSecret(token);
    const QString path = m_dir.filePath(u"identify.jsonl"_s);
    FrameRecorder recorder;
    QVERIFY(recorder.open(path));
    recorder.record(frameFor(
            Payload::make(Opcode::Identify, QJsonObject{{u"token"_s, token}, {u"intents"_s, 513}}),
            FrameRecord::Direction::Outgoing));
    recorder.record(frameFor(Payload::make(Opcode::Resume, QJsonObject{{u"token"_s, token},
                                                                       {u"session_id"_s, u"abc"_s},
                                                                       {u"seq"_s, 4}}),
                             FrameRecord::Direction::Outgoing));
    recorder.close();
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QCOMPARE(content.count('\n'), 2);
    QVERIFY(!content.contains(token.toUtf8()));
    QVERIFY(!content.contains("recorder-secret"));
    QVERIFY(content.contains(Redaction::Placeholder.toUtf8()));
}

void tst_FrameRecorder::closesAreRecorded_data()
{
    QTest::addColumn<GatewayClient::Initiator>("initiator");
    QTest::addColumn<int>("code");
    QTest::addColumn<CloseCodes::Action>("action");
    QTest::addColumn<QString>("direction");
    QTest::newRow("server 4000") << GatewayClient::Initiator::Server << 4000
                                 << CloseCodes::Action::Resume << u"in"_s;
    QTest::newRow("network 1006") << GatewayClient::Initiator::Network << 1006
                                  << CloseCodes::Action::Resume << u"in"_s;
    QTest::newRow("client zombie")
            << GatewayClient::Initiator::Client << 4000 << CloseCodes::Action::Resume << u"out"_s;
    QTest::newRow("user 1000") << GatewayClient::Initiator::User << 1000
                               << CloseCodes::Action::Identify << u"out"_s;
    QTest::newRow("fatal 4004") << GatewayClient::Initiator::Server << 4004
                                << CloseCodes::Action::Fatal << u"in"_s;
}

void tst_FrameRecorder::closesAreRecorded()
{
    QFETCH(GatewayClient::Initiator, initiator);
    QFETCH(int, code);
    QFETCH(CloseCodes::Action, action);
    QFETCH(QString, direction);
    const QString token = u"MTIz.close-reason-secret.abc"_s;
    Redaction::registerSecret(token);
    const QByteArray line = FrameRecorder::encodeCloseLine(1795000000123, code, u"why\n"_s + token,
                                                           initiator, action);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    QVERIFY(!line.contains("close-reason-secret"));
    const QJsonObject object = QJsonDocument::fromJson(line).object();
    QCOMPARE(object.value("dir"_L1).toString(), direction);
    const QJsonObject close = object.value("close"_L1).toObject();
    QCOMPARE(close.value("code"_L1).toInt(), code);
    QCOMPARE(close.value("by"_L1).toString(), GatewayClient::initiatorName(initiator));
    QCOMPARE(close.value("next"_L1).toString(), CloseCodes::actionName(action));
    QVERIFY(close.value("reason"_L1).toString().startsWith(u"why\n"_s));
}

QTEST_GUILESS_MAIN(tst_FrameRecorder)
#include "tst_framerecorder.moc"
