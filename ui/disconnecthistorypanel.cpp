#include "ui/disconnecthistorypanel.h"

#include "core/gateway/closecodes.h"
#include "ui/disconnecthistorymodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

DisconnectHistoryPanel::DisconnectHistoryPanel(DisconnectHistoryModel *model, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_banner = new QLabel(this);
    m_banner->setObjectName(u"fatalBanner"_s);
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    m_banner->setOpenExternalLinks(true);
    m_banner->setStyleSheet(u"QLabel#fatalBanner { background: #ffebe9; color: #82071e; "
                            "border: 1px solid #cf222e; border-radius: 4px; padding: 8px; "
                            "margin: 4px; }"_s);
    m_banner->hide();
    layout->addWidget(m_banner);

    m_view = new QTableView(this);
    m_view->setObjectName(u"disconnectView"_s);
    m_view->setModel(model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    QHeaderView *header = m_view->horizontalHeader();
    const QFontMetrics fm = m_view->fontMetrics();
    header->setStretchLastSection(false);
    header->resizeSection(DisconnectHistoryModel::Time, fm.horizontalAdvance(u"00:00:00"_s) + 16);
    header->resizeSection(DisconnectHistoryModel::Code, fm.horizontalAdvance(u"00000"_s) + 12);
    header->resizeSection(DisconnectHistoryModel::Initiator,
                          fm.horizontalAdvance(u"Gatescope"_s) + 16);
    header->resizeSection(DisconnectHistoryModel::FollowedBy,
                          fm.horizontalAdvance(u"new session (identify)"_s) + 12);
    header->resizeSection(DisconnectHistoryModel::Replayed,
                          fm.horizontalAdvance(u"Replayed"_s) + 16);
    header->resizeSection(DisconnectHistoryModel::Downtime,
                          fm.horizontalAdvance(u"Downtime"_s) + 16);
    header->setSectionResizeMode(DisconnectHistoryModel::Meaning, QHeaderView::Stretch);
    layout->addWidget(m_view, 1);

    // Keep the newest disconnect in sight.
    connect(model, &QAbstractItemModel::rowsInserted, m_view, [this] { m_view->scrollToBottom(); });
    connect(model, &QAbstractItemModel::modelReset, m_banner, &QLabel::hide);
}

void DisconnectHistoryPanel::setFatal(int closeCode, const QString &explanation)
{
    if (explanation.isEmpty()) {
        m_banner->hide();
        return;
    }
    m_banner->setText(u"<b>%1 — %2.</b> The connection was stopped and will not be retried."
                      "<br>%3"_s.arg(QString::number(closeCode),
                                     CloseCodes::meaning(closeCode).toHtmlEscaped(),
                                     explanation.toHtmlEscaped()));
    m_banner->show();
}

QString DisconnectHistoryPanel::fatalText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

} // namespace Gatescope::Ui
