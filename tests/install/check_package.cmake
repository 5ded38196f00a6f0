# Builds the DEB from a build's CPackConfig.cmake into a scratch directory and checks its control
# fields and contents: what `bash scripts/package.sh` ships.
#
#   cmake -DCPACK=<cpack> -DBUILD_DIR=<build dir> -DDEST=<scratch dir> -DVERSION=<project version>
#         [-DHOMEPAGE=<url>] -P check_package.cmake
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/installcheck.cmake)

foreach(required CPACK BUILD_DIR DEST VERSION)
    if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
        message(FATAL_ERROR "check_package.cmake: -D${required}=... is required")
    endif()
endforeach()
find_program(dpkg_deb dpkg-deb REQUIRED)

file(REMOVE_RECURSE "${DEST}")
execute_process(
    COMMAND "${CPACK}" --config "${BUILD_DIR}/CPackConfig.cmake" -B "${DEST}"
    RESULT_VARIABLE cpack_result
    OUTPUT_VARIABLE cpack_output
    ERROR_VARIABLE cpack_output)
if(NOT cpack_result EQUAL 0)
    message(FATAL_ERROR "cpack failed (${cpack_result}):\n${cpack_output}")
endif()
file(GLOB debs "${DEST}/*.deb")
list(LENGTH debs deb_count)
if(NOT deb_count EQUAL 1)
    message(FATAL_ERROR "expected one .deb in ${DEST}, found ${deb_count}:\n${cpack_output}")
endif()
execute_process(COMMAND "${dpkg_deb}" --info "${debs}"
    OUTPUT_VARIABLE info COMMAND_ERROR_IS_FATAL ANY)

function(field name out)
    if(info MATCHES "\n ${name}: ([^\n]*)")
        set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
    else()
        problem("control field ${name} is missing")
        set(${out} "" PARENT_SCOPE)
    endif()
endfunction()

field(Package package)
field(Version version)
field(Architecture architecture)
field(Maintainer maintainer)
field(Section section)
field(Depends depends)
field(Description synopsis)
get_filename_component(deb_name "${debs}" NAME)
if(NOT package STREQUAL "gatescope")
    problem("Package is \"${package}\", expected gatescope")
endif()
if(NOT version STREQUAL VERSION)
    problem("Version is \"${version}\", expected the project's ${VERSION}")
endif()
if(NOT deb_name STREQUAL "gatescope_${VERSION}_${architecture}.deb")
    problem("the file is named ${deb_name}, expected gatescope_${VERSION}_${architecture}.deb")
endif()
if(NOT maintainer MATCHES "^[^<>]+ <[^<>@ ]+@[^<>@ ]+>$")
    problem("Maintainer \"${maintainer}\" is not \"Name <email>\"")
endif()
if(synopsis STREQUAL "")
    problem("the Description has no synopsis")
endif()
if(DEFINED HOMEPAGE AND NOT HOMEPAGE STREQUAL "")
    field(Homepage homepage)
    if(NOT homepage STREQUAL HOMEPAGE)
        problem("Homepage is \"${homepage}\", expected ${HOMEPAGE}")
    endif()
endif()
# System Qt is a dependency, never bundled: every runtime library the programs link must be named.
foreach(runtime libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6websockets6 zlib1g)
    if(NOT depends MATCHES "(^|, )${runtime}( |,|$)")
        problem("Depends does not name ${runtime}: ${depends}")
    endif()
endforeach()

# Contents: regular files only ("-rwx... owner size date time ./usr/bin/gatescope").
execute_process(COMMAND "${dpkg_deb}" --contents "${debs}"
    OUTPUT_VARIABLE contents COMMAND_ERROR_IS_FATAL ANY)
string(REPLACE "\n" ";" lines "${contents}")
set(files "")
foreach(line IN LISTS lines)
    if(line MATCHES "^-[^ ]+ +root/root +[0-9]+ [^ ]+ [^ ]+ \\./usr/(.+)$")
        list(APPEND files "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^-")
        problem("a file outside /usr or not owned by root: ${line}")
    endif()
endforeach()
check_file_list("${files}" bin share)

report_problems("the package ${deb_name}")
message(STATUS "package OK: ${debs}\n  Depends: ${depends}")
