#include "ui/shardstatedelegate.h"

#include "core/connection/shardstatsmodel.h"
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

void ShardStateDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget); // background only

    const auto state = index.data(ShardStatsModel::StateRole).value<GatewayClient::State>();
    const bool silent = index.data(ShardStatsModel::SilentRole).toBool();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF cell = QRectF(opt.rect).adjusted(2, 3, -2, -3);
    QFont font = opt.font;
    font.setBold(silent);
    const QFontMetrics fm(font);
    const qreal dot = fm.height() / 2.0;
    if (silent) {
        const qreal width
                = std::min(cell.width(), Padding * 2 + dot + 4 + fm.horizontalAdvance(text));
        const QRectF badge(cell.left(), cell.top(), width, cell.height());
        QColor fill = silentColor();
        fill.setAlphaF(0.22);
        painter->setPen(QPen(silentColor(), 1));
        painter->setBrush(fill);
        painter->drawRoundedRect(badge, badge.height() / 2, badge.height() / 2);
    }
    painter->setPen(Qt::NoPen);
    painter->setBrush(silent ? silentColor() : Format::stateColor(state));
    painter->drawEllipse(QPointF(cell.left() + Padding + dot / 2, cell.center().y()), dot / 2,
                         dot / 2);
    painter->setFont(font);
    painter->setPen(opt.palette.color(opt.state & QStyle::State_Selected ? QPalette::HighlightedText
                                                                         : QPalette::Text));
    painter->drawText(cell.adjusted(Padding + dot + 4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                      text);
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
