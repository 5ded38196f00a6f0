#include "ui/framespanel.h"

#include "ui/format.h"
#include "ui/framefiltermodel.h"
#include "ui/framemodel.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

FramesPanel::FramesPanel(FrameModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);

    auto *bar = new QHBoxLayout;
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setObjectName(u"frameFilter"_s);
    m_filterEdit->setPlaceholderText(
            tr("Filter by op or type: 0, 7, heartbeat, MESSAGE_CREATE, out"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setToolTip(tr("Space- or comma-separated terms; a frame matching any term is "
                                "shown. Numbers match the opcode, words the event type or opcode "
                                "name (as a prefix); “in” / “out” keep one direction."));
    bar->addWidget(m_filterEdit, 1);
    m_pause = new QToolButton(this);
    m_pause->setObjectName(u"framePause"_s);
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold new frames back; they appear when you resume"));
    bar->addWidget(m_pause);
    auto *clear = new QToolButton(this);
    clear->setText(tr("Clear"));
    bar->addWidget(clear);
    m_status = new QLabel(this);
    m_status->setObjectName(u"frameStatus"_s);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(m_status);
    layout->addLayout(bar);

    m_filter = new FrameFilterModel(this);
    m_filter->setSourceModel(model);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_view = new QTableView(splitter);
    m_view->setObjectName(u"frameView"_s);
    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    const QFontMetrics fm = m_view->fontMetrics();
    header->resizeSection(FrameModel::Time, fm.horizontalAdvance(u"00:00:00.000"_s) + 14);
    header->resizeSection(FrameModel::Direction,
                          m_view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, m_view)
                                  + 14);
    header->resizeSection(FrameModel::Op, fm.horizontalAdvance(u"11 HEARTBEAT_ACK"_s) + 14);
    header->resizeSection(FrameModel::Type, fm.horizontalAdvance(u"MESSAGE_CREATE"_s) + 14);
    header->resizeSection(FrameModel::Seq, fm.horizontalAdvance(u"0000000"_s) + 14);
    header->resizeSection(FrameModel::Size, fm.horizontalAdvance(u"000.0 KB"_s) + 14);

    m_json = new QPlainTextEdit(splitter);
    m_json->setObjectName(u"frameJson"_s);
    m_json->setReadOnly(true);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setPlaceholderText(
            tr("Select a frame to see its JSON (the token is shown as [redacted])"));
    splitter->addWidget(m_view);
    splitter->addWidget(m_json);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(150);
    connect(m_filterEdit, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, [this] {
        m_filter->setFilterText(m_filterEdit->text());
        updateStatus();
    });
    connect(m_pause, &QToolButton::toggled, model, &FrameModel::setPaused);
    connect(model, &FrameModel::pausedChanged, m_pause, &QToolButton::setChecked);
    connect(clear, &QToolButton::clicked, model, &FrameModel::clear);
    connect(model, &FrameModel::countsChanged, this, &FramesPanel::updateStatus);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &FramesPanel::showSelected);

    // Follow the newest frame only while the view is at the bottom.
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_view->verticalScrollBar();
        m_atBottom = bar->value() >= bar->maximum() - 2;
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_atBottom)
            m_view->scrollToBottom();
    });
    updateStatus();
}

void FramesPanel::updateStatus()
{
    QString text = tr("%1 of %2")
                           .arg(Format::count(quint64(m_filter->rowCount())),
                                Format::count(m_model->totalReceived()));
    if (m_model->isPaused())
        text += tr(" · %1 held").arg(Format::count(quint64(m_model->heldCount())));
    m_status->setText(text);
}

void FramesPanel::showSelected()
{
    const QModelIndex current = m_view->currentIndex();
    m_json->setPlainText(current.isValid() ? current.data(FrameModel::JsonRole).toString()
                                           : QString());
}

} // namespace Gatescope::Ui
