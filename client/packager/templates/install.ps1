# Installs Claude Code with Amazon Bedrock (profile {{.Profile}}) for this user.
#   install.bat               install, or update an earlier install
#   install.bat -Uninstall    remove it again
# CCWB_INSTALL_DIR overrides the install directory (default %USERPROFILE%\claude-code-with-bedrock).
param([switch]$Uninstall)
$ErrorActionPreference = 'Stop'

$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$dest = if ($env:CCWB_INSTALL_DIR) { $env:CCWB_INSTALL_DIR } else { Join-Path $env:USERPROFILE 'claude-code-with-bedrock' }
$files = @('credential-process.exe', 'otel-helper.exe', 'ccwb-setup.exe')
$data = @('config.json', 'claude-settings.json', 'README.md')
$setup = Join-Path $dest 'ccwb-setup.exe'

if ($Uninstall) {
    if ((Test-Path $setup) -and (Test-Path (Join-Path $dest 'installed.json'))) {
        & $setup uninstall --dir $dest
        if ($LASTEXITCODE -ne 0) { throw "ccwb-setup uninstall failed" }
    }
    foreach ($f in $files + $data + @('installed.json')) {
        Remove-Item -Force -ErrorAction SilentlyContinue (Join-Path $dest $f)
        Remove-Item -Force -ErrorAction SilentlyContinue (Join-Path $dest "$f.old")
    }
    if (Test-Path $dest) {
        if (-not (Get-ChildItem $dest)) { Remove-Item $dest } else { Write-Warning "kept $dest`: it holds files the installer did not put there" }
    }
    Write-Host "Uninstalled Claude Code with Amazon Bedrock (profile {{.Profile}})."
    exit 0
}

# Check the package against SHA256SUMS, and that every file this script copies was checked.
$checked = @{}
foreach ($line in Get-Content (Join-Path $here 'SHA256SUMS')) {
    $sum, $name = $line -split '  ', 2
    $actual = (Get-FileHash -Algorithm SHA256 (Join-Path $here $name)).Hash.ToLower()
    if ($actual -ne $sum) { throw "the package is damaged ($name does not match SHA256SUMS): download it again" }
    $checked[$name] = $true
}
$copied = @($data) + @($files | Where-Object { Test-Path (Join-Path $here "bin\windows-amd64\$_") } | ForEach-Object { "bin/windows-amd64/$_" })
foreach ($name in $copied) {
    if (-not $checked[$name]) { throw "the package is damaged ($name is not listed in SHA256SUMS): download it again" }
}

New-Item -ItemType Directory -Force $dest | Out-Null
foreach ($f in $files) {
    $src = Join-Path $here "bin\windows-amd64\$f"
    if (-not (Test-Path $src)) { continue }
    $target = Join-Path $dest $f
    Copy-Item -Force $src "$target.new"
    # Windows cannot replace a running program, but it can rename it: move the old one aside.
    if (Test-Path $target) {
        Remove-Item -Force -ErrorAction SilentlyContinue "$target.old"
        Move-Item -Force $target "$target.old"
    }
    Move-Item -Force "$target.new" $target
    Remove-Item -Force -ErrorAction SilentlyContinue "$target.old"
    Unblock-File $target
}
foreach ($f in $data) { Copy-Item -Force (Join-Path $here $f) (Join-Path $dest $f) }

& $setup install --dir $dest
if ($LASTEXITCODE -ne 0) { throw "ccwb-setup install failed" }

Write-Host "Installed Claude Code with Amazon Bedrock in $dest."
Write-Host "The AWS CLI profile is {{.Profile}}; Claude Code is set up to use it."
Write-Host "Next: run claude. The first request opens your browser to sign in."
