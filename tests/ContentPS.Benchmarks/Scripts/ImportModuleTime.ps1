# Run by ImportModuleBenchmark in a fresh pwsh: the milliseconds Import-Module of the built module takes.
param([Parameter(Mandatory)] [string] $Manifest)
$ErrorActionPreference = 'Stop'
$watch = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Manifest
$watch.Stop()
[Console]::Out.WriteLine($watch.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture))
