#include "core/logging.h"

Q_LOGGING_CATEGORY(lcGateway, "gatescope.gateway", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHeartbeat, "gatescope.gateway.heartbeat", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPayload, "gatescope.gateway.payload", QtInfoMsg)
Q_LOGGING_CATEGORY(lcZlib, "gatescope.zlib", QtInfoMsg)
Q_LOGGING_CATEGORY(lcZstd, "gatescope.zstd", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDiscovery, "gatescope.discovery", QtInfoMsg)
Q_LOGGING_CATEGORY(lcShard, "gatescope.shard", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "gatescope.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcModel, "gatescope.model", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFilter, "gatescope.filter", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIo, "gatescope.io", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMetrics, "gatescope.metrics", QtInfoMsg)
