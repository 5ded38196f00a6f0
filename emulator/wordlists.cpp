#include "emulator/wordlists.h"

#include <array>

namespace Gatescope::Emulator::WordLists {

namespace {

QList<QString> words(std::initializer_list<const char16_t *> items)
{
    QList<QString> out;
    out.reserve(qsizetype(items.size()));
    for (const char16_t *item : items)
        out.append(QString::fromUtf16(item));
    return out;
}

} // namespace

const QList<QString> &pool(Pool which)
{
    static const std::array<QList<QString>, size_t(Pool::Count)> pools = {
            words({
                    u"Rust Programming 🦀",
                    u"日本語学習サーバー",
                    u"Café Chat ☕",
                    u"نادي القراءة",
                    u"Gamers United",
                    u"Linux Lounge 🐧",
                    u"קהילת מפתחים",
                    u"Lo-Fi Beats & Study",
                    u"Pixel Art Guild",
                    u"Speedrunners Hub",
                    u"Open Source Friends",
                    u"한국어 교실",
                    u"Les Amis du Fromage 🧀",
                    u"Müsli & Memes",
                    u"Astronomy Nerds 🔭",
                    u"Coffee, Code, Chaos",
            }), // GuildNames
            words({
                    u"general",
                    u"off-topic",
                    u"memes",
                    u"help",
                    u"dev-log",
                    u"music",
                    u"art-share",
                    u"日本語",
                    u"💬chat",
                    u"bot-commands",
                    u"introductions",
                    u"random",
                    u"screenshots",
                    u"عربي",
                    u"showcase",
                    u"questions",
                    u"links-and-resources",
                    u"gaming",
            }), // TextChannelNames
            words({u"announcements", u"📢news", u"releases",
                   u"server-updates"}), // AnnouncementNames
            words({
                    u"Bug: reconnect loop after 4009",
                    u"Weekly screenshot thread 📸",
                    u"質問スレッド",
                    u"Off-topic spillover",
                    u"Feature idea: dark mode",
                    u"نقاش الكتاب الجديد",
                    u"Build failing on Debian 12",
                    u"Movie night planning 🍿",
                    u"Résumé review",
                    u"Help with \"quotes\", commas, and CSV",
            }), // ThreadNames
            words({u"Moderator", u"Member", u"🎨 Artist", u"Contributor", u"VIP ✨", u"Muted",
                   u"日本語OK"}), // RoleNames
            words({u"pepe_hype", u"blobwave", u"ferris", u"kekw", u"party_parrot", u"thonk",
                   u"catjam", u"pog"}), // EmojiNames
            words({u"👍", u"❤️", u"😂", u"🎉", u"👀", u"🔥", u"✅", u"🙏", u"😭", u"👍🏽", u"🇯🇵",
                   u"🏳️‍🌈"}), // UnicodeEmoji
            words({
                    u"alice",        u"bob_the_builder", u"carol.dev",
                    u"dave",         u"eve_sec",         u"frank99",
                    u"grace.hopper", u"heidi",           u"ivan_k",
                    u"judy",         u"mallory",         u"niaj",
                    u"olivia",       u"peggy",           u"rupert",
                    u"sybil",        u"trent",           u"victor",
                    u"walter",       u"yuki.t",          u"zoe_",
                    u"kenji",        u"fatima.a",        u"noam",
                    u"lucia",        u"mehmet",          u"aroha",
                    u"sven",         u"priya",
            }), // UsernameBases
            words({
                    u"Alice ✨",
                    u"山田太郎",
                    u"محمد",
                    u"שרה",
                    u"Zoe\u0308",
                    u"Jose\u0301",
                    u"🌸 Sakura",
                    u"Ольга",
                    u"Björn",
                    u"김민준",
                    u"Nguyễn Văn An",
                    u"Ἀλέξανδρος",
                    u"李华",
                    u"Αθηνά",
                    u"Renée",
                    u"Dr. \"Quotes\", PhD",
                    u"=cmd|' /C calc'!A0",
                    u"The Real Dave",
                    u"फ़ातिमा",
                    u"Łukasz",
                    u"Ṁ̷ïẍ̸ë̵d̶",
                    u"👾 Player One",
            }), // GlobalNames
            words({u"MEE6", u"Dyno", u"Carl-bot", u"Gatekeeper", u"MusicBot", u"Ticket Tool",
                   u"StatBot"}), // BotNames
            words({u"GitHub", u"RSS Feed", u"Grafana Alerts", u"YouTube Notifier", u"Jenkins",
                   u"Captain Hook"}), // WebhookNames
            words({
                    u"hey everyone 👋",
                    u"anyone around?",
                    u"lol that's wild",
                    u"brb, grabbing coffee ☕",
                    u"did the build pass?",
                    u"gg 🎉🎉",
                    u"I think the issue is in the reconnect logic",
                    u"can confirm, same here",
                    u"ok so \"quotes\", commas, and\nnewlines all work?",
                    u"+1 agree",
                    u"=SUM(A1:A10)",
                    u"-1, not convinced",
                    u"@tab\tseparated\tvalues",
                    u"こんにちは、元気ですか？",
                    u"今日はいい天気ですね",
                    u"这个问题我也遇到了",
                    u"안녕하세요! 반갑습니다",
                    u"مرحبا بالجميع، كيف حالكم؟",
                    u"שלום לכולם, מה נשמע?",
                    u"Привет, как дела?",
                    u"Ça va très bien, merci !",
                    u"cafe\u0301 and re\u0301sume\u0301 (combining marks)",
                    u"Z\u0364\u0351a\u0308\u0356l\u036Eg\u0328o text",
                    u"नमस्ते दोस्तों",
                    u"mixed: hello مرحبا 世界 שלום",
                    u"👨‍👩‍👧‍👦 family photo time",
                    u"that's a 10/10 from me 💯",
                    u"wait, what happened to the server?",
                    u"thanks!! 🙏",
                    u"pushed a fix, please re-test",
                    u"who's up for a game tonight?",
                    u"can someone review my PR",
                    u"`git rebase -i` saved my day",
                    u"> quoting the docs here\nand my reply below",
                    u"nope",
                    u"honestly the new update is great",
                    u"😂😂😂",
                    u"is it just me or is latency high today?",
                    u"100% uptime this week, nice",
                    u"C:\\Users\\me\\Desktop\\file.txt won't open",
            }), // ChatPhrases
            words({
                    u"```cpp\nint main() {\n    return 0;\n}\n```",
                    u"```json\n{\"op\": 1, \"d\": null}\n```",
                    u"```\nerror: close code 4004, authentication failed\n```",
                    u"```py\nprint(\"héllo, wörld\")\n```",
            }), // CodeBlocks
            words({
                    u"So here's the full story of what happened during the outage last night.",
                    u"The gateway dropped every connection at roughly the same moment, and every "
                    u"client "
                    u"tried to resume at once.",
                    u"Most of them got a clean RESUMED, but a few received op 9 and had to "
                    u"identify again, "
                    u"which burned through part of the daily budget.",
                    u"I went through the logs, line by line, and the heartbeat ACKs simply stopped "
                    u"arriving for about forty seconds.",
                    u"Nothing in our code changed, so I'm fairly sure it was upstream; still, we "
                    u"should "
                    u"make the backoff a bit more patient.",
                    u"長い文章のテストです。日本語の文字も正しく表示されるか確認してください。",
                    u"وهذا سطر باللغة العربية للتأكد من أن النص من اليمين إلى اليسار يظهر بشكل "
                    u"صحيح.",
                    u"Also: \"quoted text\", commas, semicolons; and a few emoji 🎉🔥✅ for good "
                    u"measure.",
                    u"If anyone wants to help, the reproduction steps are in the pinned message, "
                    u"and the "
                    u"logs are attached to the issue.",
                    u"Let's sync tomorrow at 10:00 UTC and decide whether to ship the fix or wait "
                    u"for more "
                    u"data.",
            }), // LongSentences
            words({u"✅ Done!", u"Pong! 42 ms", u"Now playing: Lo-Fi Beats 🎵", u"Ticket created.",
                   u"⚠️ Slow mode is on in this channel.",
                   u"Daily stats are ready 📊"}), // BotPhrases
            words({u" (edit: fixed the link)", u"\nEDIT: nvm, it works now ✅", u" *",
                   u" 更新しました", u" — تم التعديل",
                   u"\n(edited, sorry for the typo)"}), // EditSuffixes
            words({u"hi bot", u"!help", u"how do I use the /stats command?",
                   u"thanks for the reminder 🙏", u"ping", u"こんにちは", u"can you unmute me?",
                   u"report: spam in #general"}), // DmPhrases
    };
    return pools[size_t(which)];
}

const QString &cycle(Pool which, qsizetype i)
{
    const QList<QString> &list = pool(which);
    return list.at(i % list.size());
}

} // namespace Gatescope::Emulator::WordLists
