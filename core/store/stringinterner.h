#pragma once

#include <QSet>
#include <QString>
#include <QStringView>

namespace Gatescope {

/// Makes equal strings share one buffer (QString's implicit sharing), so 200,000 messages from
/// the same few hundred authors hold the author names once.
///
/// Not thread-safe; lives with the MessageStore that owns it. The table only grows until clear():
/// the number of distinct author names seen in one session is small compared with the messages.
class StringInterner
{
public:
    /// Returns the shared copy of @p text, adding it on first sight. Empty text gives a null
    /// QString so that empty fields cost nothing.
    QString intern(QStringView text);
    QString intern(const QString &text);

    /// Number of distinct strings held.
    qsizetype size() const { return m_strings.size(); }
    void clear() { m_strings.clear(); }

private:
    QSet<QString> m_strings;
};

} // namespace Gatescope
