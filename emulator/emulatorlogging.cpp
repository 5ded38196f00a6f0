#include "emulator/emulatorlogging.h"

Q_LOGGING_CATEGORY(lcEmulator, "gatescope.emulator", QtInfoMsg)
