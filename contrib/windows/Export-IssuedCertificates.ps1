<#
.SYNOPSIS
    Exports the issued certificates of an Active Directory Certificate Services
    CA to a file on a share, for check_cert_expiry on the monitoring host.

.DESCRIPTION
    Runs
        certutil -config "<CAConfig>" -gmt -view -restrict "Disposition=20"
                 -out "RequestID,SerialNumber,CommonName,NotAfter,CertificateTemplate,RequesterName,RawCertificate"
    and writes its output to <OutputDirectory>\<CA name>.txt (or .csv).

    The export is first written under a temporary name and then renamed over
    the previous one, so that a reader sees either yesterday's complete file or
    today's, never a half-written one. Put the temporary file outside the
    folder the monitoring scans (-TempDirectory) if the check reads the whole
    folder: a rename within one share is still atomic.

    -gmt writes every date in UTC with a " GMT" mark instead of the CA's
    local time, so that a monitoring host in another time zone (or the same
    zone on the other side of a daylight saving change) reads the same
    instants; check_cert_expiry reads unmarked dates in its own TZ.

    certutil's own output is read as UTF-16 (certutil -Unicode) and written in
    the chosen encoding, so names with umlauts or other non-ASCII characters
    survive whatever the console code page is.

    Exit code: 0 on success, 1 on failure (shown as "Last Run Result" of the
    Scheduled Task); the reason goes to standard error.

    Permissions: the account needs "Read" on the CA (CA properties, Security:
    the local SYSTEM account on the CA server has it) and "Modify" on the
    share folders. Running as SYSTEM, the share sees the CA server's computer
    account (DOMAIN\CASERVER$).

    Run it daily as a Scheduled Task, e.g. at 02:00 as SYSTEM, either with
    PowerShell (one line):

    Register-ScheduledTask -TaskName 'Export issued certificates' -User 'NT AUTHORITY\SYSTEM' -RunLevel Highest -Trigger (New-ScheduledTaskTrigger -Daily -At 2am) -Action (New-ScheduledTaskAction -Execute 'powershell.exe' -Argument '-NoProfile -NonInteractive -ExecutionPolicy Bypass -File C:\Scripts\Export-IssuedCertificates.ps1 -CAConfig "CA01\Corp Issuing CA" -OutputDirectory \\fs01\pki\ca-exports -TempDirectory \\fs01\pki\tmp')

    or with schtasks.exe (cmd.exe; the /TR string must stay under 262 characters):

    schtasks /Create /TN "Export issued certificates" /SC DAILY /ST 02:00 /RU SYSTEM /RL HIGHEST /TR "powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File C:\Scripts\Export-IssuedCertificates.ps1 -OutputDirectory \\fs01\pki\ca-exports"

.PARAMETER CAConfig
    The CA as certutil -config expects it: "CAServer\Common Name of the CA".
    Default: the CA installed on this computer.

.PARAMETER OutputDirectory
    Folder (usually a UNC path) that receives the export.

.PARAMETER TempDirectory
    Folder for the temporary file; must be on the same share/volume as
    OutputDirectory. Default: OutputDirectory.

.PARAMETER FileName
    Name of the export file. Default: the CA's common name with characters
    that are not allowed in file names replaced by '_', plus .txt or .csv.

.PARAMETER Format
    Text (certutil's default row format; recommended) or Csv.

.PARAMETER Encoding
    Unicode (UTF-16LE with BOM, as certutil -Unicode writes; default) or UTF8
    (with BOM). check_cert_expiry reads both.

.PARAMETER IncludeRevoked
    Export revoked certificates too (Disposition 20 and 21). The plugin
    ignores revoked rows unless run with --include-revoked.

.EXAMPLE
    .\Export-IssuedCertificates.ps1 -CAConfig "CA01\Corp Issuing CA" -OutputDirectory \\fs01\pki\ca-exports -TempDirectory \\fs01\pki\tmp

.NOTES
    Part of check_cert_expiry (contrib/windows). The monitoring side:
    check_cert_expiry -p /srv/ca-exports   (the share mounted on Linux)
#>
[CmdletBinding()]
param(
    [string] $CAConfig,

    [Parameter(Mandatory = $true)]
    [string] $OutputDirectory,

    [string] $TempDirectory,

    [string] $FileName,

    [ValidateSet('Text', 'Csv')]
    [string] $Format = 'Text',

    [ValidateSet('Unicode', 'UTF8')]
    [string] $Encoding = 'Unicode',

    [switch] $IncludeRevoked
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$Columns = 'RequestID,SerialNumber,CommonName,NotAfter,CertificateTemplate,RequesterName,RawCertificate'

function Fail([string] $Message) {
    [Console]::Error.WriteLine("Export-IssuedCertificates: $Message")
    exit 1
}

# The CA on this computer: CertSvc keeps the active CA's name in the registry.
function Get-LocalCAConfig {
    $key = 'HKLM:\SYSTEM\CurrentControlSet\Services\CertSvc\Configuration'
    try {
        $active = (Get-ItemProperty -Path $key -Name Active).Active
    } catch {
        return $null
    }
    if ([string]::IsNullOrEmpty($active)) { return $null }
    # Active is the "sanitized" name; the common name is what -config wants
    $name = $active
    try {
        $cn = (Get-ItemProperty -Path (Join-Path $key $active) -Name CommonName).CommonName
        if (-not [string]::IsNullOrEmpty($cn)) { $name = $cn }
    } catch {
        # older CAs have no CommonName value: keep the sanitized name
    }
    return '{0}\{1}' -f $env:COMPUTERNAME, $name
}

if ([string]::IsNullOrEmpty($CAConfig)) {
    $CAConfig = Get-LocalCAConfig
    if ($null -eq $CAConfig) {
        Fail 'no -CAConfig given and no CA installed on this computer; use -CAConfig "CAServer\CA Name"'
    }
}
if ($CAConfig -notmatch '^[^\\"]+\\[^\\"]+$') {
    Fail "-CAConfig must look like ""CAServer\Common Name of the CA"", not ""$CAConfig"""
}
if (-not (Test-Path -LiteralPath $OutputDirectory -PathType Container)) {
    Fail "output directory not found: $OutputDirectory"
}
if ([string]::IsNullOrEmpty($TempDirectory)) { $TempDirectory = $OutputDirectory }
if (-not (Test-Path -LiteralPath $TempDirectory -PathType Container)) {
    Fail "temporary directory not found: $TempDirectory"
}

if ([string]::IsNullOrEmpty($FileName)) {
    $caName = $CAConfig.Split('\')[1]
    foreach ($c in [System.IO.Path]::GetInvalidFileNameChars()) {
        $caName = $caName.Replace([string]$c, '_')
    }
    $FileName = $caName + $(if ($Format -eq 'Csv') { '.csv' } else { '.txt' })
}
$target = Join-Path $OutputDirectory $FileName
$temp = Join-Path $TempDirectory ('.{0}.{1}.tmp' -f $FileName, $PID)

if ($Encoding -eq 'UTF8') {
    $outEncoding = New-Object System.Text.UTF8Encoding -ArgumentList $true
} else {
    # little endian, with byte order mark
    $outEncoding = New-Object System.Text.UnicodeEncoding -ArgumentList $false, $true
}

$restrict = if ($IncludeRevoked) { 'Disposition>=20,Disposition<=21' } else { 'Disposition=20' }
# One command line string: ProcessStartInfo does no quoting of its own.
# -gmt: dates in UTC, marked " GMT" (see .DESCRIPTION)
$arguments = '-config "{0}" -Unicode -gmt -view -restrict "{1}" -out "{2}"' -f $CAConfig, $restrict, $Columns
if ($Format -eq 'Csv') { $arguments += ' csv' }

$psi = New-Object System.Diagnostics.ProcessStartInfo
$psi.FileName = Join-Path $env:SystemRoot 'System32\certutil.exe'
$psi.Arguments = $arguments
$psi.UseShellExecute = $false
$psi.CreateNoWindow = $true
$psi.RedirectStandardOutput = $true
# certutil -Unicode writes redirected output as UTF-16LE
$psi.StandardOutputEncoding = [System.Text.Encoding]::Unicode
# standard error is not redirected: it goes to the task's console/log, and
# leaving it alone avoids a deadlock on a full pipe.

$writer = $null
$process = $null
$lines = 0
$ok = $false
try {
    $writer = New-Object System.IO.StreamWriter -ArgumentList $temp, $false, $outEncoding
    $writer.NewLine = "`r`n"
    $process = [System.Diagnostics.Process]::Start($psi)
    while ($null -ne ($line = $process.StandardOutput.ReadLine())) {
        $writer.WriteLine($line)
        $lines++
    }
    $process.WaitForExit()
    $writer.Close()
    $writer = $null

    if ($process.ExitCode -ne 0) {
        Fail ('certutil -config "{0}" -view failed with exit code 0x{1:X8} after {2} lines of output; the previous export is kept' -f $CAConfig, $process.ExitCode, $lines)
    }
    if ($lines -eq 0) {
        Fail "certutil produced no output for $CAConfig"
    }

    # Rename over the previous export: File.Replace is one step where the
    # file system supports it; otherwise remove and move.
    if (Test-Path -LiteralPath $target -PathType Leaf) {
        try {
            [System.IO.File]::Replace($temp, $target, $null)
        } catch {
            Remove-Item -LiteralPath $target -Force
            [System.IO.File]::Move($temp, $target)
        }
    } else {
        [System.IO.File]::Move($temp, $target)
    }
    $ok = $true
    Write-Output ('{0}: {1} lines from {2}' -f $target, $lines, $CAConfig)
} catch {
    Fail ("{0}: {1}" -f $CAConfig, $_.Exception.Message)
} finally {
    if ($null -ne $writer) { $writer.Close() }
    if ($null -ne $process) { $process.Dispose() }
    if (-not $ok -and (Test-Path -LiteralPath $temp)) {
        Remove-Item -LiteralPath $temp -Force -ErrorAction SilentlyContinue
    }
}
exit 0
