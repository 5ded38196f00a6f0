# The gateway server: protocol, sessions, HTTP discovery and faults.
target_sources(gatescope_emulator PRIVATE
    emulatorlogging.h emulatorlogging.cpp
    serverconfig.h
    fault.h fault.cpp
    faultplan.h faultplan.cpp
    wireformat.h wireformat.cpp
    session.h session.cpp
    httprequest.h httprequest.cpp
    clientconnection.h clientconnection.cpp
    emulatorserver.h emulatorserver.cpp)
