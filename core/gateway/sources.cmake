target_sources(gatescope_core PRIVATE
    gateway/payload.h gateway/payload.cpp
    gateway/zlibstreaminflater.h gateway/zlibstreaminflater.cpp
    gateway/zlibstreamdeflater.h gateway/zlibstreamdeflater.cpp
    gateway/streaminflater.h
    gateway/streamdeflater.h gateway/streamdeflater.cpp
    gateway/zstdstreaminflater.h gateway/zstdstreaminflater.cpp
    gateway/zstdstreamdeflater.h gateway/zstdstreamdeflater.cpp
    gateway/redaction.h gateway/redaction.cpp
    gateway/bottoken.h gateway/bottoken.cpp
    gateway/redactingmessagehandler.h gateway/redactingmessagehandler.cpp
    gateway/intents.h gateway/intents.cpp
    gateway/snowflake.h gateway/snowflake.cpp
    gateway/closecodes.h gateway/closecodes.cpp
    gateway/gatewayevent.h
    gateway/eventdecoder.h gateway/eventdecoder.cpp
)
target_sources(gatescope_core PRIVATE
    gateway/gatewaytypes.h
    gateway/gatewayclient.h gateway/gatewayclient.cpp
    gateway/gatewaysession.h gateway/gatewaysession.cpp
    gateway/eventbatcher.h gateway/eventbatcher.cpp
    gateway/heartbeat.h gateway/heartbeat.cpp
    gateway/gatewaytransport.h gateway/gatewaytransport.cpp
    gateway/gatewaydiscovery.h gateway/gatewaydiscovery.cpp
    gateway/proxysettings.h gateway/proxysettings.cpp
    gateway/heartbeatoverride.h
    gateway/exponentialbackoff.h gateway/exponentialbackoff.cpp
    gateway/sendlimiter.h gateway/sendlimiter.cpp
    gateway/shardmanager.h gateway/shardmanager.cpp
)
