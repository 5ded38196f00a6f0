target_sources(gatescope_core PRIVATE
    connection/connectioncontroller.h connection/connectioncontroller.cpp
    connection/shardstatsmodel.h connection/shardstatsmodel.cpp
    connection/sessionfile.h connection/sessionfile.cpp
    connection/durationtext.h connection/durationtext.cpp
    connection/injectableclock.h connection/injectableclock.cpp
    connection/shardhealth.h connection/shardhealth.cpp
    connection/identifybudget.h connection/identifybudget.cpp
)
