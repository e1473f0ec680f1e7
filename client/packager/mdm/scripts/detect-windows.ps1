# Intune detection rule: the signed-in user's install of Claude Code with Amazon Bedrock
# (profile {{.Profile}}) is at version {{.Version}}. Intune counts the app as installed when
# this script exits 0 and writes to stdout.
$installed = Join-Path $env:USERPROFILE '{{.InstallDir}}\{{.VersionFile}}'
if ((Test-Path $installed) -and ((Get-Content -Raw $installed).Trim() -eq '{{.Version}}')) {
    Write-Output "installed {{.Version}}"
    exit 0
}
exit 1
