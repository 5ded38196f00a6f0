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

QTEST_GUILESS_MAIN(tst_FrameRecorder)
#include "tst_framerecorder.moc"
