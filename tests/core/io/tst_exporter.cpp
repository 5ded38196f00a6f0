#include "core/io/exporter.h"

#include "readback.h"
#include "samplemessages.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatescope;
using namespace Gatescope::TestData;
using namespace Qt::StringLiterals;

class tst_Exporter : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void synchronousReadBack_data();
    void synchronousReadBack();
    void emptyExportHasHeaderOnly();
    void unwritablePathLeavesNoFile_data();
    void unwritablePathLeavesNoFile();
    void chunkedMatchesSynchronous();
    void failureIsReportedAfterStart();
    void cancelLeavesNoFile();
    void existingFileSurvivesFailure_data();
    void existingFileSurvivesFailure();
    void startWhileRunningIsIgnored();
    void destroyingARunningExportLeavesNoFile();

private:
    static QByteArray readAll(const QString &path);
    // A provider of any number of rows, cycling through the samples.
    static ExportRowProvider cyclingRows();

    QList<Sample> m_samples;
};

void tst_Exporter::initTestCase()
{
    m_samples = samples();
}

QByteArray tst_Exporter::readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

ExportRowProvider tst_Exporter::cyclingRows()
{
    const QList<Sample> list = samples();
    return [list](qsizetype i) {
        return rowOf(list.at(i % list.size()));
    };
}

void tst_Exporter::synchronousReadBack_data()
{
    QTest::addColumn<int>("formatValue");
    QTest::addColumn<bool>("bom");
    QTest::addColumn<char>("delimiter");

    QTest::newRow("csv comma bom") << int(ExportFormat::Csv) << true << ',';
    QTest::newRow("csv semicolon no bom") << int(ExportFormat::Csv) << false << ';';
    QTest::newRow("jsonl") << int(ExportFormat::JsonLines) << true << ',';
}

void tst_Exporter::synchronousReadBack()
{
    QFETCH(int, formatValue);
    QFETCH(bool, bom);
    const auto format = ExportFormat(formatValue);
    QFETCH(char, delimiter);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"out.file"_s);
    QString error;
    QVERIFY(Exporter::exportToFile(path, format, CsvOptions{bom, delimiter}, m_samples.size(),
                                   providerOf(m_samples), &error));
    QVERIFY(error.isEmpty());

    const QByteArray bytes = readAll(path);
    QCOMPARE(bytes.startsWith("\xEF\xBB\xBF"), format == ExportFormat::Csv && bom);

    const QJsonArray rows = format == ExportFormat::Csv ? readBackCsv(path, delimiter, &error)
                                                        : readBackJsonLines(path, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const qsizetype headerRows = format == ExportFormat::Csv ? 1 : 0;
    QCOMPARE(rows.size(), m_samples.size() + headerRows);
    for (qsizetype i = 0; i < m_samples.size(); ++i) {
        const Message &m = m_samples.at(i).message;
        const QJsonValue row = rows.at(i + headerRows);
        const QString id = format == ExportFormat::Csv
                                   ? row.toArray().at(5).toString()
                                   : row.toObject().value(u"message_id"_s).toString();
        QCOMPARE(id, QString::number(m.id));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"out.file"_s});
}

void tst_Exporter::emptyExportHasHeaderOnly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString csv = dir.filePath(u"empty.csv"_s);
    QVERIFY(Exporter::exportToFile(csv, ExportFormat::Csv, CsvOptions{false, ','}, 0, {}));
    QCOMPARE(readAll(csv),
             "timestamp_utc,guild_id,guild,channel_id,channel,message_id,author_id,author,bot,"
             "content,attachments,reply_to,edited_at,deleted\r\n"_ba);
    const QString jsonl = dir.filePath(u"empty.jsonl"_s);
    QVERIFY(Exporter::exportToFile(jsonl, ExportFormat::JsonLines, {}, 0, {}));
    QVERIFY(QFile::exists(jsonl));
    QCOMPARE(readAll(jsonl), QByteArray());
}

void tst_Exporter::unwritablePathLeavesNoFile_data()
{
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("message");

    QTest::newRow("missing folder") << u"missing/deeper/out.csv"_s << u"does not exist"_s;
    QTest::newRow("path is a folder") << u"folder"_s << u"is a folder"_s;
    QTest::newRow("empty path") << u"<empty>"_s << u"No output file name"_s;
    QTest::newRow("read-only folder") << u"readonly/out.csv"_s << u"Cannot write"_s;
}

void tst_Exporter::unwritablePathLeavesNoFile()
{
    QFETCH(QString, where);
    QFETCH(QString, message);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkdir(u"folder"_s));
    QVERIFY(QDir(dir.path()).mkdir(u"readonly"_s));
    const QString readonlyDir = dir.filePath(u"readonly"_s);
    QVERIFY(QFile::setPermissions(readonlyDir, QFile::ReadOwner | QFile::ExeOwner));

    QString path = where == u"<empty>"_s ? QString() : dir.filePath(where);
    QString unwritableFolder = readonlyDir;
    if (where.startsWith(u"readonly"_s)) {
        // Permissions do not stop root; /proc refuses new files to everybody.
        if (QFileInfo(readonlyDir).isWritable()) {
            path = u"/proc/gatescope-export-test.csv"_s;
            unwritableFolder = u"/proc"_s;
        } else {
            message = u"is not writable"_s;
        }
    }

    QString error;
    QVERIFY(!Exporter::exportToFile(path, ExportFormat::Csv, {}, m_samples.size(),
                                    providerOf(m_samples), &error));
    QVERIFY2(error.contains(message), qPrintable(error));
    if (!path.isEmpty()) {
        QVERIFY2(error.contains(QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath())),
                 qPrintable(error));
    }
    QVERIFY(!QFileInfo(path).isFile());
    QCOMPARE(QDir(unwritableFolder).entryList({u"gatescope-export-test*"_s, u"out.csv*"_s}),
             QStringList());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList());
    QFile::setPermissions(readonlyDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void tst_Exporter::chunkedMatchesSynchronous()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString syncPath = dir.filePath(u"sync.csv"_s);
    const QString chunkedPath = dir.filePath(u"chunked.csv"_s);
    const CsvOptions options{true, ';'};
    QVERIFY(Exporter::exportToFile(syncPath, ExportFormat::Csv, options, m_samples.size(),
                                   providerOf(m_samples)));

    Exporter exporter;
    exporter.setPath(chunkedPath);
    exporter.setCsvOptions(options);
    exporter.setRowsPerChunk(4);
    exporter.setRows(m_samples.size(), providerOf(m_samples));
    QSignalSpy progress(&exporter, &Exporter::progress);
    QSignalSpy finished(&exporter, &Exporter::finished);
    exporter.start();
    QVERIFY(exporter.isRunning());
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(!exporter.isRunning());
    QVERIFY(exporter.errorString().isEmpty());

    const qsizetype total = m_samples.size();
    QCOMPARE(progress.size(), (total + 3) / 4);
    for (qsizetype i = 0; i < progress.size(); ++i) {
        QCOMPARE(progress.at(i).at(0).toLongLong(), std::min<qint64>(total, (i + 1) * 4));
        QCOMPARE(progress.at(i).at(1).toLongLong(), total);
    }
    QCOMPARE(readAll(chunkedPath), readAll(syncPath));
}

void tst_Exporter::failureIsReportedAfterStart()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Exporter exporter;
    exporter.setPath(dir.filePath(u"nope/out.csv"_s));
    exporter.setRows(m_samples.size(), providerOf(m_samples));
    QSignalSpy finished(&exporter, &Exporter::finished);
    exporter.start();
    QCOMPARE(finished.size(), 0); // never inside start()
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(finished.at(0).at(1).toString().contains(u"does not exist"_s));
    QCOMPARE(exporter.errorString(), finished.at(0).at(1).toString());
    QVERIFY(!QFileInfo::exists(dir.filePath(u"nope"_s)));
}

void tst_Exporter::cancelLeavesNoFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"cancelled.csv"_s);
    Exporter exporter;
    exporter.setPath(path);
    exporter.setRowsPerChunk(1000);
    exporter.setRows(100000, cyclingRows());
    QSignalSpy finished(&exporter, &Exporter::finished);
    connect(&exporter, &Exporter::progress, &exporter, [&](qint64 done) {
        if (done >= 3000)
            exporter.cancel();
    });
    exporter.start();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(finished.at(0).at(1).toString().contains(u"cancelled"_s));
    QVERIFY(!exporter.isRunning());
    QVERIFY(!QFile::exists(path));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
}

void tst_Exporter::existingFileSurvivesFailure_data()
{
    QTest::addColumn<bool>("cancel");
    QTest::newRow("cancelled") << true;
    QTest::newRow("row without a message") << false;
}

void tst_Exporter::existingFileSurvivesFailure()
{
    QFETCH(bool, cancel);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"existing.csv"_s);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("old content\n");
    }

    const QList<Sample> list = m_samples;
    ExportRowProvider provider = [list, cancel](qsizetype i) {
        if (!cancel && i == 5000)
            return ExportRow{};
        return rowOf(list.at(i % list.size()));
    };

    Exporter exporter;
    exporter.setPath(path);
    exporter.setRowsPerChunk(1000);
    exporter.setRows(50000, provider);
    QSignalSpy finished(&exporter, &Exporter::finished);
    if (cancel) {
        connect(&exporter, &Exporter::progress, &exporter, [&](qint64 done) {
            if (done >= 20000)
                exporter.cancel();
        });
    }
    exporter.start();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    if (!cancel)
        QVERIFY(finished.at(0).at(1).toString().contains(u"row 5001"_s));
    QCOMPARE(readAll(path), "old content\n"_ba);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{u"existing.csv"_s});

    if (!cancel) {
        QVERIFY(!Exporter::exportToFile(path, ExportFormat::JsonLines, {}, 50000, provider));
        QCOMPARE(readAll(path), "old content\n"_ba);
    }
}

void tst_Exporter::startWhileRunningIsIgnored()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Exporter exporter;
    exporter.setPath(dir.filePath(u"once.jsonl"_s));
    exporter.setFormat(ExportFormat::JsonLines);
    exporter.setRowsPerChunk(2);
    exporter.setRows(m_samples.size(), providerOf(m_samples));
    QSignalSpy finished(&exporter, &Exporter::finished);
    exporter.start();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"already running"_s));
    exporter.start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(readAll(dir.filePath(u"once.jsonl"_s)).count('\n'), m_samples.size());
}

void tst_Exporter::destroyingARunningExportLeavesNoFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"abandoned.csv"_s);
    auto exporter = std::make_unique<Exporter>();
    exporter->setPath(path);
    exporter->setRowsPerChunk(500);
    exporter->setRows(100000, cyclingRows());
    QSignalSpy progress(exporter.get(), &Exporter::progress);
    exporter->start();
    QVERIFY(progress.wait(5000));
    QVERIFY(exporter->isRunning());
    // (On Linux QSaveFile writes an unnamed O_TMPFILE, so not even a crash leaves a stray file.)
    exporter.reset();
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
}

QTEST_GUILESS_MAIN(tst_Exporter)
#include "tst_exporter.moc"
