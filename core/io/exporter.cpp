#include "core/io/exporter.h"

#include "core/io/csvwriter.h"
#include "core/io/jsonlineswriter.h"
#include "core/io/outputpath.h"
#include "core/logging.h"

#include <QDeadlineTimer>
#include <QSaveFile>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {
// Bytes gathered in memory before one write() to the temporary file.
constexpr qsizetype WriteThreshold = 1 << 20;
// In chunked mode, written bytes are synced to disk every so often, so that the fsync inside
// QSaveFile::commit() has little left to do and does not stall the last event-loop turn
// (174 ms for 300 MB on the build machine without this).
constexpr qint64 IncrementalSyncBytes = 4 << 20;
} // namespace

/// The state of one export, shared by the synchronous and the chunked way of running it.
class Exporter::Job
{
public:
    Job(const QString &path, ExportFormat format, CsvOptions csvOptions, qsizetype count,
        ExportRowProvider provider)
        : m_file(path)
        , m_format(format)
        , m_csv(csvOptions)
        , m_count(count)
        , m_provider(std::move(provider))
    { }

    bool open()
    {
        if (const QString problem = OutputPath::problem(m_file.fileName()); !problem.isEmpty())
            return fail(problem);
        if (!m_provider && m_count > 0)
            return fail(u"No rows were given to export."_s);
        if (!m_file.open(QIODevice::WriteOnly))
            return fail(OutputPath::describeOpenFailure(m_file.fileName(), m_file.errorString()));
        if (m_format == ExportFormat::Csv) {
            if (m_csv.options().byteOrderMark)
                m_buffer += CsvWriter::byteOrderMark();
            m_csv.appendHeader(m_buffer);
        }
        m_opened = true;
        return true;
    }

    bool isOpen() const { return m_opened; }
    void setIncrementalSync(bool on) { m_incrementalSync = on; }

    /// Writes up to @p rows more rows, stopping early once @p deadline has passed; false on an
    /// error.
    bool writeRows(qsizetype rows,
                   QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever))
    {
        const qsizetype end = std::min(m_count, m_done + rows);
        for (; m_done < end; ++m_done) {
            if (m_done % 256 == 0 && m_done > 0 && deadline.hasExpired())
                break;
            const ExportRow row = m_provider(m_done);
            if (!row.message)
                return fail(u"Cannot export row %1: it has no message."_s.arg(m_done + 1));
            if (m_format == ExportFormat::Csv)
                m_csv.appendRow(m_buffer, row);
            else
                JsonLinesWriter::appendRow(m_buffer, row);
            if (m_buffer.size() >= WriteThreshold && !writeBuffer())
                return false;
        }
        return true;
    }

    bool commit()
    {
        if (!writeBuffer())
            return false;
        if (!m_file.commit()) {
            return fail(u"Cannot save \"%1\": %2."_s.arg(m_file.fileName(), m_file.errorString()));
        }
        return true;
    }

    qsizetype done() const { return m_done; }
    qsizetype count() const { return m_count; }
    bool atEnd() const { return m_done >= m_count; }
    QString error() const { return m_error; }

private:
    bool writeBuffer()
    {
        if (m_buffer.isEmpty())
            return true;
        if (m_file.write(m_buffer) != m_buffer.size())
            return failWrite();
        m_unsynced += m_buffer.size();
        m_buffer.clear();
        if (m_incrementalSync && m_unsynced >= IncrementalSyncBytes) {
            m_unsynced = 0;
            if (!m_file.flush())
                return failWrite();
#ifdef Q_OS_UNIX
            // A failure here shows again, and is reported, at commit().
            ::fdatasync(m_file.handle());
#endif
        }
        return true;
    }

    bool failWrite()
    {
        return fail(u"Cannot write \"%1\": %2."_s.arg(m_file.fileName(), m_file.errorString()));
    }

    bool fail(const QString &error)
    {
        m_error = error;
        if (m_file.isOpen()) {
            // Discards the temporary file; the target stays as it was.
            m_file.cancelWriting();
            m_file.commit();
        }
        return false;
    }

    QSaveFile m_file;
    ExportFormat m_format;
    CsvWriter m_csv;
    qsizetype m_count;
    qsizetype m_done = 0;
    bool m_opened = false;
    bool m_incrementalSync = false;
    qint64 m_unsynced = 0;
    ExportRowProvider m_provider;
    QByteArray m_buffer;
    QString m_error;
};

Exporter::Exporter(QObject *parent)
    : QObject(parent)
{
    m_chunkTimer.setSingleShot(true);
    m_chunkTimer.setInterval(0);
    connect(&m_chunkTimer, &QTimer::timeout, this, &Exporter::processChunk);
}

Exporter::~Exporter() = default;

void Exporter::setPath(const QString &path)
{
    m_path = path;
}

QString Exporter::path() const
{
    return m_path;
}

void Exporter::setFormat(ExportFormat format)
{
    m_format = format;
}

ExportFormat Exporter::format() const
{
    return m_format;
}

void Exporter::setCsvOptions(CsvOptions options)
{
    m_csvOptions = options;
}

CsvOptions Exporter::csvOptions() const
{
    return m_csvOptions;
}

void Exporter::setRowsPerChunk(int rows)
{
    m_rowsPerChunk = std::max(1, rows);
}

int Exporter::rowsPerChunk() const
{
    return m_rowsPerChunk;
}

void Exporter::setTurnBudget(int ms)
{
    m_turnBudgetMs = std::max(1, ms);
}

int Exporter::turnBudget() const
{
    return m_turnBudgetMs;
}

void Exporter::setRows(qsizetype count, ExportRowProvider provider)
{
    m_count = std::max<qsizetype>(0, count);
    m_provider = std::move(provider);
}

qsizetype Exporter::rowCount() const
{
    return m_count;
}

bool Exporter::isRunning() const
{
    return m_job != nullptr;
}

QString Exporter::errorString() const
{
    return m_errorString;
}

bool Exporter::exportToFile(const QString &path, ExportFormat format, CsvOptions csvOptions,
                            qsizetype count, const ExportRowProvider &provider, QString *error)
{
    Job job(path, format, csvOptions, std::max<qsizetype>(0, count), provider);
    const bool ok = job.open() && job.writeRows(job.count()) && job.commit();
    if (error)
        *error = job.error();
    if (!ok)
        qCWarning(lcIo).noquote() << "export failed:" << job.error();
    return ok;
}

void Exporter::start()
{
    if (m_job) {
        qCWarning(lcIo) << "export to" << m_path << "is already running";
        return;
    }
    m_errorString.clear();
    m_job = std::make_unique<Job>(m_path, m_format, m_csvOptions, m_count, m_provider);
    m_job->setIncrementalSync(true);
    qCInfo(lcIo) << "exporting" << m_count << "rows to" << m_path;
    // The file is opened on the first turn, so that finished() never arrives inside start().
    m_chunkTimer.start();
}

void Exporter::cancel()
{
    if (!m_job)
        return;
    m_chunkTimer.stop();
    m_job.reset(); // QSaveFile discards the uncommitted temporary file
    qCInfo(lcIo) << "export to" << m_path << "cancelled";
    m_errorString = u"The export was cancelled."_s;
    Q_EMIT finished(false, m_errorString);
}

void Exporter::processChunk()
{
    if (!m_job)
        return;
    Job &job = *m_job;
    if (!job.isOpen() && !job.open()) {
        finish(false, job.error());
        return;
    }
    if (!job.writeRows(m_rowsPerChunk, QDeadlineTimer(m_turnBudgetMs))) {
        finish(false, job.error());
        return;
    }
    Q_EMIT progress(job.done(), job.count());
    if (!m_job)
        return; // a slot connected to progress() cancelled the export
    if (!job.atEnd()) {
        m_chunkTimer.start();
        return;
    }
    finish(job.commit(), job.error());
}

void Exporter::finish(bool ok, const QString &error)
{
    m_job.reset();
    m_errorString = ok ? QString() : error;
    if (ok)
        qCInfo(lcIo) << "export to" << m_path << "finished";
    else
        qCWarning(lcIo).noquote() << "export failed:" << error;
    Q_EMIT finished(ok, m_errorString);
}

} // namespace Gatescope
