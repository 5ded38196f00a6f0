# Issue 2: `gatescope --headless` against a gateway we did not write (a standard-library Python
# server written from shared/protocol/gateway.md). Included from tests/app/CMakeLists.txt.
add_test(NAME app_independent_gateway COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/independent_gateway_test.py $<TARGET_FILE:gatescope>)
