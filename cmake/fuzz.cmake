# GATESCOPE_FUZZ=ON: the libFuzzer targets of tests/fuzz, built with Clang (Debian's clang-14 and
# libclang-rt-14-dev) as a configuration of its own (preset "fuzz", build-fuzz/; scripts/fuzz.sh).
#
# Our code is compiled with -fsanitize=fuzzer-no-link so libFuzzer sees its coverage, and with ASan
# and UBSan so a memory error or undefined behaviour is a crash; only the fuzz programs link the
# libFuzzer main. Qt, zlib, simdjson and PCRE2 are Debian's, not instrumented: what they do is
# not guided by coverage, but every call into them from our code is checked.
if(NOT GATESCOPE_FUZZ)
    return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GATESCOPE_FUZZ needs Clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++-14")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
