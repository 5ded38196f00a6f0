#pragma once

#include "core/store/message.h"

#include <QWidget>

class QTextBrowser;

namespace Gatescope::Ui {

/// The details dock for the selected message: every field, attachments as links, the edit
/// history (oldest first) and the raw JSON pretty-printed, with any secret redacted.
class DetailsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit DetailsPanel(QWidget *parent = nullptr);

    /// Shows @p message; @p guildName / @p channelName are the directory's names (may be empty).
    void setMessage(const Message &message, const QString &guildName, const QString &channelName,
                    const QByteArray &rawJson);
    void clear();
    quint64 messageId() const { return m_id; }
    /// The document as plain text (tests).
    QString text() const;
    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser = nullptr;
    quint64 m_id = 0;
};

} // namespace Gatescope::Ui
