# Install layout (GNUInstallDirs) and the CPack DEB package.
#
# Included once, at the end of the top-level CMakeLists.txt, so every target already exists and the
# install rules of the whole project live in one place. Only the two programs, the desktop entry,
# the icon and the READMEs are installed: the static libraries, the Qt Test suites and the bench
# programs are build-time artefacts and have no install rule. Qt is not bundled: the package
# depends on Debian's Qt 6 runtime packages.
include(GNUInstallDirs)

# The lower-case package name, not PROJECT_NAME ("Gatescope"), names the doc directory, so the
# layout matches the package name as Debian expects (/usr/share/doc/gatescope).
set(GATESCOPE_DOC_DIR "${CMAKE_INSTALL_DATADIR}/doc/gatescope")

install(TARGETS gatescope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# emulator/ only defines the tool once its main.cpp exists; the install test still demands it.
if(TARGET gatescope-emulator)
    install(TARGETS gatescope-emulator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(FILES ${PROJECT_SOURCE_DIR}/resources/gatescope.desktop
    DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
# resources/gatescope.png is 256x256 (`file resources/gatescope.png`); the hicolor directory must
# name the real pixel size or icon themes ignore it. tests/install checks the two agree.
install(FILES ${PROJECT_SOURCE_DIR}/resources/gatescope.png
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/256x256/apps)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${GATESCOPE_DOC_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/emulator/README.md
    DESTINATION ${GATESCOPE_DOC_DIR} RENAME README.emulator.md)

# --- CPack: one monolithic DEB -------------------------------------------------------------------
set(GATESCOPE_PACKAGE_MAINTAINER "Gatescope maintainers <gatescope@users.noreply.github.com>"
    CACHE STRING "Maintainer field of the DEB package (\"Name <email>\")")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gatescope)
set(CPACK_PACKAGE_VENDOR Gatescope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${GATESCOPE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The package's files live under /usr (CPack's DEB default, spelled out because tests/install
# checks the package's paths against it).
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# RelWithDebInfo binaries are mostly DWARF; the package ships them stripped.
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # gatescope_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_NAME gatescope)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GATESCOPE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Debian wants 0755 directories and 0644 control files whatever the builder's umask is.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
if(DEFINED GATESCOPE_PROJECT_URL)
    set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${GATESCOPE_PROJECT_URL}")
endif()
# The extended description; CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY above it as the synopsis
# and indents it for the control file. Lines stay under 80 columns as Debian asks.
set(CPACK_PACKAGE_DESCRIPTION "Gatescope is a Qt desktop monitor for Discord gateway connections:
a live, filterable message feed, connection health (state, heartbeat latency,
reconnects, resumes, close codes), raw frames, and CSV exports that open
safely in a spreadsheet. It can also run headless.
The package also ships gatescope-emulator, a strict Discord-compatible local
gateway with realistic traffic and scriptable faults for testing bots.")

# dpkg-shlibdeps (package dpkg-dev) derives Depends from the binaries' real ELF needs. Without it,
# name the runtime libraries by hand, at least at the versions built against when dpkg knows them.
find_program(GATESCOPE_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(GATESCOPE_DPKG_SHLIBDEPS)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
    message(STATUS "dpkg-shlibdeps not found (package dpkg-dev): the DEB gets an explicit Depends list")
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
    set(depends "")
    foreach(runtime libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6websockets6 libqt6concurrent6 libqt6httpserver6 zlib1g libsimdjson14 libzstd1 libpcre2-8-0 libqt6keychain1)
        execute_process(COMMAND dpkg-query -W -f=\${Version} ${runtime}
            OUTPUT_VARIABLE runtime_version ERROR_QUIET RESULT_VARIABLE query_failed)
        # Only the upstream part (epoch and version, no Debian revision) is a portable floor.
        string(REGEX REPLACE "[-+~][^:]*$" "" runtime_version "${runtime_version}")
        if(query_failed OR runtime_version STREQUAL "")
            list(APPEND depends "${runtime}")
        else()
            list(APPEND depends "${runtime} (>= ${runtime_version})")
        endif()
    endforeach()
    list(JOIN depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
endif()

include(CPack)
