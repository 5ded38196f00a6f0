#include "core/io/framerecorder.h"
#include "core/io/replayer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;

class tst_Replayer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void decodeLine_data();
    void decodeLine();
    void decodesARecordedClose();
    void replaysEveryFrameInOrder();
    void corruptLinesAreReportedAndSkipped();
    void incompleteLastLineIsReported();
    void overlongLineIsSkippedWithoutStopping();
    void recordedPaceIsKept_data();
    void recordedPaceIsKept();
    void missingFileIsAnError();

private:
    /// What a replay at maximum speed of one file handed out.
    struct Outcome
    {
        qint64 frames = 0;
        QList<QPair<qint64, QString>> corrupt; ///< line number, reason
    };
    Outcome replayToTheEnd(const QString &path, int timeoutMs = 5000);
    static QByteArray lineFor(qint64 timeMs, int seq, bool incoming = true);
    QString writeFile(const QString &name, const QByteArray &content);
    QTemporaryDir m_dir;
};

void tst_Replayer::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

QByteArray tst_Replayer::lineFor(qint64 timeMs, int seq, bool incoming)
{
    const Payload payload
            = incoming ? Payload::dispatch(u"MESSAGE_CREATE"_s, seq,
                                           QJsonObject{{u"id"_s, QString::number(seq)}})
                       : Payload::make(Opcode::Heartbeat, seq);
    FrameRecord frame;
    frame.timeMs = timeMs;
    frame.direction
            = incoming ? FrameRecord::Direction::Incoming : FrameRecord::Direction::Outgoing;
    frame.wireBytes = 100 + seq;
    frame.json = payload.serialize();
    return FrameRecorder::encodeLine(frame);
}

QString tst_Replayer::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

tst_Replayer::Outcome tst_Replayer::replayToTheEnd(const QString &path, int timeoutMs)
{
    Outcome outcome;
    Replayer replayer;
    if (!replayer.open(path))
        return outcome;
    replayer.setSpeed(0);
    connect(&replayer, &Replayer::frameReady, this,
            [&outcome](const RecordedFrame &) { ++outcome.frames; });
    connect(&replayer, &Replayer::corruptLine, this,
            [&outcome](qint64 line, const QString &reason) {
                outcome.corrupt.append({line, reason});
            });
    QSignalSpy finished(&replayer, &Replayer::finished);
    replayer.start();
    if (!finished.wait(timeoutMs))
        outcome.frames = -1;
    return outcome;
}

void tst_Replayer::decodeLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("error"); // empty: the line is valid
    const QByteArray ts = R"("ts":"2026-11-27T10:00:00.123Z")";
    QTest::newRow("valid in") << lineFor(1795000000123, 7).trimmed() << QString();
    QTest::newRow("valid out") << lineFor(1795000000123, 7, false).trimmed() << QString();
    QTest::newRow("not JSON") << QByteArray("{\"ts\":") << u"not JSON"_s;
    QTest::newRow("invalid UTF-8") << QByteArray("{\"ts\":\"\xff\xfe\"}") << u"not JSON"_s;
    QTest::newRow("array") << QByteArray("[1,2]") << u"not a JSON object"_s;
    QTest::newRow("no ts") << QByteArray(R"({"dir":"in","payload":{"op":11}})") << u"\"ts\""_s;
    QTest::newRow("bad ts") << QByteArray(R"({"ts":"yesterday","dir":"in","payload":{"op":11}})")
                            << u"\"ts\""_s;
    QTest::newRow("bad dir") << "{" + ts + R"(,"dir":"up","payload":{"op":11}})" << u"\"dir\""_s;
    QTest::newRow("no payload") << "{" + ts + R"(,"dir":"in"})" << u"\"payload\""_s;
    QTest::newRow("payload without op")
            << "{" + ts + R"(,"dir":"in","payload":{"d":null}})" << u"\"op\""_s;
    QTest::newRow("close without code")
            << "{" + ts + R"(,"dir":"in","close":{"reason":"x"}})" << u"\"code\""_s;
    QTest::newRow("payload with bad s")
            << "{" + ts + R"(,"dir":"in","payload":{"op":0,"s":"x","t":"A"}})" << u"\"s\""_s;
}

void tst_Replayer::decodeLine()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    QString reason;
    const std::optional<RecordedFrame> frame = Replayer::decodeLine(line, &reason);
    if (error.isEmpty()) {
        QVERIFY2(frame, qPrintable(reason));
        QCOMPARE(frame->timeMs, 1795000000123);
        QCOMPARE(frame->wireBytes, 107);
        QCOMPARE(frame->jsonBytes, frame->payload.serialize().size());
        QVERIFY(frame->payload.op == 0 || frame->payload.op == 1);
    } else {
        QVERIFY(!frame);
        QVERIFY2(reason.contains(error), qPrintable(reason));
    }
}

void tst_Replayer::decodesARecordedClose()
{
    QString error;
    const QByteArray line = FrameRecorder::encodeCloseLine(1795000000123, 4000, u"zombie"_s,
                                                           GatewayClient::Initiator::Client,
                                                           CloseCodes::Action::Resume);
    const std::optional<RecordedFrame> frame = Replayer::decodeLine(line.trimmed(), &error);
    QVERIFY2(frame, qPrintable(error));
    QVERIFY(frame->isClose());
    QCOMPARE(frame->closeCode, 4000);
    QCOMPARE(frame->closeReason, u"zombie"_s);
    QCOMPARE(frame->closedBy, u"client"_s);
    QCOMPARE(frame->closeAction, u"resume"_s);
    QCOMPARE(frame->direction, FrameRecord::Direction::Outgoing);
    QCOMPARE(frame->timeMs, 1795000000123);
}

void tst_Replayer::replaysEveryFrameInOrder()
{
    QByteArray content;
    for (int seq = 1; seq <= 5000; ++seq)
        content += lineFor(1795000000000 + seq, seq, seq % 10 != 0);
    Replayer replayer;
    QVERIFY(replayer.open(writeFile(u"order.jsonl"_s, content)));
    replayer.setSpeed(0);
    QList<RecordedFrame> frames;
    connect(&replayer, &Replayer::frameReady, this,
            [&frames](const RecordedFrame &frame) { frames.append(frame); });
    QSignalSpy finished(&replayer, &Replayer::finished);
    replayer.start();
    QVERIFY(finished.wait(10000));
    QCOMPARE(frames.size(), 5000);
    for (int i = 0; i < frames.size(); ++i) {
        const int seq = i + 1;
        QCOMPARE(frames.at(i).timeMs, 1795000000000 + seq);
        const bool incoming = seq % 10 != 0;
        QCOMPARE(frames.at(i).direction,
                 incoming ? FrameRecord::Direction::Incoming : FrameRecord::Direction::Outgoing);
        QCOMPARE(incoming ? *frames.at(i).payload.s : frames.at(i).payload.d.toInteger(), seq);
    }
    QCOMPARE(replayer.framesReplayed(), 5000);
    QCOMPARE(replayer.corruptLines(), 0);
}

void tst_Replayer::corruptLinesAreReportedAndSkipped()
{
    const QByteArray content = lineFor(1795000000001, 1) + "garbage that is not JSON\n"
                               + lineFor(1795000000002, 2) + "\n"
                               + R"({"ts":"x","dir":"in","payload":{"op":0}})" + "\n"
                               + lineFor(1795000000003, 3);
    const Outcome outcome = replayToTheEnd(writeFile(u"corrupt.jsonl"_s, content));
    QCOMPARE(outcome.frames, 3);
    QCOMPARE(outcome.corrupt.size(), 2);
    QCOMPARE(outcome.corrupt.at(0).first, 2);
    QCOMPARE(outcome.corrupt.at(1).first, 5); // the blank line 4 is not an error
    QVERIFY(outcome.corrupt.at(1).second.contains(u"\"ts\""_s));
}

void tst_Replayer::incompleteLastLineIsReported()
{
    const QByteArray whole = lineFor(1795000000002, 2);
    const QByteArray content = lineFor(1795000000001, 1) + whole.left(whole.size() / 2);
    const Outcome outcome = replayToTheEnd(writeFile(u"crashed.jsonl"_s, content));
    QCOMPARE(outcome.frames, 1);
    QCOMPARE(outcome.corrupt.size(), 1);
    QCOMPARE(outcome.corrupt.at(0).first, 2);
    QVERIFY(outcome.corrupt.at(0).second.contains(u"ends in the middle"_s));
}

void tst_Replayer::overlongLineIsSkippedWithoutStopping()
{
    QByteArray huge = R"({"ts":"2026-11-27T10:00:00.000Z","dir":"in","payload":{"op":0,"d":")";
    huge += QByteArray(Replayer::MaxLineBytes, 'x');
    huge += "\"}}\n";
    const QString path = writeFile(u"huge.jsonl"_s,
                                   lineFor(1795000000001, 1) + huge + lineFor(1795000000002, 2));
    huge.clear();
    const Outcome outcome = replayToTheEnd(path, 20000);
    QCOMPARE(outcome.frames, 2);
    QCOMPARE(outcome.corrupt.size(), 1);
    QCOMPARE(outcome.corrupt.at(0).first, 2);
    QVERIFY(outcome.corrupt.at(0).second.contains(u"longer than"_s));
}

void tst_Replayer::recordedPaceIsKept_data()
{
    QTest::addColumn<double>("speed");
    QTest::addColumn<int>("minimumMs");
    QTest::newRow("recorded pace") << 1.0 << 600;
    QTest::newRow("twice as fast") << 2.0 << 300;
}

void tst_Replayer::recordedPaceIsKept()
{
    QFETCH(double, speed);
    QFETCH(int, minimumMs);
    // Four frames spread over 600 recorded ms: the last may not come before 600 ms / speed.
    QByteArray content;
    for (int i = 0; i < 4; ++i)
        content += lineFor(1795000000000 + i * 200, i + 1);
    Replayer replayer;
    QVERIFY(replayer.open(writeFile(u"pace.jsonl"_s, content)));
    replayer.setSpeed(speed);
    QElapsedTimer clock;
    QList<qint64> arrivals;
    connect(&replayer, &Replayer::frameReady, this,
            [&](const RecordedFrame &) { arrivals.append(clock.elapsed()); });
    QSignalSpy finished(&replayer, &Replayer::finished);
    clock.start();
    replayer.start();
    QVERIFY(finished.wait(10000));
    QCOMPARE(arrivals.size(), 4);
    for (int i = 1; i < 4; ++i)
        QVERIFY2(arrivals.at(i) >= arrivals.at(i - 1), "frames out of order");
    QVERIFY2(arrivals.last() - arrivals.first() >= minimumMs - 1,
             qPrintable(u"last frame after %1 ms"_s.arg(arrivals.last() - arrivals.first())));
}

void tst_Replayer::missingFileIsAnError()
{
    Replayer replayer;
    const QString path = m_dir.filePath(u"absent.jsonl"_s);
    QVERIFY(!replayer.open(path));
    QVERIFY(replayer.errorString().contains(path));
}

QTEST_GUILESS_MAIN(tst_Replayer)
#include "tst_replayer.moc"
