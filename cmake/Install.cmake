# SPDX-License-Identifier: LGPL-2.1-or-later
# `cmake --install <build> --prefix <dir>` lays out, for MinGW consumers:
#   bin/rstrtmgr.dll, bin/rmtool.exe (x64: also bin/rstrtmgr_wow64.exe, the x86 DLL's
#   64-bit half)
#   lib/librstrtmgr.dll.a, lib/rstrtmgr.def (this architecture's: @N sizes on x86 only)
#   include/rstrtmgr/rstrtmgr_ext.h
#   lib/cmake/rstrtmgr/rstrtmgrConfig.cmake (+ version file, exported targets), so that
#   find_package(rstrtmgr) gives the imported target rstrtmgr::rstrtmgr.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(RSTRTMGR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/rstrtmgr)

install(TARGETS rstrtmgr EXPORT rstrtmgrTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS rmtool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET rstrtmgr_wow64)
  # The x86 DLL's 64-bit half: goes to the native system directory beside the x64 DLL.
  install(TARGETS rstrtmgr_wow64 RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(CMAKE_SIZEOF_VOID_P EQUAL 8)
  install(FILES ${CMAKE_BINARY_DIR}/src/rstrtmgr.def DESTINATION ${CMAKE_INSTALL_LIBDIR})
else()
  install(FILES ${PROJECT_SOURCE_DIR}/def/rstrtmgr.def DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()
install(FILES ${PROJECT_SOURCE_DIR}/include/rstrtmgr/rstrtmgr_ext.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rstrtmgr)

install(EXPORT rstrtmgrTargets NAMESPACE rstrtmgr:: DESTINATION ${RSTRTMGR_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/rstrtmgrConfig.cmake.in
  ${CMAKE_BINARY_DIR}/rstrtmgrConfig.cmake INSTALL_DESTINATION ${RSTRTMGR_CMAKE_DIR})
# SameMajorVersion, and (not ARCH_INDEPENDENT) a 32-bit consumer rejects the x64 package.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/rstrtmgrConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/rstrtmgrConfig.cmake ${CMAKE_BINARY_DIR}/rstrtmgrConfigVersion.cmake
  DESTINATION ${RSTRTMGR_CMAKE_DIR})
