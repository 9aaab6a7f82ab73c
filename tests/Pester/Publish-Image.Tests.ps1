#Requires -Version 7.4
# Publish-Image against real registries: registry A behind the fault proxy (its request log shows mounts
# and uploads) and registry B. Images saved into a store from A are pushed back to A (mounted through the
# distribution-source labels: no upload) and to B (uploaded; skopeo reads the same digest), with -Tag;
# Get-Image records from the pipeline; a store that holds one platform's layers; TagConflict and -Force;
# -WhatIf; and classified errors for bad inputs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'
    $registryA = Start-TestRegistry
    $registryB = Start-TestRegistry
    $images = Publish-TestImageSet -Registry $registryA -Path (Join-Path $TestDrive 'images')
    $proxy = Start-TestFaultProxy -Upstream $registryA.BaseUri
    $p = $proxy.Host
    $b = $registryB.Host
    $multi = $images.multi
    $multiBlobs = @($multi.blobs | Where-Object kind -In 'Config', 'Layer' | ForEach-Object digest | Sort-Object -Unique)
    $ProgressPreference = 'SilentlyContinue'
    # One store with the whole multi-platform image, saved through the proxy (so its labels name A's host as the proxy's).
    $fullStore = Join-Path $TestDrive 'full-store'
    $null = Save-ImageContent "$p/demo/multi:latest" -AllPlatforms -Store $fullStore

    function New-TestStore {
        Join-Path $TestDrive ('store-' + [guid]::NewGuid().ToString('N'))
    }
}

AfterAll {
    $env:CONTENTPS_STORE = $savedStore
    if ($proxy) { Stop-TestFaultProxy $proxy }
    if ($registryA) { Stop-TestRegistry $registryA }
    if ($registryB) { Stop-TestRegistry $registryB }
}

Describe 'Publish-Image' {
    AfterEach {
        Clear-TestFaultProxy -Proxy $proxy
    }

    It 'mounts from the repository the blobs were pulled from, and writes the -Tag tags too' {
        Clear-TestFaultProxy -Proxy $proxy
        $summary = Publish-Image "$p/demo/multi:latest" "$p/published/multi:v1" -Tag v2, v3 -Store $fullStore
        $summary | Should -BeOfType ([ContentPS.CopySummary])
        $summary.Source | Should -Be "store:$p/demo/multi:latest"
        $summary.Store | Should -Be $fullStore
        $summary.Tags | Should -Be @('v1', 'v2', 'v3')
        $summary.BlobsMounted | Should -Be $multiBlobs.Count
        $summary.BlobsCopied | Should -Be 0
        Get-TestBlobUploadRequests -Proxy $proxy | Should -BeNullOrEmpty
        foreach ($tag in 'v1', 'v2', 'v3') {
            (Resolve-ImageReference "$p/published/multi:$tag").Digest | Should -Be $multi.top.digest
        }
    }

    It 'uploads to another registry; skopeo reads the same digest there' {
        $summary = Publish-Image "$p/demo/multi:latest" "$b/published/multi" -Store $fullStore
        $summary.Tags | Should -Be @('latest')
        $summary.BlobsCopied | Should -Be $multiBlobs.Count
        $summary.ManifestsPushed | Should -Be 5
        $digest = & skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$b/published/multi:latest"
        $LASTEXITCODE | Should -Be 0
        "$digest".Trim() | Should -Be $multi.top.digest
    }

    It 'pushes Get-Image records from the pipeline, each with its store and tag' {
        $store = New-TestStore
        $null = Save-ImageContent "$p/demo/single:1.0" -Store $store
        $null = Save-ImageContent "$p/demo/docker:latest" -AllPlatforms -Store $store
        $summaries = @(Get-Image -Store $store | Publish-Image -Destination "$b/piped/app")
        $summaries.Count | Should -Be 2
        @($summaries.Tags | Sort-Object) | Should -Be @('1.0', 'latest')
        (Resolve-ImageReference "$b/piped/app:1.0").Digest | Should -Be $images.single.top.digest
        (Resolve-ImageReference "$b/piped/app:latest").Digest | Should -Be $images.docker.top.digest
    }

    It 'fails with BlobNotFound for an image whose other platforms are not in the store, and pushes the one it holds' {
        $store = New-TestStore
        $null = Save-ImageContent "$p/demo/multi:latest" -Platform linux/arm64 -Store $store
        $failures = $null
        Publish-Image "$p/demo/multi:latest" "$b/partial/multi:all" -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'BlobNotFound,ContentPS.Commands.PublishImageCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        { Resolve-ImageReference "$b/partial/multi:all" -ErrorAction Stop } | Should -Throw -ErrorId 'ManifestNotFound,*'

        $summary = Publish-Image "$p/demo/multi:latest" "$b/partial/multi:arm" -Platform linux/arm64 -Store $store -WarningVariable warnings -WarningAction SilentlyContinue
        $summary.IndexRewritten | Should -BeTrue
        $summary.DigestChanged | Should -BeTrue
        @($warnings).Count | Should -Be 1
        (Resolve-ImageReference "$b/partial/multi:arm").Digest | Should -Be $summary.Digest

        $plain = Publish-Image "$p/demo/multi:latest" "$b/partial/multi:plain" -Platform linux/arm64 -PlatformAsManifest -Store $store
        $plain.Digest | Should -Be (Get-TestLayoutManifest $multi 'linux/arm64/v8').digest
    }

    It 'refuses to move a tag that names another digest (TagConflict) and moves it with -Force' {
        $store = New-TestStore
        $null = Save-ImageContent "$p/demo/single:1.0" -Store $store
        $null = Publish-Image "$p/demo/single:1.0" "$b/conflict/app:v1" -Store $store
        $failures = $null
        Publish-Image "$p/demo/multi:latest" "$b/conflict/app:v1" -Store $fullStore -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'TagConflict,ContentPS.Commands.PublishImageCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failures[0].TargetObject | Should -Be "$b/conflict/app:v1"
        (Resolve-ImageReference "$b/conflict/app:v1").Digest | Should -Be $images.single.top.digest
        (Publish-Image "$p/demo/multi:latest" "$b/conflict/app:v1" -Store $fullStore -Force).Digest | Should -Be $multi.top.digest
        (Resolve-ImageReference "$b/conflict/app:v1").Digest | Should -Be $multi.top.digest
    }

    It 'sends no request with -WhatIf' {
        Clear-TestFaultProxy -Proxy $proxy
        Publish-Image "$p/demo/multi:latest" "$p/whatif/multi" -Store $fullStore -WhatIf | Should -BeNullOrEmpty
        @(Get-TestFaultRequests -Proxy $proxy) | Should -BeNullOrEmpty
    }
}

Describe 'Publish-Image bad inputs' {
    It 'writes <Id> (<Category>) with the target for <Case>' -ForEach @(
        @{ Case = 'a record the store does not have'; Name = 'no/such:1'; Destination = '{b}/x/y'; Id = 'ImageNotFound'; Category = 'ObjectNotFound'; Target = 'no/such:1' }
        @{ Case = 'a store that does not exist'; Name = 'any:1'; Destination = '{b}/x/y'; Id = 'ImageNotFound'; Category = 'ObjectNotFound'; Target = 'any:1'; NoStore = $true }
        @{ Case = 'an invalid record name'; Name = 'bad name'; Destination = '{b}/x/y'; Id = 'InvalidImageName'; Category = 'InvalidArgument'; Target = 'bad name' }
        @{ Case = 'an invalid destination'; Name = '{p}/demo/multi:latest'; Destination = 'Bad//Ref'; Id = 'InvalidReference'; Category = 'InvalidArgument'; Target = 'Bad//Ref' }
        @{ Case = 'an unreachable destination'; Name = '{p}/demo/multi:latest'; Destination = '127.0.0.1:{free}/x/y'; Id = 'RegistryUnavailable'; Category = 'ResourceUnavailable'; Target = '127.0.0.1:{free}' }
    ) {
        $free = Get-TestClosedPort
        $expand = { param($text) $text.Replace('{p}', $p).Replace('{b}', $b).Replace('{free}', "$free") }
        $store = if ($NoStore) { New-TestStore } else { $fullStore }
        $failures = $null
        Publish-Image (& $expand $Name) (& $expand $Destination) -Store $store -MaximumRetryCount 0 -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "$Id,ContentPS.Commands.PublishImageCommand"
        $failures[0].CategoryInfo.Category | Should -Be $Category
        $failures[0].TargetObject | Should -Be (& $expand $Target)
        if ($NoStore) { Test-Path $store | Should -BeFalse }
    }

    It 'ends the call for -PlatformAsManifest without exactly one platform' {
        { Publish-Image "$p/demo/multi:latest" "$b/x/y" -Store $fullStore -PlatformAsManifest -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,ContentPS.Commands.PublishImageCommand'
    }
}
