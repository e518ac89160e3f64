; Inno Setup script for Windows workstations. Build the PyInstaller folder
; first (packaging/harbour.spec), then compile this with ISCC.
[Setup]
AppName=Harbour
AppVersion=0.1.0
DefaultDirName={autopf}\Harbour
DefaultGroupName=Harbour
OutputBaseFilename=harbour-setup
PrivilegesRequired=admin

[Files]
Source: "..\dist\harbour\*"; DestDir: "{app}"; Flags: recursesubdirs

[Icons]
Name: "{group}\Harbour"; Filename: "{app}\harbour.exe"

; The data folder is chosen in Harbour's first-run wizard and is never
; removed by the uninstaller: clinical records outlive the program.
