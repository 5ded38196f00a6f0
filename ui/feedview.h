#pragma once

#include <QElapsedTimer>
#include <QPersistentModelIndex>
#include <QTableView>
#include <QTimer>

class QPushButton;

namespace Gatescope::Ui {

/// The message feed: a QTableView with uniform row heights that follows new rows only while it
/// is scrolled to the bottom.
///
/// The view is "held" while the pointer is over it or while paused: new rows are still
/// inserted (and counted), but the rows on screen do not move, even when the store's ring
/// evicts the oldest rows above them. When it is not following, a floating
/// "N new messages ↓" button jumps back to the newest row.
///
/// While rows stream in, the repaints they cause (every insert relays out and repaints the
/// whole viewport and the scroll bars) are coalesced to one per RefreshIntervalMs: the first
/// change after a quiet spell shows at once, the ones that follow it within the interval wait
/// for the view's next refresh. Input (mouse, wheel, keys) shows at once whatever the rate.
/// Panes side by side get different refresh phases (setRefreshPhase()), so that their repaints
/// fall in different turns of the event loop instead of one long one.
class FeedView : public QTableView
{
    Q_OBJECT
    Q_PROPERTY(bool paused READ isPaused WRITE setPaused NOTIFY pausedChanged)

public:
    /// At most this many ms between two repaints caused by the model (20 per second).
    static constexpr int RefreshIntervalMs = 50;

    explicit FeedView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;

    bool isPaused() const { return m_paused; }
    /// True while the view sticks to the newest row (it was at the bottom and is not held).
    bool isFollowing() const { return m_following; }
    /// True while new rows must not move the view (paused or hovered).
    bool isHeld() const { return m_paused || m_hovered; }
    /// Rows that arrived since the view stopped showing the newest row.
    int newRowCount() const { return m_newRows; }
    /// The row shown at the top of the viewport (invalid when empty).
    QModelIndex topVisibleIndex() const;
    QPushButton *newMessagesButton() const { return m_newButton; }
    /// Refreshes held back fall on the monotonic clock's multiples of RefreshIntervalMs plus
    /// @p ms (0 by default).
    void setRefreshPhase(int ms);
    int refreshPhase() const { return m_refreshPhaseMs; }
    /// True while model-driven repaints wait for the next refresh.
    bool isRefreshHeld() const { return m_repaintsHeld; }

public slots:
    void setPaused(bool paused);
    /// Jumps to the newest row and follows again.
    void jumpToNewest();

signals:
    void pausedChanged(bool paused);
    void heldChanged(bool held);
    void newRowCountChanged(int count);

protected:
    bool viewportEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                     const QList<int> &roles = QList<int>()) override;

private:
    void onRowsAboutToBeInserted();
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsAboutToBeRemoved();
    void onRowsRemoved();
    void onScrolled(int value);
    void setHovered(bool hovered);
    void releaseHold();
    void updateButton();
    void placeButton();
    bool atBottom() const;
    void holdModelRepaints();
    void refreshNow();
    void setRepaintsEnabled(bool enabled);
    int msUntilNextRefresh() const;

    QPushButton *m_newButton = nullptr;
    QPersistentModelIndex m_anchor;
    QMetaObject::Connection m_modelConnections[5];
    bool m_paused = false;
    bool m_hovered = false;
    bool m_following = true;
    bool m_wasAtBottom = true;
    bool m_adjusting = false;
    int m_newRows = 0;
    bool m_scrollPending = false; ///< following, the scroll to the newest row waits for refresh
    bool m_repaintsHeld = false; ///< updates are off until the refresh timer fires
    int m_refreshPhaseMs = 0;
    bool m_fontsWarmed = false;
    QTimer m_refreshTimer;
    QElapsedTimer m_sinceRefresh; ///< since the last model-driven repaint shown
};

} // namespace Gatescope::Ui
