; NSIS include: start the kiosk at sign-in for every user (HKLM Run key) and remove the entry on uninstall.
; A Task Scheduler alternative with restart-on-failure is in docs/DEPLOYMENT.md (build/windows/kiosk-task.xml).
!macro customInstall
  ReadEnvStr $0 PROGRAMDATA
  CreateDirectory "$0\EnrollmentKiosk"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "EnrollmentKiosk" '"$INSTDIR\EnrollmentKiosk.exe" --kiosk --config "$0\EnrollmentKiosk\config.json"'
!macroend

!macro customUnInstall
  DeleteRegValue HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "EnrollmentKiosk"
!macroend
