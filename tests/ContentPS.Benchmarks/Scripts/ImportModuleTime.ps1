# Run by ImportModuleBenchmark in a fresh pwsh: the milliseconds Import-Module of the built module takes,
# first importing -Warmup (a module that ships with pwsh) when given, so that PowerShell's own first-import
# cost (its module and format machinery compiled on first use) is paid before ContentPS is timed.
# Prints one JSON line: warmupMs (0 without -Warmup), contentpsMs.
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [string] $Warmup
)
$ErrorActionPreference = 'Stop'
$watch = [Diagnostics.Stopwatch]::StartNew()
if ($Warmup) { Import-Module $Warmup }
$warmupMs = $watch.Elapsed.TotalMilliseconds
$watch.Restart()
Import-Module $Manifest
$watch.Stop()
[pscustomobject]@{ warmupMs = $warmupMs; contentpsMs = $watch.Elapsed.TotalMilliseconds } | ConvertTo-Json -Compress
