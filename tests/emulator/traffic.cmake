# The traffic generator's suite.
gatescope_add_test(NAME tst_trafficgenerator SOURCES tst_trafficgenerator.cpp LIBS gatescope_emulator)
