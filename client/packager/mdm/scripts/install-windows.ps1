# MDM (Intune Win32 app, install behavior "User"): installs Claude Code with Amazon Bedrock
# (profile {{.Profile}}) for the signed-in user, silently and idempotently: it runs the
# package's install.ps1 -NonInteractive from the folder Intune unpacked, unless the user's
# install already has the package's VERSION (detect-windows.ps1 is the detection rule).
$ErrorActionPreference = 'Stop'
$pkg = Split-Path -Parent $MyInvocation.MyCommand.Path
if (-not (Test-Path (Join-Path $pkg 'install.ps1'))) { throw "ccwb: no package beside this script (install.ps1 missing)" }
$want = (Get-Content -Raw (Join-Path $pkg '{{.VersionFile}}')).Trim()
$installed = Join-Path $env:USERPROFILE '{{.InstallDir}}\{{.VersionFile}}'
if ((Test-Path $installed) -and ((Get-Content -Raw $installed).Trim() -eq $want)) {
    Write-Output "ccwb: already at $want"
    exit 0
}
& powershell.exe -NoProfile -ExecutionPolicy Bypass -File (Join-Path $pkg 'install.ps1') -NonInteractive
exit $LASTEXITCODE
