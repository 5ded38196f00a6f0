#include "ui/sparklinedelegate.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace Gatescope::Ui {

namespace {
constexpr int Gap = 6;
} // namespace

SparklineDelegate::SparklineDelegate(int historyRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_historyRole(historyRole)
{ }

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    const QSize text = QStyledItemDelegate::sizeHint(option, index);
    return {text.width() + SparklineWidth + Gap, text.height()};
}

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    QStyleOptionViewItem textOption = option;
    initStyleOption(&textOption, index);
    const QList<int> samples = index.data(m_historyRole).value<QList<int>>();
    // Background, selection and text through the style; the text keeps to the right.
    textOption.displayAlignment = Qt::AlignRight | Qt::AlignVCenter;
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &textOption, painter, widget);
    if (samples.size() < 2)
        return;

    const QRect cell = option.rect.adjusted(4, 4, -4, -4);
    const int textWidth = option.fontMetrics.horizontalAdvance(textOption.text);
    const int right = cell.right() - textWidth - Gap;
    const QRectF area(QPointF(std::max(cell.left(), right - SparklineWidth), cell.top()),
                      QPointF(right, cell.bottom()));
    if (area.width() < 12)
        return;
    const auto [low, high] = std::minmax_element(samples.cbegin(), samples.cend());
    const double span = std::max(1, *high - *low);
    const double step = area.width() / double(samples.size() - 1);
    QPainterPath path;
    QPointF last;
    for (qsizetype i = 0; i < samples.size(); ++i) {
        last = QPointF(area.left() + step * double(i),
                       area.bottom() - (samples.at(i) - *low) / span * area.height());
        if (i == 0)
            path.moveTo(last);
        else
            path.lineTo(last);
    }
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option.state & QStyle::State_Selected;
    const QColor line
            = selected ? option.palette.highlightedText().color() : option.palette.link().color();
    painter->setPen(QPen(line, 1.5));
    painter->drawPath(path);
    painter->setBrush(line);
    painter->setPen(Qt::NoPen);
    painter->drawEllipse(last, 2.5, 2.5);
    painter->restore();
}

} // namespace Gatescope::Ui
