#pragma once

#include <QString>
#include <QtGlobal>

namespace Gatescope::App {

/// The one shape of every status line Gatescope writes to stderr while it runs:
///
///     2026-11-27T10:00:00.123Z state: Ready
///     2026-11-27T10:00:03.456Z warning: resume URL unreachable after 2 tries; …
///
/// The time (UTC, ms, as on the event lines) comes first, the text is redacted. The headless
/// runner's own lines and Qt's log messages (qWarning and the categories' lines, through
/// installMessageHandler()) all go through format(), so no line lacks its time.
class StatusLine
{
public:
    /// `<time> <text>`, @p text redacted.
    static QString format(qint64 unixMs, const QString &text);
    /// "warning: ", "error: " … for a Qt message type; empty for info and debug.
    static QString levelPrefix(QtMsgType type);
    /// Routes Qt's log messages (every thread) to stderr as status lines.
    static void installMessageHandler();
};

} // namespace Gatescope::App
