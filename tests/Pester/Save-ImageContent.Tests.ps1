#Requires -Version 7.4
# Save-ImageContent against a real registry (and the fault proxy in front of it where requests are
# counted or slowed down): the exact blob sets of single manifests, OCI indexes and Docker lists for the
# default, -Platform and -AllPlatforms selections; records, -Name, -WhatIf, -PassThru; pipelines from
# Get-ImageManifest/Get-ImageReferrer and of several references; a second pull that fetches nothing;
# classified errors per reference; progress records; and a stopped pull that leaves a resumable ingest.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $modulePath = (Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path
    # Get-ImageManifest computes the expectations from the registry: keep the default store empty.
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'
    $registry = Start-TestRegistry
    $images = Publish-TestImageSet -Registry $registry -Path (Join-Path $TestDrive 'images')
    $r = $registry.Host
    # One 8 MiB layer, slowed down through the proxy by the stop test.
    $big = New-TestImageLayout -Scenario Layers -Path (Join-Path $TestDrive 'big') -LayerCount 1 -LayerSize 8MB
    Publish-TestImageLayout -Path $big.directory -Registry $registry -Repository demo/big -Tag latest | Out-Null
    $bigLayer = @($big.blobs | Where-Object kind -EQ 'Layer')[0]
    # One 512 KiB layer, slowed down to a few seconds by the progress test.
    $mid = New-TestImageLayout -Scenario Layers -Path (Join-Path $TestDrive 'mid') -LayerCount 1 -LayerSize 512KB -Seed 2
    Publish-TestImageLayout -Path $mid.directory -Registry $registry -Repository demo/mid -Tag latest | Out-Null
    $midLayer = @($mid.blobs | Where-Object kind -EQ 'Layer')[0]
    $proxy = Start-TestFaultProxy -Upstream $registry.BaseUri
    $p = $proxy.Host
    $hostPlatform = [ContentPS.Engine.Oci.Platforms]::Format([ContentPS.Engine.Oci.Platforms]::Default())

    function New-TestStore {
        Join-Path $TestDrive ('store-' + [guid]::NewGuid().ToString('N'))
    }

    function Get-StoreDigests([string] $Store) {
        @(Get-Blob -Store $Store | ForEach-Object Digest | Sort-Object)
    }

    # The digests a pull must leave in the store, computed from the registry with Get-ImageManifest: the
    # root; for an index every manifest and config (attestations only with -All) and the layers of the
    # manifests chosen for the layer platforms (every one with -All); for a manifest all of it.
    function Get-ExpectedDigests([string] $Reference, [string[]] $LayerPlatforms = @(), [switch] $All) {
        $digests = [System.Collections.Generic.SortedSet[string]]::new([StringComparer]::Ordinal)
        $top = Get-ImageManifest $Reference
        $null = $digests.Add($top.Digest)
        if ($top -is [ContentPS.ImageManifestInfo]) {
            $null = $digests.Add($top.Config.Digest)
            $top.Layers | ForEach-Object { $null = $digests.Add($_.Digest) }
            return @($digests)
        }
        $chosen = @(foreach ($platform in $LayerPlatforms) { (Get-ImageManifest $Reference -Platform $platform).Digest })
        foreach ($entry in $top.Manifests) {
            $attestation = $entry.Annotations['vnd.docker.reference.type'] -eq 'attestation-manifest'
            if ($attestation -and -not $All) { continue }
            $manifest = $entry | Get-ImageManifest
            $null = $digests.Add($manifest.Digest)
            $null = $digests.Add($manifest.Config.Digest)
            if ($All -or $attestation -or $chosen -contains $manifest.Digest) {
                $manifest.Layers | ForEach-Object { $null = $digests.Add($_.Digest) }
            }
        }
        @($digests)
    }

    function Get-BlobRequests([string] $Digest) {
        @(Get-TestFaultRequests -Proxy $proxy | Where-Object { $_.Method -eq 'GET' -and $_.Target -like "*/blobs/$Digest*" })
    }

    # A PowerShell with the module imported, for progress capture and Stop().
    function New-TestShell {
        $shell = [powershell]::Create()
        $null = $shell.AddScript("Import-Module '$($modulePath -replace "'", "''")' -ErrorAction Stop").AddStatement()
        $shell
    }

    function Wait-Until([scriptblock] $Condition, [string] $What, [int] $TimeoutSec = 60) {
        # A hang guard only: the loop ends as soon as the state is reached.
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "gave up waiting: $What" }
            Start-Sleep -Milliseconds 50
        }
    }
}

AfterAll {
    if ($proxy) { Stop-TestFaultProxy $proxy }
    if ($registry) { Stop-TestRegistry $registry }
    $env:CONTENTPS_STORE = $savedStore
}

Describe 'Save-ImageContent selection' {
    It 'saves a single manifest with its config and layers, and records it' {
        $store = New-TestStore
        $expected = Get-ExpectedDigests "$r/demo/single:1.0"
        $summary = Save-ImageContent "$r/demo/single:1.0" -Store $store
        $summary | Should -BeOfType ([ContentPS.PullSummary])
        $summary.Reference | Should -Be "$r/demo/single:1.0"
        $summary.Name | Should -Be "$r/demo/single:1.0"
        $summary.Digest | Should -Be $images.single.top.digest
        $summary.MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $summary.Platforms.Count | Should -Be 1
        $summary.BlobsFetched | Should -Be $expected.Count
        $summary.BlobsPresent | Should -Be 0
        $summary.BlobsResumed | Should -Be 0
        $summary.BytesFetched | Should -Be (($images.single.blobs | Where-Object digest -In $expected | Measure-Object size -Sum).Sum + 0)
        $summary.Store | Should -Be $store
        Get-StoreDigests $store | Should -Be $expected
        (Get-Image -Store $store).Name | Should -Be "$r/demo/single:1.0"
        (Get-Image -Store $store).Digest | Should -Be $images.single.top.digest
    }

    It 'saves an OCI index with every manifest and config, and the layers of this machine only' {
        $store = New-TestStore
        $expected = Get-ExpectedDigests "$r/demo/multi:latest" -LayerPlatforms $hostPlatform
        $all = Get-ExpectedDigests "$r/demo/multi:latest" -All
        $summary = Save-ImageContent "$r/demo/multi:latest" -Store $store
        Get-StoreDigests $store | Should -Be $expected
        $expected.Count | Should -BeLessThan $all.Count -Because 'other platforms have layers that are not saved'
        $summary.Digest | Should -Be $images.multi.top.digest
        $summary.MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        $summary.Platforms | Should -Be @((Get-ImageManifest "$r/demo/multi:latest" -Platform $hostPlatform).Platform.Platform)
    }

    It '-Platform linux/arm/v7 saves the layers of that platform only' {
        $store = New-TestStore
        $summary = Save-ImageContent "$r/demo/multi:latest" -Store $store -Platform linux/arm/v7
        Get-StoreDigests $store | Should -Be (Get-ExpectedDigests "$r/demo/multi:latest" -LayerPlatforms linux/arm/v7)
        $summary.Platforms | Should -Be @('linux/arm/v7')
    }

    It '-Platform linux/arm64,linux/amd64 saves the layers of both' {
        $store = New-TestStore
        $summary = Save-ImageContent "$r/demo/multi:latest" -Store $store -Platform linux/arm64, linux/amd64
        Get-StoreDigests $store | Should -Be (Get-ExpectedDigests "$r/demo/multi:latest" -LayerPlatforms linux/arm64, linux/amd64)
        $summary.Platforms | Should -Be @('linux/amd64', 'linux/arm64/v8')
    }

    It '-AllPlatforms saves everything, attestations included' {
        $store = New-TestStore
        $null = Save-ImageContent "$r/demo/multi:latest" -Store $store -AllPlatforms
        $expected = Get-ExpectedDigests "$r/demo/multi:latest" -All
        Get-StoreDigests $store | Should -Be $expected
        Get-StoreDigests $store | Should -Be @($images.multi.blobs.digest + $images.multi.top.digest | Sort-Object -Unique)
    }

    It '-AllPlatforms saves every blob of the <Image> layout' -ForEach @(
        @{ Image = 'docker'; Repository = 'demo/docker:latest' }
        @{ Image = 'nested'; Repository = 'demo/nested:latest' }
    ) {
        $store = New-TestStore
        $summary = Save-ImageContent "$r/$Repository" -Store $store -AllPlatforms
        $layout = $images[$Image]
        Get-StoreDigests $store | Should -Be @($layout.blobs.digest + $layout.top.digest | Sort-Object -Unique)
        $summary.BlobsFetched | Should -Be (Get-StoreDigests $store).Count
    }

    It '-IncludeAttestations adds the attestation manifest to the default selection' {
        $store = New-TestStore
        $null = Save-ImageContent "$r/demo/multi:latest" -Store $store -IncludeAttestations
        $attestation = (Get-ImageManifest "$r/demo/multi:latest").Manifests | Where-Object { $_.Annotations['vnd.docker.reference.type'] -eq 'attestation-manifest' }
        $withoutAttestation = Get-ExpectedDigests "$r/demo/multi:latest" -LayerPlatforms $hostPlatform
        $saved = Get-StoreDigests $store
        $saved | Should -Contain $attestation.Digest
        $withoutAttestation | Where-Object { $_ -notin $saved } | Should -BeNullOrEmpty
    }

    It 'saves a Docker manifest list for -Platform linux/arm64' {
        $store = New-TestStore
        $summary = Save-ImageContent "$r/demo/docker:latest" -Store $store -Platform linux/arm64
        Get-StoreDigests $store | Should -Be (Get-ExpectedDigests "$r/demo/docker:latest" -LayerPlatforms linux/arm64)
        $summary.MediaType | Should -Be 'application/vnd.docker.distribution.manifest.list.v2+json'
    }
}

Describe 'Save-ImageContent records and output' {
    It '-Name records the image under another name only' {
        $store = New-TestStore
        $summary = Save-ImageContent "$r/demo/single:1.0" -Store $store -Name local/app:stable
        $summary.Name | Should -Be 'local/app:stable'
        $records = @(Get-Image -Store $store)
        $records.Name | Should -Be @('local/app:stable')
        $records[0].Digest | Should -Be $images.single.top.digest
    }

    It '-Name with two images is a terminating InvalidArgument error and pulls nothing' {
        $store = New-TestStore
        $caught = $null
        try { "$r/demo/single:1.0", "$r/demo/multi:latest" | Save-ImageContent -Store $store -Name local/app:stable }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.TargetObject | Should -Be 'local/app:stable'
        Test-Path $store | Should -BeFalse
    }

    It 'an invalid -Name is a terminating InvalidImageName error' {
        $store = New-TestStore
        { Save-ImageContent "$r/demo/single:1.0" -Store $store -Name 'Not A Name' } | Should -Throw -ErrorId 'InvalidImageName,*'
        Test-Path $store | Should -BeFalse
    }

    It '-WhatIf writes nothing, not even the store folder' {
        $store = New-TestStore
        $out = Save-ImageContent "$r/demo/multi:latest" -Store $store -WhatIf
        $out | Should -BeNullOrEmpty
        Test-Path $store | Should -BeFalse
    }

    It '-PassThru writes the ImageInfo record, which Get-Image takes by property name' {
        $store = New-TestStore
        $record = Save-ImageContent "$r/demo/multi:latest" -Store $store -PassThru
        $record | Should -BeOfType ([ContentPS.ImageInfo])
        $record.Name | Should -Be "$r/demo/multi:latest"
        $record.Digest | Should -Be $images.multi.top.digest
        $record.MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        $record.Store | Should -Be $store
        ($record | Get-Image).Digest | Should -Be $images.multi.top.digest
    }

    It 'Save-ImageContent r -PassThru | Get-ImageManifest gets the saved image' {
        $store = New-TestStore
        $manifest = Save-ImageContent "$r/demo/single:1.0" -Store $store -PassThru | Get-ImageManifest
        $manifest | Should -BeOfType ([ContentPS.ImageManifestInfo])
        $manifest.Digest | Should -Be $images.single.top.digest
    }

    It 'a second pull finds everything present and downloads no blob' {
        $store = New-TestStore
        $first = Save-ImageContent "$p/demo/multi:latest" -Store $store
        Clear-TestFaultProxy -Proxy $proxy
        $second = Save-ImageContent "$p/demo/multi:latest" -Store $store
        $second.BlobsFetched | Should -Be 0
        $second.BlobsResumed | Should -Be 0
        $second.BlobsPresent | Should -Be ($first.BlobsFetched + $first.BlobsPresent)
        $second.BytesFetched | Should -Be 0
        @(Get-TestFaultRequests -Proxy $proxy | Where-Object Target -Like '*/blobs/*').Count | Should -Be 0
        @(Get-TestFaultRequests -Proxy $proxy | Where-Object { $_.Method -eq 'GET' -and $_.Target -like '*/manifests/sha256:*' }).Count | Should -Be 0
    }

    It 'the table view shows short digest, sizes and throughput' {
        $store = New-TestStore
        $text = Save-ImageContent "$r/demo/single:1.0" -Store $store | Format-Table | Out-String -Width 250
        $text | Should -Match 'Fetched'
        $text | Should -Match ([regex]::Escape($images.single.top.digest.Substring(0, 19)))
        $text | Should -Not -Match ([regex]::Escape($images.single.top.digest))
        $text | Should -Match '[KM]iB/s|B/s'
    }
}

Describe 'Save-ImageContent pipelines' {
    It 'Get-ImageManifest r | Save-ImageContent pulls by digest without resolving the tag again' {
        $store = New-TestStore
        $index = Get-ImageManifest "$p/demo/multi:latest"
        Clear-TestFaultProxy -Proxy $proxy
        $summary = $index | Save-ImageContent -Store $store
        $summary.Name | Should -Be "$p/demo/multi:latest"
        $summary.Digest | Should -Be $images.multi.top.digest
        @(Get-TestFaultRequests -Proxy $proxy | Where-Object Target -Like '*/manifests/latest*').Count | Should -Be 0
        Get-StoreDigests $store | Should -Be (Get-ExpectedDigests "$r/demo/multi:latest" -LayerPlatforms $hostPlatform)
    }

    It 'a manifest chosen with Get-ImageManifest -Platform is saved whole and recorded by digest' {
        $store = New-TestStore
        $manifest = Get-ImageManifest "$r/demo/multi:latest" -Platform linux/arm/v7
        $summary = $manifest | Save-ImageContent -Store $store
        $summary.Name | Should -Be "$r/demo/multi@$($manifest.Digest)"
        $summary.Digest | Should -Be $manifest.Digest
        Get-StoreDigests $store | Should -Be (@($manifest.Digest, $manifest.Config.Digest) + $manifest.Layers.Digest | Sort-Object)
    }

    It 'a referrer from Get-ImageReferrer is saved; a layer descriptor is an InvalidMediaType error' {
        $store = New-TestStore
        $referrer = Get-ImageReferrer "$r/demo/signed:latest"
        $summary = $referrer | Save-ImageContent -Store $store
        $summary.Digest | Should -Be $images.signed.top.digest
        Get-StoreDigests $store | Should -Contain $images.signed.top.digest

        $layer = (Get-ImageManifest "$r/demo/single:1.0").Layers[0]
        $out = $layer | Save-ImageContent -Store $store -ErrorVariable failures -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMediaType,*'
        $failures[0].TargetObject | Should -Be $layer.Reference
    }

    It "'a','b' | Save-ImageContent -ThrottleLimit 8 saves both" {
        $store = New-TestStore
        $summaries = @("$r/demo/single:1.0", "$r/demo/docker:latest" | Save-ImageContent -Store $store -ThrottleLimit 8)
        $summaries.Count | Should -Be 2
        @($summaries.Name | Sort-Object) | Should -Be @("$r/demo/docker:latest", "$r/demo/single:1.0")
        @((Get-Image -Store $store).Name | Sort-Object) | Should -Be @("$r/demo/docker:latest", "$r/demo/single:1.0")
    }

    It 'takes the Reference and Store properties of piped objects' {
        $store = New-TestStore
        $summary = [pscustomobject]@{ Reference = "$r/demo/single:1.0"; Store = $store } | Save-ImageContent
        $summary.Store | Should -Be $store
        (Get-Image -Store $store).Name | Should -Be "$r/demo/single:1.0"
    }
}

Describe 'Save-ImageContent errors' {
    It 'writes a classified error per failing reference and saves the others' {
        $store = New-TestStore
        $out = @(Save-ImageContent 'BAD REF', "$r/demo/multi:missing", '127.0.0.1:1/demo/x:1', "$r/demo/single:1.0" -Store $store -MaximumRetryCount 0 -ErrorVariable failures -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1
        $out[0].Name | Should -Be "$r/demo/single:1.0"
        $failures.Count | Should -Be 3
        $byTarget = @{}
        $failures | ForEach-Object { $byTarget["$($_.TargetObject)"] = $_ }
        $byTarget['BAD REF'].FullyQualifiedErrorId | Should -BeLike 'InvalidReference,*'
        $byTarget['BAD REF'].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $missing = $failures | Where-Object { "$($_.TargetObject)" -like '*demo/multi:missing' }
        $missing.FullyQualifiedErrorId | Should -BeLike 'ManifestNotFound,*'
        $missing.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $unreachable = $failures | Where-Object { "$($_.TargetObject)" -like '127.0.0.1:1*' }
        $unreachable.FullyQualifiedErrorId | Should -BeLike 'RegistryUnavailable,*'
        $unreachable.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        (Get-Image -Store $store).Name | Should -Be "$r/demo/single:1.0"
    }

    It 'a platform the image does not have is PlatformNotFound and writes no record' {
        $store = New-TestStore
        $null = Save-ImageContent "$r/demo/multi:latest" -Store $store -Platform linux/s390x -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PlatformNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].Exception.Message | Should -Match 'linux/arm/v7'
        @(Get-Image -Store $store).Count | Should -Be 0
    }

    It '-Platform with -AllPlatforms, and a -Platform that does not parse, end the call' {
        $store = New-TestStore
        { Save-ImageContent "$r/demo/multi:latest" -Store $store -Platform linux/amd64 -AllPlatforms } | Should -Throw -ErrorId 'InvalidArgument,*'
        { Save-ImageContent "$r/demo/multi:latest" -Store $store -Platform 'linux/!!' } | Should -Throw -ErrorId 'InvalidPlatform,*'
        Test-Path $store | Should -BeFalse
    }

    It 'a layer served corrupt is a DigestMismatch error: the blob is not committed and no record is written' {
        $store = New-TestStore
        $layer = (Get-ImageManifest "$r/demo/single:1.0").Layers[0]
        $null = Add-TestFaultRule -Proxy $proxy -Fault CorruptBody -Path "/blobs/$($layer.Digest)"
        try {
            $out = Save-ImageContent "$p/demo/single:1.0" -Store $store -MaximumRetryCount 0 -ErrorVariable failures -ErrorAction SilentlyContinue
        }
        finally {
            Clear-TestFaultProxy -Proxy $proxy
        }
        $out | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'DigestMismatch,*'
        [ContentPS.Errdefs]::Resolve($failures[0]) | Should -Be 'FailedPrecondition'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failures[0].TargetObject | Should -Not -BeNullOrEmpty
        $failures[0].Exception.Message | Should -BeLike "saving $p/demo/single:1.0: *" -Because 'with several images at once the message says which one failed'
        Get-StoreDigests $store | Should -Not -Contain $layer.Digest
        @(Get-Image -Store $store).Count | Should -Be 0
    }

    It 'a store that cannot be used ends the call with StoreInvalid' {
        $notAStore = Join-Path $TestDrive 'not-a-store'
        Set-Content -LiteralPath $notAStore -Value 'a file'
        { Save-ImageContent "$r/demo/single:1.0", "$r/demo/multi:latest" -Store $notAStore } | Should -Throw -ErrorId 'StoreInvalid,*'
    }

    It 'an object that is no image is an InvalidArgument error for that object' {
        $store = New-TestStore
        $null = 42 | Save-ImageContent -Store $store -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
    }
}

Describe 'Save-ImageContent progress and stop' {
    AfterEach {
        Clear-TestFaultProxy -Proxy $proxy
    }

    It 'writes a parent activity with blob counts, a child per downloading blob, and completes them all' {
        $store = New-TestStore
        # Slow enough that the layer is seen downloading by several samples.
        $null = Add-TestFaultRule -Proxy $proxy -Fault Trickle -BytesPerSecond (256KB) -Path "/blobs/$($midLayer.digest)"
        $shell = New-TestShell
        try {
            $null = $shell.AddScript("`$ProgressPreference = 'Continue'; `$clock = [Diagnostics.Stopwatch]::StartNew(); Save-ImageContent '$p/demo/mid:latest' -Store '$store'; `$clock.Elapsed.TotalSeconds")
            $out = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $out.Count | Should -Be 2
            $out[0] | Should -BeOfType ([ContentPS.PullSummary])
            # Not a timing assertion: the number of records is bounded by the call's own duration.
            $allowed = [math]::Ceiling($out[1] * 5) + 3
            $records = @($shell.Streams.Progress)
            $parents = @($records | Where-Object { $_.Activity -like "Saving $p/demo/mid*" })
            $parents.Count | Should -BeGreaterThan 1
            $parentId = $parents[0].ActivityId
            $parents | ForEach-Object { $_.ParentActivityId | Should -Be -1 }
            $parents[-1].RecordType | Should -Be 'Completed'
            $parents[-1].StatusDescription | Should -Match '^3 of 3 blobs'
            $children = @($records | Where-Object ParentActivityId -EQ $parentId)
            $children.Count | Should -BeGreaterThan 1
            $layerRecords = @($children | Where-Object Activity -Match ([regex]::Escape($midLayer.digest.Substring(0, 19))))
            $layerRecords.Count | Should -BeGreaterThan 1 -Because 'the slow layer is sampled while it downloads'
            $layerRecords[0].Activity | Should -BeLike 'layer.* sha256:*'
            $layerRecords | Where-Object RecordType -EQ 'Processing' | Where-Object PercentComplete -GT 0 | Should -Not -BeNullOrEmpty
            $layerRecords[-1].RecordType | Should -Be 'Completed'
            # Every child activity ends with a Completed record, the parent's after them.
            foreach ($group in $children | Group-Object ActivityId) { $group.Group[-1].RecordType | Should -Be 'Completed' }
            $records[-1].ActivityId | Should -Be $parentId
            $records[-1].RecordType | Should -Be 'Completed'
            foreach ($group in $records | Group-Object ActivityId) {
                $group.Count | Should -BeLessOrEqual $allowed -Because 'each activity is updated at most five times a second'
            }
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'writes no progress with $ProgressPreference = SilentlyContinue' {
        $store = New-TestStore
        $shell = New-TestShell
        try {
            $null = $shell.AddScript("`$ProgressPreference = 'SilentlyContinue'; Save-ImageContent '$r/demo/single:1.0' -Store '$store'")
            $out = $shell.Invoke()
            $out.Count | Should -Be 1
            @($shell.Streams.Progress).Count | Should -Be 0
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'Stop() cancels promptly, leaves a resumable ingest and no record; the next pull resumes it' {
        $store = New-TestStore
        $null = Add-TestFaultRule -Proxy $proxy -Fault Trickle -BytesPerSecond (256KB) -Path "/blobs/$($bigLayer.digest)"
        $shell = New-TestShell
        try {
            $null = $shell.AddScript("Save-ImageContent '$p/demo/big:latest' -Store '$store'")
            $async = $shell.BeginInvoke()
            # Only the big layer's own ingest: the manifest's and the config's pass through ingests too, briefly.
            Wait-Until { @(Get-BlobIngest -Store $store -ErrorAction SilentlyContinue | Where-Object { $_.Expected -eq $bigLayer.digest -and $_.Offset -gt 0 }).Count -gt 0 } 'the layer download to start'
            $stop = $shell.BeginStop($null, $null)
            $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(30)) | Should -BeTrue -Because 'a stop ends the pull long before the layer would be complete'
            $shell.EndStop($stop)
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $shell.Dispose()
        }

        $ingests = @(Get-BlobIngest -Store $store)
        $ingests.Count | Should -Be 1
        $ingests[0].Expected | Should -Be $bigLayer.digest
        $ingests[0].Offset | Should -BeGreaterThan 0
        $ingests[0].Offset | Should -BeLessThan $bigLayer.size
        $ingests[0].Locked | Should -BeFalse
        Get-StoreDigests $store | Should -Not -Contain $bigLayer.digest
        @(Get-Image -Store $store).Count | Should -Be 0

        $partial = $ingests[0].Offset
        Clear-TestFaultProxy -Proxy $proxy
        $summary = Save-ImageContent "$p/demo/big:latest" -Store $store
        $summary.BlobsResumed | Should -Be 1
        $summary.BytesFetched | Should -BeLessThan $bigLayer.size
        $summary.BytesFetched | Should -BeLessOrEqual ($bigLayer.size - $partial + (Get-ImageManifest "$r/demo/big:latest").Config.Size + $big.top.size)
        @(Get-BlobRequests $bigLayer.digest | Where-Object Range -Like "bytes=$partial-*").Count | Should -Be 1
        Get-StoreDigests $store | Should -Contain $bigLayer.digest
        @(Get-BlobIngest -Store $store).Count | Should -Be 0
        (Get-Image -Store $store).Name | Should -Be "$p/demo/big:latest"
    }
}

Describe 'Save-ImageContent and non-distributable (foreign) layers' {
    BeforeAll {
        $foreign = New-TestImageLayout -Scenario ForeignLayer -Path (Join-Path $TestDrive 'foreign')
        Publish-TestImageLayout -Path $foreign.directory -Registry $registry -Repository demo/foreign -Tag latest | Out-Null
        $manifest = Get-ImageManifest "$r/demo/foreign:latest" -Platform linux/amd64 -Remote
        $foreignLayers = @($manifest.Layers | Where-Object MediaType -Like '*nondistributable*' | ForEach-Object Digest)
    }

    It 'leaves foreign layers out by default and the image still records' {
        $foreignLayers.Count | Should -BeGreaterThan 0 -Because 'the fixture has a foreign layer'
        $store = New-TestStore
        $summary = Save-ImageContent "$r/demo/foreign:latest" -Platform linux/amd64 -Store $store
        $summary.Digest | Should -Be $foreign.top.digest
        $present = Get-StoreDigests $store
        foreach ($digest in $foreignLayers) { $present | Should -Not -Contain $digest }
        @($manifest.Layers | Where-Object MediaType -NotLike '*nondistributable*' | ForEach-Object Digest) |
            ForEach-Object { $present | Should -Contain $_ }
        (Get-Image -Store $store).Digest | Should -Be $foreign.top.digest
    }

    It 'fetches them with -IncludeNonDistributable' {
        $store = New-TestStore
        Save-ImageContent "$r/demo/foreign:latest" -Platform linux/amd64 -IncludeNonDistributable -Store $store | Out-Null
        $present = Get-StoreDigests $store
        foreach ($digest in $foreignLayers) { $present | Should -Contain $digest }
        (Test-ImageContent -Name "$r/demo/foreign:latest" -Platform linux/amd64 -Verify -Store $store).Complete | Should -BeTrue
    }
}
