#pragma once

#include "emulator/trafficworld.h"
#include "emulator/wordlists.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace Gatescope::Emulator {

/// What a generated message says: text, mentions, attachments, embeds, components, a poll.
struct MessageBody
{
    QString content;
    QJsonArray mentions;
    QJsonArray mentionRoles;
    QJsonArray attachments;
    QJsonArray embeds;
    QJsonArray components;
    QJsonArray stickerItems;
    QJsonObject poll;
    bool mentionEveryone = false;
    bool mentionsBot = false;
    int flags = 0;
};

/// Writes the content of generated messages: chat lines of a typical length, long texts,
/// mentions of members, roles and channels, custom emojis, code blocks, links with their
/// previews, attachments with CDN URLs, bot embeds and buttons, webhook release notes, polls,
/// stickers and `<t:…>` timestamps in every style.
///
/// Draws from the world's random source; holds no state of its own.
class MessageContent
{
public:
    static constexpr int MaxContent = 2000; ///< Discord's limit for `content`

    explicit MessageContent(TrafficWorld &world);

    MessageBody humanBody(qint64 nowMs, int guild, const QString &channelId);
    MessageBody botBody(qint64 nowMs, int guild);
    MessageBody webhookBody(qint64 nowMs);
    /// A reaction's emoji: a custom one of @p guild (-1: none) or a unicode one.
    QJsonObject emojiFor(int guild);
    /// The preview embed Discord adds for @p link.
    static QJsonObject linkEmbed(const WordLists::LinkInfo &link);

private:
    QString composeText(int targetBytes);
    QString longText();
    QJsonObject attachment(qint64 nowMs, const QString &channelId, bool imageOnly);
    QJsonObject richEmbed(qint64 nowMs, const QString &title, const QString &description);
    QJsonObject poll(qint64 nowMs);

    TrafficWorld &world;
    SplitMix64 &rng;
};

} // namespace Gatescope::Emulator
