#include "emulator/messagecontent.h"

#include "core/gateway/snowflake.h"
#include "emulator/discordshapes.h"

#include <QUrl>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace Gatescope::Emulator {

using namespace World;
using namespace WordLists;
using namespace DiscordShapes;

MessageContent::MessageContent(TrafficWorld &w)
    : world(w)
    , rng(w.rng)
{ }

QString MessageContent::composeText(int targetBytes)
{
    // Most chat lines are one short thought; the rest run on to about the configured length.
    QString out = rng.pick(pool(Pool::ChatPhrases));
    if (rng.chance(0.45))
        return out;
    const int target
            = int(rng.range(std::max(1, targetBytes / 4), std::max(2, targetBytes * 3 / 2)));
    while (out.size() < target && out.size() < MaxContent - 200) {
        out += rng.chance(0.2) ? u"\n"_s : u" "_s;
        out += rng.pick(pool(Pool::ChatPhrases));
    }
    return out;
}

QString MessageContent::longText()
{
    const int target = int(rng.range(1000, 1800));
    QString out;
    out.reserve(target + 200);
    while (out.size() < target) {
        if (!out.isEmpty())
            out += rng.chance(0.25) ? u"\n\n"_s : u" "_s;
        out += rng.pick(pool(Pool::LongSentences));
    }
    return out;
}

QJsonObject MessageContent::attachment(qint64 nowMs, const QString &channelId, bool imageOnly)
{
    const qsizetype kinds = imageOnly ? 3 : qsizetype(std::size(attachmentKinds));
    const AttachmentInfo &kind = attachmentKinds[rng.below(kinds)];
    const QString id = Snowflake::toString(world.mintLive(nowMs));
    const QString filename = QString::fromUtf16(kind.filename);
    const QString path = u"/attachments/"_s + channelId + u'/' + id + u'/'
                         + QString::fromUtf8(QUrl::toPercentEncoding(filename));
    const QString query
            = u"?ex=%1&is=%2&hm=%3&"_s.arg(QString::number(nowMs / 1000 + 86400, 16),
                                           QString::number(nowMs / 1000, 16), world.hexHash(32));
    QJsonObject o;
    o.insert(u"id"_s, id);
    o.insert(u"filename"_s, filename);
    o.insert(u"size"_s, rng.range(1200, 8000000));
    o.insert(u"url"_s, u"https://cdn.discordapp.com"_s + path + query);
    o.insert(u"proxy_url"_s, u"https://media.discordapp.net"_s + path + query);
    o.insert(u"content_type"_s, QString::fromUtf16(kind.contentType));
    if (kind.width > 0) {
        o.insert(u"width"_s, kind.width);
        o.insert(u"height"_s, kind.height);
        o.insert(u"placeholder"_s, u"2/cFBICKiHeId3h4eIiJgHeH93cA"_s);
        o.insert(u"placeholder_version"_s, 1);
    }
    if (rng.chance(0.1))
        o.insert(u"description"_s, u"alt text: a screenshot, \"quoted\""_s);
    o.insert(u"flags"_s, 0);
    return o;
}

QJsonObject MessageContent::linkEmbed(const LinkInfo &link)
{
    QJsonObject o;
    o.insert(u"type"_s, QString::fromUtf16(link.type));
    o.insert(u"url"_s, QString::fromUtf16(link.url));
    o.insert(u"title"_s, QString::fromUtf16(link.title));
    o.insert(u"description"_s, u"A preview of the linked page, with “curly quotes” and ünïcödé."_s);
    o.insert(u"provider"_s, QJsonObject{{u"name"_s, QString::fromUtf16(link.provider)}});
    QJsonObject thumb;
    thumb.insert(u"url"_s, u"https://example.com/preview.png"_s);
    thumb.insert(u"proxy_url"_s, u"https://images-ext-1.discordapp.net/external/x/preview.png"_s);
    thumb.insert(u"width"_s, 400);
    thumb.insert(u"height"_s, 400);
    o.insert(u"thumbnail"_s, thumb);
    return o;
}

QJsonObject MessageContent::richEmbed(qint64 nowMs, const QString &title,
                                      const QString &description)
{
    QJsonObject o;
    o.insert(u"type"_s, u"rich"_s);
    o.insert(u"title"_s, title);
    o.insert(u"description"_s, description);
    o.insert(u"color"_s, int(rng.below(0x1000000)));
    o.insert(u"timestamp"_s, TrafficGenerator::isoTimestamp(nowMs));
    o.insert(u"footer"_s, QJsonObject{{u"text"_s, u"Gatescope emulator"_s}});
    QJsonArray fields;
    fields.append(QJsonObject{
            {u"name"_s, u"Status"_s}, {u"value"_s, u"✅ passing"_s}, {u"inline"_s, true}});
    fields.append(
            QJsonObject{{u"name"_s, u"Latency"_s}, {u"value"_s, u"42 ms"_s}, {u"inline"_s, true}});
    o.insert(u"fields"_s, fields);
    return o;
}

QJsonObject MessageContent::poll(qint64 nowMs)
{
    QJsonArray answers;
    const QList<QString> texts = {u"Pizza 🍕"_s, u"寿司"_s, u"فلافل"_s, u"Tacos, obviously"_s};
    for (int i = 0; i < texts.size(); ++i) {
        answers.append(QJsonObject{{u"answer_id"_s, i + 1},
                                   {u"poll_media"_s, QJsonObject{{u"text"_s, texts.at(i)}}}});
    }
    QJsonObject o;
    o.insert(u"question"_s, QJsonObject{{u"text"_s, u"What should we order tonight?"_s}});
    o.insert(u"answers"_s, answers);
    o.insert(u"expiry"_s, TrafficGenerator::isoTimestamp(nowMs + DayMs));
    o.insert(u"allow_multiselect"_s, false);
    o.insert(u"layout_type"_s, 1);
    return o;
}

QJsonObject MessageContent::emojiFor(int guild)
{
    if (guild >= 0 && rng.chance(0.25)) {
        const Emoji &e
                = world.guilds.at(guild).emojis.at(rng.below(world.guilds.at(guild).emojis.size()));
        QJsonObject o;
        o.insert(u"id"_s, e.idStr);
        o.insert(u"name"_s, e.name);
        if (e.animated)
            o.insert(u"animated"_s, true);
        return o;
    }
    QJsonObject o;
    o.insert(u"id"_s, nullValue());
    o.insert(u"name"_s, rng.pick(pool(Pool::UnicodeEmoji)));
    return o;
}

MessageBody MessageContent::humanBody(qint64 nowMs, int guild, const QString &channelId)
{
    MessageBody b;
    const double roll = rng.unit();
    if (roll < 0.03) {
        // Only an attachment, no text.
        b.attachments.append(attachment(nowMs, channelId, false));
        return b;
    }
    if (guild >= 0 && roll < 0.035) {
        b.poll = poll(nowMs);
        return b;
    }
    if (guild < 0) {
        b.content = rng.pick(pool(Pool::DmPhrases));
        if (rng.chance(0.1))
            b.attachments.append(attachment(nowMs, channelId, true));
        return b;
    }
    b.content = roll < 0.06 ? longText() : composeText(world.config.typicalContentBytes);

    const Guild &g = world.guilds.at(guild);
    if (rng.chance(0.08)) {
        const Member &m = world.member(g, world.pickHumanOrBot(g));
        b.content = u"<@"_s + world.users.at(m.user).idStr + u"> "_s + b.content;
        b.mentions.append(m.mention);
    }
    if (rng.chance(0.03)) {
        const Member &bot = world.member(g, 0);
        b.content = u"<@"_s + world.users.at(0).idStr + u"> "_s + b.content;
        b.mentions.append(bot.mention);
        b.mentionsBot = true;
    }
    if (g.roles.size() > 2 && rng.chance(0.02)) {
        const Role &r = g.roles.at(1 + rng.below(g.roles.size() - 2));
        b.content += u" <@&"_s + r.idStr + u'>';
        b.mentionRoles.append(r.idStr);
    }
    if (rng.chance(0.03))
        b.content += u" see <#"_s + g.texts.at(rng.below(g.texts.size())).idStr + u'>';
    if (rng.chance(0.01)) {
        b.content = (rng.chance(0.5) ? u"@everyone "_s : u"@here "_s) + b.content;
        b.mentionEveryone = true;
    }
    if (rng.chance(0.05)) {
        const Emoji &e = g.emojis.at(rng.below(g.emojis.size()));
        b.content += (e.animated ? u" <a:"_s : u" <:"_s) + e.name + u':' + e.idStr + u'>';
    }
    if (rng.chance(0.03))
        b.content += u'\n' + rng.pick(pool(Pool::CodeBlocks));
    if (rng.chance(0.10)) {
        const LinkInfo &link = links[rng.below(qsizetype(std::size(links)))];
        b.content += u' ' + QString::fromUtf16(link.url);
        if (rng.chance(0.6))
            b.embeds.append(linkEmbed(link));
    }
    if (rng.chance(0.06))
        b.attachments.append(attachment(nowMs, channelId, false));
    if (rng.chance(0.01))
        b.flags |= 1 << 12; // SUPPRESS_NOTIFICATIONS, "@silent"
    if (rng.chance(0.02)) {
        // Discord's own timestamp markup, an hour to three days away, in any style.
        static const QString styles[]
                = {QString(), u":t"_s, u":T"_s, u":d"_s, u":D"_s, u":f"_s, u":F"_s, u":R"_s};
        const qint64 at = nowMs / 1000 + 3600 * qint64(rng.below(145) - 72);
        b.content += u" <t:"_s + QString::number(at) + styles[rng.below(std::size(styles))] + u'>';
    }
    if (rng.chance(0.015)) {
        // Discord's standard stickers (format 1 = PNG), as sticker_items carries them.
        static const std::pair<const char16_t *, const char16_t *> stickers[]
                = {{u"749054660769218631", u"Wave"},
                   {u"749052944682582036", u"Thumbs Up"},
                   {u"781324722394103818", u"Party"},
                   {u"816087792291282944", u"Good Morning"}};
        const auto &[id, name] = stickers[rng.below(std::size(stickers))];
        b.stickerItems.append(QJsonObject{{u"format_type"_s, 1},
                                          {u"id"_s, QString::fromUtf16(id)},
                                          {u"name"_s, QString::fromUtf16(name)}});
    }
    return b;
}

MessageBody MessageContent::botBody(qint64 nowMs, int guild)
{
    MessageBody b;
    b.content = rng.pick(pool(Pool::BotPhrases));
    if (guild >= 0 && rng.chance(0.2)) {
        const Guild &g = world.guilds.at(guild);
        const Member &m = world.member(g, world.pickHumanOrBot(g));
        b.content = u"GG <@"_s + world.users.at(m.user).idStr + u">, you just advanced to level "_s
                    + QString::number(rng.range(2, 60)) + u"! 🎉"_s;
        b.mentions.append(m.mention);
    }
    if (rng.chance(0.35))
        b.embeds.append(
                richEmbed(nowMs, u"Server stats 📊"_s,
                          u"Messages today: **%1**\nActive members: %2"_s.arg(rng.range(100, 90000))
                                  .arg(rng.range(3, 400))));
    if (rng.chance(0.15)) {
        QJsonObject button;
        button.insert(u"type"_s, 2);
        button.insert(u"style"_s, 5);
        button.insert(u"label"_s, u"Open dashboard"_s);
        button.insert(u"url"_s, u"https://example.com/dashboard"_s);
        b.components.append(QJsonObject{{u"type"_s, 1}, {u"components"_s, QJsonArray{button}}});
    }
    return b;
}

MessageBody MessageContent::webhookBody(qint64 nowMs)
{
    MessageBody b;
    const qint64 commits = rng.range(1, 5);
    b.content = rng.chance(0.3) ? u"New release published: v1.%1.0 🚀"_s.arg(rng.range(0, 30))
                                : QString();
    b.embeds.append(
            richEmbed(nowMs, u"[gatescope:main] %1 new commit(s)"_s.arg(commits),
                      u"`%1` Fix reconnect loop after op 9 — alice\n`%2` Update docs, "
                      "\"CSV\" section"_s.arg(world.hexHash(4).left(7), world.hexHash(4).left(7))));
    return b;
}

} // namespace Gatescope::Emulator
