#pragma once

#include <QtGlobal>

namespace Gatescope {

/// A process-wide Qt message handler that passes every log line through Redaction::redact()
/// before the handler that was installed before it (Qt's default, or QTest's), so a registered
/// token that reaches a qDebug/qWarning/qCInfo line anywhere (our code, Qt's, a library's) is
/// printed as `[redacted]`.
///
/// Install it first thing in main() (the app and the emulator do); register the token with
/// Redaction as soon as it is known. Thread-safe: Qt may call the handler from any thread, and
/// Redaction's registry is locked.
class RedactingMessageHandler
{
public:
    /// Installs the handler, chained to the current one. Installing twice keeps one.
    static void install();
    /// Puts the handler that was current at install() back (tests).
    static void uninstall();
    static bool isInstalled();
};

} // namespace Gatescope
