#Requires -Version 7.4
# Copy-Image against real registries: two docker-registry (distribution 2.8) instances, A behind the
# fault proxy (whose request log shows mounts and uploads) and B. Whole-index copies on one host
# (mounted, no upload) and across registries (streamed; skopeo reads the same digests), a destination
# that has some blobs, platform subsets (a new index of only those entries) and one platform as its
# plain manifest, referrers through the tag schema, TagConflict and -Force, the store both ways,
# a destination that needs -Credential, pipelines, -WhatIf, progress, and classified errors for bad inputs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $modulePath = (Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'
    $registryA = Start-TestRegistry
    $registryB = Start-TestRegistry
    $secured = Start-TestRegistry -Flavor Htpasswd
    $images = Publish-TestImageSet -Registry $registryA -Path (Join-Path $TestDrive 'images')
    $proxy = Start-TestFaultProxy -Upstream $registryA.BaseUri
    $p = $proxy.Host
    $b = $registryB.Host
    $multi = $images.multi
    # Configs and layers of the multi-platform index (attestation included): what a whole copy moves.
    $multiBlobs = @($multi.blobs | Where-Object kind -In 'Config', 'Layer' | ForEach-Object digest | Sort-Object -Unique)
    $ProgressPreference = 'SilentlyContinue'

    function New-TestStore {
        Join-Path $TestDrive ('store-' + [guid]::NewGuid().ToString('N'))
    }

    # The mount requests that reached registry A.
    function Get-MountRequests {
        @(Get-TestFaultRequests -Proxy $proxy | Where-Object { $_.Method -eq 'POST' -and $_.Target -like '*/blobs/uploads/*mount=*' })
    }

    function Get-SkopeoDigest([string] $Reference) {
        $digest = & skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$Reference"
        if ($LASTEXITCODE -ne 0) { throw "skopeo inspect docker://$Reference failed" }
        "$digest".Trim()
    }
}

AfterAll {
    $env:CONTENTPS_STORE = $savedStore
    if ($proxy) { Stop-TestFaultProxy $proxy }
    if ($registryA) { Stop-TestRegistry $registryA }
    if ($registryB) { Stop-TestRegistry $registryB }
    if ($secured) { Stop-TestRegistry $secured }
}

Describe 'Copy-Image registry to registry' {
    AfterEach {
        Clear-TestFaultProxy -Proxy $proxy
    }

    It 'mounts every blob within one registry: no upload reaches it, and the index keeps its digest' {
        Clear-TestFaultProxy -Proxy $proxy
        $summary = Copy-Image "$p/demo/multi:latest" "$p/mirror/multi"
        $summary | Should -BeOfType ([ContentPS.CopySummary])
        Get-TestBlobUploadRequests -Proxy $proxy | Should -BeNullOrEmpty
        (Get-MountRequests).Count | Should -Be $multiBlobs.Count
        $summary.BlobsMounted | Should -Be $multiBlobs.Count
        $summary.BlobsCopied | Should -Be 0
        $summary.Tags | Should -Be @('latest')
        $summary.Destination | Should -Be "$p/mirror/multi:latest"
        $summary.Digest | Should -Be $multi.top.digest
        $summary.DigestChanged | Should -BeFalse
        (Resolve-ImageReference "$p/mirror/multi:latest").Digest | Should -Be $multi.top.digest
    }

    It 'streams every blob to another registry; skopeo reads the same digests there' {
        $summary = Copy-Image "$p/demo/multi:latest" "$b/mirror/multi:copy"
        $summary.BlobsCopied | Should -Be $multiBlobs.Count
        $summary.BlobsMounted | Should -Be 0
        $summary.ManifestsPushed | Should -Be 5
        $summary.BytesCopied | Should -BeGreaterThan 0
        Get-SkopeoDigest "$b/mirror/multi:copy" | Should -Be (Get-SkopeoDigest "$p/demo/multi:latest")
        Get-SkopeoDigest "$b/mirror/multi:copy" | Should -Be $multi.top.digest
        foreach ($platform in 'linux/amd64', 'linux/arm64', 'linux/arm/v7') {
            (Get-ImageManifest "$b/mirror/multi:copy" -Platform $platform).Digest | Should -Be (Get-ImageManifest "$p/demo/multi:latest" -Platform $platform).Digest
        }
    }

    It 'sends only what the destination lacks, and nothing on a second copy' {
        $first = Copy-Image "$p/demo/multi:latest" "$b/partial/multi:arm" -Platform linux/arm64 -WarningAction SilentlyContinue
        $first.BlobsCopied | Should -Be 3
        $second = Copy-Image "$p/demo/multi:latest" "$b/partial/multi:all"
        $second.BlobsExisted | Should -Be 3
        $second.BlobsCopied | Should -Be ($multiBlobs.Count - 3)
        $third = Copy-Image "$p/demo/multi:latest" "$b/partial/multi:all"
        $third.BlobsExisted | Should -Be $multiBlobs.Count
        $third.BlobsCopied + $third.ManifestsPushed | Should -Be 0
        $third.BytesCopied | Should -Be 0
    }

    It 'writes a platform subset as a new index with only those entries, and warns that the digest changed' {
        $summary = Copy-Image "$p/demo/multi:latest" "$b/subset/multi:arm" -Platform linux/arm64, linux/arm/v7 -WarningVariable warnings -WarningAction SilentlyContinue
        $summary.DigestChanged | Should -BeTrue
        $summary.IndexRewritten | Should -BeTrue
        $summary.SourceDigest | Should -Be $multi.top.digest
        $summary.Digest | Should -Not -Be $multi.top.digest
        $summary.Platforms | Should -Be @('linux/arm64/v8', 'linux/arm/v7')
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*$($summary.Digest)*not the source's $($multi.top.digest)*"
        $index = Get-ImageManifest "$b/subset/multi:arm"
        $index.Digest | Should -Be $summary.Digest
        $runnable = @($index.Manifests | Where-Object { $_.Annotations['vnd.docker.reference.type'] -ne 'attestation-manifest' })
        @($runnable | ForEach-Object { $_.Platform.Platform } | Sort-Object) | Should -Be @('linux/arm/v7', 'linux/arm64/v8')
        $runnable.Digest | Should -Contain (Get-TestLayoutManifest $multi 'linux/arm64/v8').digest
        $runnable.Digest | Should -Contain (Get-TestLayoutManifest $multi 'linux/arm/v7').digest
        $index.Manifests.Digest | Should -Not -Contain (Get-TestLayoutManifest $multi 'linux/amd64').digest
    }

    It 'copies one platform as its plain manifest with -PlatformAsManifest' {
        $arm = (Get-TestLayoutManifest $multi 'linux/arm64/v8').digest
        $summary = Copy-Image "$p/demo/multi:latest" "$b/plain/multi:arm64" -Platform linux/arm64 -PlatformAsManifest -WarningVariable warnings
        @($warnings).Count | Should -Be 0
        $summary.Digest | Should -Be $arm
        $summary.MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $summary.DigestChanged | Should -BeTrue
        $summary.IndexRewritten | Should -BeFalse
        $copied = Get-ImageManifest "$b/plain/multi:arm64"
        $copied | Should -BeOfType ([ContentPS.ImageManifestInfo])
        $copied.Digest | Should -Be $arm
    }

    It 'copies the referrers of an image through the tag schema of distribution 2.8 with -IncludeReferrers' {
        $artifact = $images.signed.top.digest
        $subject = $images.signed.tags.'artifact-subject'.digest
        $without = Copy-Image "$p/demo/signed:latest" "$b/plain-signed/app"
        $without.Referrers | Should -BeNullOrEmpty
        @(Get-ImageReferrer "$b/plain-signed/app:latest") | Should -BeNullOrEmpty

        $summary = Copy-Image "$p/demo/signed:latest" "$b/signed/app" -IncludeReferrers
        $summary.Digest | Should -Be $subject
        $summary.Referrers | Should -Be @($artifact)
        @(Get-ImageReferrer "$b/signed/app:latest").Digest | Should -Be @($artifact)
        (Resolve-ImageReference "$b/signed/app:sha256-$($subject.Substring(7))").MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        (Get-ImageManifest "$b/signed/app@$artifact").Subject.Digest | Should -Be $subject
    }

    It 'refuses to move a tag that names another digest (TagConflict) and moves it with -Force' {
        $single = (Copy-Image "$p/demo/single:1.0" "$b/conflict/app:v1").Digest
        $failures = $null
        $result = Copy-Image "$p/demo/multi:latest" "$b/conflict/app:v1" -ErrorAction SilentlyContinue -ErrorVariable failures
        $result | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'TagConflict,ContentPS.Commands.CopyImageCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failures[0].TargetObject | Should -Be "$b/conflict/app:v1"
        (Resolve-ImageReference "$b/conflict/app:v1").Digest | Should -Be $single

        $forced = Copy-Image "$p/demo/multi:latest" "$b/conflict/app:v1" -Force
        $forced.Digest | Should -Be $multi.top.digest
        (Resolve-ImageReference "$b/conflict/app:v1").Digest | Should -Be $multi.top.digest
    }

    It 'logs in to a destination that needs it with -Credential, and is RegistryUnauthorized without' {
        $failures = $null
        Copy-Image "$p/demo/single:1.0" "$($secured.Host)/auth/single" -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'RegistryUnauthorized,ContentPS.Commands.CopyImageCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        "$($failures[0])" | Should -Not -Match ([regex]::Escape($secured.Password))

        $summary = Copy-Image "$p/demo/single:1.0" "$($secured.Host)/auth/single" -Credential $secured.Credential
        $summary.BlobsCopied | Should -Be 3
        (Resolve-ImageReference "$($secured.Host)/auth/single:1.0" -Credential $secured.Credential).Digest | Should -Be $images.single.top.digest
    }

    It 'writes the extra tags of -Tag' {
        $summary = Copy-Image "$p/demo/single:1.0" "$b/tagged/app" -Tag stable, v1
        $summary.Tags | Should -Be @('1.0', 'stable', 'v1')
        foreach ($tag in $summary.Tags) { (Resolve-ImageReference "$b/tagged/app:$tag").Digest | Should -Be $summary.Digest }
    }
}

Describe 'Copy-Image and the store' {
    It 'copies a registry image into the store under store:<name>, and from there to a registry' {
        $store = New-TestStore
        $in = Copy-Image "$p/demo/multi:latest" store:local/multi:1 -Store $store
        $in.Destination | Should -Be 'store:local/multi:1'
        $in.Store | Should -Be $store
        $in.BlobsCopied | Should -Be $multiBlobs.Count
        (Get-Image -Name local/multi:1 -Store $store).Digest | Should -Be $multi.top.digest
        (Test-ImageContent -Name local/multi:1 -Store $store -AllPlatforms).Complete | Should -BeTrue

        $out = Copy-Image store:local/multi:1 "$b/from-store/multi:1" -Store $store
        $out.Source | Should -Be 'store:local/multi:1'
        $out.Digest | Should -Be $multi.top.digest
        $out.BlobsCopied | Should -Be $multiBlobs.Count
        Get-SkopeoDigest "$b/from-store/multi:1" | Should -Be $multi.top.digest
    }

    It 'names the record after the source with store: alone, and takes Get-Image records from the pipeline' {
        $store = New-TestStore
        $summary = Copy-Image "$p/demo/single:1.0" store: -Store $store
        $summary.Destination | Should -Be "store:$p/demo/single:1.0"
        (Get-Image -Store $store).Name | Should -Be "$p/demo/single:1.0"

        $piped = Get-Image -Store $store | Copy-Image -Destination "$b/piped-record/single"
        $piped.Source | Should -Be "store:$p/demo/single:1.0"
        (Resolve-ImageReference "$b/piped-record/single:1.0").Digest | Should -Be $images.single.top.digest
    }

    It 'refuses referrers with the store (InvalidArgument) and writes nothing' {
        $store = New-TestStore
        $failures = $null
        Copy-Image "$p/demo/signed:latest" store:signed -Store $store -IncludeReferrers -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-Image -Store $store) | Should -BeNullOrEmpty
    }
}

Describe 'Copy-Image pipelines, -WhatIf and progress' {
    AfterEach {
        Clear-TestFaultProxy -Proxy $proxy
    }

    It 'copies several piped references, each to the destination its script block computes' {
        $summaries = @("$p/demo/single:1.0", "$p/demo/docker:latest" | ConvertTo-ImageReference |
                Copy-Image -Destination { "$b/backup/$($_.Path):$($_.Tag)" })
        $summaries.Count | Should -Be 2
        $summaries.Destination | Should -Be @("$b/backup/demo/single:1.0", "$b/backup/demo/docker:latest")
        (Resolve-ImageReference "$b/backup/demo/single:1.0").Digest | Should -Be $images.single.top.digest
        (Resolve-ImageReference "$b/backup/demo/docker:latest").Digest | Should -Be $images.docker.top.digest
    }

    It 'copies a manifest chosen by Get-ImageManifest by its digest' {
        $manifest = Get-ImageManifest "$p/demo/multi:latest" -Platform linux/arm/v7
        $summary = $manifest | Copy-Image -Destination "$b/chosen/app:armv7"
        $summary.Digest | Should -Be $manifest.Digest
        # By digest and into a repository without a tag: pushed by digest only.
        $byDigest = $manifest | Copy-Image -Destination "$b/chosen/untagged"
        $byDigest.Tags | Should -BeNullOrEmpty
        $byDigest.Destination | Should -Be "$b/chosen/untagged@$($manifest.Digest)"
        (Resolve-ImageReference "$b/chosen/untagged@$($manifest.Digest)").Digest | Should -Be $manifest.Digest
        (Resolve-ImageReference "$b/chosen/app:armv7").Digest | Should -Be $manifest.Digest
    }

    It 'goes on with the next piped source after one fails' {
        $failures = $null
        $summaries = @("$p/demo/missing:1", "$p/demo/single:1.0" | Copy-Image -Destination "$b/goes-on/app" -ErrorAction SilentlyContinue -ErrorVariable failures)
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ManifestNotFound,*'
        $summaries.Count | Should -Be 1
        $summaries[0].Digest | Should -Be $images.single.top.digest
    }

    It 'sends no request and creates no store with -WhatIf' {
        Clear-TestFaultProxy -Proxy $proxy
        $store = New-TestStore
        Copy-Image "$p/demo/multi:latest" "$p/whatif/multi" -WhatIf | Should -BeNullOrEmpty
        Copy-Image "$p/demo/multi:latest" store:whatif -Store $store -WhatIf | Should -BeNullOrEmpty
        @(Get-TestFaultRequests -Proxy $proxy) | Should -BeNullOrEmpty
        Test-Path $store | Should -BeFalse
        { Resolve-ImageReference "$b/whatif/multi:latest" -ErrorAction Stop } | Should -Throw
    }

    It 'writes a progress activity per image with a child per blob, all completed' {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$modulePath'; `$ProgressPreference = 'Continue'; Copy-Image '$p/demo/multi:latest' '$b/progress/multi'")
            $out = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $out.Count | Should -Be 1
            $records = @($shell.Streams.Progress)
            $parents = @($records | Where-Object { $_.Activity -eq "Copy $p/demo/multi:latest to $b/progress/multi" })
            $parents.Count | Should -BeGreaterThan 0
            $parents[-1].RecordType | Should -Be 'Completed'
            $parents[-1].StatusDescription | Should -Match "^(\d+) of \1 blobs"
            $children = @($records | Where-Object ParentActivityId -EQ $parents[0].ActivityId)
            foreach ($child in $children | Group-Object ActivityId) {
                $child.Group[-1].RecordType | Should -Be 'Completed'
            }
        }
        finally {
            $shell.Dispose()
        }
    }
}

Describe 'Copy-Image bad inputs' {
    It 'writes <Id> (<Category>) with the target for <Case>' -ForEach @(
        @{ Case = 'a source the registry does not have'; Source = '{p}/demo/missing:1'; Destination = '{b}/x/y'; Id = 'ManifestNotFound'; Category = 'ObjectNotFound'; Target = '{p}/demo/missing:1' }
        @{ Case = 'an invalid source reference'; Source = 'Bad//Ref'; Destination = '{b}/x/y'; Id = 'InvalidReference'; Category = 'InvalidArgument'; Target = 'Bad//Ref' }
        @{ Case = 'an invalid destination reference'; Source = '{p}/demo/single:1.0'; Destination = '{b}/UPPER/case'; Id = 'InvalidReference'; Category = 'InvalidArgument'; Target = '{b}/UPPER/case' }
        @{ Case = 'an unreachable destination'; Source = '{p}/demo/single:1.0'; Destination = '127.0.0.1:{free}/x/y'; Id = 'RegistryUnavailable'; Category = 'ResourceUnavailable'; Target = '127.0.0.1:{free}' }
        @{ Case = 'a store record that does not exist'; Source = 'store:no/such:1'; Destination = '{b}/x/y'; Id = 'ImageNotFound'; Category = 'ObjectNotFound'; Target = 'no/such:1' }
        @{ Case = 'an invalid store record name'; Source = '{p}/demo/single:1.0'; Destination = 'store:bad name'; Id = 'InvalidImageName'; Category = 'InvalidArgument'; Target = 'bad name' }
        @{ Case = 'a platform the image does not offer'; Source = '{p}/demo/multi:latest'; Destination = '{b}/x/y'; Platform = 'linux/s390x'; Id = 'PlatformNotFound'; Category = 'ObjectNotFound'; Target = '{p}/demo/multi:latest' }
    ) {
        $free = Get-TestClosedPort
        $expand = { param($text) $text.Replace('{p}', $p).Replace('{b}', $b).Replace('{free}', "$free") }
        $parameters = @{ Source = & $expand $Source; Destination = & $expand $Destination; Store = (New-TestStore); MaximumRetryCount = 0 }
        if ($Platform) { $parameters.Platform = $Platform }
        $failures = $null
        Copy-Image @parameters -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "$Id,ContentPS.Commands.CopyImageCommand"
        $failures[0].CategoryInfo.Category | Should -Be $Category
        $failures[0].TargetObject | Should -Be (& $expand $Target)
    }

    It 'ends the call for parameters that cannot go together' {
        { Copy-Image "$p/demo/multi:latest" "$b/x/y" -Platform linux/arm64 -AllPlatforms -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,ContentPS.Commands.CopyImageCommand'
        { Copy-Image "$p/demo/multi:latest" "$b/x/y" -Platform linux/arm64, linux/amd64 -PlatformAsManifest -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,ContentPS.Commands.CopyImageCommand'
        { Copy-Image "$p/demo/multi:latest" "$b/x/y" -Platform 'not a platform' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPlatform,ContentPS.Commands.CopyImageCommand'
    }

    It 'takes an object without a Reference as an InvalidArgument error for that object' {
        $failures = $null
        [pscustomobject]@{ Other = 1 } | Copy-Image -Destination "$b/x/y" -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,ContentPS.Commands.CopyImageCommand'
    }
}

Describe 'Copy-Image completion' {
    It 'completes store: and then the store''s record names' {
        $store = New-TestStore
        $null = Copy-Image "$p/demo/single:1.0" store:completion/app:1 -Store $store
        $line = "Copy-Image -Store '$store' -Source sto"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'store:'
        $line = "Copy-Image -Store '$store' -Destination store:comp"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('store:completion/app:1')
    }
}
