# The emulator's conformance suites: raw QWebSocket, hand-written JSON, plain zlib.
gatescope_add_test(NAME tst_emulatorserver SOURCES tst_emulatorserver.cpp rawclient.h
    LIBS gatescope_emulator Qt6::Network Qt6::WebSockets ZLIB::ZLIB)
gatescope_add_test(NAME tst_clientconnection SOURCES tst_clientconnection.cpp
    LIBS gatescope_emulator Qt6::WebSockets zstd::libzstd_shared)
gatescope_add_test(NAME tst_fault SOURCES tst_fault.cpp LIBS gatescope_emulator)
gatescope_add_test(NAME tst_faultplan SOURCES tst_faultplan.cpp LIBS gatescope_emulator)
gatescope_add_test(NAME tst_emulatorclock SOURCES tst_emulatorclock.cpp LIBS gatescope_emulator)

# The command line, driven through QProcess.
gatescope_add_test(NAME tst_emulatorcommandline SOURCES tst_emulatorcommandline.cpp
    LIBS gatescope_emulator)
target_compile_definitions(tst_emulatorcommandline PRIVATE
    GATESCOPE_EMULATOR_PATH="$<TARGET_FILE:gatescope-emulator>")
add_dependencies(tst_emulatorcommandline gatescope-emulator)

# A client written independently of this project (Python standard library only).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
    add_test(NAME emulator_independent_client
        COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/independent_client.py
            $<TARGET_FILE:gatescope-emulator>)
    set_tests_properties(emulator_independent_client PROPERTIES TIMEOUT 120)
endif()
