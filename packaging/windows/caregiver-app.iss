; Inno Setup script: the Windows installer of ALS Care Companion.
; Built by .github/workflows/bundles.yml on windows-latest after `py tasks.py dist`:
;   iscc /DAppVersion=0.1.0 packaging\windows\caregiver-app.iss
; NOT built or tested on the developers' machines (Linux): see the README.
;
; Installs for the current user without asking for an administrator (Program Files
; when installed by one), puts "ALS Care Companion" in the Start menu, and registers an
; uninstaller under Settings > Apps. Uninstalling removes the program and the "start
; when I log in" entry that would point at it, and never the records, which are in
; %APPDATA%\ALS Care Companion.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "ALS Care Companion"
#define Program "caregiver-app.exe"
#define ConsoleProgram "caregiver-app-cli.exe"

[Setup]
AppId={{3D04006D-761C-476B-AF29-02B0A439A2EC}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\{#Program}
UninstallDisplayName={#AppName}
; a running copy is closed (and started again) through the Restart Manager
CloseApplications=yes
OutputDir=..\..\dist
OutputBaseFilename=ALS-Care-Companion-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; the one-folder bundle `py tasks.py dist` made: both programs and _internal
Source: "..\..\dist\ALS Care Companion\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#Program}"; Comment: "Medicines, reminders and the care team"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#Program}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#Program}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// "Start when I log in" (services/autostart.py) is the value "ALS Care Companion" under
// the per-user Run key. Once the program is gone it would start nothing: remove it too.
// The records (%APPDATA%\ALS Care Companion) are never touched.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    RegDeleteValue(HKEY_CURRENT_USER, 'Software\Microsoft\Windows\CurrentVersion\Run',
                   'ALS Care Companion');
end;
