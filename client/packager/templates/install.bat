@echo off
rem Installs Claude Code with Amazon Bedrock (profile {{.Profile}}). "install.bat -Uninstall" removes it.
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" %*
exit /b %ERRORLEVEL%
