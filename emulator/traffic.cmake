# The traffic generator: a deterministic Discord world and its dispatch events.
target_sources(gatescope_emulator PRIVATE
    splitmix64.h
    wordlists.h wordlists.cpp
    trafficworld.h trafficworld.cpp
    discordshapes.h discordshapes.cpp
    messagecontent.h messagecontent.cpp
    eventdelivery.h eventdelivery.cpp
    trafficgenerator.h trafficgenerator.cpp)
