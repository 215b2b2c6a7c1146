# SPDX-License-Identifier: LGPL-2.1-or-later
# Cross-compiling for i686 Windows with MinGW-w64.
set(RSTRTMGR_MINGW_ARCH i686)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw.cmake)
