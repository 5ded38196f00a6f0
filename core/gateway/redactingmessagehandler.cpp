#include "core/gateway/redactingmessagehandler.h"

#include "core/gateway/redaction.h"

#include <QAtomicPointer>
#include <QString>

#include <cstdio>

namespace Gatescope {

namespace {

using Handler = QtMessageHandler;

QAtomicPointer<std::remove_pointer_t<Handler>> &previousHandler()
{
    static QAtomicPointer<std::remove_pointer_t<Handler>> previous;
    return previous;
}

QBasicAtomicInt installed = Q_BASIC_ATOMIC_INITIALIZER(0);

void redactingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString redacted = Redaction::redact(message);
    if (const Handler previous = previousHandler().loadAcquire()) {
        previous(type, context, redacted);
        return;
    }
    // No handler before us (Qt always reports its default one, so this is only a safeguard).
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, redacted)));
}

} // namespace

void RedactingMessageHandler::install()
{
    if (!installed.testAndSetOrdered(0, 1))
        return;
    previousHandler().storeRelease(qInstallMessageHandler(redactingHandler));
}

void RedactingMessageHandler::uninstall()
{
    if (!installed.testAndSetOrdered(1, 0))
        return;
    qInstallMessageHandler(previousHandler().loadAcquire());
}

bool RedactingMessageHandler::isInstalled()
{
    return installed.loadAcquire() != 0;
}

} // namespace Gatescope
