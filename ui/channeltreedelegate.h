#pragma once

#include <QStyledItemDelegate>

namespace Gatescope::Ui {

/// Paints ChannelTreeModel rows: a round icon with the guild's initials (drawn with QPainter),
/// bold names for rows with new messages, and badges on the right: the mention count (red) or
/// else the new-message count (grey). Everything comes from the model's roles.
class ChannelTreeDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /// The colour of a guild icon, fixed per guild id.
    static QColor iconColor(quint64 guildId);
    /// Draws the guild icon: a filled circle with @p initials in white, fitted to @p rect.
    static void drawGuildIcon(QPainter *painter, const QRectF &rect, const QString &initials,
                              quint64 guildId);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace Gatescope::Ui
