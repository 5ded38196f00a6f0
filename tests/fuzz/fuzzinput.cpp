#include "fuzzinput.h"

#include <QtGlobal>

namespace Gatescope::Fuzz {

void silenceQtMessages()
{
    qInstallMessageHandler([](QtMsgType, const QMessageLogContext &, const QString &) {});
}

} // namespace Gatescope::Fuzz
