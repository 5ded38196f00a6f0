# The gateway server: protocol and sessions, HTTP discovery, the traffic pump and faults.
target_sources(gatescope_emulator PRIVATE
    emulatorlogging.h emulatorlogging.cpp
    serverconfig.h
    emulatorclock.h emulatorclock.cpp
    clocktimer.h clocktimer.cpp
    fault.h fault.cpp
    faultplan.h faultplan.cpp
    faultinjector.h faultinjector.cpp
    wireformat.h wireformat.cpp
    session.h session.cpp
    httprequest.h httprequest.cpp
    httpdiscovery.h httpdiscovery.cpp
    clientconnection.h clientconnection.cpp
    trafficpump.h trafficpump.cpp
    emulatorserver.h emulatorserver.cpp)
