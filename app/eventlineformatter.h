#pragma once

#include "core/store/directory.h"
#include "core/store/message.h"

#include <QJsonObject>
#include <QString>

namespace Gatescope::App {

/// The headless mode's stdout lines, one per event, for example
///
///     2026-11-27T10:00:00.123Z #1234 MESSAGE_CREATE Guild/#general alice: hello
///
/// Time (UTC, ms) and `#sequence` come first so lines sort and grep well. Text that came from
/// the gateway is escaped (escaped()), so one event is always exactly one line whatever users
/// type, and terminal control sequences cannot reach the operator's terminal.
class EventLineFormatter
{
public:
    /// @p directory (not owned) turns ids into guild and channel names.
    explicit EventLineFormatter(const Directory *directory);

    /// @p shard -1 for a single connection; else the sequence is written `#shard:seq`.
    QString messageLine(qint64 timeMs, int shard, qint64 seq, const Message &message) const;
    /// Any other dispatch: MESSAGE_UPDATE/DELETE with their place, READY with its session,
    /// the rest with a short key=value summary.
    QString eventLine(qint64 timeMs, int shard, qint64 seq, const QString &type,
                      const QJsonObject &data) const;

    /// `\` `\n` `\r` `\t` as two characters; other C0/C1 controls, DEL, line and paragraph
    /// separators and bidirectional overrides as `\uXXXX`.
    static QString escaped(QStringView text);
    /// `2026-11-27T10:00:00.123Z`
    static QString timestamp(qint64 unixMs);

private:
    static QString prefix(qint64 timeMs, int shard, qint64 seq, const QString &type);
    QString place(quint64 guildId, quint64 channelId) const;
    static QString summary(const QString &type, const QJsonObject &data);

    const Directory *m_directory;
};

} // namespace Gatescope::App
