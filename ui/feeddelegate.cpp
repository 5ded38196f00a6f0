#include "ui/feeddelegate.h"

#include "core/store/messagemodel.h"
#include "ui/highlightrules.h"

#include <QApplication>
#include <QPainter>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
const QColor DeletedTint(0xcf, 0x22, 0x2e);
const QColor BotColor(0x58, 0x65, 0xf2);
const QColor WebhookColor(0x6e, 0x77, 0x81);
const QColor EditedColor(0xbf, 0x87, 0x00);

const Message *messageOf(const QModelIndex &index)
{
    return reinterpret_cast<const Message *>(
            index.data(MessageModel::MessagePointerRole).value<quintptr>());
}
} // namespace

FeedDelegate::FeedDelegate(HighlightRules *highlights, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_highlights(highlights)
{ }

void FeedDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const int state = index.data(MessageModel::StateRole).toInt();
    if (state & MessageModel::Deleted) {
        option->font.setStrikeOut(true);
        QColor text = option->palette.color(QPalette::Text);
        text.setAlphaF(0.55);
        option->palette.setColor(QPalette::Text, text);
    }
    if (index.column() == MessageModel::TimeColumn || index.column() == MessageModel::FlagsColumn)
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
}

void FeedDelegate::drawPill(QPainter *painter, QRectF &area, const QString &text,
                            const QColor &color)
{
    QFont f = painter->font();
    f.setPointSizeF(f.pointSizeF() * 0.78);
    f.setBold(true);
    f.setStrikeOut(false);
    const QFontMetricsF fm(f);
    const double width = fm.horizontalAdvance(text) + 10;
    const double height = std::min(area.height() - 4, fm.height() + 2);
    if (width > area.width())
        return;
    const QRectF pill(area.left(), area.center().y() - height / 2, width, height);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawRoundedRect(pill, height / 2, height / 2);
    painter->setFont(f);
    painter->setPen(Qt::white);
    painter->drawText(pill, Qt::AlignCenter, text);
    painter->restore();
    area.setLeft(pill.right() + 4);
}

void FeedDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    const int state = index.data(MessageModel::StateRole).toInt();
    QColor tint;
    if (m_highlights && !m_highlights->isEmpty()) {
        if (const Message *m = messageOf(index))
            tint = m_highlights->colorFor(*m);
    }
    if (!tint.isValid() && (state & MessageModel::Deleted))
        tint = DeletedTint;
    if (tint.isValid() && !(option.state & QStyle::State_Selected)) {
        QColor fill = tint;
        fill.setAlphaF(state & MessageModel::Deleted ? 0.12 : 0.22);
        painter->fillRect(option.rect, fill);
    }

    const int column = index.column();
    if (column == MessageModel::FlagsColumn) {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        QRectF area = QRectF(option.rect).adjusted(4, 0, -2, 0);
        painter->setFont(option.font);
        if (state & MessageModel::Edited)
            drawPill(painter, area, tr("edited"), EditedColor);
        if (state & MessageModel::Deleted)
            drawPill(painter, area, tr("deleted"), DeletedTint);
        if (state & MessageModel::Mentioned)
            drawPill(painter, area, u"@"_s, BotColor);
        return;
    }

    if (column == MessageModel::AuthorColumn
        && (state & (MessageModel::Bot | MessageModel::Webhook))) {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString badge = (state & MessageModel::Webhook) ? tr("HOOK") : tr("BOT");
        QFont small = opt.font;
        small.setPointSizeF(small.pointSizeF() * 0.78);
        small.setBold(true);
        const int badgeWidth = QFontMetrics(small).horizontalAdvance(badge) + 14;
        const QFontMetrics fm(opt.font);
        const int available = option.rect.width() - badgeWidth - 10;
        const QString name = fm.elidedText(opt.text, Qt::ElideRight, std::max(0, available));
        opt.text = name;
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        QRectF area = QRectF(option.rect);
        area.setLeft(option.rect.left() + 6 + fm.horizontalAdvance(name) + 4);
        painter->setFont(opt.font);
        drawPill(painter, area, badge, (state & MessageModel::Webhook) ? WebhookColor : BotColor);
        return;
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace Gatescope::Ui
