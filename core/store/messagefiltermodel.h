#pragma once

#include "core/store/messagefilter.h"

#include <QAbstractProxyModel>
#include <QElapsedTimer>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>
#include <vector>

namespace Gatescope {

class ColumnarFilter;
class MessageModel;
class MessageStore;

/// Applies a MessageFilter to a MessageModel without freezing the UI.
///
/// The proxy holds the ascending sequence numbers (MessageStore::seqAt()) of the matching source
/// rows; proxy row p is source row `seq[p] - store->firstSeq()`. Appended source rows are
/// evaluated as they arrive and extend the list; evictions drop its front (an offset moves, the
/// vector is compacted now and then, so O(1) amortised). Edits and deletes are evaluated again
/// once per event-loop turn: a few rows are inserted or removed one by one, many (a bulk delete)
/// are merged in one pass and swapped in with a layout change.
///
/// A filter change is evaluated by ColumnarFilter over a copy-free StoreSnapshot: below
/// chunkThreshold() shown rows at once on the calling thread, above it in parallel chunks on
/// the global QThreadPool (QtConcurrent) while the previous filter stays on screen. Rows
/// arriving meanwhile are evaluated with both filters as they come; rows evicted meanwhile are
/// dropped from the result; rows edited meanwhile are evaluated again when the result arrives.
/// The result is swapped in with one layout change (persistent indexes follow their rows).
/// A newer filter cancels an evaluation in progress (its result is never applied).
/// The order is: busyChanged(true), progress(done, total) as chunks finish, then filterApplied(),
/// matchCountChanged(), busyChanged(false).
///
/// A Directory change re-resolves names of filters that use them (from:, in:, guild:) and
/// evaluates again, at most every refilterDelay() ms.
///
/// Lives in the thread of its source model; its workers only read the snapshot.
class MessageFilterModel : public QAbstractProxyModel
{
    Q_OBJECT
    Q_PROPERTY(int matchCount READ matchCount NOTIFY matchCountChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)

public:
    static constexpr int DefaultChunkThreshold = 50000;
    static constexpr int DefaultRefilterDelayMs = 250;
    /// Above this many rows edited in one event-loop turn, the list is rebuilt in one pass and
    /// swapped in with a layout change instead of one insert/remove per row.
    static constexpr int MaxSingleRowChanges = 32;

    explicit MessageFilterModel(QObject *parent = nullptr);
    ~MessageFilterModel() override;

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
    /// True while a filter change is being evaluated in the background.
    bool isBusy() const { return bool(m_job); }
    /// Waits for a pending filter change and applies it now (tests, headless export).
    void finishPending();

    /// Below this many shown rows a filter change is evaluated at once on the calling thread.
    int chunkThreshold() const { return m_chunkThreshold; }
    void setChunkThreshold(int rows) { m_chunkThreshold = qMax(0, rows); }
    int refilterDelay() const { return m_directoryTimer.interval(); }
    void setRefilterDelay(int ms) { m_directoryTimer.setInterval(qMax(0, ms)); }

    /// Longest time the last filter change held this thread (starting it, or applying its
    /// result), and its total time from setFilter() to filterApplied() (for benchmarks).
    qint64 lastLongestBlockNs() const { return m_longestBlockNs; }
    qint64 lastTotalNs() const { return m_totalNs; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void matchCountChanged(int count);
    void busyChanged(bool busy);
    /// @p done of @p total chunks of a background evaluation are finished.
    void progress(int done, int total);
    /// The new filter is live (after a synchronous or background evaluation).
    void filterApplied();
    void queryError(const QString &message, int position);

private:
    struct Job;

    bool showsAll() const { return !m_matcher; }
    /// Proxy row of source row @p sourceRow, or -1.
    int proxyRowOf(int sourceRow) const;
    std::vector<quint64> evaluateRows(const ColumnarFilter &matcher, quint64 fromSeq,
                                      quint64 toSeq) const;
    void apply(const MessageFilter &filter, std::shared_ptr<const ColumnarFilter> matcher,
               std::vector<quint64> seqs);
    void onJobFinished();
    void cancelJob();
    void onSourceAboutToRemove(int first, int last);
    void onSourceRemoved();
    void onSourceReset();
    void onSourceAboutToInsert(int first, int last);
    void onSourceInserted(int first, int last);
    void onSourceDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                             const QList<int> &roles);
    void onMessageChanged(int row);
    void applyChanges();
    /// @p seqs with the rows in @p changed evaluated again by @p matcher (evicted ones skipped).
    std::vector<quint64> withChanges(std::vector<quint64> seqs, const ColumnarFilter &matcher,
                                     const QSet<quint64> &changed) const;
    void onDirectoryChanged();
    void emitCountIfChanged();

    MessageModel *m_model = nullptr;
    MessageStore *m_store = nullptr;
    QList<QMetaObject::Connection> m_connections;

    MessageFilter m_active;
    std::shared_ptr<const ColumnarFilter> m_matcher; ///< null: every row is shown
    std::vector<quint64> m_seqs; ///< matching rows from m_begin on, ascending
    size_t m_begin = 0;
    size_t m_removing = 0; ///< proxy rows inside an eviction's begin/endRemoveRows

    std::unique_ptr<Job> m_job;
    QSet<quint64> m_changed; ///< edited rows waiting for applyChanges()
    QTimer m_changeTimer;
    QTimer m_directoryTimer;
    QElapsedTimer m_evaluationClock;

    int m_chunkThreshold = DefaultChunkThreshold;
    int m_lastCount = -1;
    qint64 m_longestBlockNs = 0;
    qint64 m_totalNs = 0;
    QString m_errorString;
    int m_errorPosition = -1;
};

} // namespace Gatescope
