#include "ui/feeddelegate.h"

#include "core/store/directory.h"
#include "core/store/messagemodel.h"
#include "core/store/messagestore.h"
#include "ui/highlightrules.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDesktopServices>
#include <QElapsedTimer>
#include <QHelpEvent>
#include <QLoggingCategory>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSet>
#include <QTextLayout>
#include <QToolTip>
#include <QUrl>

#include <utility>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

Q_LOGGING_CATEGORY(lcFeed, "gatescope.ui.feed", QtInfoMsg)

namespace {
const QColor DeletedTint(0xcf, 0x22, 0x2e);
const QColor BotColor(0x58, 0x65, 0xf2);
const QColor WebhookColor(0x6e, 0x77, 0x81);
const QColor EditedColor(0xbf, 0x87, 0x00);
const QColor EmojiColor(0xbf, 0x87, 0x00);
constexpr double PartGap = 10; ///< before the reply, attachments, embeds and stickers
constexpr double IconWidth = 14; ///< the drawn mark before a reply, attachment or embed

using SpanKind = RenderedSpan::Kind;

bool isMention(SpanKind kind)
{
    return kind == SpanKind::UserMention || kind == SpanKind::ChannelMention
           || kind == SpanKind::RoleMention || kind == SpanKind::EveryoneMention;
}

bool isPart(SpanKind kind)
{
    return kind >= SpanKind::Reply;
}

/// Extra room a span takes besides its text: padding of boxed spans, the drawn marks.
double decorationWidth(SpanKind kind)
{
    if (isMention(kind) || kind == SpanKind::Timestamp)
        return 4;
    if (kind == SpanKind::Sticker)
        return 8;
    if (kind == SpanKind::Reply || kind == SpanKind::Attachment || kind == SpanKind::Embed)
        return IconWidth;
    return 0;
}

/// A reply's hook: a line from above bending right into the quote.
void drawReplyMark(QPainter *painter, const QRectF &box, const QColor &color)
{
    QPainterPath path;
    const double x = box.left() + 3;
    path.moveTo(x, box.center().y() + box.height() * 0.3);
    path.lineTo(x, box.center().y());
    path.quadTo(x, box.center().y() - 4, x + 4, box.center().y() - 4);
    path.lineTo(box.left() + IconWidth - 2, box.center().y() - 4);
    painter->setPen(QPen(color, 1.4));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path);
}

/// An attachment's mark: a page with a folded corner.
void drawFileMark(QPainter *painter, const QRectF &box, const QColor &color)
{
    const double h = std::min(box.height() - 4, 12.0);
    const QRectF page(box.left() + 2, box.center().y() - h / 2, h * 0.75, h);
    const double fold = page.width() * 0.4;
    QPainterPath path;
    path.moveTo(page.topLeft());
    path.lineTo(page.right() - fold, page.top());
    path.lineTo(page.right(), page.top() + fold);
    path.lineTo(page.bottomRight());
    path.lineTo(page.bottomLeft());
    path.closeSubpath();
    painter->setPen(QPen(color, 1.2));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path);
}

const Message *messageOf(const QModelIndex &index)
{
    return reinterpret_cast<const Message *>(
            index.data(MessageModel::MessagePointerRole).value<quintptr>());
}
} // namespace

FeedDelegate::FeedDelegate(HighlightRules *highlights, QObject *parent, MessageStore *store)
    : QStyledItemDelegate(parent)
    , m_highlights(highlights)
    , m_store(store)
    , m_renderer(store ? store->directory() : nullptr)
{ }

QList<RenderedSpan> FeedDelegate::spansFor(const QModelIndex &index) const
{
    const Message *m = m_store ? messageOf(index) : nullptr;
    if (!m)
        return {};
    const Directory *directory = m_store->directory();
    const quint64 revision = directory ? directory->revision() : 0;
    const auto isCurrent = [&](const CachedRender &entry) {
        return entry.revision == revision && entry.content == m->content
               && (entry.validUntilMs == RenderedSpan::Never
                   || entry.validUntilMs > m_renderer.now());
    };
    if (const CachedRender *cached = m_cache.find(m->id, isCurrent))
        return cached->spans;
    const MessageStore *store = m_store;
    QList<RenderedSpan> spans
            = m_renderer.render(*m, [store](quint64 id) { return store->find(id); });
    const qint64 validUntilMs = MessageRenderer::validUntil(spans);
    return m_cache.insert(m->id, {revision, m->content, std::move(spans), validUntilMs}).spans;
}

namespace {
/// The keys of the fonts whose fallbacks were looked up (GUI thread only, as fonts' caches are
/// per thread).
QSet<QString> &warmedFonts()
{
    static QSet<QString> keys;
    return keys;
}
} // namespace

bool FeedDelegate::fontsWarmed(const QFont &base)
{
    return warmedFonts().contains(base.key());
}

void FeedDelegate::warmUpFonts(const QFont &base)
{
    // One word per script that needs a font of its own on a typical desktop; shaping it makes
    // Qt load each fallback face into this thread's font cache.
    static const QString sample = u"Aa Ωω Жж אב عرب हिन्दी বাংলা ไทย 日本語 中文 한국어 😀🎉👍 ✅"_s;
    QSet<QString> &warmed = warmedFonts();
    QElapsedTimer clock;
    clock.start();
    QFont bold = base;
    bold.setBold(true);
    QFont italic = base;
    italic.setItalic(true);
    for (const QFont &font : {base, bold, italic}) {
        if (warmed.contains(font.key()))
            continue;
        warmed.insert(font.key());
        QTextLayout layout(sample, font);
        layout.beginLayout();
        layout.createLine().setLineWidth(1e6);
        layout.endLayout();
    }
    qCDebug(lcFeed) << "fallback fonts looked up in" << clock.elapsed() << "ms";
}

void FeedDelegate::drawUnderline(QPainter *painter, QPointF textTopLeft, qreal width,
                                 const QFont &font, const QColor &color)
{
    const QFontMetricsF metrics(font);
    const qreal y = std::round(textTopLeft.y() + metrics.ascent() + metrics.underlinePos()) + 0.5;
    painter->setPen(QPen(color, 1));
    painter->drawLine(QPointF(textTopLeft.x(), y), QPointF(textTopLeft.x() + width, y));
}

QFont FeedDelegate::fontFor(const RenderedSpan &span, const QFont &base)
{
    QFont font = base;
    if (span.kind == SpanKind::Reply || span.kind == SpanKind::Sticker || !span.known)
        font.setItalic(true);
    if (span.kind == SpanKind::Embed || (isMention(span.kind) && span.known))
        font.setBold(true);
    // An attachment's link is underlined by paintContent(), not by the font: QPainter draws a
    // QStaticText's underline without the painter's translation, away from its text.
    return font;
}

QList<FeedDelegate::Placed> FeedDelegate::layoutSpans(const QList<RenderedSpan> &spans,
                                                      const QRectF &area, const QFont &font) const
{
    QList<Placed> placed;
    double x = area.left();
    for (qsizetype i = 0; i < spans.size() && x < area.right(); ++i) {
        const RenderedSpan &span = spans[i];
        if (i > 0 && (isPart(span.kind) || isPart(spans[i - 1].kind)))
            x += PartGap;
        const QFont spanFont = fontFor(span, font);
        const double decoration = decorationWidth(span.kind);
        const double room = area.right() - x - decoration;
        if (room <= QFontMetricsF(spanFont).averageCharWidth())
            break;
        const QStaticText &text = m_texts.elided(span.text, spanFont, room);
        const double width = text.size().width() + decoration;
        placed.append({QRectF(x, area.top(), width, area.height()), text});
        x += width;
    }
    return placed;
}

void FeedDelegate::drawItemBackground(QPainter *painter, QStyleOptionViewItem opt)
{
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
}

qreal FeedDelegate::drawItemText(QPainter *painter, const QStyleOptionViewItem &opt,
                                 const QString &text, QRectF area) const
{
    const QWidget *widget = opt.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    if (area.isNull())
        area = QRectF(opt.rect);
    area.adjust(margin, 0, -margin, 0);
    const QStaticText &laidOut = m_texts.elided(text, opt.font, area.width());
    QPalette::ColorGroup group
            = (opt.state & QStyle::State_Enabled) ? QPalette::Normal : QPalette::Disabled;
    if (group == QPalette::Normal && !(opt.state & QStyle::State_Active))
        group = QPalette::Inactive;
    const bool selected = opt.state & QStyle::State_Selected;
    painter->save();
    painter->setPen(
            opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
    painter->setFont(opt.font);
    const QSizeF size = laidOut.size();
    painter->drawStaticText(QPointF(area.left(), area.top() + (area.height() - size.height()) / 2),
                            laidOut);
    painter->restore();
    return size.width();
}

void FeedDelegate::paintTextCell(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    drawItemBackground(painter, opt);
    drawItemText(painter, opt, opt.text);
}

int FeedDelegate::spanAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                         QPoint pos) const
{
    if (index.column() != MessageModel::ContentColumn)
        return -1;
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QList<Placed> placed
            = layoutSpans(spansFor(index), QRectF(opt.rect).adjusted(4, 0, -4, 0), opt.font);
    for (qsizetype i = 0; i < placed.size(); ++i) {
        if (placed[i].rect.contains(pos))
            return int(i);
    }
    return -1;
}

void FeedDelegate::paintContent(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QList<RenderedSpan> spans = spansFor(index);
    drawItemBackground(painter, opt);

    const bool selected = opt.state & QStyle::State_Selected;
    const QColor text = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor muted = selected ? text : opt.palette.color(QPalette::PlaceholderText);
    const QColor link = selected ? text : opt.palette.color(QPalette::Link);
    const QList<Placed> placed
            = layoutSpans(spans, QRectF(opt.rect).adjusted(4, 0, -4, 0), opt.font);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    for (qsizetype i = 0; i < placed.size(); ++i) {
        const RenderedSpan &span = spans[i];
        QRectF box = placed[i].rect;
        QColor color = text;
        const QRectF pill = box.adjusted(0, 3, 0, -3);
        switch (span.kind) {
        case SpanKind::UserMention:
        case SpanKind::ChannelMention:
        case SpanKind::RoleMention:
        case SpanKind::EveryoneMention: {
            QColor fill = BotColor;
            fill.setAlphaF(span.known ? 0.18 : 0.08);
            painter->setPen(Qt::NoPen);
            painter->setBrush(fill);
            painter->drawRoundedRect(pill, 3, 3);
            color = selected ? text : span.known ? BotColor : muted;
            box.adjust(2, 0, -2, 0);
            break;
        }
        case SpanKind::Timestamp: {
            QColor fill = muted;
            fill.setAlphaF(0.15);
            painter->setPen(Qt::NoPen);
            painter->setBrush(fill);
            painter->drawRoundedRect(pill, 3, 3);
            box.adjust(2, 0, -2, 0);
            break;
        }
        case SpanKind::Emoji:
            color = selected ? text : EmojiColor;
            break;
        case SpanKind::Reply:
            drawReplyMark(painter, box, muted);
            box.setLeft(box.left() + IconWidth);
            color = muted;
            break;
        case SpanKind::Attachment:
            drawFileMark(painter, box, link);
            box.setLeft(box.left() + IconWidth);
            color = link;
            break;
        case SpanKind::Embed:
            painter->fillRect(QRectF(box.left() + 2, pill.top(), 3, pill.height()), BotColor);
            box.setLeft(box.left() + IconWidth - 4);
            break;
        case SpanKind::Sticker:
            painter->setPen(QPen(muted, 1));
            painter->setBrush(Qt::NoBrush);
            painter->drawRoundedRect(pill.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
            box.adjust(4, 0, -4, 0);
            color = muted;
            break;
        case SpanKind::Text:
            break;
        }
        const QFont font = fontFor(span, opt.font);
        painter->setFont(font);
        painter->setPen(color);
        const QStaticText &laidOut = placed[i].text;
        const QPointF at(box.left(), box.top() + (box.height() - laidOut.size().height()) / 2);
        painter->drawStaticText(at, laidOut);
        if (span.kind == SpanKind::Attachment)
            drawUnderline(painter, at, laidOut.size().width(), font, color);
    }
    painter->restore();
}

bool FeedDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                             const QStyleOptionViewItem &option, const QModelIndex &index)
{
    const int span = event ? spanAt(option, index, event->pos()) : -1;
    if (span >= 0) {
        const QString tip = spansFor(index).at(span).toolTip;
        if (!tip.isEmpty()) {
            QToolTip::showText(event->globalPos(), tip, view);
            return true;
        }
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

bool FeedDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                               const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        const int span = mouse->button() == Qt::LeftButton
                                 ? spanAt(option, index, mouse->position().toPoint())
                                 : -1;
        if (span >= 0) {
            const RenderedSpan s = spansFor(index).at(span);
            const QUrl url(s.url);
            // Only web links leave the program; a message cannot make us run a local file.
            if (s.kind == SpanKind::Attachment
                && (url.scheme() == "https"_L1 || url.scheme() == "http"_L1)) {
                QDesktopServices::openUrl(url);
                return true;
            }
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

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
                            const QColor &color) const
{
    QFont f = painter->font();
    f.setPointSizeF(f.pointSizeF() * 0.78);
    f.setBold(true);
    f.setStrikeOut(false);
    const QStaticText &laidOut = m_texts.elided(text, f, area.width());
    const QSizeF size = laidOut.size();
    const double width = size.width() + 10;
    const double height = std::min(area.height() - 4, QFontMetricsF(f).height() + 2);
    if (width > area.width() || laidOut.text() != text)
        return;
    const QRectF pill(area.left(), area.center().y() - height / 2, width, height);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawRoundedRect(pill, height / 2, height / 2);
    painter->setFont(f);
    painter->setPen(Qt::white);
    painter->drawStaticText(pill.center() - QPointF(size.width(), size.height()) / 2, laidOut);
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
        drawItemBackground(painter, opt);
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
        const double badgeWidth = m_texts.elided(badge, small, option.rect.width()).size().width();
        drawItemBackground(painter, opt);
        QRectF area = QRectF(option.rect);
        const double nameWidth
                = drawItemText(painter, opt, opt.text, area.adjusted(0, 0, -(badgeWidth + 14), 0));
        area.setLeft(option.rect.left() + 6 + nameWidth + 4);
        painter->setFont(opt.font);
        drawPill(painter, area, badge, (state & MessageModel::Webhook) ? WebhookColor : BotColor);
        return;
    }
    if (column == MessageModel::ContentColumn && m_store) {
        paintContent(painter, option, index);
        return;
    }
    paintTextCell(painter, option, index);
}

} // namespace Gatescope::Ui
