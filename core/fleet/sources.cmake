target_sources(gatescope_core PRIVATE
    fleet/redisreply.h
    fleet/redisendpoint.h fleet/redisendpoint.cpp
    fleet/respwriter.h fleet/respwriter.cpp
    fleet/redisconnection.h fleet/redisconnection.cpp
    fleet/fleetpublisher.h fleet/fleetpublisher.cpp
    fleet/fleetsubscriber.h fleet/fleetsubscriber.cpp
    fleet/fleetshardsmodel.h fleet/fleetshardsmodel.cpp
    fleet/identifylock.h fleet/identifylock.cpp
)
