target_sources(gatescope_core PRIVATE
    store/message.h
    store/stringinterner.h store/stringinterner.cpp
    store/rawjsonblocks.h store/rawjsonblocks.cpp
    store/storechunk.h
    store/messageparser.h store/messageparser.cpp
    store/directory.h store/directory.cpp
)
target_sources(gatescope_core PRIVATE
    store/messagestore.h store/messagestore.cpp
    store/messagemodel.h store/messagemodel.cpp
)
target_sources(gatescope_core PRIVATE
    store/channeltreemodel.h store/channeltreemodel.cpp
    store/messagerenderer.h store/messagerenderer.cpp
)
target_sources(gatescope_core PRIVATE
    store/messagefilter.h store/messagefilter.cpp
    store/filternode.h
    store/columnarfilter.h store/columnarfilter.cpp
    store/utf8regex.h store/utf8regex.cpp
)
target_sources(gatescope_core PRIVATE
    store/messagefiltermodel.h store/messagefiltermodel.cpp
)
