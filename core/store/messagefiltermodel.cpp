#include "core/store/messagefiltermodel.h"

#include "core/logging.h"
#include "core/store/columnarfilter.h"
#include "core/store/directory.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <utility>

namespace Gatescope {

/// A filter change being evaluated by the thread pool.
struct MessageFilterModel::Job
{
    MessageFilter filter;
    std::shared_ptr<const ColumnarFilter> matcher;
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
    QFutureWatcher<std::vector<quint64>> watcher;
    std::vector<quint64> tail; ///< matching rows appended after the snapshot
    QSet<quint64> dirty; ///< rows edited after the snapshot
};

namespace {

void appendAll(std::vector<quint64> &to, const std::vector<quint64> &part)
{
    to.insert(to.end(), part.begin(), part.end());
}

/// The matching rows of @p snapshot, ascending. The calling pool thread and helpers on the other
/// pool threads take chunks in turn; each chunk's matches land in its own slot, joined once at
/// the end (no ordered-reduce queue that holds finished chunks or throttles the workers).
void evaluateInParallel(const StoreSnapshot &snapshot, const ColumnarFilter &matcher,
                        const std::atomic<bool> &cancel, QPromise<std::vector<quint64>> &promise)
{
    const size_t chunks = snapshot.chunks.size();
    std::vector<std::vector<quint64>> parts(chunks);
    std::atomic<size_t> next{0};
    std::atomic<int> done{0};
    promise.setProgressRange(0, int(chunks));
    const auto work = [&] {
        for (size_t i = next++; i < chunks && !cancel.load(std::memory_order_relaxed); i = next++) {
            parts[i] = matcher.matchesInChunk(snapshot, i, &cancel);
            promise.setProgressValue(++done);
        }
    };
    QList<QFuture<void>> helpers;
    const int threads = QThreadPool::globalInstance()->maxThreadCount();
    for (int t = 1; t < threads && size_t(t) < chunks; ++t)
        helpers.append(QtConcurrent::run(work));
    work();
    // A helper that never got a thread is taken back and run here, so this cannot deadlock.
    for (QFuture<void> &helper : helpers)
        helper.waitForFinished();
    if (cancel.load())
        return;
    size_t total = 0;
    for (const auto &part : parts)
        total += part.size();
    std::vector<quint64> all;
    all.reserve(total);
    for (const auto &part : parts)
        appendAll(all, part);
    promise.addResult(std::move(all));
}

} // namespace

MessageFilterModel::MessageFilterModel(QObject *parent)
    : QAbstractProxyModel(parent)
{
    m_changeTimer.setObjectName(QStringLiteral("filterChangeTimer")); // named for profiles
    m_changeTimer.setSingleShot(true);
    m_changeTimer.setInterval(0);
    m_changeTimer.callOnTimeout(this, &MessageFilterModel::applyChanges);
    m_directoryTimer.setObjectName(QStringLiteral("filterNamesTimer"));
    m_directoryTimer.setSingleShot(true);
    m_directoryTimer.setInterval(DefaultRefilterDelayMs);
    m_directoryTimer.callOnTimeout(this, [this] {
        // Re-parse (with the same "now") so the filter on screen keeps its names until the new
        // resolution has been evaluated.
        const MessageFilter &current = m_job ? m_job->filter : m_active;
        setFilter(MessageFilter::parse(current.query(), current.nowMs()));
    });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(this, signal, this, &MessageFilterModel::emitCountIfChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &MessageFilterModel::emitCountIfChanged);
}

MessageFilterModel::~MessageFilterModel()
{
    cancelJob();
}

void MessageFilterModel::setMessageModel(MessageModel *model)
{
    cancelJob();
    beginResetModel();
    for (const auto &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_model = model;
    m_store = model ? model->store() : nullptr;
    m_matcher.reset();
    m_seqs.clear();
    m_begin = 0;
    m_active.resolve(m_store ? m_store->directory() : nullptr);
    if (m_model) {
        using M = QAbstractItemModel;
        m_connections
                << connect(m_model, &M::rowsAboutToBeRemoved, this,
                           [this](const QModelIndex &, int first, int last) {
                               onSourceAboutToRemove(first, last);
                           })
                << connect(m_model, &M::rowsRemoved, this, &MessageFilterModel::onSourceRemoved)
                << connect(m_model, &M::rowsAboutToBeInserted, this,
                           [this](const QModelIndex &, int first, int last) {
                               onSourceAboutToInsert(first, last);
                           })
                << connect(m_model, &M::rowsInserted, this,
                           [this](const QModelIndex &, int first, int last) {
                               onSourceInserted(first, last);
                           })
                << connect(m_model, &M::dataChanged, this, &MessageFilterModel::onSourceDataChanged)
                << connect(m_model, &M::headerDataChanged, this, &M::headerDataChanged)
                << connect(m_model, &M::modelAboutToBeReset, this, [this] { beginResetModel(); })
                << connect(m_model, &M::modelReset, this, &MessageFilterModel::onSourceReset);
    }
    if (m_store) {
        m_connections << connect(m_store, &MessageStore::messageChanged, this,
                                 &MessageFilterModel::onMessageChanged);
        if (Directory *directory = m_store->directory())
            m_connections << connect(directory, &Directory::changed, this,
                                     &MessageFilterModel::onDirectoryChanged);
    }
    QAbstractProxyModel::setSourceModel(model);
    if (m_store && !m_active.isEmpty()) {
        m_matcher = std::make_shared<const ColumnarFilter>(m_active, m_store->tables());
        m_seqs = evaluateRows(*m_matcher, m_store->firstSeq(),
                              m_store->firstSeq() + quint64(m_store->count()));
    }
    endResetModel();
    emitCountIfChanged();
}

bool MessageFilterModel::setQuery(const QString &query)
{
    const MessageFilter filter = MessageFilter::parse(query);
    m_errorString = filter.errorString();
    m_errorPosition = filter.errorPosition();
    if (!filter.isValid()) {
        qCDebug(lcFilter) << "bad query at" << m_errorPosition << m_errorString;
        Q_EMIT queryError(m_errorString, m_errorPosition);
        return false;
    }
    setFilter(filter);
    return true;
}

std::vector<quint64> MessageFilterModel::evaluateRows(const ColumnarFilter &matcher,
                                                      quint64 fromSeq, quint64 toSeq) const
{
    std::vector<quint64> out;
    for (quint64 seq = fromSeq; seq < toSeq;) {
        const StoreChunk *chunk = m_store->chunkOf(seq);
        if (!chunk)
            break;
        matcher.appendMatches(*chunk, seq, toSeq, m_store->overrides(), &out, &m_store->tables());
        seq = chunk->firstSeq + quint64(chunk->size());
    }
    return out;
}

void MessageFilterModel::setFilter(const MessageFilter &filter)
{
    if (!filter.isValid())
        return;
    QElapsedTimer block;
    block.start();
    const bool wasBusy = isBusy();
    cancelJob();
    m_evaluationClock.start();
    m_longestBlockNs = 0;
    MessageFilter resolved = filter;
    resolved.resolve(m_store ? m_store->directory() : nullptr);
    std::shared_ptr<const ColumnarFilter> matcher;
    if (m_store && !resolved.isEmpty())
        matcher = std::make_shared<const ColumnarFilter>(resolved, m_store->tables());
    if (!matcher || m_store->count() < m_chunkThreshold) {
        std::vector<quint64> seqs;
        if (matcher)
            seqs = evaluateRows(*matcher, m_store->firstSeq(),
                                m_store->firstSeq() + quint64(m_store->count()));
        apply(resolved, std::move(matcher), std::move(seqs));
        m_totalNs = m_longestBlockNs = block.nsecsElapsed();
        Q_EMIT filterApplied();
        emitCountIfChanged();
        if (wasBusy)
            Q_EMIT busyChanged(false);
        return;
    }

    auto snapshot = std::make_shared<const StoreSnapshot>(m_store->snapshot());
    m_job = std::make_unique<Job>();
    m_job->filter = resolved;
    m_job->matcher = matcher;
    const std::shared_ptr<std::atomic<bool>> cancel = m_job->cancel;
    auto future = QtConcurrent::run(
            [snapshot, matcher, cancel](QPromise<std::vector<quint64>> &promise) {
                evaluateInParallel(*snapshot, *matcher, *cancel, promise);
            });
    // The total is known here; the future's range is set by the task, possibly after the first
    // progress report reaches this thread.
    const int total = int(snapshot->chunks.size());
    connect(&m_job->watcher, &QFutureWatcherBase::progressValueChanged, this,
            [this, total](int value) {
                if (m_job && value > 0)
                    Q_EMIT progress(value, total);
            });
    connect(&m_job->watcher, &QFutureWatcherBase::finished, this,
            &MessageFilterModel::onJobFinished);
    m_job->watcher.setFuture(future);
    m_longestBlockNs = block.nsecsElapsed();
    if (!wasBusy)
        Q_EMIT busyChanged(true);
}

void MessageFilterModel::cancelJob()
{
    if (!m_job)
        return;
    m_job->cancel->store(true);
    m_job->watcher.disconnect(this);
    m_job->watcher.future().cancel();
    m_job.reset();
}

void MessageFilterModel::onJobFinished()
{
    if (!m_job)
        return;
    QElapsedTimer block;
    block.start();
    const std::unique_ptr<Job> job = std::move(m_job);
    if (job->watcher.future().resultCount() == 0) {
        Q_EMIT busyChanged(false); // cannot happen: only a cancelled evaluation has no result
        return;
    }
    std::vector<quint64> seqs = job->watcher.future().takeResult();
    seqs.insert(seqs.end(), job->tail.begin(), job->tail.end());
    // Rows evicted meanwhile leave; rows edited meanwhile are evaluated again.
    seqs.erase(seqs.begin(), std::lower_bound(seqs.begin(), seqs.end(), m_store->firstSeq()));
    seqs = withChanges(std::move(seqs), *job->matcher, job->dirty);
    apply(job->filter, job->matcher, std::move(seqs));
    m_longestBlockNs = qMax(m_longestBlockNs, block.nsecsElapsed());
    m_totalNs = m_evaluationClock.nsecsElapsed();
    qCDebug(lcFilter) << "filter applied in" << m_totalNs / 1000000 << "ms, longest block"
                      << m_longestBlockNs / 1000000 << "ms";
    Q_EMIT filterApplied();
    emitCountIfChanged();
    Q_EMIT busyChanged(false);
}

void MessageFilterModel::finishPending()
{
    if (!m_job)
        return;
    m_job->watcher.waitForFinished();
    onJobFinished();
}

void MessageFilterModel::apply(const MessageFilter &filter,
                               std::shared_ptr<const ColumnarFilter> matcher,
                               std::vector<quint64> seqs)
{
    Q_EMIT layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    QList<int> sourceRows;
    sourceRows.reserve(before.size());
    for (const QModelIndex &index : before)
        sourceRows.append(mapToSource(index).row());
    m_active = filter;
    m_matcher = std::move(matcher);
    m_seqs = std::move(seqs);
    m_begin = 0;
    m_changed.clear(); // every row of the new list was evaluated in its current version
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        const int row = sourceRows[i] < 0 ? -1 : proxyRowOf(sourceRows[i]);
        after.append(row < 0 ? QModelIndex() : index(row, before[i].column()));
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged();
}

int MessageFilterModel::proxyRowOf(int sourceRow) const
{
    if (!m_store || sourceRow < 0 || sourceRow >= m_store->count())
        return -1;
    if (showsAll())
        return sourceRow;
    const quint64 seq = m_store->seqAt(sourceRow);
    const auto begin = m_seqs.begin() + qsizetype(m_begin);
    const auto at = std::lower_bound(begin, m_seqs.end(), seq);
    return at != m_seqs.end() && *at == seq ? int(at - begin) : -1;
}

QModelIndex MessageFilterModel::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex MessageFilterModel::parent(const QModelIndex &) const
{
    return {};
}

int MessageFilterModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_store)
        return 0;
    return showsAll() ? m_store->count() : int(m_seqs.size() - m_begin);
}

int MessageFilterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_model ? 0 : m_model->columnCount();
}

bool MessageFilterModel::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && rowCount() > 0;
}

QModelIndex MessageFilterModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !m_model || proxyIndex.model() != this)
        return {};
    const int row = proxyIndex.row();
    const int sourceRow
            = showsAll() ? row : int(m_seqs[m_begin + size_t(row)] - m_store->firstSeq());
    return m_model->index(sourceRow, proxyIndex.column());
}

QModelIndex MessageFilterModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid())
        return {};
    const int row = proxyRowOf(sourceIndex.row());
    return row < 0 ? QModelIndex() : index(row, sourceIndex.column());
}

QVariant MessageFilterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && m_model)
        return m_model->headerData(section, orientation, role);
    return QAbstractProxyModel::headerData(section, orientation, role);
}

void MessageFilterModel::onSourceAboutToRemove(int first, int last)
{
    Q_UNUSED(first); // evictions always start at row 0
    if (showsAll()) {
        beginRemoveRows({}, first, last);
        return;
    }
    const quint64 cutoff = m_store->seqAt(last) + 1;
    const auto begin = m_seqs.begin() + qsizetype(m_begin);
    m_removing = size_t(std::lower_bound(begin, m_seqs.end(), cutoff) - begin);
    if (m_removing > 0)
        beginRemoveRows({}, 0, int(m_removing) - 1);
}

void MessageFilterModel::onSourceRemoved()
{
    if (showsAll()) {
        endRemoveRows();
        return;
    }
    if (m_removing == 0)
        return;
    m_begin += m_removing;
    m_removing = 0;
    // Compact once the dead front outweighs the rest: O(1) amortised per evicted row.
    if (m_begin >= 4096 && m_begin * 2 >= m_seqs.size()) {
        m_seqs.erase(m_seqs.begin(), m_seqs.begin() + qsizetype(m_begin));
        m_begin = 0;
    }
    endRemoveRows();
}

void MessageFilterModel::onSourceReset()
{
    // The store was cleared: a filter being evaluated applies at once to the empty store.
    const std::unique_ptr<Job> job = std::move(m_job);
    if (job) {
        job->cancel->store(true);
        job->watcher.disconnect(this);
        m_active = job->filter;
        m_matcher = job->matcher;
    }
    m_seqs.clear();
    m_begin = 0;
    endResetModel();
    if (job) {
        Q_EMIT filterApplied();
        Q_EMIT busyChanged(false);
    }
}

void MessageFilterModel::onSourceAboutToInsert(int first, int last)
{
    if (showsAll())
        beginInsertRows({}, first, last);
}

void MessageFilterModel::onSourceInserted(int first, int last)
{
    const quint64 from = m_store->seqAt(first);
    const quint64 to = m_store->seqAt(last) + 1;
    if (m_job && m_job->matcher)
        appendAll(m_job->tail, evaluateRows(*m_job->matcher, from, to));
    if (showsAll()) {
        endInsertRows();
        return;
    }
    const std::vector<quint64> matches = evaluateRows(*m_matcher, from, to);
    if (matches.empty())
        return;
    const int count = rowCount();
    beginInsertRows({}, count, count + int(matches.size()) - 1);
    appendAll(m_seqs, matches);
    endInsertRows();
}

void MessageFilterModel::onSourceDataChanged(const QModelIndex &topLeft,
                                             const QModelIndex &bottomRight,
                                             const QList<int> &roles)
{
    if (showsAll()) {
        Q_EMIT dataChanged(index(topLeft.row(), topLeft.column()),
                           index(bottomRight.row(), bottomRight.column()), roles);
        return;
    }
    const auto begin = m_seqs.begin() + qsizetype(m_begin);
    const auto first = std::lower_bound(begin, m_seqs.end(), m_store->seqAt(topLeft.row()));
    const auto last = std::upper_bound(first, m_seqs.end(), m_store->seqAt(bottomRight.row()));
    if (first == last)
        return;
    Q_EMIT dataChanged(index(int(first - begin), topLeft.column()),
                       index(int(last - begin) - 1, bottomRight.column()), roles);
}

std::vector<quint64> MessageFilterModel::withChanges(std::vector<quint64> seqs,
                                                     const ColumnarFilter &matcher,
                                                     const QSet<quint64> &changed) const
{
    // One merge pass, so many edits (a bulk delete) cost O(n + k log k), not k vector inserts.
    std::vector<quint64> rows;
    for (const quint64 seq : changed) {
        if (seq >= m_store->firstSeq() && seq - m_store->firstSeq() < quint64(m_store->count()))
            rows.push_back(seq);
    }
    if (rows.empty())
        return seqs;
    std::sort(rows.begin(), rows.end());
    std::vector<quint64> merged;
    merged.reserve(seqs.size() + rows.size());
    auto next = seqs.cbegin();
    for (const quint64 seq : rows) {
        while (next != seqs.cend() && *next < seq)
            merged.push_back(*next++);
        if (next != seqs.cend() && *next == seq)
            ++next;
        if (matcher.matches(m_store->at(int(seq - m_store->firstSeq()))))
            merged.push_back(seq);
    }
    merged.insert(merged.end(), next, seqs.cend());
    return merged;
}

void MessageFilterModel::onMessageChanged(int row)
{
    const quint64 seq = m_store->seqAt(row);
    if (m_job)
        m_job->dirty.insert(seq);
    if (showsAll())
        return;
    m_changed.insert(seq);
    if (!m_changeTimer.isActive())
        m_changeTimer.start();
}

void MessageFilterModel::applyChanges()
{
    const QSet<quint64> changed = std::exchange(m_changed, {});
    if (showsAll() || changed.isEmpty())
        return;
    if (changed.size() > MaxSingleRowChanges) {
        std::vector<quint64> seqs(m_seqs.begin() + qsizetype(m_begin), m_seqs.end());
        apply(m_active, m_matcher, withChanges(std::move(seqs), *m_matcher, changed));
        emitCountIfChanged();
        return;
    }
    // A few rows: insert or remove them one by one, which views handle without a relayout.
    for (const quint64 seq : changed) {
        const quint64 row = seq - m_store->firstSeq();
        if (seq < m_store->firstSeq() || row >= quint64(m_store->count()))
            continue;
        const bool matches = m_matcher->matches(m_store->at(int(row)));
        const auto begin = m_seqs.begin() + qsizetype(m_begin);
        const auto at = std::lower_bound(begin, m_seqs.end(), seq);
        const bool present = at != m_seqs.end() && *at == seq;
        if (matches == present)
            continue;
        const int proxyRow = int(at - begin);
        if (matches) {
            beginInsertRows({}, proxyRow, proxyRow);
            m_seqs.insert(at, seq);
            endInsertRows();
        } else {
            beginRemoveRows({}, proxyRow, proxyRow);
            m_seqs.erase(at);
            endRemoveRows();
        }
    }
}

void MessageFilterModel::onDirectoryChanged()
{
    const bool pendingUses = m_job && m_job->filter.usesDirectory();
    if ((m_active.usesDirectory() || pendingUses) && !m_directoryTimer.isActive())
        m_directoryTimer.start();
}

void MessageFilterModel::emitCountIfChanged()
{
    const int count = rowCount();
    if (count == m_lastCount)
        return;
    m_lastCount = count;
    Q_EMIT matchCountChanged(count);
}

} // namespace Gatescope
