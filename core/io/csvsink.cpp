#include "core/io/csvsink.h"

#include "core/io/outputpath.h"
#include "core/logging.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Gatescope {

namespace {
constexpr qint64 MsPerDay = 86400000;
// Pending bytes that trigger a write before the flush timer fires, to bound memory.
constexpr qsizetype WriteThreshold = 1 << 20;

qint64 utcDay(qint64 ms)
{
    return ms >= 0 ? ms / MsPerDay : -((-ms + MsPerDay - 1) / MsPerDay);
}
} // namespace

CsvSink::CsvSink(QObject *parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(m_flushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &CsvSink::flush);
}

CsvSink::~CsvSink()
{
    close();
}

void CsvSink::setFilePath(const QString &path)
{
    m_path = path;
    m_rotating = false;
}

void CsvSink::setRotatingFolder(const QString &folder, const QString &prefix)
{
    m_folder = folder;
    m_prefix = prefix;
    m_rotating = true;
}

bool CsvSink::isRotating() const
{
    return m_rotating;
}

QString CsvSink::rotatedFileName(const QString &prefix, qint64 ms)
{
    const QDate day = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date();
    return u"%1-%2.csv"_s.arg(prefix, day.toString(Qt::ISODate));
}

void CsvSink::setCsvOptions(CsvOptions options)
{
    m_writer = CsvWriter(options);
}

CsvOptions CsvSink::csvOptions() const
{
    return m_writer.options();
}

void CsvSink::setFlushInterval(int ms)
{
    m_flushIntervalMs = std::max(0, ms);
    m_flushTimer.setInterval(m_flushIntervalMs);
}

int CsvSink::flushInterval() const
{
    return m_flushIntervalMs;
}

void CsvSink::setClock(Clock clock)
{
    m_clock = clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); });
}

void CsvSink::setMaxPendingBytes(qsizetype bytes)
{
    m_maxPendingBytes = std::max<qsizetype>(WriteThreshold, bytes);
}

qsizetype CsvSink::maxPendingBytes() const
{
    return m_maxPendingBytes;
}

void CsvSink::setEventRows(bool enabled)
{
    m_eventRows = enabled;
}

bool CsvSink::eventRows() const
{
    return m_eventRows;
}

QString CsvSink::pathForDay(qint64 ms) const
{
    return QDir(m_folder).filePath(rotatedFileName(m_prefix, ms));
}

bool CsvSink::open()
{
    close();
    m_errorString.clear();
    const qint64 now = m_clock();
    m_currentDay = utcDay(now);
    const QString path = m_rotating ? pathForDay(now) : m_path;
    if (!openFile(path))
        return false;
    m_active = true;
    return true;
}

bool CsvSink::openFile(const QString &path)
{
    m_currentPath = path;
    if (const QString problem = OutputPath::problem(path); !problem.isEmpty()) {
        reportError(problem);
        return false;
    }
    m_file.setFileName(path);
    // Append to a regular file; a pipe or device (`--csv /dev/stdout`) cannot seek to its end.
    const QFileInfo info(path);
    const QIODevice::OpenMode append
            = info.exists() && !info.isFile() ? QIODevice::NotOpen : QIODevice::Append;
    if (!m_file.open(QIODevice::WriteOnly | append | QIODevice::Unbuffered)) {
        reportError(OutputPath::describeOpenFailure(path, m_file.errorString()));
        return false;
    }
    if (const qint64 size = m_file.isSequential() ? 0 : m_file.size(); size > 0) {
        // A write-only file is continued unchecked, as before event rows existed; an event log
        // is never appended to a file whose header it cannot see.
        QFile existing(path);
        const bool readable = existing.open(QIODevice::ReadOnly);
        QString mismatch;
        if (readable)
            mismatch = headerMismatch(existing);
        else if (m_eventRows)
            mismatch = u"its header cannot be read to check for the \"event\" column: %1"_s.arg(
                    existing.errorString());
        if (!mismatch.isEmpty()) {
            m_file.close();
            reportError(u"Cannot append to \"%1\": %2"_s.arg(path, mismatch));
            return false;
        }
        // A file cut off mid-line (a crash, another program) must not glue our first row to it.
        if (readable && existing.seek(size - 1) && existing.read(1) != "\n")
            m_pending.prepend("\r\n");
    } else {
        // A new file: the header goes before anything pending (rows of a day whose file failed).
        QByteArray header;
        if (m_writer.options().byteOrderMark)
            header += CsvWriter::byteOrderMark();
        if (m_eventRows)
            m_writer.appendEventHeader(header);
        else
            m_writer.appendHeader(header);
        m_pending.prepend(header);
        m_flushTimer.start();
    }
    qCInfo(lcIo) << "CSV sink writing to" << path;
    Q_EMIT fileOpened(path);
    return true;
}

QString CsvSink::headerMismatch(QFile &file) const
{
    // Only the first cell matters: a file this sink wrote starts with `event` exactly when it
    // was written in event mode. Other CSVs are continued as before outside event mode.
    QByteArray first = file.readLine(4096);
    if (first.startsWith(CsvWriter::byteOrderMark()))
        first.remove(0, CsvWriter::byteOrderMark().size());
    const QByteArray eventCell = CsvWriter::eventColumn().toByteArray() + m_writer.delimiter();
    const bool hasEventColumn = first.startsWith(eventCell);
    if (m_eventRows && !hasEventColumn)
        return u"its header has no \"event\" column (it was not written with --csv-events); "
               "choose a new file"_s;
    if (!m_eventRows && hasEventColumn)
        return u"its header has an \"event\" column (an event log, written with --csv-events); "
               "choose a new file"_s;
    return {};
}

void CsvSink::close()
{
    if (!m_active)
        return;
    m_active = false;
    m_flushTimer.stop();
    if (!flush()) {
        qCWarning(lcIo) << "CSV sink closed with" << m_pending.size() << "bytes unwritten";
        m_pending.clear();
    }
    m_file.close();
}

bool CsvSink::isOpen() const
{
    return m_active;
}

QString CsvSink::currentFilePath() const
{
    return m_currentPath;
}

QString CsvSink::errorString() const
{
    return m_errorString;
}

qint64 CsvSink::rowsAccepted() const
{
    return m_rowsAccepted;
}

qint64 CsvSink::rowsDropped() const
{
    return m_rowsDropped;
}

qint64 CsvSink::rowsRejected() const
{
    return m_rowsRejected;
}

qsizetype CsvSink::pendingBytes() const
{
    return m_pending.size();
}

bool CsvSink::rotateIfNeeded()
{
    if (!m_rotating)
        return true;
    const qint64 now = m_clock();
    const qint64 day = utcDay(now);
    if (day == m_currentDay)
        return true;
    // Whatever cannot reach yesterday's file stays pending and goes to today's.
    flush();
    m_file.close();
    m_currentDay = day;
    return openFile(pathForDay(now));
}

bool CsvSink::append(const ExportRow &row)
{
    return accept(CsvWriter::Event::Create, row);
}

bool CsvSink::appendEvent(CsvWriter::Event event, const ExportRow &row)
{
    if (!m_eventRows) {
        ++m_rowsDropped;
        return false;
    }
    return accept(event, row);
}

bool CsvSink::accept(CsvWriter::Event event, const ExportRow &row)
{
    if (!m_active || !row.message) {
        ++m_rowsDropped;
        return false;
    }
    if (row.message->id == 0) {
        ++m_rowsRejected;
        return false;
    }
    rotateIfNeeded();
    if (m_pending.size() >= m_maxPendingBytes) {
        ++m_rowsDropped;
        if (m_rowsDropped == 1 || m_rowsDropped % 1000 == 0) {
            reportError(
                    u"CSV sink: %1 rows dropped, %2 bytes could not be written to \"%3\"."_s.arg(
                            QString::number(m_rowsDropped), QString::number(m_pending.size()),
                            m_currentPath));
        }
        return false;
    }
    if (m_eventRows)
        m_writer.appendEventRow(m_pending, event, row);
    else
        m_writer.appendRow(m_pending, row);
    ++m_rowsAccepted;
    if (m_pending.size() >= WriteThreshold)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
    return true;
}

bool CsvSink::flush()
{
    if (m_pending.isEmpty())
        return true;
    if (!m_file.isOpen() && !openFile(m_currentPath)) {
        if (m_active)
            m_flushTimer.start();
        return false;
    }
    const qint64 written = m_file.write(m_pending);
    if (written > 0)
        m_pending.remove(0, written);
    if (!m_pending.isEmpty()) {
        reportError(u"Cannot write \"%1\": %2; the rows are kept and retried."_s.arg(
                m_currentPath, m_file.errorString()));
        if (m_active)
            m_flushTimer.start();
        return false;
    }
    m_loggedError.clear();
    return true;
}

void CsvSink::reportError(const QString &error)
{
    m_errorString = error;
    // Retries repeat the same failure every flush interval: log it once until it changes.
    if (error != m_loggedError)
        qCWarning(lcIo).noquote() << error;
    m_loggedError = error;
    Q_EMIT errorOccurred(error);
}

} // namespace Gatescope
