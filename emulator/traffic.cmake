# The traffic generator: a deterministic Discord world and its dispatch events.
target_sources(gatescope_emulator PRIVATE trafficgenerator.h trafficgenerator.cpp)
