#include "ui/detailspanel.h"

#include "core/gateway/redaction.h"
#include "ui/format.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gatescope::Ui {

namespace {
QString utc(qint64 ms)
{
    return ms <= 0 ? u"—"_s
                   : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
                             .toString(u"yyyy-MM-dd HH:mm:ss.zzz 'UTC'"_s);
}

QString row(const QString &name, const QString &valueHtml)
{
    return u"<tr><td style=\"color:gray;padding-right:10px\">%1</td><td>%2</td></tr>"_s.arg(
            name.toHtmlEscaped(), valueHtml);
}

QString id(quint64 value)
{
    return value == 0 ? u"—"_s : QString::number(value);
}
} // namespace

DetailsPanel::DetailsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_browser = new QTextBrowser(this);
    m_browser->setObjectName(u"detailsBrowser"_s);
    m_browser->setOpenExternalLinks(true);
    m_browser->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_browser);
    clear();
}

void DetailsPanel::clear()
{
    m_id = 0;
    m_browser->setHtml(u"<p style=\"color:gray\">%1</p>"_s.arg(
            tr("Select a message in the feed to see every field, its attachments, edit history "
               "and raw JSON.")));
}

QString DetailsPanel::text() const
{
    return m_browser->toPlainText();
}

void DetailsPanel::setMessage(const Message &m, const QString &guildName,
                              const QString &channelName, const QByteArray &rawJson)
{
    m_id = m.id;
    QString html
            = u"<h3 style=\"margin-bottom:2px\">%1</h3>"_s.arg(m.displayAuthor().toHtmlEscaped());
    QStringList badges;
    if (m.isBot())
        badges << tr("bot");
    if (m.isWebhook())
        badges << tr("webhook");
    if (m.isEdited())
        badges << tr("edited");
    if (m.isDeleted())
        badges << u"<span style=\"color:#cf222e\"><b>%1</b></span>"_s.arg(tr("deleted"));
    if (!badges.isEmpty())
        html += u"<p style=\"margin-top:0\">%1</p>"_s.arg(badges.join(u" · "_s));

    QString content = m.content.toHtmlEscaped();
    content.replace(u'\n', u"<br>"_s);
    if (m.isDeleted())
        content = u"<s>"_s + content + u"</s>"_s;
    html += u"<p style=\"background:#f6f8fa;color:#1f2328;padding:6px\">%1</p>"_s.arg(
            content.isEmpty() ? u"<i style=\"color:gray\">%1</i>"_s.arg(
                    tr("(no content — without the MESSAGE_CONTENT intent, content arrives "
                       "empty)"))
                              : content);

    html += u"<table cellspacing=\"0\" cellpadding=\"1\">"_s;
    html += row(tr("message id"), id(m.id));
    html += row(tr("sent"), utc(m.timestampMs));
    if (m.editedAtMs > 0)
        html += row(tr("edited"), utc(m.editedAtMs));
    if (m.deletedAtMs > 0)
        html += row(tr("deleted"), utc(m.deletedAtMs));
    const QString author = m.authorGlobalName.isEmpty()
                                   ? m.authorName.toHtmlEscaped()
                                   : u"%1 (%2)"_s.arg(m.authorName.toHtmlEscaped(),
                                                      m.authorGlobalName.toHtmlEscaped());
    html += row(tr("author"), u"%1 · %2"_s.arg(author, id(m.authorId)));
    html += row(tr("guild"), m.isDm() ? tr("direct message")
                                      : u"%1 · %2"_s.arg(guildName.toHtmlEscaped(), id(m.guildId)));
    html += row(tr("channel"), u"%1 · %2"_s.arg(channelName.toHtmlEscaped(), id(m.channelId)));
    if (m.webhookId)
        html += row(tr("webhook"), id(m.webhookId));
    if (m.replyToId)
        html += row(tr("reply to"), id(m.replyToId));
    if (!m.mentionIds.isEmpty()) {
        QStringList mentions;
        for (quint64 mention : m.mentionIds)
            mentions << QString::number(mention);
        html += row(tr("mentions"), mentions.join(u", "_s));
    }
    html += row(tr("type / flags"), u"%1 / %2"_s.arg(m.type).arg(m.messageFlags));
    html += row(tr("embeds"), QString::number(m.embedCount));
    const QString link = u"https://discord.com/channels/%1/%2/%3"_s.arg(
            m.isDm() ? u"@me"_s : QString::number(m.guildId), QString::number(m.channelId),
            QString::number(m.id));
    html += row(tr("link"), u"<a href=\"%1\">%1</a>"_s.arg(link));
    html += u"</table>"_s;

    if (!m.attachments.isEmpty()) {
        html += u"<h4>%1</h4><ul>"_s.arg(tr("Attachments (%1)").arg(m.attachments.size()));
        for (const Attachment &a : m.attachments) {
            html += u"<li><a href=\"%1\">%2</a> · %3</li>"_s.arg(a.url.toHtmlEscaped(),
                                                                 a.filename.toHtmlEscaped(),
                                                                 Format::bytes(quint64(a.size)));
        }
        html += u"</ul>"_s;
    }
    if (!m.revisions.isEmpty()) {
        html += u"<h4>%1</h4><ol>"_s.arg(tr("Edit history (%1)").arg(m.revisions.size()));
        for (const MessageRevision &r : m.revisions) {
            html += u"<li><span style=\"color:gray\">%1</span><br>%2</li>"_s.arg(
                    tr("replaced %1").arg(utc(r.replacedAtMs)), r.content.toHtmlEscaped());
        }
        html += u"</ol>"_s;
    }

    html += u"<h4>%1</h4>"_s.arg(tr("Raw JSON"));
    if (rawJson.isEmpty()) {
        html += u"<p style=\"color:gray\">%1</p>"_s.arg(
                tr("not available (the message reached the store without its JSON)"));
    } else {
        const QJsonDocument doc = QJsonDocument::fromJson(rawJson);
        const QByteArray pretty = doc.isNull() ? rawJson : doc.toJson(QJsonDocument::Indented);
        html += u"<pre style=\"font-size:small\">%1</pre>"_s.arg(
                Redaction::redact(QString::fromUtf8(pretty)).toHtmlEscaped());
    }
    m_browser->setHtml(html);
}

} // namespace Gatescope::Ui
