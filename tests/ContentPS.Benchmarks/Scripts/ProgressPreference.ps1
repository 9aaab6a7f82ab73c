# Run by ProgressPreferenceBenchmark in a pwsh child: Import-Blob of -Path into fresh stores with
# $ProgressPreference Continue and SilentlyContinue, alternating round by round (drift on a shared machine
# hits both alike), best of -Runs each. Prints one JSON line with the times and the progress records per mode.
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $WorkDirectory,
    [int] $Runs = 5
)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest

function Measure-Import([string] $Preference) {
    $store = Join-Path $WorkDirectory "store-$([guid]::NewGuid().ToString('n'))"
    try {
        $ProgressPreference = $Preference
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Import-Blob -Path $Path -Store $store | Out-Null
        $watch.Stop()
        $watch.Elapsed.TotalMilliseconds
    }
    finally {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
    }
}

# How many progress records one call writes (counted once, outside the timings, in a runspace of its own:
# a nested pipeline of this runspace would hand them to the host instead of collecting them).
function Measure-ProgressRecords([string] $Preference) {
    $store = Join-Path $WorkDirectory "store-$([guid]::NewGuid().ToString('n'))"
    $shell = [powershell]::Create()
    try {
        $null = $shell.AddScript('param($Manifest, $Path, $Store, $Preference) Import-Module $Manifest; $ProgressPreference = $Preference; Import-Blob -Path $Path -Store $Store | Out-Null').
            AddArgument($Manifest).AddArgument($Path).AddArgument($store).AddArgument($Preference).Invoke()
        $shell.Streams.Progress.Count
    }
    finally {
        $shell.Dispose()
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
    }
}

$shown = [double]::MaxValue
$silent = [double]::MaxValue
for ($round = 0; $round -lt $Runs; $round++) {
    $shown = [Math]::Min($shown, (Measure-Import 'Continue'))
    $silent = [Math]::Min($silent, (Measure-Import 'SilentlyContinue'))
}
[pscustomobject]@{
    continueMs       = $shown
    silentMs         = $silent
    continueRecords  = Measure-ProgressRecords 'Continue'
    silentRecords    = Measure-ProgressRecords 'SilentlyContinue'
} | ConvertTo-Json -Compress
