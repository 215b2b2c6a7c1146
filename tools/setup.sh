#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The one set-up step: installs everything the build and the tests need on a bare
# Debian 12 machine, using only Debian's archive, cross-builds cmocka from Debian's
# source package, installs the real Inno Setup compiler (npm package innosetup) for the
# installer acceptance tests, and (given a build root) creates the headless WoW64 Wine prefixes
# <root>/wineprefix-x86_64 and <root>/wineprefix-i686. Idempotent: each step checks
# before it acts. Usage: tools/setup.sh [BUILD_ROOT]
set -euo pipefail

CACHE_DIR="${RSTRTMGR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rstrtmgr}"
INNO_VERSION=6.4.1
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

log() { printf '[setup] %s\n' "$*" >&2; }

have_packages() {
    [ -x /usr/lib/wine/wine64 ] && [ -x /usr/lib/wine/wine ] &&
    command -v x86_64-w64-mingw32-gcc >/dev/null && command -v i686-w64-mingw32-gcc >/dev/null &&
    command -v cmake >/dev/null && command -v dpkg-source >/dev/null &&
    command -v clang >/dev/null && [ -d /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux ] &&
    command -v makensis >/dev/null && command -v valgrind >/dev/null &&
    [ -f /usr/include/cmocka.h ]
}

add_deb_src() {
    # apt-get source needs a deb-src entry for the main suite.
    if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src ' /etc/apt/sources.list; then
        log "adding a deb-src entry for bookworm"
        printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
            $SUDO tee /etc/apt/sources.list.d/rstrtmgr-src.sources >/dev/null
    fi
}

install_packages() {
    if have_packages && [ -n "$(ls /var/lib/apt/lists/*Sources* 2>/dev/null)" ]; then
        return
    fi
    $SUDO dpkg --add-architecture i386
    add_deb_src
    # The i386 security index is sometimes mid-sync; the main suite is all we need.
    log "apt-get update (a failing index is tolerated)"
    $SUDO apt-get update -qq || log "apt-get update reported errors; continuing with the main suite"
    if ! have_packages; then
        log "installing toolchain, Wine (x86 + x64), clang runtime, nsis, valgrind"
        # wine64 and wine32 in ONE command pinned to the main suite: installing wine32 alone
        # this way removes wine64, and mixing suites breaks multiarch.
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t bookworm --no-install-recommends \
            mingw-w64 cmake make dpkg-dev ca-certificates \
            wine wine64 wine32:i386 \
            libgstreamer-plugins-base1.0-0:amd64 libgstreamer-plugins-base1.0-0:i386 \
            clang libclang-rt-14-dev nsis libcmocka-dev valgrind >/dev/null
    fi
    for f in /usr/lib/wine/wine64 /usr/lib/wine/wine; do
        [ -x "$f" ] || { log "FATAL: $f missing after install"; exit 1; }
    done
    have_packages || { log "FATAL: a required package is still missing"; exit 1; }
}

build_cmocka() {
    local arch=$1 prefix="$CACHE_DIR/cmocka-$1"
    [ -f "$prefix/lib/libcmocka.a" ] && [ -f "$prefix/include/cmocka.h" ] && return
    local src
    src=$(ls -d "$CACHE_DIR"/src/cmocka-*/ 2>/dev/null | head -n1 || true)
    if [ -z "$src" ]; then
        log "fetching cmocka source from Debian"
        mkdir -p "$CACHE_DIR/src"
        (cd "$CACHE_DIR/src" && apt-get source -qq cmocka >/dev/null 2>&1 ||
            (apt-get source --download-only -qq cmocka && dpkg-source -x --no-check cmocka_*.dsc))
        src=$(ls -d "$CACHE_DIR"/src/cmocka-*/ | head -n1)
    fi
    log "cross-building cmocka for $arch"
    local bdir="$CACHE_DIR/build-cmocka-$arch"
    rm -rf "$bdir"
    cmake -S "$src" -B "$bdir" -DCMAKE_SYSTEM_NAME=Windows \
        -DCMAKE_C_COMPILER="$arch-w64-mingw32-gcc" -DCMAKE_RC_COMPILER="$arch-w64-mingw32-windres" \
        -DWITH_STATIC_LIB=ON -DUNIT_TESTING=OFF -DWITH_EXAMPLES=OFF -DBUILD_SHARED_LIBS=OFF \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
    cmake --build "$bdir" -j"$(nproc)" >/dev/null
    cmake --install "$bdir" >/dev/null
    # Static cmocka is named libcmocka-static.a by 1.1.5; give it the plain name too.
    if [ ! -f "$prefix/lib/libcmocka.a" ]; then
        cp "$prefix/lib/libcmocka-static.a" "$prefix/lib/libcmocka.a"
    fi
}

# Inno Setup is not in Debian; npm's innosetup package carries the real 32-bit compiler
# (bin/ISCC.exe), which runs under wine32. The acceptance test fails without it.
install_innosetup() {
    local package="$CACHE_DIR/npm/node_modules/innosetup"
    if [ -f "$package/bin/ISCC.exe" ] && grep -q "\"version\": *\"$INNO_VERSION\"" "$package/package.json"; then
        return
    fi
    if ! command -v npm >/dev/null; then
        log "installing npm"
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
    fi
    log "installing Inno Setup $INNO_VERSION (npm package innosetup)"
    mkdir -p "$CACHE_DIR/npm"
    npm install --prefix "$CACHE_DIR/npm" --no-audit --no-fund --loglevel=error "innosetup@$INNO_VERSION" >/dev/null
    [ -f "$package/bin/ISCC.exe" ] || { log "FATAL: $package/bin/ISCC.exe missing after npm install"; exit 1; }
}

install_packages
install_innosetup
build_cmocka x86_64
build_cmocka i686
log "dependencies ready in $CACHE_DIR"
if [ $# -ge 1 ]; then
    for arch in x86_64 i686; do
        bash "$(dirname "$0")/wine-prefix.sh" "$1/wineprefix-$arch" >/dev/null
    done
    log "Wine prefixes ready in $1"
fi
