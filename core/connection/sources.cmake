target_sources(gatescope_core PRIVATE
    connection/connectioncontroller.h connection/connectioncontroller.cpp
    connection/shardstatsmodel.h connection/shardstatsmodel.cpp
    connection/sessionfile.h connection/sessionfile.cpp
)
