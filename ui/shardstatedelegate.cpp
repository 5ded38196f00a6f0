#include "ui/shardstatedelegate.h"

#include "core/connection/shardstatsmodel.h"
#include "core/fleet/fleetshardsmodel.h"
#include "ui/format.h"

#include <QApplication>
#include <QPainter>

namespace Gatescope::Ui {

namespace {
constexpr int Padding = 6;
} // namespace

QColor ShardStateDelegate::silentColor()
{
    return QColor(0xd2, 0x99, 0x22);
}

QColor ShardStateDelegate::errorColor()
{
    return Format::stateColor(GatewayClient::State::Failed);
}

QColor ShardStateDelegate::badgeColor(const QModelIndex &index)
{
    if (index.data(ShardStatsModel::SilentRole).toBool())
        return silentColor();
    switch (index.data(FleetShardsModel::AttentionRole).value<FleetShardsModel::Attention>()) {
    case FleetShardsModel::Attention::Warning:
        return silentColor();
    case FleetShardsModel::Attention::Error:
        return errorColor();
    case FleetShardsModel::Attention::None:
        break;
    }
    return {};
}

void ShardStateDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    const QColor badge = badgeColor(index);
    if (!m_showsState && !badge.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget); // background only

    const auto state = index.data(ShardStatsModel::StateRole).value<GatewayClient::State>();
    const bool marked = badge.isValid();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF cell = QRectF(opt.rect).adjusted(2, 3, -2, -3);
    QFont font = opt.font;
    font.setBold(marked);
    const QFontMetrics fm(font);
    const qreal dot = m_showsState ? fm.height() / 2.0 : 0;
    const qreal textLeft = m_showsState ? Padding + dot + 4 : Padding;
    if (marked) {
        const qreal width = std::min(cell.width(), Padding + textLeft + fm.horizontalAdvance(text));
        const QRectF box(cell.left(), cell.top(), width, cell.height());
        QColor fill = badge;
        fill.setAlphaF(0.22);
        painter->setPen(QPen(badge, 1));
        painter->setBrush(fill);
        painter->drawRoundedRect(box, box.height() / 2, box.height() / 2);
    }
    if (m_showsState) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(marked ? badge : Format::stateColor(state));
        painter->drawEllipse(QPointF(cell.left() + Padding + dot / 2, cell.center().y()), dot / 2,
                             dot / 2);
    }
    painter->setFont(font);
    painter->setPen(opt.palette.color(opt.state & QStyle::State_Selected ? QPalette::HighlightedText
                                                                         : QPalette::Text));
    painter->drawText(cell.adjusted(textLeft, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
    painter->restore();
}

QSize ShardStateDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    QFont font = option.font;
    font.setBold(true);
    const QFontMetrics fm(font);
    size.setWidth(Padding * 2 + fm.height() / 2 + 8
                  + fm.horizontalAdvance(index.data(Qt::DisplayRole).toString()));
    return size;
}

} // namespace Gatescope::Ui
