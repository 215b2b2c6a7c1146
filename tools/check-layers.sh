#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The layering of src/ (docs/architecture.md), checked from the includes: src/core uses no
# Windows header and nothing of src/win; a file of src/win/<folder> includes only its own
# folder and the folders below it: base < process < getlist < session < shutdown.
# Prints each include that runs back up; exits 1 if there is one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rank() { case $1 in base) echo 0;; process) echo 1;; getlist) echo 2;; session) echo 3;;
         shutdown) echo 4;; rstrtmgr) echo -1;; *) echo 99;; esac; }  # rstrtmgr/: include/
status=0
for file in "$root"/src/core/*.[ch]; do
    if grep -nE '^#include [<"](windows|winternl|ntstatus|restartmanager)\.h|^#include "(base|process|getlist|session|shutdown)/' "$file"; then
        echo "  ^ ${file#"$root"/}: the core includes Windows or an adapter"
        status=1
    fi
done
for file in "$root"/src/win/*/*.[ch]; do
    folder=$(basename "$(dirname "$file")")
    own=$(rank "$folder")
    while IFS= read -r included; do
        target=${included%%/*}
        if [ "$(rank "$target")" -gt "$own" ]; then
            echo "${file#"$root"/}: includes $included, a layer above $folder"
            status=1
        fi
    done < <(sed -nE 's/^#include "([a-z_0-9]+\/[a-z_0-9]+\.h)".*/\1/p' "$file")
done
[ $status -eq 0 ] && echo "layers: no include runs back up"
exit $status
