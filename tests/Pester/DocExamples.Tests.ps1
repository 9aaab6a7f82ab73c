#requires -Version 7.4
# Runs every ```powershell block under "## EXAMPLES" in docs/*.md in a fresh runspace with the built
# module imported and a throwaway store ($env:CONTENTPS_STORE). An example fails when it throws or
# writes an error. An example that mentions $Registry gets a registry: a host:port string of a plain
# local registry started once (Start-TestRegistry from Fixtures/TestFixtures.psm1), only when some
# example needs it. Expected output may follow in a ```text or ```output block; it is not run.

BeforeDiscovery {
    $docs = Join-Path $PSScriptRoot '../../docs'

    function Get-DocExample {
        param([string] $Path)
        $lines = @(Get-Content -LiteralPath $Path)
        $section = ''; $title = ''; $fence = $null; $start = 0; $code = $null
        for ($i = 0; $i -lt $lines.Count; $i++) {
            $line = $lines[$i]
            if ($null -ne $fence) {
                if ($line.TrimStart().StartsWith($fence)) {
                    if ($null -ne $code) {
                        [pscustomobject]@{ File = Split-Path -Leaf $Path; Title = $title; Line = $start; Code = ($code -join "`n") }
                    }
                    $fence = $null; $code = $null
                }
                elseif ($null -ne $code) { $code.Add($line) }
                continue
            }
            if ($line -match '^(```+|~~~+)\s*([\w-]*)') {
                $fence = $Matches[1]; $start = $i + 1
                $language = $Matches[2].ToLowerInvariant()
                $code = $null
                if ($section -eq 'EXAMPLES' -and $language -in 'powershell', 'ps', 'pwsh', 'ps1', '') { $code = [System.Collections.Generic.List[string]]::new() }
                continue
            }
            if ($line -match '^## (.+)$') { $section = $Matches[1].Trim().ToUpperInvariant(); $title = '' }
            elseif ($line -match '^### (.+)$') { $title = $Matches[1].Trim() }
        }
    }

    $exampleCases = @(Get-ChildItem -LiteralPath $docs -Filter '*.md' -ErrorAction SilentlyContinue |
        Where-Object Name -NotLike 'about_*' | Sort-Object Name |
        ForEach-Object { Get-DocExample $_.FullName } |
        ForEach-Object { @{ File = $_.File; Title = $_.Title; Line = $_.Line; Code = $_.Code; NeedsRegistry = $_.Code -match '\$Registry\b' } })
    $needsRegistry = @($exampleCases | Where-Object NeedsRegistry).Count -gt 0
}

BeforeAll {
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../ContentPS.psd1')).Path
    $registry = $null
    $exampleTimeout = [TimeSpan]::FromMinutes(5)

    function Invoke-DocExample {
        param([string] $Code, [hashtable] $Variables, [string] $WorkingDirectory)
        $state = [initialsessionstate]::CreateDefault2()
        foreach ($name in $Variables.Keys) {
            $state.Variables.Add([System.Management.Automation.Runspaces.SessionStateVariableEntry]::new($name, $Variables[$name], ''))
        }
        $runspace = [runspacefactory]::CreateRunspace($state)
        $shell = [powershell]::Create()
        try {
            $runspace.Open()
            $shell.Runspace = $runspace
            $null = $shell.AddScript("Import-Module '$($manifest -replace "'", "''")' -ErrorAction Stop; Set-Location -LiteralPath '$($WorkingDirectory -replace "'", "''")'").AddStatement()
            $null = $shell.AddScript($Code)
            $failures = [System.Collections.Generic.List[string]]::new()
            $async = $shell.BeginInvoke()
            if (-not $async.AsyncWaitHandle.WaitOne($exampleTimeout)) {
                $shell.Stop()
                $failures.Add("timed out after $exampleTimeout")
            }
            else {
                try { $null = $shell.EndInvoke($async) }
                catch { $failures.Add("threw: $($_.Exception.InnerException ?? $_.Exception)") }
            }
            foreach ($record in $shell.Streams.Error) { $failures.Add("error: $record [$($record.FullyQualifiedErrorId)]") }
            , $failures
        }
        finally {
            $shell.Dispose()
            $runspace.Dispose()
        }
    }
}

Describe 'Doc examples' {
    It 'docs/*.md have examples to run' {
        $exampleCases.Count | Should -BeGreaterThan 0
    } -TestCases @{ exampleCases = $exampleCases }
}

Describe 'Doc example' {
    BeforeAll {
        if ($needsRegistry) {
            Import-Module (Join-Path $PSScriptRoot 'Fixtures/TestFixtures.psm1') -Force -ErrorAction Stop
            $registry = Start-TestRegistry
            # What the registry examples read: demo/app:latest (multi-platform index), demo/app:1.0 (one
            # manifest) and demo/app:signed (an image with an SBOM referrer).
            $seed = Join-Path ([IO.Path]::GetTempPath()) "contentps-example-seed-$PID"
            New-TestImageLayout -Scenario MultiPlatform -Path "$seed/multi" | Out-Null
            Publish-TestImageLayout -Path "$seed/multi" -Registry $registry -Repository demo/app -Tag latest | Out-Null
            New-TestImageLayout -Scenario SinglePlatform -Path "$seed/single" | Out-Null
            Publish-TestImageLayout -Path "$seed/single" -Registry $registry -Repository demo/app -Tag 1.0 | Out-Null
            Publish-TestReferrerImage -Registry $registry -Repository demo/app -Tag signed -Path "$seed/artifact" | Out-Null
            Remove-Item -LiteralPath $seed -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    AfterAll {
        if ($registry) { Stop-TestRegistry $registry }
    }

    It '<File>:<Line> <Title>' -ForEach $exampleCases {
        $Code | Should -Not -Match '\{\{.*\}\}' -Because 'the example is still a placeholder'
        $work = Join-Path ([IO.Path]::GetTempPath()) "contentps-example-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path (Join-Path $work 'store') -Force | Out-Null
        $savedStore = $env:CONTENTPS_STORE
        try {
            # The store variable is process-wide; examples run one at a time, each with a new empty store.
            $env:CONTENTPS_STORE = Join-Path $work 'store'
            $variables = @{}
            if ($NeedsRegistry) { $variables['Registry'] = $registry.Host }
            $failures = Invoke-DocExample -Code $Code -Variables $variables -WorkingDirectory $work
            $failures -join "`n" | Should -BeNullOrEmpty -Because "the example at $File line $Line must run cleanly:`n$Code`n"
        }
        finally {
            $env:CONTENTPS_STORE = $savedStore
            Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
} -ForEach @{ needsRegistry = $needsRegistry }
