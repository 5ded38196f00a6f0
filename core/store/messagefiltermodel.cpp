#include "core/store/messagefiltermodel.h"

#include "core/logging.h"
#include "core/store/directory.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"

#include <limits>

namespace Gatescope {

MessageFilterModel::MessageFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(false);
    m_sliceTimer.setInterval(0);
    m_sliceTimer.callOnTimeout(this, &MessageFilterModel::evaluateSlice);
    m_refilterTimer.setSingleShot(true);
    m_refilterTimer.setInterval(DefaultRefilterDelayMs);
    m_refilterTimer.callOnTimeout(this, [this] {
        invalidate();
        emitCountIfChanged();
    });
    m_directoryTimer.setSingleShot(true);
    m_directoryTimer.setInterval(DefaultRefilterDelayMs);
    m_directoryTimer.callOnTimeout(this, [this] {
        // Re-parse (with the same "now") so the filter on screen keeps its names until the new
        // resolution has been evaluated.
        const MessageFilter &current = m_evaluating ? m_pending : m_active;
        setFilter(MessageFilter::parse(current.query(), current.nowMs()));
    });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(this, signal, this, &MessageFilterModel::emitCountIfChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &MessageFilterModel::emitCountIfChanged);
}

void MessageFilterModel::setMessageModel(MessageModel *model)
{
    for (const auto &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_sliceTimer.stop();
    m_evaluating = false;
    m_bits.clear();
    m_model = model;
    m_store = model ? model->store() : nullptr;
    if (m_store) {
        m_connections.append(connect(m_store, &MessageStore::messageChanged, this,
                                     &MessageFilterModel::onMessageChanged));
        if (Directory *directory = m_store->directory())
            m_connections.append(connect(directory, &Directory::changed, this,
                                         &MessageFilterModel::onDirectoryChanged));
    }
    m_active.resolve(m_store ? m_store->directory() : nullptr);
    setSourceModel(model);
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

void MessageFilterModel::setFilter(const MessageFilter &filter)
{
    if (!filter.isValid())
        return;
    m_sliceTimer.stop();
    m_pendingBits.clear();
    MessageFilter resolved = filter;
    resolved.resolve(m_store ? m_store->directory() : nullptr);
    m_evaluationClock.start();
    m_longestSliceNs = 0;
    const int rows = m_store ? m_store->count() : 0;
    if (resolved.isEmpty() || rows < m_chunkThreshold) {
        m_active = resolved;
        m_pending = MessageFilter();
        m_bits.clear();
        invalidate();
        rowCount(); // builds the mapping now, so the figures include it
        m_totalNs = m_longestSliceNs = m_evaluationClock.nsecsElapsed();
        setBusy(false);
        Q_EMIT filterApplied();
        emitCountIfChanged();
        return;
    }
    m_pending = resolved;
    m_pendingFirst = m_store->firstSeq();
    m_cursor = m_pendingFirst;
    m_pendingBits.assign(size_t(rows), false);
    setBusy(true);
    m_sliceTimer.start();
}

void MessageFilterModel::evaluateSlice()
{
    QElapsedTimer slice;
    slice.start();
    const quint64 end = m_pendingFirst + m_pendingBits.size();
    const quint64 first = m_store->firstSeq();
    const quint64 shownEnd = first + quint64(m_store->count());
    m_cursor = qMax(m_cursor, first); // evicted meanwhile: nothing to evaluate
    const quint64 stop = qMin(end, shownEnd);
    const qint64 budgetNs = qint64(m_sliceMs) * 1000000;
    while (m_cursor < stop) {
        const quint64 chunkEnd = qMin(stop, m_cursor + 2048);
        for (; m_cursor < chunkEnd; ++m_cursor)
            m_pendingBits[m_cursor - m_pendingFirst]
                    = m_pending.matches(m_store->at(int(m_cursor - first)));
        if (slice.nsecsElapsed() >= budgetNs)
            break;
    }
    m_longestSliceNs = qMax(m_longestSliceNs, slice.nsecsElapsed());
    if (m_cursor >= stop)
        applyPending();
}

void MessageFilterModel::applyPending()
{
    m_sliceTimer.stop();
    QElapsedTimer swap;
    swap.start();
    m_active = m_pending;
    m_pending = MessageFilter();
    m_bits.swap(m_pendingBits);
    m_pendingBits.clear();
    m_bitsFirst = m_pendingFirst;
    invalidate();
    rowCount(); // builds the mapping now, so the figures include it
    m_longestSliceNs = qMax(m_longestSliceNs, swap.nsecsElapsed());
    m_totalNs = m_evaluationClock.nsecsElapsed();
    qCDebug(lcFilter) << "filter applied in" << m_totalNs / 1000000 << "ms, longest slice"
                      << m_longestSliceNs / 1000000 << "ms";
    Q_EMIT filterApplied();
    emitCountIfChanged();
    setBusy(false);
}

void MessageFilterModel::finishPending()
{
    if (!m_evaluating)
        return;
    const int saved = m_sliceMs;
    m_sliceMs = std::numeric_limits<int>::max() / 1000000;
    evaluateSlice();
    m_sliceMs = saved;
}

bool MessageFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || !m_store)
        return false;
    if (m_active.isEmpty())
        return true;
    const quint64 seq = m_store->seqAt(sourceRow);
    if (seq >= m_bitsFirst && seq - m_bitsFirst < m_bits.size())
        return m_bits[seq - m_bitsFirst];
    return m_active.matches(m_store->at(sourceRow));
}

void MessageFilterModel::onMessageChanged(int row)
{
    const quint64 seq = m_store->seqAt(row);
    const Message &message = m_store->at(row);
    if (m_evaluating && seq >= m_pendingFirst && seq < m_cursor)
        m_pendingBits[seq - m_pendingFirst] = m_pending.matches(message);
    if (m_active.isEmpty())
        return;
    const bool matches = m_active.matches(message);
    if (seq >= m_bitsFirst && seq - m_bitsFirst < m_bits.size())
        m_bits[seq - m_bitsFirst] = matches;
    // dynamicSortFilter is off, so the proxy does not re-filter on dataChanged by itself.
    const bool shown = mapFromSource(m_model->index(row, 0)).isValid();
    if (shown != matches && !m_refilterTimer.isActive())
        m_refilterTimer.start();
}

void MessageFilterModel::onDirectoryChanged()
{
    if ((m_active.usesDirectory() || m_pending.usesDirectory()) && !m_directoryTimer.isActive())
        m_directoryTimer.start();
}

void MessageFilterModel::setBusy(bool busy)
{
    if (busy == m_evaluating)
        return;
    m_evaluating = busy;
    Q_EMIT busyChanged(busy);
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
