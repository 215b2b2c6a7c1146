# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs every cross-built test executable under Wine with OUR rstrtmgr.dll (the override
# makes Wine load the native DLL beside the executable instead of its builtin stub).
set(RSTRTMGR_WINEPREFIX "${CMAKE_BINARY_DIR}/../wineprefix" CACHE PATH "Wine prefix the tests run in")
get_filename_component(RSTRTMGR_WINEPREFIX "${RSTRTMGR_WINEPREFIX}" ABSOLUTE)
set(CMAKE_CROSSCOMPILING_EMULATOR "${PROJECT_SOURCE_DIR}/tools/wine-run.sh")

# cmocka comes from tools/setup.sh, cross-built per architecture.
# The same default as tools/setup.sh: $RSTRTMGR_CACHE, else $XDG_CACHE_HOME/rstrtmgr,
# else ~/.cache/rstrtmgr.
if(DEFINED ENV{RSTRTMGR_CACHE})
  set(rm_default_cache "$ENV{RSTRTMGR_CACHE}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(rm_default_cache "$ENV{XDG_CACHE_HOME}/rstrtmgr")
else()
  set(rm_default_cache "$ENV{HOME}/.cache/rstrtmgr")
endif()
set(RSTRTMGR_CACHE "${rm_default_cache}" CACHE PATH "Where setup.sh put cmocka and Inno Setup")
set(CMOCKA_ROOT "${RSTRTMGR_CACHE}/cmocka-${CMAKE_SYSTEM_PROCESSOR}")
add_library(cmocka STATIC IMPORTED)
set_target_properties(cmocka PROPERTIES
  IMPORTED_LOCATION "${CMOCKA_ROOT}/lib/libcmocka.a"
  INTERFACE_INCLUDE_DIRECTORIES "${CMOCKA_ROOT}/include"
  INTERFACE_COMPILE_DEFINITIONS "CMOCKA_STATIC")

# No runtime DLLs of the toolchain beside our binaries: Wine prefixes lack them.
add_link_options(-static-libgcc)

function(rm_add_wine_test name)
  add_test(NAME ${name} COMMAND ${name} ${ARGN})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "WINEPREFIX=${RSTRTMGR_WINEPREFIX}"
    TIMEOUT 600)
endfunction()
