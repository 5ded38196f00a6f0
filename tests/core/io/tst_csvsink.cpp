#include "core/io/csvsink.h"

#include "readback.h"
#include "samplemessages.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::TestData;
using namespace Qt::StringLiterals;

class tst_CsvSink : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void headerOnceRowsAppended_data();
    void headerOnceRowsAppended();
    void repairsMissingFinalLineBreak();
    void flushesWithinASecond();
    void rotatedFileName_data();
    void rotatedFileName();
    void rotatesAtUtcMidnight();
    void unwritablePathIsReported();
    void keepsRowsWhileFolderIsMissing();
    void keepsRowsWhenTheDiskIsFull();
    void rowsWithoutAnIdAreRejected();
    void eventRows_data();
    void eventRows();
    void withoutEventRowsTheFileIsUnchanged();
    void headerMismatchIsRefused_data();
    void headerMismatchIsRefused();

private:
    static QByteArray readAll(const QString &path);
    // The message ids of a read-back CSV, without the header; empty on error.
    static QStringList readIds(const QString &path, char delimiter, bool *ok);

    QList<Sample> m_samples;
};

void tst_CsvSink::initTestCase()
{
    m_samples = samples();
}

QByteArray tst_CsvSink::readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList tst_CsvSink::readIds(const QString &path, char delimiter, bool *ok)
{
    QString error;
    const QJsonArray rows = readBackCsv(path, delimiter, &error);
    *ok = error.isEmpty() && !rows.isEmpty()
          && rows.at(0).toArray().at(0).toString() == u"timestamp_utc"_s;
    if (!*ok)
        qWarning() << "read-back failed:" << error;
    QStringList ids;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QJsonArray row = rows.at(i).toArray();
        *ok = *ok && row.size() == 14 && row.at(0).toString() != u"timestamp_utc"_s;
        ids << row.at(5).toString();
    }
    return ids;
}

void tst_CsvSink::headerOnceRowsAppended_data()
{
    QTest::addColumn<bool>("bom");
    QTest::addColumn<char>("delimiter");
    QTest::newRow("comma, BOM") << true << ',';
    QTest::newRow("semicolon, no BOM") << false << ';';
}

void tst_CsvSink::headerOnceRowsAppended()
{
    QFETCH(bool, bom);
    QFETCH(char, delimiter);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"live.csv"_s);
    QStringList expectedIds;
    for (int session = 0; session < 2; ++session) {
        CsvSink sink;
        sink.setFilePath(path);
        sink.setCsvOptions(CsvOptions{bom, delimiter});
        QSignalSpy opened(&sink, &CsvSink::fileOpened);
        QVERIFY2(sink.open(), qPrintable(sink.errorString()));
        QCOMPARE(opened.size(), 1);
        QCOMPARE(sink.currentFilePath(), path);
        for (qsizetype i = session; i < m_samples.size(); i += 2) {
            QVERIFY(sink.append(rowOf(m_samples.at(i))));
            expectedIds << QString::number(m_samples.at(i).message.id);
        }
        QCOMPARE(sink.rowsAccepted(), (m_samples.size() + 1 - session) / 2);
        sink.close(); // flushes
        QVERIFY(!sink.isOpen());
        QVERIFY(!sink.append(rowOf(m_samples.first()))); // closed: refused and counted
        QCOMPARE(sink.rowsDropped(), 1);
    }

    const QByteArray bytes = readAll(path);
    QCOMPARE(bytes.startsWith("\xEF\xBB\xBF"), bom);
    QCOMPARE(bytes.count("\xEF\xBB\xBF"), bom ? 1 : 0);
    QCOMPARE(bytes.count("timestamp_utc"), 1);
    bool ok = false;
    QCOMPARE(readIds(path, delimiter, &ok), expectedIds);
    QVERIFY(ok);
}

void tst_CsvSink::repairsMissingFinalLineBreak()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"cut.csv"_s);
    QByteArray header;
    CsvWriter().appendHeader(header);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(header + "2024-01-01T00:00:00.000Z,1,cut off mid-li"_ba);
    }
    CsvSink sink;
    sink.setFilePath(path);
    QVERIFY(sink.open());
    QVERIFY(sink.append(rowOf(m_samples.first())));
    sink.close();

    QString error;
    const QJsonArray rows = readBackCsv(path, ',', &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(1).toArray().size(), 3); // the cut row stays as it was
    QCOMPARE(rows.at(2).toArray().at(5).toString(), QString::number(m_samples.first().message.id));
    QCOMPARE(readAll(path).count("timestamp_utc"), 1);
}

void tst_CsvSink::flushesWithinASecond()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"live.csv"_s);
    CsvSink sink; // the default flush interval: 1 s
    QCOMPARE(sink.flushInterval(), 1000);
    sink.setFilePath(path);
    QVERIFY(sink.open());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > 0, 1500);
    const qint64 headerSize = QFileInfo(path).size();

    QElapsedTimer clock;
    clock.start();
    QVERIFY(sink.append(rowOf(m_samples.first())));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > headerSize, 1500);
    QVERIFY2(clock.elapsed() <= 1400, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(sink.pendingBytes(), 0);

    // Large bursts are written before the timer fires.
    sink.setFlushInterval(60000);
    const qint64 before = QFileInfo(path).size();
    for (int i = 0; i < 20000; ++i)
        sink.append(rowOf(m_samples.at(i % m_samples.size())));
    QVERIFY(QFileInfo(path).size() > before + (1 << 20) - 4096);
    QVERIFY(sink.pendingBytes() < (1 << 20));
}

void tst_CsvSink::rotatedFileName_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("name");
    QTest::newRow("brief example") << qint64(1795737600000) << u"gatescope-2026-11-27.csv"_s;
    QTest::newRow("last ms of the day") << qint64(1795823999999) << u"gatescope-2026-11-27.csv"_s;
    QTest::newRow("midnight") << qint64(1795824000000) << u"gatescope-2026-11-28.csv"_s;
    QTest::newRow("epoch") << qint64(0) << u"gatescope-1970-01-01.csv"_s;
}

void tst_CsvSink::rotatedFileName()
{
    QFETCH(qint64, ms);
    QFETCH(QString, name);
    QCOMPARE(CsvSink::rotatedFileName(u"gatescope"_s, ms), name);
}

void tst_CsvSink::rotatesAtUtcMidnight()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    qint64 now = 1795823999000; // 2026-11-27T23:59:59.000Z
    CsvSink sink;
    sink.setClock([&now] { return now; });
    sink.setRotatingFolder(dir.path());
    QVERIFY(sink.isRotating());
    QSignalSpy opened(&sink, &CsvSink::fileOpened);
    QVERIFY(sink.open());
    const QString day1 = dir.filePath(u"gatescope-2026-11-27.csv"_s);
    const QString day2 = dir.filePath(u"gatescope-2026-11-28.csv"_s);
    QCOMPARE(sink.currentFilePath(), day1);

    QVERIFY(sink.append(rowOf(m_samples.at(0))));
    now += 999; // 23:59:59.999, still the same day
    QVERIFY(sink.append(rowOf(m_samples.at(1))));
    QCOMPARE(opened.size(), 1);
    now += 1; // midnight
    QVERIFY(sink.append(rowOf(m_samples.at(2))));
    QCOMPARE(opened.size(), 2);
    QCOMPARE(opened.at(1).at(0).toString(), day2);
    QCOMPARE(sink.currentFilePath(), day2);
    // Rotation wrote the old day out at once.
    bool ok = false;
    QCOMPARE(readIds(day1, ',', &ok), QStringList({QString::number(m_samples.at(0).message.id),
                                                   QString::number(m_samples.at(1).message.id)}));
    QVERIFY(ok);
    sink.close();
    QCOMPARE(readIds(day2, ',', &ok), QStringList{QString::number(m_samples.at(2).message.id)});
    QVERIFY(ok);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
}

void tst_CsvSink::unwritablePathIsReported()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    CsvSink sink;
    sink.setFilePath(dir.filePath(u"missing/live.csv"_s));
    QSignalSpy errors(&sink, &CsvSink::errorOccurred);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"does not exist"_s));
    QVERIFY(!sink.open());
    QVERIFY(!sink.isOpen());
    QVERIFY2(sink.errorString().contains(u"does not exist"_s), qPrintable(sink.errorString()));
    QCOMPARE(errors.size(), 1);
    QVERIFY(!sink.append(rowOf(m_samples.first())));
    QCOMPARE(sink.rowsDropped(), 1);
    QVERIFY(!QFileInfo::exists(dir.filePath(u"missing"_s)));
}

void tst_CsvSink::keepsRowsWhileFolderIsMissing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath(u"logs"_s);
    QVERIFY(QDir().mkpath(folder));
    qint64 now = 1795823990000; // 2026-11-27T23:59:50Z
    CsvSink sink;
    sink.setClock([&now] { return now; });
    sink.setRotatingFolder(folder, u"log"_s);
    QVERIFY(sink.open());
    QVERIFY(sink.append(rowOf(m_samples.at(0))));
    QVERIFY(sink.flush());

    // The folder disappears; at midnight the new day's file cannot be created.
    QVERIFY(QDir(folder).removeRecursively());
    now += 20000;
    QSignalSpy errors(&sink, &CsvSink::errorOccurred);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"does not exist"_s));
    QVERIFY(sink.append(rowOf(m_samples.at(1))));
    QVERIFY(sink.append(rowOf(m_samples.at(2))));
    QCOMPARE(errors.size(), 1);
    QVERIFY(sink.pendingBytes() > 0);
    QTest::failOnWarning(QRegularExpression(u"does not exist"_s)); // logged once, not per retry
    QVERIFY(!sink.flush());
    QCOMPARE(errors.size(), 2);

    // Once the folder is back, the kept rows are written, after a header.
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(sink.flush());
    QCOMPARE(sink.pendingBytes(), 0);
    bool ok = false;
    QCOMPARE(readIds(QDir(folder).filePath(u"log-2026-11-28.csv"_s), ',', &ok),
             QStringList({QString::number(m_samples.at(1).message.id),
                          QString::number(m_samples.at(2).message.id)}));
    QVERIFY(ok);
    QCOMPARE(sink.rowsAccepted(), 3);
    QCOMPARE(sink.rowsDropped(), 0);
}

void tst_CsvSink::keepsRowsWhenTheDiskIsFull()
{
    if (!QFileInfo::exists(u"/dev/full"_s))
        QSKIP("needs /dev/full");
    CsvSink sink;
    sink.setFilePath(u"/dev/full"_s);
    sink.setFlushInterval(60000);
    sink.setMaxPendingBytes(1 << 20);
    QSignalSpy errors(&sink, &CsvSink::errorOccurred);
    QVERIFY(sink.open());
    QVERIFY(sink.append(rowOf(m_samples.first())));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"No space left"_s));
    QVERIFY(!sink.flush());
    QCOMPARE(errors.size(), 1);
    QVERIFY(sink.errorString().contains(u"/dev/full"_s));
    const qsizetype kept = sink.pendingBytes();
    QVERIFY(kept > 0);

    // Accepted rows are never thrown away; past the cap new rows are refused and counted.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"rows dropped"_s));
    qint64 accepted = 1;
    while (sink.append(rowOf(m_samples.at(accepted % m_samples.size()))))
        ++accepted;
    QCOMPARE(sink.rowsAccepted(), accepted);
    QCOMPARE(sink.rowsDropped(), 1);
    QVERIFY(sink.pendingBytes() >= sink.maxPendingBytes());
    QVERIFY(sink.pendingBytes() > kept);
}

QTEST_GUILESS_MAIN(tst_CsvSink)
void tst_CsvSink::rowsWithoutAnIdAreRejected()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"ids.csv"_s);
    CsvSink sink;
    sink.setFilePath(path);
    QVERIFY(sink.open());
    Message noId = m_samples.first().message;
    noId.id = 0;
    QVERIFY(sink.append(rowOf(m_samples.first())));
    QVERIFY(!sink.append(ExportRow{&noId, u"g"_s, u"c"_s}));
    QCOMPARE(sink.rowsAccepted(), 1);
    QCOMPARE(sink.rowsRejected(), 1);
    QCOMPARE(sink.rowsDropped(), 0);
    sink.close();
    bool ok = false;
    QCOMPARE(readIds(path, ',', &ok), QStringList{QString::number(m_samples.first().message.id)});
    QVERIFY(ok);
}

void tst_CsvSink::eventRows_data()
{
    QTest::addColumn<int>("event"); // a CsvWriter::Event
    QTest::addColumn<QString>("content");
    QTest::addColumn<qint64>("editedAtMs");
    QTest::addColumn<bool>("deleted");
    QTest::addColumn<QStringList>("expected"); // event, message_id, content, edited_at, deleted
    const qint64 edited = 1704164645678; // 2024-01-02T03:04:05.678Z
    QTest::newRow("create") << int(CsvWriter::Event::Create) << u"hello"_s << qint64(0) << false
                            << QStringList{u"create"_s, u"hello"_s, QString(), u"false"_s};
    QTest::newRow("update") << int(CsvWriter::Event::Update) << u"hello, edited"_s << edited
                            << false
                            << QStringList{u"update"_s, u"hello, edited"_s,
                                           u"2024-01-02T03:04:05.678Z"_s, u"false"_s};
    QTest::newRow("update, formula and NUL")
            << int(CsvWriter::Event::Update) << u"=HYPERLINK(\"x\")\u0000"_s << edited << false
            << QStringList{u"update"_s, u"'=HYPERLINK(\"x\")\uFFFD"_s,
                           u"2024-01-02T03:04:05.678Z"_s, u"false"_s};
    QTest::newRow("delete, content known")
            << int(CsvWriter::Event::Delete) << u"gone"_s << qint64(0) << true
            << QStringList{u"delete"_s, u"gone"_s, QString(), u"true"_s};
    QTest::newRow("delete_bulk, content unknown")
            << int(CsvWriter::Event::DeleteBulk) << QString() << qint64(0) << true
            << QStringList{u"delete_bulk"_s, QString(), QString(), u"true"_s};
}

void tst_CsvSink::eventRows()
{
    QFETCH(int, event);
    QFETCH(QString, content);
    QFETCH(qint64, editedAtMs);
    QFETCH(bool, deleted);
    QFETCH(QStringList, expected);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"events.csv"_s);
    CsvSink sink;
    sink.setFilePath(path);
    sink.setEventRows(true);
    QVERIFY2(sink.open(), qPrintable(sink.errorString()));
    Message message = m_samples.first().message;
    message.content = content;
    message.editedAtMs = editedAtMs;
    if (deleted)
        message.flags |= Message::Deleted;
    QVERIFY(sink.append(rowOf(m_samples.first()))); // append() is a create row
    QVERIFY(sink.appendEvent(CsvWriter::Event(event), ExportRow{&message, u"g"_s, u"c"_s}));
    sink.close();

    QString error;
    const QJsonArray rows = readBackCsv(path, ',', &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(rows.size(), 3);
    const QJsonArray header = rows.at(0).toArray();
    QCOMPARE(header.size(), 15);
    QCOMPARE(header.at(0).toString(), u"event"_s);
    QCOMPARE(header.at(1).toString(), u"timestamp_utc"_s);
    QCOMPARE(rows.at(1).toArray().at(0).toString(), u"create"_s);
    const QJsonArray row = rows.at(2).toArray();
    QCOMPARE(row.size(), 15);
    const QStringList cells{row.at(0).toString(), row.at(10).toString(), row.at(13).toString(),
                            row.at(14).toString()};
    QCOMPARE(cells, expected);
    QCOMPARE(row.at(6).toString(), QString::number(message.id));
}

void tst_CsvSink::withoutEventRowsTheFileIsUnchanged()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"plain.csv"_s);
    CsvSink sink;
    sink.setFilePath(path);
    QVERIFY(!sink.eventRows());
    QVERIFY(sink.open());
    QByteArray expected(CsvWriter::byteOrderMark().toByteArray());
    const CsvWriter writer;
    writer.appendHeader(expected);
    for (const Sample &sample : std::as_const(m_samples)) {
        QVERIFY(sink.append(rowOf(sample)));
        writer.appendRow(expected, rowOf(sample));
    }
    // Without the option, edits and deletes are not written (and counted as dropped).
    QVERIFY(!sink.appendEvent(CsvWriter::Event::Update, rowOf(m_samples.first())));
    QCOMPARE(sink.rowsDropped(), 1);
    sink.close();
    QCOMPARE(readAll(path), expected);
    QVERIFY(!expected.contains("event"));
}

void tst_CsvSink::headerMismatchIsRefused_data()
{
    QTest::addColumn<bool>("writtenWithEvents");
    QTest::newRow("plain file, opened with events") << false;
    QTest::newRow("event file, opened without") << true;
}

void tst_CsvSink::headerMismatchIsRefused()
{
    QFETCH(bool, writtenWithEvents);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"existing.csv"_s);
    {
        CsvSink first;
        first.setFilePath(path);
        first.setEventRows(writtenWithEvents);
        QVERIFY(first.open());
        QVERIFY(first.append(rowOf(m_samples.first())));
    }
    const QByteArray before = readAll(path);

    CsvSink second;
    second.setFilePath(path);
    second.setEventRows(!writtenWithEvents);
    QSignalSpy errors(&second, &CsvSink::errorOccurred);
    QVERIFY(!second.open());
    QVERIFY(!second.isOpen());
    QCOMPARE(errors.size(), 1);
    QVERIFY2(second.errorString().contains(path), qPrintable(second.errorString()));
    QVERIFY2(second.errorString().contains(u"event"_s), qPrintable(second.errorString()));
    QVERIFY(!second.append(rowOf(m_samples.first())));
    QCOMPARE(readAll(path), before);

    // The same mode continues the file.
    CsvSink same;
    same.setFilePath(path);
    same.setEventRows(writtenWithEvents);
    QVERIFY2(same.open(), qPrintable(same.errorString()));
}

#include "tst_csvsink.moc"
