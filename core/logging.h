#pragma once

#include <QLoggingCategory>

/// Logging categories of gatescope_core. Switch them on with QT_LOGGING_RULES, for example
/// `QT_LOGGING_RULES="gatescope.gateway.debug=true"`. Payload dumps go only to
/// `gatescope.gateway.payload` at debug level, and always through Redaction.
Q_DECLARE_LOGGING_CATEGORY(lcGateway)
Q_DECLARE_LOGGING_CATEGORY(lcHeartbeat)
Q_DECLARE_LOGGING_CATEGORY(lcPayload)
Q_DECLARE_LOGGING_CATEGORY(lcZlib)
Q_DECLARE_LOGGING_CATEGORY(lcZstd)
Q_DECLARE_LOGGING_CATEGORY(lcDiscovery)
Q_DECLARE_LOGGING_CATEGORY(lcShard)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcModel)
Q_DECLARE_LOGGING_CATEGORY(lcFilter)
Q_DECLARE_LOGGING_CATEGORY(lcIo)
Q_DECLARE_LOGGING_CATEGORY(lcMetrics)
