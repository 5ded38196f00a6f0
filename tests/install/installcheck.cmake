# Helpers shared by check_install.cmake and check_package.cmake (both run with cmake -P).

# Problems collect in a global property so helper functions can report them too; report_problems()
# then fails once, listing them all.
function(problem)
    string(JOIN "" text ${ARGN})
    set_property(GLOBAL APPEND_STRING PROPERTY install_problems "  - ${text}\n")
endfunction()

function(report_problems what)
    get_property(problems GLOBAL PROPERTY install_problems)
    if(NOT "${problems}" STREQUAL "")
        message(FATAL_ERROR "${what} is wrong:\n${problems}")
    endif()
endfunction()

# Checks that <files> (paths relative to the install prefix) are exactly the programs, the desktop
# entry, one hicolor icon and the docs, laid out with <bindir> and <datadir>. The icon may sit in
# any <N>x<N> directory here; check_install.cmake compares N with the PNG itself.
function(check_file_list files bindir datadir)
    set(expected
        "${bindir}/gatescope"
        "${bindir}/gatescope-emulator"
        "${datadir}/applications/gatescope.desktop"
        "${datadir}/doc/gatescope/README.md"
        "${datadir}/doc/gatescope/README.emulator.md")
    set(icons "${files}")
    list(FILTER icons INCLUDE REGEX "^${datadir}/icons/hicolor/[0-9]+x[0-9]+/apps/gatescope\\.png$")
    list(LENGTH icons icon_count)
    if(NOT icon_count EQUAL 1)
        problem("expected one ${datadir}/icons/hicolor/<N>x<N>/apps/gatescope.png, "
            "found ${icon_count}")
    endif()
    list(APPEND expected ${icons})

    foreach(file IN LISTS files)
        get_filename_component(name "${file}" NAME)
        if(name MATCHES "^tst_|bench|\\.(a|o|h|cmake)$")
            problem("a build-only artefact was installed: ${file}")
        elseif(NOT file IN_LIST expected)
            problem("unexpected installed file: ${file}")
        endif()
    endforeach()
    foreach(file IN LISTS expected)
        if(NOT file IN_LIST files)
            problem("missing: ${file}")
        endif()
    endforeach()
endfunction()
