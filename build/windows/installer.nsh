; NSIS include: start the kiosk at sign-in for every user (HKLM Run key) and remove the entry on uninstall.
; A Task Scheduler alternative with restart-on-failure is in docs/DEPLOYMENT.md (build/windows/kiosk-task.xml).
!macro customInstall
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "EnrollmentKiosk" '"$INSTDIR\EnrollmentKiosk.exe" --kiosk --config "$COMMONPROGRAMDATA\EnrollmentKiosk\config.json"'
  CreateDirectory "$COMMONPROGRAMDATA\EnrollmentKiosk"
!macroend

!macro customUnInstall
  DeleteRegValue HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "EnrollmentKiosk"
!macroend
