#pragma once

#include "core/store/message.h"

#include <QList>
#include <QLocale>
#include <QString>
#include <QTimeZone>

#include <functional>
#include <limits>
#include <optional>

namespace Gatescope {

class Directory;

/// One styled piece of a rendered message.
struct RenderedSpan
{
    enum class Kind : quint8 {
        Text, ///< plain content
        UserMention, ///< `<@id>` / `<@!id>` as "@name"
        ChannelMention, ///< `<#id>` as "#name"
        RoleMention, ///< `<@&id>` as "@role"
        EveryoneMention, ///< `@everyone` / `@here`
        Emoji, ///< `<:name:id>` / `<a:name:id>` as ":name:"
        Timestamp, ///< `<t:unix[:style]>` as a local time
        Reply, ///< the quoted line of the message replied to
        Attachment, ///< "name (size)"; `url` is the file's
        Embed, ///< an embed's title
        Sticker, ///< a sticker's name
    };

    Kind kind = Kind::Text;
    QString text; ///< what is shown
    QString toolTip; ///< the id, the raw markup, the full time; empty for plain text
    QString url; ///< Attachment only
    bool known = true; ///< false when a name is not known yet and the id is shown
    /// Until when (ms since the epoch, on the renderer's clock) the text reads as it does: when a
    /// relative `<t:…:R>` time, or a reply quoting one, next changes ("in 2 minutes" becomes
    /// "in 1 minute"). Never for everything else.
    qint64 validUntilMs = Never;

    static constexpr qint64 Never = std::numeric_limits<qint64>::max();

    bool operator==(const RenderedSpan &) const = default;
};

/// Turns a message into styled spans for the feed: mentions as names, custom emoji as
/// `:name:`, `<t:…>` as local times, and the reply, attachments, embeds and stickers around the
/// content (Discord's message formatting; protocol reference §11).
///
/// Pure: the result depends only on the message, the Directory's names at the time, the
/// message looked up for a reply, and the injected locale, time zone and clock (for the `R`
/// style). Markup that does not parse exactly (a bad id, an unknown style, no closing `>`) stays
/// text, as Discord shows it. Content is one line: newlines become U+23CE, as in MessageModel.
/// At most MaxMarkupSpans pieces of markup are rendered per message; the rest stays text, so
/// hostile content costs linear time and bounded spans.
///
/// Callers that cache results key them on Directory::revision(): names that become known change
/// it; and render again after validUntil(), when a relative time would read differently. Not
/// thread-safe (the Directory is read); use it in the Directory's thread.
class MessageRenderer
{
public:
    static constexpr int MaxMarkupSpans = 200;
    /// Finds a stored message by id, for the reply line.
    using MessageLookup = std::function<std::optional<Message>(quint64 id)>;

    explicit MessageRenderer(const Directory *directory = nullptr);

    void setDirectory(const Directory *directory) { m_directory = directory; }
    /// Month and day names (default: the system locale).
    void setLocale(const QLocale &locale) { m_locale = locale; }
    /// Where local times are shown (default: the system time zone).
    void setTimeZone(const QTimeZone &zone) { m_zone = zone; }
    /// The clock for relative times, ms since the epoch (default: the current time).
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }
    /// The clock's time now (what validUntilMs is compared with).
    qint64 now() const { return m_clock(); }

    /// The whole message: a reply line (looked up with @p lookup), the content, then one span
    /// per attachment, embed and sticker.
    QList<RenderedSpan> render(const Message &message, const MessageLookup &lookup = {}) const;
    /// Only the content's markup.
    QList<RenderedSpan> renderContent(QStringView content) const;
    /// A `<t:…>` time in Discord's @p style (t T d D f F R; f when 0).
    QString formatTimestamp(qint64 unixSeconds, char style) const;
    /// "1.5 MB" style sizes (1024-based, as Discord shows them).
    static QString formatSize(qint64 bytes);
    /// The earliest RenderedSpan::validUntilMs of @p spans: when the rendering is out of date
    /// (RenderedSpan::Never when no span depends on the clock).
    static qint64 validUntil(const QList<RenderedSpan> &spans);
    /// The spans' texts joined, as one line (for tests, tooltips and copying).
    static QString plainText(const QList<RenderedSpan> &spans);

private:
    /// Parses markup starting at @p text[0] == '<' or '@'; returns its length or 0.
    qsizetype parseMarkup(QStringView text, RenderedSpan &span) const;
    bool parseAngled(QStringView inner, RenderedSpan &span) const;
    RenderedSpan replySpan(const Message &message, const MessageLookup &lookup) const;
    void nameSpan(RenderedSpan &span, RenderedSpan::Kind kind, quint64 id, QChar prefix,
                  const QString &name) const;

    const Directory *m_directory;
    QLocale m_locale;
    QTimeZone m_zone;
    std::function<qint64()> m_clock;
};

} // namespace Gatescope
