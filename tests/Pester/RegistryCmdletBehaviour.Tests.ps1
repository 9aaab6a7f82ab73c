#Requires -Version 7.4
# How the registry cmdlets behave at the prompt: a registry's Warning header becomes one Write-Warning per
# call however many responses carry it, Ctrl+C (Stop) ends a call whose registry does not answer, and
# ConvertTo-ImageReference -Reference completes the store's image names.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $registry = Start-TestRegistry
    $proxy = Start-TestFaultProxy -Upstream $registry.BaseUri
    $images = Publish-TestImageSet -Registry $registry -Path (Join-Path $TestDrive 'images')
    $p = $proxy.Host
}

AfterAll {
    if ($proxy) { Stop-TestFaultProxy $proxy }
    if ($registry) { Stop-TestRegistry $registry }
}

Describe 'Registry Warning headers' {
    BeforeEach {
        Clear-TestFaultProxy -Proxy $proxy
        $warningText = "deprecated $([guid]::NewGuid().ToString('n'))"
        $null = Add-TestFaultRule -Proxy $proxy -Fault AddHeaders -Path '^/v2/' -Headers @{ Warning = "299 - `"$warningText`"" }
    }

    It '<Name> writes the warning once although <Why>' -ForEach @(
        @{ Name = 'Get-ImageManifest -Platform'; Why = 'the index, the manifest and /v2/ all carry it'
            Call = { param($p) Get-ImageManifest "$p/demo/multi:latest" -Platform linux/arm64 } }
        @{ Name = 'Get-ImageTag of two repositories from the pipeline'; Why = 'both tag lists carry it'
            Call = { param($p) "$p/demo/multi", "$p/demo/single" | Get-ImageTag } }
        @{ Name = 'Get-ImageManifest of two references'; Why = 'both answers carry it'
            Call = { param($p) Get-ImageManifest "$p/demo/single:1.0", "$p/demo/docker:latest" } }
    ) {
        $records = & $Call $p 3>&1
        $warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })

        @($records | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] }) | Should -Not -BeNullOrEmpty
        $carried = @(Get-TestFaultRequests -Proxy $proxy | Where-Object { $_.fault -eq 'AddHeaders' })
        $carried.Count | Should -BeGreaterThan 1 -Because 'several responses carried the header'
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -BeLike "*$warningText*"
        $warnings[0].Message | Should -BeLike "*$p*"
    }

    It 'writes it again in the next call (deduplicated per call, not per session)' {
        Resolve-ImageReference "$p/demo/single:1.0" -WarningVariable first -WarningAction SilentlyContinue | Out-Null
        Resolve-ImageReference "$p/demo/single:1.0" -WarningVariable second -WarningAction SilentlyContinue | Out-Null
        $first | Should -HaveCount 1
        $second | Should -HaveCount 1
    }

    It 'ignores Warning codes other than 299 and writes each distinct text once' {
        Clear-TestFaultProxy -Proxy $proxy
        $null = Add-TestFaultRule -Proxy $proxy -Fault AddHeaders -Path '/manifests/' -Headers @{ Warning = "299 - `"first notice`"`n199 - `"misc`"`n299 - `"second notice`"" }
        Get-ImageManifest "$p/demo/multi:latest" -Platform linux/amd64 -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        @($warnings.Message | ForEach-Object { $_ -replace '^.*: ', '' }) | Should -Be @('first notice', 'second notice')
    }
}

Describe 'Stopping a registry cmdlet (Ctrl+C)' {
    It 'ends Get-ImageManifest whose registry delays every answer by 30 s' {
        Clear-TestFaultProxy -Proxy $proxy
        $null = Add-TestFaultRule -Proxy $proxy -Fault Forward -Path '/manifests/' -DelayMilliseconds 30000
        $ps = [powershell]::Create()
        try {
            $manifestPath = (Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path
            $null = $ps.AddScript('param($Manifest, $Reference) Import-Module $Manifest; Get-ImageManifest $Reference').
                AddArgument($manifestPath).AddArgument("$p/demo/single:1.0")
            $async = $ps.BeginInvoke()
            # Wait (bounded) until the request is at the proxy, which holds it.
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not @(Get-TestFaultRequests -Proxy $proxy | Where-Object { $_.target -like '*/manifests/*' }) -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 100
            }
            @(Get-TestFaultRequests -Proxy $proxy | Where-Object { $_.target -like '*/manifests/*' }) | Should -Not -BeNullOrEmpty

            # A cmdlet that ignored the stop would wait out the 30 s delay: wait a bounded time instead of hanging.
            $stop = $ps.BeginStop($null, $null)
            $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(15)) | Should -BeTrue -Because 'StopProcessing must cancel the request'
            $ps.EndStop($stop)
            $failure = $null
            try { $null = $ps.EndInvoke($async) } catch { $failure = $_.Exception.GetBaseException() }
            $failure | Should -BeOfType ([System.Management.Automation.PipelineStoppedException])
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Streams.Error | Should -HaveCount 0
        }
        finally {
            $ps.Dispose()
            Clear-TestFaultProxy -Proxy $proxy
        }
    }
}

Describe 'ConvertTo-ImageReference -Reference completion' {
    BeforeAll {
        $savedStore = $env:CONTENTPS_STORE
        $env:CONTENTPS_STORE = Join-Path $TestDrive 'store'
        New-Item -ItemType Directory $env:CONTENTPS_STORE | Out-Null
        Set-Content -LiteralPath (Join-Path $env:CONTENTPS_STORE 'oci-layout') -Value '{"imageLayoutVersion":"1.0.0"}'
        $records = @('docker.io/library/alpine:3.20', 'ghcr.io/acme/app:v1') | ForEach-Object {
            @{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = 'sha256:' + ('c' * 64); size = 2
                annotations = @{ 'org.opencontainers.image.ref.name' = $_ } }
        }
        Set-Content -LiteralPath (Join-Path $env:CONTENTPS_STORE 'index.json') -Value (@{ schemaVersion = 2; manifests = @($records) } | ConvertTo-Json -Depth 5)

        function Get-CompletionText([string] $Line) {
            @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
        }
    }

    AfterAll {
        $env:CONTENTPS_STORE = $savedStore
    }

    It 'completes <Line>' -ForEach @(
        @{ Line = 'ConvertTo-ImageReference '; Expected = @('docker.io/library/alpine:3.20', 'ghcr.io/acme/app:v1') }
        @{ Line = 'ConvertTo-ImageReference -Reference gh'; Expected = @('ghcr.io/acme/app:v1') }
        @{ Line = 'ConvertTo-ImageReference -Name alp'; Expected = @('docker.io/library/alpine:3.20') }
    ) {
        Get-CompletionText $Line | Should -Be $Expected
    }

    It 'offers nothing for a word no image name starts' {
        Get-CompletionText 'ConvertTo-ImageReference quay.io/' | Should -BeNullOrEmpty
    }
}
