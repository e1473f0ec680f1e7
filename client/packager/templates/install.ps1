# Installs Claude Code with Amazon Bedrock (profile {{.Profile}}) for this user.
#   install.bat               install, or update an earlier install
#   install.bat -Uninstall    remove it again
# CCWB_INSTALL_DIR overrides the install directory (default %USERPROFILE%\{{.InstallDir}});
# CCWB_ALLOWED_SIGNERS names the allowed-signers file to check SHA256SUMS.sig against (MDM).
#   install.ps1 -NonInteractive     no prompts (MDM, Intune user context)
param([switch]$Uninstall, [switch]$NonInteractive)
$ErrorActionPreference = 'Stop'

$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$dest = if ($env:CCWB_INSTALL_DIR) { $env:CCWB_INSTALL_DIR } else { Join-Path $env:USERPROFILE '{{.InstallDir}}' }
$files = @({{psList .Commands ".exe"}})
$data = @({{psList .DataFiles ""}})
$setup = Join-Path $dest '{{.Setup}}.exe'

if ($Uninstall) {
    if ((Test-Path $setup) -and (Test-Path (Join-Path $dest '{{.StateFile}}'))) {
        & $setup uninstall --dir $dest
        if ($LASTEXITCODE -ne 0) { throw "ccwb-setup uninstall failed" }
    }
    foreach ($f in $files + $data + @('{{.StateFile}}', '{{.AllowedSignersFile}}')) {
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
foreach ($line in Get-Content (Join-Path $here '{{.SumsFile}}')) {
    $sum, $name = $line -split '  ', 2
    $actual = (Get-FileHash -Algorithm SHA256 (Join-Path $here $name)).Hash.ToLower()
    if ($actual -ne $sum) { throw "the package is damaged ($name does not match {{.SumsFile}}): download it again" }
    $checked[$name] = $true
}
$copied = @($data) + @($files | Where-Object { Test-Path (Join-Path $here "bin\{{.Platform "windows" "amd64"}}\$_") } | ForEach-Object { "bin/{{.Platform "windows" "amd64"}}/$_" })
foreach ($name in $copied) {
    if (-not $checked[$name]) { throw "the package is damaged ($name is not listed in {{.SumsFile}}): download it again" }
}

# The signature of SHA256SUMS (ssh-keygen of Windows' OpenSSH client), against the key the
# last install pinned, CCWB_ALLOWED_SIGNERS, or on a first install the package's own.
$signed = Test-Path (Join-Path $here '{{.SumsSignatureFile}}')
$pinned = Join-Path $dest '{{.AllowedSignersFile}}'
$signers = $env:CCWB_ALLOWED_SIGNERS
if (-not $signed) {
    if (-not $signers -and (Test-Path $pinned)) { throw "this package is UNSIGNED but your earlier install was signed: download the signed package from your platform team (or uninstall first with install.bat -Uninstall)" }
    Write-Warning "this package is UNSIGNED (see the {{.UnsignedFile}} file): its checksums show that it is whole, not who built it"
} else {
    $first = $false
    if (-not $signers) { if (Test-Path $pinned) { $signers = $pinned } else { $signers = Join-Path $here '{{.AllowedSignersFile}}'; $first = $true } }
    $sshKeygen = Get-Command ssh-keygen.exe -ErrorAction SilentlyContinue
    if (-not $sshKeygen) {
        if ($env:CCWB_SKIP_SIGNATURE_CHECK -ne '1') { throw "cannot check the package's signature: ssh-keygen is not installed. Add the Windows feature 'OpenSSH Client' (Settings > Optional features), or set CCWB_SKIP_SIGNATURE_CHECK=1 to install without the check" }
        Write-Warning "the signature of {{.SumsFile}} is NOT checked (CCWB_SKIP_SIGNATURE_CHECK=1)"
    } else {
        $p = Start-Process -FilePath $sshKeygen.Source -NoNewWindow -Wait -PassThru -RedirectStandardInput (Join-Path $here '{{.SumsFile}}') -RedirectStandardOutput ([System.IO.Path]::GetTempFileName()) `
            -ArgumentList @('-Y', 'verify', '-f', "`"$signers`"", '-I', '{{.SignerIdentity}}', '-n', '{{.SumsNamespace}}', '-s', "`"$(Join-Path $here '{{.SumsSignatureFile}}')`"")
        if ($p.ExitCode -ne 0) { throw "the package's signature does not verify against $signers`: it was changed after signing, or another key signed it than your earlier install trusted. Download it again; if your platform team changed keys, uninstall first (install.bat -Uninstall)" }
        if ($first) { Write-Host "Signed by the key in $signers; compare its fingerprint (ssh-keygen -l) with your platform team's download page. Later installs accept only this key." }
    }
}

New-Item -ItemType Directory -Force $dest | Out-Null
foreach ($f in $files) {
    $src = Join-Path $here "bin\{{.Platform "windows" "amd64"}}\$f"
    if (-not (Test-Path $src)) { continue }
    $target = Join-Path $dest $f
    if ($signed) {
        # Every program must carry a valid Authenticode signature by the package's certificate.
        $sig = Get-AuthenticodeSignature $src
        if ($sig.Status -ne 'Valid' -or $sig.SignerCertificate.Thumbprint -ne '{{.Thumbprint}}') {
            throw "$f is not validly signed by the package's certificate (status $($sig.Status)): download the package again"
        }
    }
    Copy-Item -Force $src "$target.new"
    # Windows cannot replace a running program, but it can rename it: move the old one aside.
    if (Test-Path $target) {
        Remove-Item -Force -ErrorAction SilentlyContinue "$target.old"
        Move-Item -Force $target "$target.old"
    }
    Move-Item -Force "$target.new" $target
    Remove-Item -Force -ErrorAction SilentlyContinue "$target.old"
    # Only an unsigned build loses the Mark-of-the-Web: a signed one keeps it for SmartScreen.
    if (-not $signed) { Unblock-File $target }
}
if ($signed -and ($signers -ne $pinned)) { Copy-Item -Force $signers $pinned }
foreach ($f in $data) { Copy-Item -Force (Join-Path $here $f) (Join-Path $dest $f) }

& $setup install --dir $dest
if ($LASTEXITCODE -ne 0) { throw "ccwb-setup install failed" }

Write-Host "Installed Claude Code with Amazon Bedrock in $dest."
Write-Host "The AWS CLI profile is {{.Profile}}; Claude Code is set up to use it."
Write-Host "Next: run claude. The first request opens your browser to sign in."
