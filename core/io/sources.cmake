target_sources(gatescope_core PRIVATE
    io/exporttypes.h
    io/exporttext.h io/exporttext.cpp
    io/outputpath.h io/outputpath.cpp
    io/csvwriter.h io/csvwriter.cpp
    io/jsonlineswriter.h io/jsonlineswriter.cpp
    io/exporter.h io/exporter.cpp
    io/csvsink.h io/csvsink.cpp
    io/framerecorder.h io/framerecorder.cpp
    io/replayer.h io/replayer.cpp
)
