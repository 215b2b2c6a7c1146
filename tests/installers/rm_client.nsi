; SPDX-License-Identifier: LGPL-2.1-or-later
; A real NSIS installer (64-bit, Unicode) as a Restart Manager client: it calls
; rstrtmgr.dll's exports through NSIS's own System plugin, the way NSIS scripts do,
; and writes each step's result to RESULT_FILE for tests/installers/nsis_test.sh:
;   RmStartSession -> RmRegisterResources(HELD_FILE) -> RmGetList (sizing call, then
;   with a buffer) -> RmShutdown -> RmRestart -> RmEndSession.
; Build: makensis -DHELD_FILE=C:\...\held.txt -DRESULT_FILE=C:\...\result.txt
;        -DOUT_FILE=/unix/path/client.exe rm_client.nsi
; LGPL-2.1-or-later.
Unicode true
Target amd64-unicode
!ifndef HELD_FILE
  !error "define HELD_FILE"
!endif
!ifndef RESULT_FILE
  !error "define RESULT_FILE"
!endif
!ifndef OUT_FILE
  !error "define OUT_FILE"
!endif

Name "rstrtmgr NSIS client"
OutFile "${OUT_FILE}"
RequestExecutionLevel user
SilentInstall silent

!define ERROR_MORE_DATA 234
!define RM_PROCESS_INFO_SIZE 668 ; the same on x86 and x64

Var Results ; file handle

!macro Report text
  FileWrite $Results "${text}$\r$\n"
!macroend

Section
  FileOpen $Results "${RESULT_FILE}" w
  StrCmp $Results "" 0 +2
    Abort

  ; $0 handle, $1 key (an output buffer the plugin allocates), $2 result
  System::Call 'rstrtmgr::RmStartSession(*i .r0, i 0, w .r1) i .r2'
  !insertmacro Report "start=$2 handle=$0 key=$1"
  StrCmp $2 0 0 done

  ; rgsFileNames is an array of one string pointer: *w passes the address of one.
  StrCpy $3 "${HELD_FILE}"
  System::Call 'rstrtmgr::RmRegisterResources(i r0, i 1, *w r3, i 0, p 0, i 0, p 0) i .r2'
  !insertmacro Report "register=$2"
  StrCmp $2 0 0 end_session

  ; Sizing call: no buffer. $4 needed, $6 reboot reasons.
  System::Call 'rstrtmgr::RmGetList(i r0, *i .r4, *i 0, p 0, *i .r6) i .r2'
  !insertmacro Report "getlist_size=$2 needed=$4"
  StrCmp $2 ${ERROR_MORE_DATA} 0 end_session

  IntOp $7 $4 * ${RM_PROCESS_INFO_SIZE}
  System::Alloc $7
  Pop $8
  ; $5 count (in: the capacity $4, out: entries written).
  System::Call 'rstrtmgr::RmGetList(i r0, *i .r4, *i r4r5, p r8, *i .r6) i .r2'
  ; First entry: dwProcessId, ProcessStartTime, strAppName[256] (packed, as declared).
  System::Call '*$8(i .r7, l, &w256 .r9)'
  System::Free $8
  !insertmacro Report "getlist=$2 count=$5 reasons=$6 pid=$7 name=$9"
  StrCmp $2 0 0 end_session

  System::Call 'rstrtmgr::RmShutdown(i r0, i 0, p 0) i .r2'
  !insertmacro Report "shutdown=$2"
  StrCmp $2 0 0 end_session

  ; An installer would replace its files here.
  System::Call 'rstrtmgr::RmRestart(i r0, i 0, p 0) i .r2'
  !insertmacro Report "restart=$2"

end_session:
  System::Call 'rstrtmgr::RmEndSession(i r0) i .r2'
  !insertmacro Report "end=$2"
done:
  FileClose $Results
SectionEnd
