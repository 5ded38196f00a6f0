# GATESCOPE_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer for every target of the
# project (libraries, app, emulator, tests, benches). Debian's Qt is not instrumented, which is fine:
# ASan still sees every allocation through its malloc, and UBSan checks our code.
#
# -fno-sanitize-recover=undefined turns every UBSan report into a failure (the test exits non-zero)
# instead of a line that scrolls past. -fno-omit-frame-pointer keeps the reports' stacks whole.
# The preset builds at -O1 with line tables only (-g1): reports still name file and line, and the
# build takes far less time than -O2 -g.
if(NOT GATESCOPE_SANITIZE)
    return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "GATESCOPE_SANITIZE needs GCC or Clang")
endif()
set(GATESCOPE_SANITIZE_FLAGS
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
add_compile_options(${GATESCOPE_SANITIZE_FLAGS})
add_link_options(-fsanitize=address,undefined)
message(STATUS "Gatescope: ASan + UBSan build (${GATESCOPE_SANITIZE_FLAGS})")
