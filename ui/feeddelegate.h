#pragma once

#include "core/store/messagerenderer.h"
#include "ui/feedtextcache.h"
#include "ui/generationalcache.h"

#include <QHash>
#include <QStyledItemDelegate>

namespace Gatescope {
class MessageStore;
}

namespace Gatescope::Ui {

class HighlightRules;

/// Paints feed rows: deleted messages struck through and tinted red, highlighted messages tinted
/// with their rule's colour, a "BOT"/"HOOK" badge after bot and webhook authors, and the flags
/// as small coloured pills. Everything comes from MessageModel's roles; nothing is measured, so
/// rows keep a uniform height.
///
/// With a store, the Content column is rendered (MessageRenderer): mentions, channels and roles
/// as names, custom emoji as `:name:`, `<t:…>` as local times, a quoted reply line first, then
/// attachments (a click opens the URL in the browser), embed titles and stickers. Each span's
/// tooltip names its id. Rendered rows are cached by message id and re-rendered when the
/// Directory's revision or the content changes, so names that become known show lazily and an
/// idle repaint costs no parsing. Every cell's text is drawn from a FeedTextCache (elided and laid
/// out once) rather than by QStyle, which shaped each cell's text several times per paint.
/// A row with a relative time (`<t:…:R>`) renders again once its text is out of date
/// (RenderedSpan::validUntilMs); RelativeTimeRefresher repaints such rows on screen.
class FeedDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit FeedDelegate(HighlightRules *highlights, QObject *parent = nullptr,
                          MessageStore *store = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    /// The rendered spans of @p index's message (cached), empty without a store.
    QList<RenderedSpan> spansFor(const QModelIndex &index) const;
    /// The span of @p index's Content cell at @p pos (view coordinates), or -1.
    int spanAt(const QStyleOptionViewItem &option, const QModelIndex &index, QPoint pos) const;
    MessageRenderer &renderer() { return m_renderer; }

    /// Has Qt look up, once per process, the fallback fonts of the scripts a feed commonly
    /// shows (CJK, Devanagari, Arabic, emoji, ...) for @p base and the bold and italic faces the
    /// rows use. Otherwise the first paint showing such a script stalls the GUI thread for tens
    /// of ms while fontconfig is asked, in the middle of the traffic. The time it took goes to
    /// the log (gatescope.ui.feed, debug).
    static void warmUpFonts(const QFont &base);
    /// True once warmUpFonts() ran for @p base.
    static bool fontsWarmed(const QFont &base);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

private:
    struct Placed
    {
        QRectF rect;
        QStaticText text; ///< elided to fit
    };
    struct CachedRender
    {
        quint64 revision = 0;
        QString content;
        QList<RenderedSpan> spans;
        qint64 validUntilMs = RenderedSpan::Never; ///< a relative time changes then
    };

    void drawPill(QPainter *painter, QRectF &area, const QString &text, const QColor &color) const;
    /// Where each span goes in @p area with @p font; spans past the right edge are left out.
    QList<Placed> layoutSpans(const QList<RenderedSpan> &spans, const QRectF &area,
                              const QFont &font) const;
    /// The cell's background, selection and focus as QStyle draws them, without its text.
    static void drawItemBackground(QPainter *painter, QStyleOptionViewItem opt);
    /// @p text drawn as QStyle draws an item's text (elided on the right, the palette's colour
    /// for the row's state, inset by the focus frame margin), into @p area (the cell's rect when
    /// null). Returns the width drawn.
    qreal drawItemText(QPainter *painter, const QStyleOptionViewItem &opt, const QString &text,
                       QRectF area = {}) const;
    /// A plain text cell: background and elided text.
    void paintTextCell(QPainter *painter, const QStyleOptionViewItem &option,
                       const QModelIndex &index) const;
    static QFont fontFor(const RenderedSpan &span, const QFont &base);
    /// A link's underline under text drawn at @p textTopLeft, @p width wide.
    static void drawUnderline(QPainter *painter, QPointF textTopLeft, qreal width,
                              const QFont &font, const QColor &color);
    void paintContent(QPainter *painter, const QStyleOptionViewItem &option,
                      const QModelIndex &index) const;

    HighlightRules *m_highlights;
    MessageStore *m_store;
    MessageRenderer m_renderer;
    /// Rendered rows: a turnover keeps the rows on screen instead of rendering them all again
    /// in one paint.
    static constexpr qsizetype MaxCachedRows = 4096;
    mutable GenerationalCache<quint64, CachedRender> m_cache{MaxCachedRows};
    mutable FeedTextCache m_texts;
};

} // namespace Gatescope::Ui
