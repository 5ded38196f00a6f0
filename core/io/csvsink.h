#pragma once

#include "core/io/csvwriter.h"
#include "core/io/exporttypes.h"

#include <QFile>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace Gatescope {

/// Streams messages to a CSV file while connected (the `--csv PATH` option, and the UI's
/// continuous log).
///
/// Two modes:
/// - a fixed file (setFilePath()): rows are appended to it; a missing or empty file first gets
///   the byte order mark (if enabled) and the header, an existing file with content does not, so
///   restarting the app continues the same log and never clobbers it (if such a file does not
///   end with a line break, one is added first; its header is only checked for the `event`
///   column (see below), so pointing the sink at a CSV with other columns or another delimiter
///   mixes the two);
/// - daily rotation (setRotatingFolder()): one file per UTC day, `<prefix>-YYYY-MM-DD.csv` in the
///   folder. The day is taken from the clock (setClock()) when a row arrives, so the rows of a
///   day are in that day's file.
///
/// append() formats the row at once into a pending buffer; the buffer is written at the latest
/// flushInterval() after the first pending row (1 s by default), when it exceeds 1 MiB, on
/// flush(), on rotation and on close(). A row once accepted is never dropped: when writing fails
/// (disk full, folder removed, file locked) the bytes stay pending, errorOccurred() is emitted,
/// and the next flush tries again (reopening the file if needed). Only when the pending bytes
/// exceed maxPendingBytes() does append() refuse new rows, counting them in rowsDropped().
/// If a rotation happens while the previous day's rows could not be written, those rows go to the
/// new day's file rather than being lost.
///
/// **Event rows** (setEventRows(), the `--csv-events` option; off by default). The file gets an
/// extra first column, `event`, and edits and deletes become rows of their own (appendEvent()):
/// `create` for append(), `update`, `delete`, `delete_bulk`. Off, the file is exactly what it
/// was before the option existed. The two shapes are never mixed in one file: opening an existing
/// file whose header does not match the mode (no `event` column in event mode, an `event` column
/// otherwise) fails with an error naming the file, and nothing is written to it.
///
/// The file is opened with QIODevice::Unbuffered, so a flush is a write(2): other programs
/// (`tail -f`) see the rows at once. Lives in the thread that owns it.
class CsvSink : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultFlushIntervalMs = 1000;
    static constexpr qsizetype DefaultMaxPendingBytes = qsizetype(64) << 20;
    /// Milliseconds since the Unix epoch, UTC.
    using Clock = std::function<qint64()>;

    explicit CsvSink(QObject *parent = nullptr);
    /// Flushes and closes.
    ~CsvSink() override;

    /// One fixed file, no rotation. Takes effect on the next open().
    void setFilePath(const QString &path);
    /// One file per UTC day in @p folder, named `<prefix>-YYYY-MM-DD.csv`. Takes effect on the
    /// next open().
    void setRotatingFolder(const QString &folder,
                           const QString &prefix = QStringLiteral("gatescope"));
    bool isRotating() const;
    /// The file name used for the UTC day of @p ms in rotation mode, without the folder.
    static QString rotatedFileName(const QString &prefix, qint64 ms);

    void setCsvOptions(CsvOptions options);
    CsvOptions csvOptions() const;
    void setFlushInterval(int ms);
    int flushInterval() const;
    /// Replaces the clock used to pick the rotation day (tests cross midnight with it).
    void setClock(Clock clock);
    void setMaxPendingBytes(qsizetype bytes);
    qsizetype maxPendingBytes() const;
    /// Writes the `event` column and accepts appendEvent() rows (see the class comment). Takes
    /// effect on the next open().
    void setEventRows(bool enabled);
    bool eventRows() const;

    /// Opens (or creates) the file. False, with errorString(), when it cannot be opened.
    bool open();
    /// Writes what is pending and closes the file. Rows still unwritable are reported and
    /// dropped here, as there is no later flush to retry them.
    void close();
    bool isOpen() const;

    /// The file being written, empty before open().
    QString currentFilePath() const;
    QString errorString() const;
    qint64 rowsAccepted() const;
    qint64 rowsDropped() const;
    /// Rows refused because their message has no id (a malformed event that got this far): a
    /// row without a message_id cannot be matched to anything, so it is never written.
    qint64 rowsRejected() const;
    qsizetype pendingBytes() const;

public Q_SLOTS:
    /// Queues one row. False (and the row is counted as dropped) when the sink is not open or
    /// too much is pending already; false and counted in rowsRejected() when its message has
    /// no id.
    bool append(const Gatescope::ExportRow &row);
    /// Queues one row of an event log: @p row as of @p event (for an update the message with
    /// its new content and edited time; for a delete what is known of it, at least the id).
    /// False, like append(), and also when event rows are off (counted as dropped).
    bool appendEvent(Gatescope::CsvWriter::Event event, const Gatescope::ExportRow &row);
    /// Writes everything pending now. False (the bytes stay pending) on a write error.
    bool flush();

Q_SIGNALS:
    /// Writing or opening failed; the sink keeps the rows and retries on the next flush. Emitted
    /// at every failed retry; the log gets the message once until it changes.
    void errorOccurred(const QString &error);
    /// A new file was opened (at open() and at every rotation).
    void fileOpened(const QString &path);

private:
    bool openFile(const QString &path);
    /// Empty when the header of the existing @p file suits the mode; else why it does not.
    QString headerMismatch(QFile &file) const;
    bool accept(CsvWriter::Event event, const ExportRow &row);
    bool rotateIfNeeded();
    void reportError(const QString &error);
    QString pathForDay(qint64 ms) const;

    QString m_path;
    QString m_folder;
    QString m_prefix;
    bool m_rotating = false;
    bool m_active = false;
    bool m_eventRows = false;
    CsvWriter m_writer;
    int m_flushIntervalMs = DefaultFlushIntervalMs;
    Clock m_clock;
    qsizetype m_maxPendingBytes = DefaultMaxPendingBytes;
    qint64 m_currentDay = 0;
    QString m_currentPath;
    QFile m_file;
    QByteArray m_pending;
    QString m_errorString;
    QString m_loggedError;
    qint64 m_rowsAccepted = 0;
    qint64 m_rowsDropped = 0;
    qint64 m_rowsRejected = 0;
    QTimer m_flushTimer;
};

} // namespace Gatescope
