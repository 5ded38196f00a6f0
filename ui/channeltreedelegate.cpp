#include "ui/channeltreedelegate.h"

#include "core/store/channeltreemodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace Gatescope::Ui {

namespace {
const QColor MentionColor(0xda, 0x37, 0x3c);
const QColor UnreadColor(0x6e, 0x77, 0x81);

using Kind = ChannelTreeModel::NodeKind;

Kind kindOf(const QModelIndex &index)
{
    return Kind(index.data(ChannelTreeModel::KindRole).toInt());
}

QString badgeText(int count)
{
    return count > 999 ? QStringLiteral("999+") : QString::number(count);
}
} // namespace

QColor ChannelTreeDelegate::iconColor(quint64 guildId)
{
    // A stable hue per guild; saturation and value keep white initials readable.
    return QColor::fromHsv(int((guildId >> 22) % 360), 150, 170);
}

void ChannelTreeDelegate::drawGuildIcon(QPainter *painter, const QRectF &rect,
                                        const QString &initials, quint64 guildId)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(iconColor(guildId));
    painter->drawEllipse(rect);
    // The letters are drawn as outlines scaled to the circle, so any font size works.
    QFont font = painter->font();
    font.setBold(true);
    font.setStrikeOut(false);
    QPainterPath path;
    path.addText(0, 0, font, initials);
    const QRectF bounds = path.boundingRect();
    if (!bounds.isEmpty()) {
        const double scale = std::min(rect.width() * 0.62 / bounds.width(),
                                      rect.height() * 0.5 / bounds.height());
        QTransform t;
        t.translate(rect.center().x(), rect.center().y());
        t.scale(scale, scale);
        t.translate(-bounds.center().x(), -bounds.center().y());
        painter->setBrush(Qt::white);
        painter->drawPath(t.map(path));
    }
    painter->restore();
}

void ChannelTreeDelegate::initStyleOption(QStyleOptionViewItem *option,
                                          const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const int unread = index.data(ChannelTreeModel::UnreadRole).toInt();
    const Kind kind = kindOf(index);
    if (unread > 0 || kind == Kind::Guild)
        option->font.setBold(true);
    if (kind == Kind::Category) {
        option->font.setCapitalization(QFont::AllUppercase);
        option->font.setPointSizeF(option->font.pointSizeF() * 0.85);
    }
    if (unread == 0 && kind != Kind::Guild && kind != Kind::All)
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
}

QSize ChannelTreeDelegate::sizeHint(const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (kindOf(index) == Kind::Guild)
        size.setHeight(std::max(size.height(), option.fontMetrics.height() * 2));
    return size;
}

void ChannelTreeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const int mentions = index.data(ChannelTreeModel::MentionsRole).toInt();
    const int unread = index.data(ChannelTreeModel::UnreadRole).toInt();
    const QString badge = mentions > 0 ? badgeText(mentions)
                          : unread > 0 ? badgeText(unread)
                                       : QString();
    QFont badgeFont = opt.font;
    badgeFont.setCapitalization(QFont::MixedCase);
    badgeFont.setBold(true);
    badgeFont.setPointSizeF(option.font.pointSizeF() * 0.8);
    const QFontMetricsF bfm(badgeFont);
    const double badgeWidth
            = badge.isEmpty() ? 0 : std::max(bfm.height(), bfm.horizontalAdvance(badge) + 10);

    const bool guild = kindOf(index) == Kind::Guild;
    const double iconSize = guild ? std::min<double>(opt.rect.height() - 4, 28) : 0;
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    QRectF area = QRectF(opt.rect).adjusted(4, 0, -4, 0);
    if (guild) {
        const QRectF icon(area.left(), area.center().y() - iconSize / 2, iconSize, iconSize);
        drawGuildIcon(painter, icon, index.data(ChannelTreeModel::InitialsRole).toString(),
                      index.data(ChannelTreeModel::GuildIdRole).toULongLong());
        area.setLeft(icon.right() + 6);
    }
    if (!badge.isEmpty()) {
        const double h = bfm.height() + 2;
        const QRectF pill(area.right() - badgeWidth, area.center().y() - h / 2, badgeWidth, h);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(mentions > 0 ? MentionColor : UnreadColor);
        painter->drawRoundedRect(pill, h / 2, h / 2);
        painter->setFont(badgeFont);
        painter->setPen(Qt::white);
        painter->drawText(pill, Qt::AlignCenter, badge);
        painter->restore();
        area.setRight(pill.left() - 4);
    }
    painter->save();
    painter->setFont(opt.font);
    const bool selected = opt.state & QStyle::State_Selected;
    painter->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    const QString shown = QFontMetricsF(opt.font).elidedText(text, Qt::ElideRight, area.width());
    painter->drawText(area, Qt::AlignVCenter | Qt::AlignLeft, shown);
    painter->restore();
}

} // namespace Gatescope::Ui
