# Installs a build into a scratch prefix and checks the layout a user (or the DEB) gets.
#
#   cmake -DBUILD_DIR=<build dir> -DDEST=<scratch prefix> [-DCONFIG=<config>]
#         [-DBINDIR=bin] [-DDATADIR=share] [-DVERSION=<project version>] -P check_install.cmake
#
# Every problem found is listed, then the script fails; a clean install prints the file list.
cmake_minimum_required(VERSION 3.25)

foreach(required BUILD_DIR DEST)
    if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
        message(FATAL_ERROR "check_install.cmake: -D${required}=... is required")
    endif()
endforeach()
if(NOT DEFINED BINDIR OR BINDIR STREQUAL "")
    set(BINDIR bin)
endif()
if(NOT DEFINED DATADIR OR DATADIR STREQUAL "")
    set(DATADIR share)
endif()

include(${CMAKE_CURRENT_LIST_DIR}/installcheck.cmake)

# Exec and TryExec must name the program bare, so the launcher finds it on PATH wherever the prefix
# is, and that name must be a program this install provides.
function(check_launcher key program)
    if(NOT program STREQUAL "gatescope")
        problem("gatescope.desktop: ${key} runs \"${program}\", expected the bare name gatescope")
    elseif(NOT EXISTS "${DEST}/${BINDIR}/${program}")
        problem("gatescope.desktop: ${key} names ${program}, which is not installed")
    endif()
endfunction()

# --- install ---------------------------------------------------------------------------------------
# A DESTDIR from the caller's environment would put the tree somewhere else than DEST.
unset(ENV{DESTDIR})
file(REMOVE_RECURSE "${DEST}")
set(config_args "")
if(DEFINED CONFIG AND NOT CONFIG STREQUAL "")
    set(config_args --config "${CONFIG}")
endif()
execute_process(
    COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${DEST}" ${config_args}
    RESULT_VARIABLE install_result
    OUTPUT_VARIABLE install_output
    ERROR_VARIABLE install_output)
if(NOT install_result EQUAL 0)
    message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${DEST} failed (${install_result}):\n"
        "${install_output}")
endif()

file(GLOB_RECURSE installed LIST_DIRECTORIES false RELATIVE "${DEST}" "${DEST}/*")
list(SORT installed)

# --- exactly these files -------------------------------------------------------------------------
check_file_list("${installed}" "${BINDIR}" "${DATADIR}")
file(GLOB icons LIST_DIRECTORIES false RELATIVE "${DEST}"
    "${DEST}/${DATADIR}/icons/hicolor/*/apps/gatescope.png")
list(LENGTH icons icon_count)

# --- the installed programs run ------------------------------------------------------------------
# Running the installed copies (not the build tree's) proves they are executable and find their
# libraries without the build tree.
foreach(program gatescope gatescope-emulator)
    set(path "${DEST}/${BINDIR}/${program}")
    if(NOT EXISTS "${path}")
        continue()
    endif()
    execute_process(
        COMMAND "${CMAKE_COMMAND}" -E env QT_QPA_PLATFORM=offscreen "${path}" --version
        RESULT_VARIABLE run_result
        OUTPUT_VARIABLE run_output
        ERROR_VARIABLE run_error
        TIMEOUT 20)
    string(STRIP "${run_output}" run_output)
    if(NOT run_result EQUAL 0)
        problem("${BINDIR}/${program} --version failed (${run_result}): ${run_error}")
    elseif(DEFINED VERSION AND NOT run_output STREQUAL "${program} ${VERSION}")
        problem("${BINDIR}/${program} --version printed \"${run_output}\", "
            "expected \"${program} ${VERSION}\"")
    endif()
endforeach()

# --- the icon sits in the directory of its real size ---------------------------------------------
foreach(icon IN LISTS icons)
    # PNG: 8-byte signature, then the IHDR chunk (length, "IHDR", width, height: big-endian).
    file(READ "${DEST}/${icon}" header OFFSET 0 LIMIT 24 HEX)
    string(SUBSTRING "${header}" 0 16 signature)
    string(SUBSTRING "${header}" 24 8 chunk)
    if(NOT signature STREQUAL "89504e470d0a1a0a" OR NOT chunk STREQUAL "49484452")
        problem("${icon} is not a PNG file")
        continue()
    endif()
    string(SUBSTRING "${header}" 32 8 width_hex)
    string(SUBSTRING "${header}" 40 8 height_hex)
    math(EXPR width "0x${width_hex}")
    math(EXPR height "0x${height_hex}")
    get_filename_component(size_dir "${icon}" DIRECTORY)
    get_filename_component(size_dir "${size_dir}" DIRECTORY)
    get_filename_component(size_dir "${size_dir}" NAME)
    if(NOT size_dir STREQUAL "${width}x${height}")
        problem("${icon} is ${width}x${height} pixels but installed under ${size_dir}")
    endif()
endforeach()

# --- the desktop entry starts the installed program with the installed icon -----------------------
set(desktop "${DEST}/${DATADIR}/applications/gatescope.desktop")
if(EXISTS "${desktop}")
    file(STRINGS "${desktop}" lines ENCODING UTF-8)
    set(group "")
    foreach(line IN LISTS lines)
        if(line MATCHES "^\\[(.*)\\]$")
            set(group "${CMAKE_MATCH_1}")
        elseif(group STREQUAL "Desktop Entry" AND line MATCHES "^([A-Za-z0-9-]+)=(.*)$")
            set("entry_${CMAKE_MATCH_1}" "${CMAKE_MATCH_2}")
        endif()
    endforeach()
    if(NOT entry_Type STREQUAL "Application")
        problem("gatescope.desktop: Type is \"${entry_Type}\", expected Application")
    endif()
    if(NOT DEFINED entry_Name OR entry_Name STREQUAL "")
        problem("gatescope.desktop: no Name")
    endif()
    string(REGEX REPLACE " .*" "" exec_program "${entry_Exec}")
    check_launcher(Exec "${exec_program}")
    if(DEFINED entry_TryExec)
        check_launcher(TryExec "${entry_TryExec}")
    endif()
    # Icon must be a theme name (not a path) that resolves to the installed icon.
    if(NOT entry_Icon STREQUAL "gatescope")
        problem("gatescope.desktop: Icon is \"${entry_Icon}\", expected the theme name gatescope")
    elseif(icon_count EQUAL 0)
        problem("gatescope.desktop: Icon=gatescope but no hicolor icon of that name is installed")
    endif()

    find_program(desktop_file_validate desktop-file-validate)
    if(desktop_file_validate)
        execute_process(COMMAND "${desktop_file_validate}" "${desktop}"
            RESULT_VARIABLE validate_result
            OUTPUT_VARIABLE validate_output
            ERROR_VARIABLE validate_output)
        if(NOT validate_result EQUAL 0)
            problem("desktop-file-validate rejects gatescope.desktop:\n${validate_output}")
        elseif(NOT validate_output STREQUAL "")
            message(STATUS "desktop-file-validate hints:\n${validate_output}")
        endif()
    else()
        message(STATUS "desktop-file-validate not found (package desktop-file-utils): skipped")
    endif()
endif()

report_problems("the install layout under ${DEST}")
list(JOIN installed "\n  " listing)
message(STATUS "install layout OK under ${DEST}:\n  ${listing}")
