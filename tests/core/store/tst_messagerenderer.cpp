#include "core/store/directory.h"
#include "core/store/messagerenderer.h"

#include <QJsonDocument>
#include <QTest>

using namespace Gatescope;
using namespace Qt::StringLiterals;
using Kind = RenderedSpan::Kind;

namespace {

constexpr qint64 Tuesday = 1618953630; // 2021-04-20T21:20:30Z

const QByteArray guild = R"({"id":"100","name":"Rust Fans",
  "channels":[{"id":"111","type":0,"name":"general"}],
  "roles":[{"id":"120","name":"Moderators"}],
  "members":[{"user":{"id":"900","username":"alice","global_name":"Alice"}}]})";

QString kinds(const QList<RenderedSpan> &spans)
{
    static const char *const names[] = {"text", "user",  "channel", "role",  "all",    "emoji",
                                        "time", "reply", "file",    "embed", "sticker"};
    QStringList out;
    for (const RenderedSpan &span : spans)
        out.append(QLatin1StringView(names[int(span.kind)]) + (span.known ? u""_s : u"?"_s));
    return out.join(u' ');
}

} // namespace

class tst_MessageRenderer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void content_data();
    void content();
    void timestampStyles_data();
    void timestampStyles();
    void relativeTimeValidUntil_data();
    void relativeTimeValidUntil();
    void replyQuotingARelativeTime();
    void namesBecomeKnown();
    void wholeMessage();
    void replyToUnknownMessage();
    void hostileInput();
    void sizes_data();
    void sizes();

private:
    Directory m_directory;
    MessageRenderer m_renderer{&m_directory};
};

void tst_MessageRenderer::initTestCase()
{
    m_directory.handleDispatch(u"GUILD_CREATE"_s, QJsonDocument::fromJson(guild).object());
    m_renderer.setLocale(QLocale::c());
    m_renderer.setTimeZone(QTimeZone::utc());
    m_renderer.setClock([] { return (Tuesday + 3 * 3600) * 1000; });
}

void tst_MessageRenderer::content_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("kinds");
    QTest::addColumn<QString>("toolTip"); // of the second span, when there is one

    QTest::newRow("plain") << u"hello world"_s << u"hello world"_s << u"text"_s << QString();
    QTest::newRow("user") << u"hi <@900>!"_s << u"hi @Alice!"_s << u"text user text"_s
                          << u"user 900"_s;
    QTest::newRow("user nick form")
            << u"hi <@!900>"_s << u"hi @Alice"_s << u"text user"_s << u"user 900"_s;
    QTest::newRow("unknown user") << u"hi <@901>"_s << u"hi @901"_s << u"text user?"_s
                                  << u"user 901 (name not known yet)"_s;
    QTest::newRow("channel") << u"see <#111>"_s << u"see #general"_s << u"text channel"_s
                             << u"channel 111"_s;
    QTest::newRow("unknown channel") << u"see <#5>"_s << u"see #5"_s << u"text channel?"_s
                                     << u"channel 5 (name not known yet)"_s;
    QTest::newRow("role") << u"ping <@&120>"_s << u"ping @Moderators"_s << u"text role"_s
                          << u"role 120"_s;
    QTest::newRow("unknown role") << u"ping <@&121>"_s << u"ping @121"_s << u"text role?"_s
                                  << u"role 121 (name not known yet)"_s;
    QTest::newRow("everyone") << u"hey @everyone and @here"_s << u"hey @everyone and @here"_s
                              << u"text all text all"_s << u"mentions everyone"_s;
    QTest::newRow("emoji") << u"nice <:blobcat:123456>"_s << u"nice :blobcat:"_s << u"text emoji"_s
                           << u"emoji 123456"_s;
    QTest::newRow("animated emoji") << u"<a:party_parrot:42> yes"_s << u":party_parrot: yes"_s
                                    << u"emoji text"_s << QString();
    QTest::newRow("timestamp default style")
            << u"at <t:1618953630>"_s << u"at 20 April 2021 21:20"_s << u"text time"_s
            << u"Tuesday, 20 April 2021 21:20:30 UTC"_s;
    QTest::newRow("adjacent") << u"<@900><#111>"_s << u"@Alice#general"_s << u"user channel"_s
                              << u"channel 111"_s;
    QTest::newRow("newlines") << u"a\r\nb <@900>"_s << u"a\u23CEb @Alice"_s << u"text user"_s
                              << u"user 900"_s;
    // Malformed markup stays text, exactly as written.
    const QStringList malformed = {u"<@>"_s,
                                   u"<@abc>"_s,
                                   u"<@900"_s,
                                   u"<@ 900>"_s,
                                   u"<@-900>"_s,
                                   u"<@0>"_s,
                                   u"<#>"_s,
                                   u"<@&>"_s,
                                   u"<:x:1>"_s,
                                   u"<:name:>"_s,
                                   u"<:na me:1>"_s,
                                   u"<:name:1x>"_s,
                                   u"<b:name:1>"_s,
                                   u"<t:>"_s,
                                   u"<t:abc>"_s,
                                   u"<t:1618953630:x>"_s,
                                   u"<t:1618953630:>"_s,
                                   u"<t:99999999999999>"_s,
                                   u"<@18446744073709551616>"_s,
                                   u"<<>>"_s,
                                   u"@every one"_s,
                                   u"< @900>"_s};
    for (const QString &text : malformed)
        QTest::addRow("malformed %s", qPrintable(text)) << text << text << u"text"_s << QString();
    QTest::newRow("max snowflake") << u"<@18446744073709551615>"_s << u"@18446744073709551615"_s
                                   << u"user?"_s << QString();
}

void tst_MessageRenderer::content()
{
    QFETCH(QString, content);
    QFETCH(QString, text);
    QFETCH(QString, kinds);
    QFETCH(QString, toolTip);
    const QList<RenderedSpan> spans = m_renderer.renderContent(content);
    QCOMPARE(MessageRenderer::plainText(spans), text);
    QCOMPARE(::kinds(spans), kinds);
    if (!toolTip.isEmpty())
        QCOMPARE(spans.value(1).toolTip, toolTip);
}

void tst_MessageRenderer::timestampStyles_data()
{
    QTest::addColumn<QString>("markup");
    QTest::addColumn<QString>("shown");
    QTest::newRow("t") << u"<t:1618953630:t>"_s << u"21:20"_s;
    QTest::newRow("T") << u"<t:1618953630:T>"_s << u"21:20:30"_s;
    QTest::newRow("d") << u"<t:1618953630:d>"_s << u"20/04/2021"_s;
    QTest::newRow("D") << u"<t:1618953630:D>"_s << u"20 April 2021"_s;
    QTest::newRow("f") << u"<t:1618953630:f>"_s << u"20 April 2021 21:20"_s;
    QTest::newRow("F") << u"<t:1618953630:F>"_s << u"Tuesday, 20 April 2021 21:20"_s;
    QTest::newRow("R past") << u"<t:1618953630:R>"_s << u"3 hours ago"_s;
    QTest::newRow("R future") << u"<t:1619137230:R>"_s << u"in 2 days"_s;
    QTest::newRow("R one") << u"<t:1618964490:R>"_s << u"in 1 minute"_s;
    QTest::newRow("R now") << u"<t:1618964430:R>"_s << u"now"_s;
    QTest::newRow("R years") << u"<t:0:R>"_s << u"51 years ago"_s;
    QTest::newRow("epoch") << u"<t:0:D>"_s << u"1 January 1970"_s;
    QTest::newRow("negative") << u"<t:-86400:d>"_s << u"31/12/1969"_s;
}

void tst_MessageRenderer::timestampStyles()
{
    QFETCH(QString, markup);
    QFETCH(QString, shown);
    const QList<RenderedSpan> spans = m_renderer.renderContent(markup);
    QCOMPARE(spans.size(), 1);
    QCOMPARE(spans.first().kind, Kind::Timestamp);
    QCOMPARE(spans.first().text, shown);
}

void tst_MessageRenderer::relativeTimeValidUntil_data()
{
    constexpr qint64 now = Tuesday + 3 * 3600;
    QTest::addColumn<qint64>("at");
    QTest::addColumn<char>("style");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<QString>("then"); // at validUntilMs
    QTest::addColumn<qint64>("changesAfter"); // seconds from now
    QTest::newRow("hours ago") << Tuesday << 'R' << u"3 hours ago"_s << u"4 hours ago"_s
                               << qint64(3600);
    QTest::newRow("in 1 minute") << now + 60 << 'R' << u"in 1 minute"_s << u"in 59 seconds"_s
                                 << qint64(1);
    QTest::newRow("in 2 days") << now + 2 * 86400 << 'R' << u"in 2 days"_s << u"in 1 day"_s
                               << qint64(1);
    QTest::newRow("in 90 seconds")
            << now + 90 << 'R' << u"in 1 minute"_s << u"in 59 seconds"_s << qint64(31);
    QTest::newRow("now") << now << 'R' << u"now"_s << u"1 second ago"_s << qint64(1);
    QTest::newRow("in 1 second") << now + 1 << 'R' << u"in 1 second"_s << u"now"_s << qint64(1);
    QTest::newRow("minutes into hours")
            << now - 3599 << 'R' << u"59 minutes ago"_s << u"1 hour ago"_s << qint64(1);
    QTest::newRow("months into a year") << now - 362 * 86400 << 'R' << u"12 months ago"_s
                                        << u"1 year ago"_s << qint64(3 * 86400);
    QTest::newRow("absolute") << now << 'f' << u"21 April 2021 00:20"_s << u"21 April 2021 00:20"_s
                              << qint64(-1);
}

void tst_MessageRenderer::relativeTimeValidUntil()
{
    QFETCH(qint64, at);
    QFETCH(char, style);
    QFETCH(QString, shown);
    QFETCH(QString, then);
    QFETCH(qint64, changesAfter);
    qint64 nowMs = (Tuesday + 3 * 3600) * 1000;
    MessageRenderer renderer;
    renderer.setLocale(QLocale::c());
    renderer.setTimeZone(QTimeZone::utc());
    renderer.setClock([&nowMs] { return nowMs; });
    const QString markup = u"<t:%1:%2>"_s.arg(at).arg(QLatin1Char(style));
    const QList<RenderedSpan> spans = renderer.renderContent(markup);
    QCOMPARE(spans.size(), 1);
    QCOMPARE(spans.first().text, shown);
    const qint64 until = MessageRenderer::validUntil(spans);
    if (changesAfter < 0) {
        QCOMPARE(until, RenderedSpan::Never);
        return;
    }
    QCOMPARE(until, nowMs + changesAfter * 1000);
    // The text holds until then, and reads differently from then on.
    nowMs = until - 1;
    QCOMPARE(renderer.renderContent(markup).first().text, shown);
    nowMs = until;
    QCOMPARE(renderer.renderContent(markup).first().text, then);
}

void tst_MessageRenderer::replyQuotingARelativeTime()
{
    Message target;
    target.id = 7;
    target.content = u"starts <t:%1:R>"_s.arg(Tuesday + 3 * 3600 + 120);
    Message reply;
    reply.id = 8;
    reply.replyToId = 7;
    reply.content = u"ok"_s;
    const QList<RenderedSpan> spans = m_renderer.render(
            reply, [&](quint64 id) { return id == 7 ? std::optional(target) : std::nullopt; });
    QCOMPARE(spans.first().kind, Kind::Reply);
    QVERIFY2(spans.first().text.endsWith(u"starts in 2 minutes"_s), qPrintable(spans.first().text));
    // The quote's relative time makes the whole rendering go out of date, like the content's.
    QCOMPARE(MessageRenderer::validUntil(spans), (Tuesday + 3 * 3600 + 1) * 1000);
    QCOMPARE(spans.last().validUntilMs, RenderedSpan::Never); // "ok"
}

void tst_MessageRenderer::namesBecomeKnown()
{
    Directory directory;
    MessageRenderer renderer(&directory);
    const QString content = u"<@77> in <#78> for <@&79>"_s;
    QCOMPARE(MessageRenderer::plainText(renderer.renderContent(content)), u"@77 in #78 for @79"_s);
    const quint64 before = directory.revision();
    directory.handleDispatch(
            u"GUILD_CREATE"_s,
            QJsonDocument::fromJson(R"({"id":"1","name":"G","channels":[{"id":"78","type":0,)"
                                    R"("name":"news"}],"roles":[{"id":"79","name":"Ops"}]})")
                    .object());
    Message author;
    author.id = 5;
    author.channelId = 78;
    author.guildId = 1;
    author.authorId = 77;
    author.authorName = u"bob"_s;
    directory.noteMessage(author);
    // A cache keyed on the revision sees the change, and the names show.
    QVERIFY(directory.revision() > before);
    QCOMPARE(MessageRenderer::plainText(renderer.renderContent(content)),
             u"@bob in #news for @Ops"_s);
}

void tst_MessageRenderer::wholeMessage()
{
    Message original;
    original.id = 10;
    original.authorName = u"alice"_s;
    original.authorGlobalName = u"Alice"_s;
    original.content = u"first line <@900>\nsecond"_s;
    Message m;
    m.id = 11;
    m.replyToId = 10;
    m.content = u"agreed"_s;
    m.attachments = {{u"cat.png"_s, 1536, u"https://cdn.example/cat.png"_s}};
    m.embedCount = 2;
    m.embedTitles = {u"Release notes"_s, QString()};
    m.stickerNames = {u"Wave"_s};
    const auto lookup = [&](quint64 id) {
        return id == 10 ? std::optional<Message>(original) : std::nullopt;
    };
    const QList<RenderedSpan> spans = m_renderer.render(m, lookup);
    QCOMPARE(kinds(spans), u"reply text file embed embed sticker"_s);
    QCOMPARE(spans.at(0).text, u"Alice: first line @Alice\u23CEsecond"_s);
    QCOMPARE(spans.at(2).text, u"cat.png (1.5 KB)"_s);
    QCOMPARE(spans.at(2).url, u"https://cdn.example/cat.png"_s);
    QCOMPARE(MessageRenderer::plainText(spans),
             u"Alice: first line @Alice\u23CEsecond agreed cat.png (1.5 KB) Release notes embed "
             "Wave"_s);
}

void tst_MessageRenderer::replyToUnknownMessage()
{
    Message m;
    m.id = 11;
    m.replyToId = 10;
    m.content = u"yes"_s;
    const QList<RenderedSpan> spans = m_renderer.render(m, {});
    QCOMPARE(kinds(spans), u"reply? text"_s);
    QCOMPARE(spans.first().text, u"reply to an earlier message"_s);
    QCOMPARE(spans.first().toolTip, u"reply to message 10"_s);
}

void tst_MessageRenderer::hostileInput()
{
    // Markup flooding is bounded; everything past the cap stays text, nothing is lost.
    QString flood;
    for (int i = 0; i < 5000; ++i)
        flood += u"<@900>"_s;
    const QList<RenderedSpan> spans = m_renderer.renderContent(flood);
    QCOMPARE(spans.size(), MessageRenderer::MaxMarkupSpans + 1);
    QCOMPARE(spans.last().kind, Kind::Text);
    QCOMPARE(spans.last().text.size(), (5000 - MessageRenderer::MaxMarkupSpans) * 6);
    // Unterminated markup, lone surrogates, NULs and bidi controls do not crash or vanish.
    const QString odd = u"<@"_s + QString(100000, u'1') + QChar(0xD800) + QChar(0) + u"\u202E<"_s;
    QCOMPARE(MessageRenderer::plainText(m_renderer.renderContent(odd)), odd);
    QVERIFY(m_renderer.renderContent(QString()).isEmpty());
    MessageRenderer withoutDirectory;
    QCOMPARE(MessageRenderer::plainText(withoutDirectory.renderContent(u"<@900>"_s)), u"@900"_s);
}

void tst_MessageRenderer::sizes_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0LL << u"0 B"_s;
    QTest::newRow("bytes") << 1023LL << u"1023 B"_s;
    QTest::newRow("kb") << 1536LL << u"1.5 KB"_s;
    QTest::newRow("large kb") << 500LL * 1024 << u"500 KB"_s;
    QTest::newRow("mb") << 3LL * 1024 * 1024 << u"3.0 MB"_s;
    QTest::newRow("huge") << (1LL << 62) << u"4194304 TB"_s;
    QTest::newRow("negative") << -5LL << u"0 B"_s;
}

void tst_MessageRenderer::sizes()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, text);
    QCOMPARE(MessageRenderer::formatSize(bytes), text);
}

QTEST_GUILESS_MAIN(tst_MessageRenderer)
#include "tst_messagerenderer.moc"
