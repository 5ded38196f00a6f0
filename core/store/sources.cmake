target_sources(gatescope_core PRIVATE
    store/message.h
    store/stringinterner.h store/stringinterner.cpp
    store/rawjsoncache.h store/rawjsoncache.cpp
    store/messageparser.h store/messageparser.cpp
    store/directory.h store/directory.cpp
)
target_sources(gatescope_core PRIVATE
    store/messagestore.h store/messagestore.cpp
    store/messagemodel.h store/messagemodel.cpp
)
target_sources(gatescope_core PRIVATE
    store/messagefilter.h store/messagefilter.cpp
)
target_sources(gatescope_core PRIVATE
    store/messagefiltermodel.h store/messagefiltermodel.cpp
)
