#pragma once

#include <QStyledItemDelegate>

namespace Gatescope::Ui {

/// Draws a cell's text at the right and, to its left, a sparkline of the integer samples its
/// index holds in @p historyRole (a QList<int>, oldest first): the Shards dock's latency column.
/// The line spans the samples' own range, so small changes stay visible; the last sample is
/// marked with a dot.
class SparklineDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit SparklineDelegate(int historyRole, QObject *parent = nullptr);

    /// Width the sparkline takes beside the text.
    static constexpr int SparklineWidth = 72;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_historyRole;
};

} // namespace Gatescope::Ui
