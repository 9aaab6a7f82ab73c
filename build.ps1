#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents, benchmarks and packages ContentPS.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Docs', 'Bench', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # With Docs: add missing parameter sections to docs/*.md from Get-Command.
    [switch] $Update
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$ModuleDir = Join-Path $Root 'module'
$ToolsDir = Join-Path $Root '.tools'
$ResultsDir = Join-Path $Root 'TestResults'
$Version = (Import-PowerShellDataFile (Join-Path $Root 'ContentPS.psd1')).ModuleVersion
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') exited with $LASTEXITCODE" }
}

function Invoke-Build {
    Write-Host "==> Build ContentPS $Version ($Configuration)"
    Invoke-Native dotnet @('build', (Join-Path $Root 'ContentPS.sln'), '-c', $Configuration, "-p:Version=$Version", '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/ContentPS/ContentPS.csproj'), '-c', $Configuration,
        "-p:Version=$Version", '-o', $ModuleDir, '--no-build', '--nologo', '-v', 'quiet')
    Invoke-Docs
}

function Invoke-Docs {
    $builder = Join-Path $Root 'src/ContentPS.HelpBuilder/ContentPS.HelpBuilder.csproj'
    if (-not (Test-Path $builder)) { Write-Host '==> Docs: no help builder yet'; return }
    Write-Host '==> Docs'
    $metadata = Join-Path ([IO.Path]::GetTempPath()) "contentps-commands-$PID.json"
    # pwsh looks for help beside the imported manifest: module/en-US for the package, en-US for the repo root.
    # Parameter metadata comes from the built module, read in a fresh process so no assembly stays loaded here.
    Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'src/ContentPS.HelpBuilder/Export-CommandMetadata.ps1'),
        '-ModulePath', (Join-Path $Root 'ContentPS.psd1'), '-OutFile', $metadata)
    $arguments = @('run', '--project', $builder, '-c', $Configuration, '--', '--docs', (Join-Path $Root 'docs'),
        '--metadata', $metadata, '--out', (Join-Path $ModuleDir 'en-US'), '--out', (Join-Path $Root 'en-US'))
    if ($Update) { $arguments += '--update' }
    Invoke-Native dotnet $arguments
    Remove-Item $metadata -ErrorAction SilentlyContinue
}

function Install-TestPrerequisites {
    $needed = @{ 'docker-registry' = 'docker-registry'; 'skopeo' = 'skopeo'; 'umoci' = 'umoci'; 'oci-image-tool' = 'oci-image-tool'; 'htpasswd' = 'apache2-utils' }
    $missing = @($needed.Keys | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) -and -not (Test-Path "/usr/bin/$_") })
    if ($missing.Count -eq 0) { return }
    $canInstall = $IsLinux -and (Get-Command apt-get -ErrorAction SilentlyContinue) -and ((id -u) -eq '0')
    if (-not $canInstall) {
        throw "Missing test prerequisites: $($missing -join ', '). Install them (Debian/Ubuntu: sudo apt-get install -y $($missing | ForEach-Object { $needed[$_] }))."
    }
    Write-Host "==> Installing test prerequisites: $($missing -join ', ')"
    Invoke-Native apt-get @('update', '-qq')
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native apt-get @(@('install', '-y', '-qq') + @($missing | ForEach-Object { $needed[$_] }))
}

function Get-PesterModulePath {
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/tools/PesterDownload.csproj'), '--nologo', '-v', 'quiet')
    $manifest = Get-ChildItem (Join-Path $ToolsDir 'packages/pester') -Recurse -Filter Pester.psd1 | Select-Object -First 1
    if (-not $manifest) { throw 'Pester was not restored into .tools/packages.' }
    $manifest.FullName
}

function Invoke-XunitTests {
    Get-ChildItem $ResultsDir -Filter 'xunit*.trx' -ErrorAction SilentlyContinue | Remove-Item
    & dotnet test (Join-Path $Root 'ContentPS.sln') -c $Configuration --no-build --nologo `
        --logger 'trx;LogFilePrefix=xunit' --logger 'console;verbosity=minimal' --results-directory $ResultsDir | Out-Host
    $exit = $LASTEXITCODE
    $files = @(Get-ChildItem $ResultsDir -Filter 'xunit*.trx' -ErrorAction SilentlyContinue)
    if ($files.Count -eq 0) { return [pscustomobject]@{ Passed = 0; Failed = 1; Note = "xunit produced no results (exit $exit)" } }
    $passed = 0; $failed = 0
    foreach ($file in $files) {
        $counters = ([xml](Get-Content -Raw $file.FullName)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    if ($exit -ne 0 -and $failed -eq 0) { $failed = 1 }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Note = "xunit: $passed passed, $failed failed" }
}

function Invoke-PesterTests {
    $pester = Get-PesterModulePath
    $summary = Join-Path $ResultsDir 'pester-summary.json'
    Remove-Item $summary -ErrorAction SilentlyContinue
    # No global ErrorActionPreference here: tests run in this session state and must see PowerShell's defaults.
    $script = @"
Import-Module '$pester' -Force -ErrorAction Stop
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $Root 'tests/Pester')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$(Join-Path $ResultsDir 'pester.xml')'
`$result = Invoke-Pester -Configuration `$config
if (-not `$result) { throw 'Pester returned no result.' }
@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount } |
    ConvertTo-Json | Set-Content -Path '$summary'
"@
    # A fresh pwsh: the tests load the built module, never the copy this build process has open.
    & dotnet pwsh -NoProfile -NonInteractive -Command $script | Out-Host
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Note = "Pester produced no results (exit $LASTEXITCODE)" } }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    [pscustomobject]@{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed; Note = "Pester: $($counts.Passed) passed, $($counts.Failed) failed" }
}

function Invoke-Test {
    Invoke-Build
    Install-TestPrerequisites
    New-Item -ItemType Directory -Force $ResultsDir | Out-Null
    $xunit = Invoke-XunitTests
    $pester = Invoke-PesterTests
    Write-Host $xunit.Note
    Write-Host $pester.Note
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Bench {
    Invoke-Build
    Install-TestPrerequisites # the pull benchmark pushes to a local docker-registry with skopeo
    $project = Join-Path $Root 'tests/ContentPS.Benchmarks/ContentPS.Benchmarks.csproj'
    Invoke-Native dotnet @('run', '--project', $project, '-c', 'Release', '--no-build')
}

function Invoke-Package {
    Invoke-Build
    $target = Join-Path $Root "out/ContentPS/$Version"
    Remove-Item $target -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force $target | Out-Null
    Copy-Item (Join-Path $ModuleDir '*') $target -Recurse
    Get-ChildItem $target -Filter '*.pdb' -Recurse | Remove-Item
    # The repo-root manifest points into module/; the packaged copy sits beside its files.
    (Get-Content -Raw (Join-Path $Root 'ContentPS.psd1')) -replace "'module/", "'" |
        Set-Content -Path (Join-Path $target 'ContentPS.psd1') -NoNewline
    Test-ModuleManifest (Join-Path $target 'ContentPS.psd1') | Out-Null
    Write-Host "==> Packaged $target"
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Docs' { Invoke-Docs }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
}
