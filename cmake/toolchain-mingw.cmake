# SPDX-License-Identifier: LGPL-2.1-or-later
# Cross-compiling for Windows with MinGW-w64: the settings both architectures share.
# Included by cmake/toolchain-<arch>-w64-mingw32.cmake, which sets RSTRTMGR_MINGW_ARCH
# (i686 or x86_64) first.
if(NOT RSTRTMGR_MINGW_ARCH)
  message(FATAL_ERROR "set RSTRTMGR_MINGW_ARCH before including toolchain-mingw.cmake")
endif()
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR ${RSTRTMGR_MINGW_ARCH})
set(CMAKE_C_COMPILER ${RSTRTMGR_MINGW_ARCH}-w64-mingw32-gcc)
set(CMAKE_RC_COMPILER ${RSTRTMGR_MINGW_ARCH}-w64-mingw32-windres)
set(CMAKE_DLLTOOL ${RSTRTMGR_MINGW_ARCH}-w64-mingw32-dlltool)
set(CMAKE_FIND_ROOT_PATH /usr/${RSTRTMGR_MINGW_ARCH}-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
