#pragma once

#include <QHash>
#include <QObject>
#include <QTimer>

#include <algorithm>

class QTableView;

namespace Gatescope::Ui {

class FeedDelegate;

/// Keeps relative times (`<t:…:R>`, "in 3 minutes", "2 hours ago") on a feed true: when the
/// earliest of them on screen would read differently, the visible rows whose relative time now
/// reads differently are repainted, and FeedDelegate renders them again as it paints them (its
/// cache knows when a rendering is out of date). Other rows, and rows off screen, are left
/// alone: a row scrolled into view is rendered afresh when it is painted.
///
/// One single-shot timer per view, set to that earliest change (at most maxIntervalMs() away)
/// and stopped while no visible row has a relative time. Nothing happens per event: new rows,
/// scrolling, a filter change or the view being shown only bring the timer forward to
/// RecheckMs away, so rows that came into view are looked at soon.
///
/// Reads the time from the delegate's MessageRenderer clock. GUI thread only; a child of the
/// view, as the delegate is.
class RelativeTimeRefresher : public QObject
{
    Q_OBJECT

public:
    /// How soon rows that came into view are looked at.
    static constexpr int RecheckMs = 1000;

    /// Watches @p column of @p view (and of the model it has now), painted by @p delegate.
    RelativeTimeRefresher(QTableView *view, FeedDelegate *delegate, int column);

    /// The longest wait between two looks while relative times are on screen (default 60 s).
    /// The timer runs on real time; a test with an injected clock shortens it.
    void setMaxIntervalMs(int ms) { m_maxIntervalMs = std::max(1, ms); }
    int maxIntervalMs() const { return m_maxIntervalMs; }
    bool isActive() const { return m_timer.isActive(); }

public slots:
    /// Repaints the visible rows with a relative time now and sets the timer for the next change.
    void refresh();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Looks at the visible rows within RecheckMs (new rows, scrolling, showing).
    void recheckSoon();

    QTableView *m_view;
    FeedDelegate *m_delegate;
    int m_column;
    int m_maxIntervalMs = 60'000;
    QTimer m_timer;
    /// The visible rows with a relative time at the last look: message id → when its text
    /// changes. Only rows whose text changed since are repainted.
    QHash<quint64, qint64> m_validUntil;
};

} // namespace Gatescope::Ui
