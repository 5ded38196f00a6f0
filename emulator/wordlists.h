#pragma once

#include <QList>
#include <QString>

#include <array>

/// The word lists, links and attachment kinds the traffic generator draws from: names, chat
/// phrases in several scripts, code blocks, bot lines. Constant data, built once, any thread.
namespace Gatescope::Emulator::WordLists {

/// Every word list the generator draws from, built once.
enum class Pool {
    GuildNames,
    TextChannelNames,
    AnnouncementNames,
    ThreadNames,
    RoleNames,
    EmojiNames,
    UnicodeEmoji,
    UsernameBases,
    GlobalNames,
    BotNames,
    WebhookNames,
    ChatPhrases,
    CodeBlocks,
    LongSentences,
    BotPhrases,
    EditSuffixes,
    DmPhrases,
    Count
};

/// The list for @p which.
const QList<QString> &pool(Pool which);
/// The @p i-th entry of a pool, wrapping around: names spread evenly over the world.
const QString &cycle(Pool which, qsizetype i);

struct LinkInfo
{
    const char16_t *url;
    const char16_t *title;
    const char16_t *provider;
    const char16_t *type;
};

inline constexpr std::array<LinkInfo, 5> links = {{
        {u"https://github.com/gatescope/gatescope/issues/42",
         u"Reconnect loop after 4009 · Issue #42", u"GitHub", u"article"},
        {u"https://youtu.be/dQw4w9WgXcQ", u"Never Gonna Give You Up", u"YouTube", u"video"},
        {u"https://en.wikipedia.org/wiki/Snowflake_ID", u"Snowflake ID - Wikipedia", u"Wikipedia",
         u"article"},
        {u"https://discord.com/developers/docs/events/gateway", u"Gateway | Documentation",
         u"Discord", u"link"},
        {u"https://example.com/search?q=caf%C3%A9&lang=fr", u"Recherche : café", u"example.com",
         u"link"},
}};

struct AttachmentInfo
{
    const char16_t *filename;
    const char16_t *contentType;
    int width;
    int height;
};

inline constexpr std::array<AttachmentInfo, 7> attachmentKinds = {{
        {u"screenshot.png", u"image/png", 1920, 1080},
        {u"IMG_2041.jpg", u"image/jpeg", 3024, 4032},
        {u"cat.gif", u"image/gif", 480, 270},
        {u"report.pdf", u"application/pdf", 0, 0},
        {u"データ.csv", u"text/csv; charset=utf-8", 0, 0},
        {u"notes.txt", u"text/plain; charset=utf-8", 0, 0},
        {u"clip.mp4", u"video/mp4", 1280, 720},
}};

} // namespace Gatescope::Emulator::WordLists
