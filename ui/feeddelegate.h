#pragma once

#include <QStyledItemDelegate>

namespace Gatescope::Ui {

class HighlightRules;

/// Paints feed rows: deleted messages struck through and tinted red, highlighted messages tinted
/// with their rule's colour, a "BOT"/"HOOK" badge after bot and webhook authors, and the flags
/// as small coloured pills. Everything comes from MessageModel's roles; nothing is measured, so
/// rows keep a uniform height.
class FeedDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit FeedDelegate(HighlightRules *highlights, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    static void drawPill(QPainter *painter, QRectF &area, const QString &text, const QColor &color);

    HighlightRules *m_highlights;
};

} // namespace Gatescope::Ui
