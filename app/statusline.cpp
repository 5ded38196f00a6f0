#include "app/statusline.h"

#include "app/eventlineformatter.h"
#include "core/gateway/redaction.h"

#include <QDateTime>

#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace Qt::StringLiterals;

namespace Gatescope::App {

namespace {

void writeMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const bool named = context.category && std::strcmp(context.category, "default") != 0;
    const QString category = named ? QString::fromLatin1(context.category) + u": "_s : QString();
    const QString line = StatusLine::format(QDateTime::currentMSecsSinceEpoch(),
                                            StatusLine::levelPrefix(type) + category + message);
    // One write per line, so lines from several threads never interleave.
    const QByteArray bytes = line.toLocal8Bit() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

QString StatusLine::format(qint64 unixMs, const QString &text)
{
    return EventLineFormatter::timestamp(unixMs) + u' ' + Redaction::redact(text);
}

QString StatusLine::levelPrefix(QtMsgType type)
{
    switch (type) {
    case QtWarningMsg:
        return u"warning: "_s;
    case QtCriticalMsg:
    case QtFatalMsg:
        return u"error: "_s;
    case QtDebugMsg:
    case QtInfoMsg:
        break;
    }
    return {};
}

void StatusLine::installMessageHandler()
{
    qInstallMessageHandler(writeMessage);
}

} // namespace Gatescope::App
