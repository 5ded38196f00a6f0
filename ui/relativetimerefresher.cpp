#include "ui/relativetimerefresher.h"

#include "core/store/messagemodel.h"
#include "ui/feeddelegate.h"

#include <QEvent>
#include <QScrollBar>
#include <QTableView>

#include <algorithm>

namespace Gatescope::Ui {

namespace {
/// A floor for the wait, so a clock that stands still cannot make the timer spin.
constexpr int MinIntervalMs = 50;
} // namespace

RelativeTimeRefresher::RelativeTimeRefresher(QTableView *view, FeedDelegate *delegate, int column)
    : QObject(view)
    , m_view(view)
    , m_delegate(delegate)
    , m_column(column)
{
    // Precise: a coarse timer may fire a little early, before the text has changed.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &RelativeTimeRefresher::refresh);
    connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &RelativeTimeRefresher::recheckSoon);
    view->installEventFilter(this);
    if (QAbstractItemModel *model = view->model()) {
        connect(model, &QAbstractItemModel::rowsInserted, this,
                &RelativeTimeRefresher::recheckSoon);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &RelativeTimeRefresher::recheckSoon);
        connect(model, &QAbstractItemModel::modelReset, this, &RelativeTimeRefresher::recheckSoon);
        connect(model, &QAbstractItemModel::layoutChanged, this,
                &RelativeTimeRefresher::recheckSoon);
    }
    recheckSoon();
}

bool RelativeTimeRefresher::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::Show)
        recheckSoon();
    return QObject::eventFilter(watched, event);
}

void RelativeTimeRefresher::recheckSoon()
{
    const int soon = std::min(RecheckMs, m_maxIntervalMs);
    if (!m_timer.isActive() || m_timer.remainingTime() > soon)
        m_timer.start(soon);
}

void RelativeTimeRefresher::refresh()
{
    m_timer.stop();
    QAbstractItemModel *model = m_view->model();
    if (!model || !m_view->isVisible() || m_view->isColumnHidden(m_column))
        return; // showing the view or new rows look again
    const int rows = model->rowCount(m_view->rootIndex());
    const int first = std::max(0, m_view->rowAt(0));
    const int bottom = m_view->rowAt(m_view->viewport()->height() - 1);
    const int last = bottom < 0 ? rows - 1 : bottom;
    const qint64 now = m_delegate->renderer().now();
    qint64 next = RenderedSpan::Never;
    QHash<quint64, qint64> seen;
    for (int row = first; row <= last; ++row) {
        const QModelIndex index = model->index(row, m_column, m_view->rootIndex());
        // Renders the row again when its text is out of date; the paint then finds it cached.
        const qint64 until = MessageRenderer::validUntil(m_delegate->spansFor(index));
        if (until == RenderedSpan::Never)
            continue;
        const quint64 id = index.data(MessageModel::MessageIdRole).toULongLong();
        // A row not looked at before may have been painted long ago: repaint it too.
        if (m_validUntil.value(id, 0) <= now)
            m_view->update(index);
        seen.insert(id, until);
        next = std::min(next, until);
    }
    m_validUntil = std::move(seen);
    if (next == RenderedSpan::Never)
        return;
    const qint64 wait = std::clamp<qint64>(next - now, std::min(MinIntervalMs, m_maxIntervalMs),
                                           m_maxIntervalMs);
    m_timer.start(int(wait));
}

} // namespace Gatescope::Ui
