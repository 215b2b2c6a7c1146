# SPDX-License-Identifier: LGPL-2.1-or-later
# Cross-compiling for x86_64 Windows with MinGW-w64.
set(RSTRTMGR_MINGW_ARCH x86_64)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw.cmake)
