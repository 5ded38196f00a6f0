#include "core/gateway/redaction.h"
#include "ui/detailspanel.h"

#include <QTest>
#include <QTextBrowser>

using namespace Gatescope;
using namespace Gatescope::Ui;
using namespace Qt::StringLiterals;

class tst_DetailsPanel : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { Redaction::clearSecrets(); }
    void showsEveryField();
    void dmLinkAndMissingJson();
};

void tst_DetailsPanel::showsEveryField()
{
    Message m;
    m.id = 1234567890123456789ull;
    m.channelId = 222;
    m.guildId = 111;
    m.authorId = 333;
    m.authorName = u"alice"_s;
    m.authorGlobalName = u"Alice A."_s;
    m.content = u"second <b>version</b>"_s;
    m.flags = Message::Edited | Message::Deleted;
    m.timestampMs = 1'700'000'000'000;
    m.editedAtMs = 1'700'000'100'000;
    m.deletedAtMs = 1'700'000'200'000;
    m.attachments = {{u"report.csv"_s, 2048, u"https://cdn.example/report.csv"_s}};
    m.revisions = {{1'700'000'100'000, u"first version"_s}};
    Redaction::registerSecret(u"SECRET-IN-JSON"_s);
    const QByteArray raw = R"({"id":"1234567890123456789","content":"x","note":"SECRET-IN-JSON"})";

    DetailsPanel panel;
    panel.setMessage(m, u"Guild One"_s, u"#general"_s, raw);
    QCOMPARE(panel.messageId(), m.id);
    const QString text = panel.text();
    for (const QString &expected :
         {u"Alice A."_s, u"1234567890123456789"_s, u"Guild One"_s, u"#general"_s, u"report.csv"_s,
          u"2.0 KB"_s, u"first version"_s, u"Edit history (1)"_s, u"second <b>version</b>"_s,
          u"https://discord.com/channels/111/222/1234567890123456789"_s,
          u"\"note\": \"[redacted]\""_s, u"deleted"_s})
        QVERIFY2(text.contains(expected), qPrintable(expected));
    QVERIFY(!text.contains(u"SECRET-IN-JSON"_s));
    QVERIFY(panel.browser()->toHtml().contains(u"href=\"https://cdn.example/report.csv\""_s));
}

void tst_DetailsPanel::dmLinkAndMissingJson()
{
    Message m;
    m.id = 5;
    m.channelId = 6;
    m.authorName = u"bob"_s;
    DetailsPanel panel;
    panel.setMessage(m, QString(), u"DM with bob"_s, QByteArray());
    QVERIFY(panel.text().contains(u"https://discord.com/channels/@me/6/5"_s));
    QVERIFY(panel.text().contains(u"not available"_s));
    QVERIFY(panel.text().contains(u"MESSAGE_CONTENT"_s)); // empty content is explained
    panel.clear();
    QCOMPARE(panel.messageId(), quint64(0));
}

QTEST_MAIN(tst_DetailsPanel)
#include "tst_detailspanel.moc"
