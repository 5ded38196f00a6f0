#pragma once

#include <QLoggingCategory>

/// The emulator's logging category, `gatescope.emulator`. Tokens never appear in its lines.
Q_DECLARE_LOGGING_CATEGORY(lcEmulator)
