#include "ui/feedview.h"

#include "ui/feeddelegate.h"
#include "ui/format.h"
#include "ui/icons.h"

#include <QDeadlineTimer>
#include <QEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QPainter>
#include <QPushButton>
#include <QScrollBar>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
/// The jump arrow in the button's white text colour (the button is blue in every palette).
QIcon whiteArrow()
{
    QIcon icon;
    const QIcon source = Icons::drawn(Icons::Kind::JumpToNewest);
    for (int size : {16, 32}) {
        QPixmap pixmap = source.pixmap(size, size);
        QPainter p(&pixmap);
        p.setCompositionMode(QPainter::CompositionMode_SourceIn);
        p.fillRect(pixmap.rect(), Qt::white);
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}
} // namespace

FeedView::FeedView(QWidget *parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setShowGrid(false);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setAlternatingRowColors(true);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    setContextMenuPolicy(Qt::CustomContextMenu);
    // Uniform rows: the view never measures content, which keeps inserts cheap at high rates.
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setStretchLastSection(false);
    viewport()->setAttribute(Qt::WA_Hover);

    m_newButton = new QPushButton(viewport());
    m_newButton->setObjectName(u"newMessagesButton"_s);
    m_newButton->setCursor(Qt::PointingHandCursor);
    m_newButton->setLayoutDirection(Qt::RightToLeft); // the arrow after the text
    m_newButton->setIcon(whiteArrow());
    m_newButton->setStyleSheet(
            u"QPushButton#newMessagesButton { background: #1f6feb; color: white; border: none; "
            "border-radius: 13px; padding: 4px 14px; font-weight: bold; }"
            "QPushButton#newMessagesButton:hover { background: #388bfd; }"_s);
    m_newButton->hide();
    connect(m_newButton, &QPushButton::clicked, this, &FeedView::jumpToNewest);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &FeedView::onScrolled);
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setTimerType(Qt::PreciseTimer); // the phases of the panes must not drift
    m_refreshTimer.callOnTimeout(this, &FeedView::refreshNow);
    // The user's hand on a scroll bar shows at once, even while rows stream in.
    for (QScrollBar *bar : {verticalScrollBar(), horizontalScrollBar()})
        connect(bar, &QScrollBar::sliderPressed, this, &FeedView::refreshNow);
}

void FeedView::setRefreshPhase(int ms)
{
    m_refreshPhaseMs = ((ms % RefreshIntervalMs) + RefreshIntervalMs) % RefreshIntervalMs;
}

int FeedView::msUntilNextRefresh() const
{
    const qint64 now = QDeadlineTimer::current().deadline(); // monotonic ms, as the timers
    const qint64 intoInterval = (now - m_refreshPhaseMs) % RefreshIntervalMs;
    return int(RefreshIntervalMs - intoInterval);
}

void FeedView::holdModelRepaints()
{
    if (m_repaintsHeld)
        return;
    if (!m_sinceRefresh.isValid() || m_sinceRefresh.elapsed() >= RefreshIntervalMs) {
        // The first change after a quiet spell: shown at once, so a slow channel has no delay.
        m_sinceRefresh.start();
        return;
    }
    // Updates are switched off rather than the change delayed: the model and the view stay in
    // step (selection, counts, the details pane), only the pixels wait.
    m_repaintsHeld = true;
    setRepaintsEnabled(false);
    m_refreshTimer.start(msUntilNextRefresh());
}

void FeedView::refreshNow()
{
    // Also when the timer has just fired: a single-shot timer is no longer active in its slot.
    if (!m_repaintsHeld && !m_scrollPending)
        return;
    m_refreshTimer.stop();
    m_repaintsHeld = false;
    if (std::exchange(m_scrollPending, false) && m_following && !isHeld()) {
        m_adjusting = true;
        scrollToBottom();
        m_adjusting = false;
    }
    setRepaintsEnabled(true);
    m_sinceRefresh.start();
}

void FeedView::setRepaintsEnabled(bool enabled)
{
    // Enabling updates repaints each widget whole: one repaint for all the held changes.
    viewport()->setUpdatesEnabled(enabled);
    verticalScrollBar()->setUpdatesEnabled(enabled);
    horizontalScrollBar()->setUpdatesEnabled(enabled);
}

void FeedView::setModel(QAbstractItemModel *newModel)
{
    for (auto &connection : m_modelConnections)
        disconnect(connection);
    QTableView::setModel(newModel);
    if (!newModel)
        return;
    m_modelConnections[0] = connect(newModel, &QAbstractItemModel::rowsAboutToBeInserted, this,
                                    &FeedView::onRowsAboutToBeInserted);
    m_modelConnections[1]
            = connect(newModel, &QAbstractItemModel::rowsInserted, this, &FeedView::onRowsInserted);
    m_modelConnections[2] = connect(newModel, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                                    &FeedView::onRowsAboutToBeRemoved);
    m_modelConnections[3]
            = connect(newModel, &QAbstractItemModel::rowsRemoved, this, &FeedView::onRowsRemoved);
    m_modelConnections[4] = connect(newModel, &QAbstractItemModel::modelReset, this, [this] {
        m_newRows = 0;
        m_following = true;
        updateButton();
        emit newRowCountChanged(0);
    });
}

QModelIndex FeedView::topVisibleIndex() const
{
    // Per-item scrolling: the scroll bar value is the top row, even before a deferred layout
    // has moved the header (indexAt() would still answer from the old position).
    if (!model() || verticalScrollMode() != ScrollPerItem)
        return indexAt(QPoint(1, 1));
    return model()->index(verticalScrollBar()->value(), 0, rootIndex());
}

bool FeedView::atBottom() const
{
    const QScrollBar *bar = verticalScrollBar();
    return bar->value() >= bar->maximum();
}

void FeedView::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    const bool wasHeld = isHeld();
    m_paused = paused;
    emit pausedChanged(paused);
    if (wasHeld != isHeld())
        emit heldChanged(isHeld());
    if (!isHeld())
        releaseHold();
    updateButton();
}

void FeedView::setHovered(bool hovered)
{
    if (hovered == m_hovered)
        return;
    const bool wasHeld = isHeld();
    m_hovered = hovered;
    if (wasHeld != isHeld())
        emit heldChanged(isHeld());
    if (!isHeld())
        releaseHold();
}

void FeedView::releaseHold()
{
    // The view was following before the hold: catch up with what arrived meanwhile.
    if (m_following)
        jumpToNewest();
}

void FeedView::jumpToNewest()
{
    m_scrollPending = false;
    m_following = true;
    m_adjusting = true;
    scrollToBottom();
    m_adjusting = false;
    if (m_newRows != 0) {
        m_newRows = 0;
        emit newRowCountChanged(0);
    }
    updateButton();
}

void FeedView::onRowsAboutToBeInserted()
{
    m_wasAtBottom = atBottom() || m_scrollPending;
    holdModelRepaints();
}

void FeedView::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    if (m_following && !isHeld() && m_wasAtBottom) {
        if (m_repaintsHeld) {
            // Scrolled with the refresh, so it is drawn once; the scroll range is kept up to
            // date now, so that where the user scrolls to meanwhile is where they meant.
            executeDelayedItemsLayout();
            m_scrollPending = true;
            return;
        }
        m_adjusting = true;
        scrollToBottom();
        m_adjusting = false;
        return;
    }
    m_newRows += last - first + 1;
    emit newRowCountChanged(m_newRows);
    updateButton();
}

void FeedView::onRowsAboutToBeRemoved()
{
    holdModelRepaints();
    // Rows leaving above the viewport (ring eviction) would slide the content up; remember the
    // top row so it can be put back where it was.
    if (!m_following || isHeld())
        m_anchor = QPersistentModelIndex(topVisibleIndex());
}

void FeedView::onRowsRemoved()
{
    if (!m_anchor.isValid())
        return;
    m_adjusting = true;
    scrollTo(m_anchor, QAbstractItemView::PositionAtTop);
    m_adjusting = false;
    m_anchor = QPersistentModelIndex();
}

void FeedView::onScrolled(int value)
{
    if (m_adjusting)
        return;
    // The user scrolled: following resumes only when they reach the bottom themselves.
    m_scrollPending = false;
    const bool bottom = value >= verticalScrollBar()->maximum();
    if (bottom && !m_following) {
        m_following = true;
        if (m_newRows != 0) {
            m_newRows = 0;
            emit newRowCountChanged(0);
        }
    } else if (!bottom && m_following) {
        m_following = false;
    }
    updateButton();
}

void FeedView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                           const QList<int> &roles)
{
    // Edits, deletions and names that became known: a change of more than one cell repaints
    // the whole viewport, wherever the row is, so these wait for the refresh as inserts do.
    holdModelRepaints();
    QTableView::dataChanged(topLeft, bottomRight, roles);
}

void FeedView::paintEvent(QPaintEvent *event)
{
    QTableView::paintEvent(event);
    if (std::exchange(m_fontsWarmed, true))
        return;
    // Right after the window first shows, while the connection is still being made: rather
    // than in the middle of the first messages in other scripts.
    QTimer::singleShot(0, this, [this] { FeedDelegate::warmUpFonts(font()); });
}

void FeedView::keyPressEvent(QKeyEvent *event)
{
    refreshNow();
    QTableView::keyPressEvent(event);
}

bool FeedView::viewportEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick:
    case QEvent::Wheel:
        refreshNow(); // what the user does shows at once
        break;
    // Only real pointer movement holds the view: an Enter sent because the window appeared
    // under a resting pointer must not stop the feed.
    case QEvent::HoverMove:
    case QEvent::MouseMove:
        setHovered(true);
        break;
    case QEvent::HoverLeave:
    case QEvent::Leave:
        setHovered(false);
        break;
    default:
        break;
    }
    return QTableView::viewportEvent(event);
}

void FeedView::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    placeButton();
}

void FeedView::updateButton()
{
    const bool show = m_newRows > 0 && (!m_following || isHeld());
    if (show) {
        m_newButton->setText(
                m_newRows == 1 ? tr("1 new message")
                               : tr("%1 new messages").arg(Format::count(quint64(m_newRows))));
        m_newButton->adjustSize();
        placeButton();
    }
    m_newButton->setVisible(show);
}

void FeedView::placeButton()
{
    const QSize size = m_newButton->sizeHint();
    const QRect area = viewport()->rect();
    m_newButton->setGeometry((area.width() - size.width()) / 2, area.height() - size.height() - 12,
                             size.width(), size.height());
}

} // namespace Gatescope::Ui
