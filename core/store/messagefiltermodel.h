#pragma once

#include "core/store/messagefilter.h"

#include <QElapsedTimer>
#include <QSortFilterProxyModel>
#include <QTimer>

#include <vector>

namespace Gatescope {

class MessageModel;
class MessageStore;

/// Applies a MessageFilter to a MessageModel without freezing the UI.
///
/// filterAcceptsRow() reads the stored Message directly (no QVariant). dynamicSortFilter is off:
/// nothing is sorted, and new rows are filtered one by one as they are inserted.
///
/// A filter change over a small store (below chunkThreshold() rows) is applied at once. Over a
/// larger store it is evaluated in slices of sliceMs() on the event loop into a match bitmap keyed
/// by the rows' sequence numbers (MessageStore::seqAt()), while the previous filter stays on
/// screen; then the bitmap is swapped in with one invalidate() that only reads bits.
/// invalidate() (a layout change that rebuilds the mapping in O(n)) is used rather than
/// invalidateRowsFilter(): the latter removes and inserts every changed interval one by one,
/// which took minutes over 1,000,000 rows with scattered matches.
/// Rows arriving meanwhile are evaluated directly; rows evicted meanwhile are skipped; rows edited
/// meanwhile are evaluated again. The order is: busyChanged(true), then (after the slices)
/// filterApplied(), matchCountChanged(), busyChanged(false). A newer filter cancels an
/// evaluation in progress.
///
/// Edits and deletes that change whether a shown row matches (e.g. under `is:deleted`) re-filter
/// once after refilterDelay() ms, again using the cached bits. A Directory change re-resolves
/// names of filters that use them (from:, in:, guild:) and evaluates again.
///
/// Lives in the thread of its source model.
class MessageFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_PROPERTY(int matchCount READ matchCount NOTIFY matchCountChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)

public:
    static constexpr int DefaultChunkThreshold = 50000;
    static constexpr int DefaultSliceMs = 10;
    static constexpr int DefaultRefilterDelayMs = 250;

    explicit MessageFilterModel(QObject *parent = nullptr);

    /// Sets the source; use this rather than setSourceModel().
    void setMessageModel(MessageModel *model);
    MessageModel *messageModel() const { return m_model; }

    /// Parses and applies @p query. On a syntax error it returns false, keeps the current
    /// filter and emits queryError(); errorString()/errorPosition() tell what and where.
    bool setQuery(const QString &query);
    /// Applies a parsed filter (ignored if invalid).
    void setFilter(const MessageFilter &filter);
    /// The filter on screen (a pending one is not yet active).
    MessageFilter filter() const { return m_active; }
    QString errorString() const { return m_errorString; }
    int errorPosition() const { return m_errorPosition; }

    /// Rows that currently match (rowCount()).
    int matchCount() const { return rowCount(); }
    /// True while a filter change is being evaluated in slices.
    bool isBusy() const { return m_evaluating; }
    /// Evaluates any pending filter change to the end now (tests, headless export).
    void finishPending();

    int chunkThreshold() const { return m_chunkThreshold; }
    void setChunkThreshold(int rows) { m_chunkThreshold = qMax(0, rows); }
    int sliceMs() const { return m_sliceMs; }
    void setSliceMs(int ms) { m_sliceMs = qMax(1, ms); }
    int refilterDelay() const { return m_refilterTimer.interval(); }
    void setRefilterDelay(int ms) { m_refilterTimer.setInterval(qMax(0, ms)); }

    /// Longest single slice of the last evaluation, and its total time (for benchmarks).
    qint64 lastLongestSliceNs() const { return m_longestSliceNs; }
    qint64 lastTotalNs() const { return m_totalNs; }

Q_SIGNALS:
    void matchCountChanged(int count);
    void busyChanged(bool busy);
    /// The new filter is live (after a synchronous or sliced evaluation).
    void filterApplied();
    void queryError(const QString &message, int position);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void evaluateSlice();
    void applyPending();
    void onMessageChanged(int row);
    void onDirectoryChanged();
    void setBusy(bool busy);
    void emitCountIfChanged();

    MessageModel *m_model = nullptr;
    MessageStore *m_store = nullptr;
    QList<QMetaObject::Connection> m_connections;

    MessageFilter m_active;
    std::vector<bool> m_bits; ///< m_active's result for seq m_bitsFirst + i
    quint64 m_bitsFirst = 0;

    MessageFilter m_pending;
    std::vector<bool> m_pendingBits;
    quint64 m_pendingFirst = 0;
    quint64 m_cursor = 0;
    bool m_evaluating = false;
    QTimer m_sliceTimer;
    QTimer m_refilterTimer;
    QTimer m_directoryTimer;
    QElapsedTimer m_evaluationClock;

    int m_chunkThreshold = DefaultChunkThreshold;
    int m_sliceMs = DefaultSliceMs;
    int m_lastCount = -1;
    qint64 m_longestSliceNs = 0;
    qint64 m_totalNs = 0;
    QString m_errorString;
    int m_errorPosition = -1;
};

} // namespace Gatescope
