#Requires -Version 7.4
# Get-ImageDescriptor against a real registry (behind the fault proxy, to count requests): the walk in
# depth-first order with the pull's platform selection, -Depth and -Recurse, -MediaType names, kinds and
# platforms, streaming (Select-Object -First 1 stops the walk and its reads), the Copy-Blob and
# Get-ImageManifest pipelines, -Local/-Remote, piped input, errors and the format view.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $registry = Start-TestRegistry
    $images = Publish-TestImageSet -Registry $registry -Path (Join-Path $TestDrive 'images')
    $proxy = Start-TestFaultProxy -Upstream $registry.BaseUri
    $r = $proxy.Host
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'store'

    # The manifest and index GETs the proxy saw, by the digest or tag they asked for.
    function Get-ManifestReads {
        @(Get-TestFaultRequests -Proxy $proxy | Where-Object { $_.Method -eq 'GET' -and $_.Target -like '*/manifests/*' } |
                ForEach-Object { $_.Target.Substring($_.Target.LastIndexOf('/') + 1) })
    }

    # What a walk of a manifest for one platform must write after the manifest itself: its config, then its layers when wanted.
    function Get-ExpectedChildren([string] $Reference, [bool] $Layers) {
        $manifest = Get-ImageManifest $Reference -Remote
        @($manifest.Config.Digest) + @(if ($Layers) { $manifest.Layers.Digest })
    }
}

AfterAll {
    $env:CONTENTPS_STORE = $savedStore
    if ($proxy) { Stop-TestFaultProxy $proxy }
    if ($registry) { Stop-TestRegistry $registry }
}

Describe 'Get-ImageDescriptor' {
    BeforeEach {
        Clear-TestFaultProxy -Proxy $proxy
    }

    It 'writes only the image itself without -Recurse' {
        $root = @(Get-ImageDescriptor "$r/demo/multi:latest")

        $root.Count | Should -Be 1
        $root[0] | Should -BeOfType ContentPS.ImageDescriptorInfo
        $root[0].Kind | Should -Be ([ContentPS.Engine.Images.Graph.DescriptorKind]::Index)
        $root[0].Digest | Should -Be $images.multi.top.digest
        $root[0].Size | Should -Be $images.multi.top.size
        $root[0].MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        $root[0].Depth | Should -Be 0
        $root[0].ParentDigest | Should -BeNullOrEmpty
        $root[0].Platform | Should -BeNullOrEmpty
        $root[0].Image | Should -Be "$r/demo/multi:latest"
        $root[0].Repository | Should -Be "$r/demo/multi"
        $root[0].Reference | Should -Be "$r/demo/multi@$($images.multi.top.digest)"
        $root[0].StoreRoot | Should -BeNullOrEmpty
        Get-ManifestReads | Should -Be @($images.multi.top.digest)
    }

    It '-Recurse walks depth first with the layers of the asked platform only, as a pull does' {
        $index = Get-ImageManifest "$r/demo/multi:latest" -Remote
        $expected = @($images.multi.top.digest)
        foreach ($entry in $index.Manifests | Where-Object { $_.Platform.Platform -ne 'unknown/unknown' }) {
            $expected += $entry.Digest
            $expected += Get-ExpectedChildren $entry.Reference ($entry.Platform.Platform -eq 'linux/arm64/v8')
        }

        $walked = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -Platform linux/arm64)

        $walked.Digest | Should -Be $expected
        $walked[1].Kind | Should -Be Manifest
        $walked[1].Depth | Should -Be 1
        $walked[1].ParentDigest | Should -Be $images.multi.top.digest
        $walked[2].Kind | Should -Be Config
        $walked[2].Depth | Should -Be 2
        $walked[2].ParentDigest | Should -Be $walked[1].Digest
        $walked[2].Platform | Should -Be 'linux/amd64'
        $arm64 = @($walked | Where-Object Platform -eq 'linux/arm64/v8')
        @($arm64.Kind) | Should -Be (@('Manifest', 'Config') + @('Layer') * ($arm64.Count - 2))
        $arm64[2].PlatformInfo.Architecture | Should -Be 'arm64'
        $walked.Kind | Should -Not -Contain 'Attestation'
    }

    It '-AllPlatforms walks every layer and the attestation, and -Depth 1 stops below the manifests without reading them' {
        $all = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -AllPlatforms)
        $all.Count | Should -Be $images.multi.blobs.Count
        ($all | Where-Object Kind -eq Attestation).Platform | Should -Be 'unknown/unknown'
        Clear-TestFaultProxy -Proxy $proxy

        $shallow = @(Get-ImageDescriptor "$r/demo/multi:latest" -Depth 1 -AllPlatforms)

        $shallow.Count | Should -Be 5
        @($shallow.Depth | Sort-Object -Unique) | Should -Be @(0, 1)
        Get-ManifestReads | Should -Be @($images.multi.top.digest)
    }

    It '-Depth 0 writes the image alone even with -Recurse' {
        @(Get-ImageDescriptor "$r/demo/nested:latest" -Recurse -Depth 0).Count | Should -Be 1
    }

    It '-MediaType <Filter> keeps <Kind> descriptors only' -ForEach @(
        @{ Filter = 'layer*'; Kind = 'Layer' }
        @{ Filter = 'config'; Kind = 'Config' }
        @{ Filter = 'application/vnd.oci.image.config.v1+json'; Kind = 'Config' }
        @{ Filter = 'oci.manifest'; Kind = 'Manifest' }
        @{ Filter = 'index'; Kind = 'Index' }
    ) {
        $all = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -Platform linux/arm/v7)

        $kept = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -Platform linux/arm/v7 -MediaType $Filter)

        $kept.Count | Should -BeGreaterThan 0
        $kept.Digest | Should -Be @($all | Where-Object Kind -eq $Kind).Digest
    }

    It 'names Docker media types by their short names and categories too' {
        $layers = @(Get-ImageDescriptor "$r/demo/docker:latest" -Recurse -Platform linux/amd64 -MediaType 'docker.layer*')
        $layers.Count | Should -BeGreaterThan 0
        $layers.Kind | Sort-Object -Unique | Should -Be 'Layer'
        @(Get-ImageDescriptor "$r/demo/docker:latest" -MediaType list, index).Count | Should -Be 1
        @(Get-ImageDescriptor "$r/demo/docker:latest" -MediaType 'oci.*').Count | Should -Be 0
    }

    It 'streams: Select-Object -First 1 stops the walk before it reads any manifest below the image' {
        $first = Get-ImageDescriptor "$r/demo/nested:latest" -Recurse -AllPlatforms | Select-Object -First 1
        $firstReads = Get-ManifestReads
        Clear-TestFaultProxy -Proxy $proxy

        $all = @(Get-ImageDescriptor "$r/demo/nested:latest" -Recurse -AllPlatforms)
        $allReads = Get-ManifestReads

        $first.Digest | Should -Be $images.nested.top.digest
        $firstReads | Should -Be @($images.nested.top.digest)
        $documents = @($all | Where-Object Kind -in Index, Manifest).Count
        $documents | Should -Be @($images.nested.blobs | Where-Object kind -in Index, Manifest).Count
        $allReads.Count | Should -Be $documents
    }

    It 'stops at once when the pipeline is stopped, canceling the read it waits for' {
        $arm = Get-TestLayoutManifest $images.multi 'linux/arm/v7'
        $slow = Add-TestFaultRule -Proxy $proxy -Fault Forward -DelayMilliseconds 120000 -Path "/manifests/$($arm.digest)" -Method GET
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$((Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path)'; Get-ImageDescriptor '$r/demo/multi:latest' -Recurse -Remote")
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60) # a hang guard only
            while (-not (Get-TestFaultRequests -Proxy $proxy | Where-Object RuleId -eq $slow) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }

            $shell.Stop()

            $async.IsCompleted | Should -BeTrue
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $delayed = @(Get-TestFaultRequests -Proxy $proxy | Where-Object RuleId -eq $slow)
            $delayed.Count | Should -Be 1
            $delayed[0].Status | Should -Be 0
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'pipes the layers of a walk into Copy-Blob' {
        $layers = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -Platform linux/arm64 -MediaType layer*)

        $copied = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -Platform linux/arm64 -MediaType layer* |
                Copy-Blob -Source "$r/demo/multi" -Destination "$r/copied/layers")

        $copied.Digest | Should -Be $layers.Digest
        $copied.Size | Should -Be $layers.Size
        $copied.MediaType | Should -Be $layers.MediaType
        @($copied.Outcome | Sort-Object -Unique) | Should -Be 'Mounted'
        @($layers | Copy-Blob -Source "$r/demo/multi" -Destination "$r/copied/layers").Outcome | Sort-Object -Unique | Should -Be 'Existed'
    }

    It 'pipes a manifest node into Get-ImageManifest, which reads that manifest' {
        $node = Get-ImageDescriptor "$r/demo/multi:latest" -Depth 1 | Where-Object Platform -eq 'linux/arm/v7'

        $manifest = $node | Get-ImageManifest

        $manifest.Digest | Should -Be $node.Digest
        $manifest | Should -BeOfType ContentPS.ImageManifestInfo
    }

    It 'sums sizes per platform with Group-Object' {
        $walked = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -AllPlatforms)

        $perPlatform = $walked | Where-Object Platform | Group-Object Platform

        @($perPlatform.Name | Sort-Object) | Should -Be @('linux/amd64', 'linux/arm/v7', 'linux/arm64/v8', 'unknown/unknown')
        $amd64 = $images.multi.blobs | Where-Object { $_.platform -eq 'linux/amd64' -and $_.kind -eq 'Manifest' }
        $amd64Manifest = Get-ImageManifest "$r/demo/multi@$($amd64.digest)"
        $expected = $amd64.size + $amd64Manifest.Config.Size + ($amd64Manifest.Layers | Measure-Object Size -Sum).Sum
        ($perPlatform | Where-Object Name -eq 'linux/amd64').Group | Measure-Object Size -Sum | ForEach-Object Sum | Should -Be $expected
        ($walked | Measure-Object Size -Sum).Sum | Should -Be (($images.multi.blobs | Measure-Object size -Sum).Sum)
    }

    It 'tells an artifact from an image' {
        $walked = @(Get-ImageReferrer "$r/demo/signed:latest" | Get-ImageDescriptor -Recurse)

        @($walked.Kind) | Should -Be @('Artifact', 'Config', 'Layer')
        $walked[0].ArtifactType | Should -Not -BeNullOrEmpty
    }

    It 'walks a piped node from there, and a piped document by its digest' {
        $arm = Get-ImageDescriptor "$r/demo/multi:latest" -Depth 1 | Where-Object Platform -eq 'linux/arm/v7'

        $subtree = @($arm | Get-ImageDescriptor -Recurse -AllPlatforms)
        $fromDocument = @(Get-ImageManifest "$r/demo/multi:latest" | Get-ImageDescriptor -Depth 1)

        $subtree[0].Digest | Should -Be $arm.Digest
        $subtree[0].Depth | Should -Be 0
        $subtree[0].Platform | Should -Be 'linux/arm/v7'
        $subtree.Digest | Should -Be (@($arm.Digest) + (Get-ExpectedChildren $arm.Reference $true))
        $fromDocument.Digest | Should -Be @(Get-ImageDescriptor "$r/demo/multi:latest" -Depth 1).Digest
        $layer = $subtree[-1] | Get-ImageDescriptor -Recurse
        $layer.Digest | Should -Be $subtree[-1].Digest
        $layer.Kind | Should -Be Layer
        $layer.Depth | Should -Be 0
    }

    It 'reads the store with -Local after a pull, without a request, and the registry with -Remote' {
        Save-ImageContent "$r/demo/multi:latest" -Platform linux/arm64 | Out-Null
        $remote = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -Platform linux/arm64 -Remote)
        Clear-TestFaultProxy -Proxy $proxy

        $local = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -Platform linux/arm64 -Local)

        @(Get-TestFaultRequests -Proxy $proxy).Count | Should -Be 0
        $local.Digest | Should -Be $remote.Digest
        $local.Kind | Should -Be $remote.Kind
        $local[0].StoreRoot | Should -Be $env:CONTENTPS_STORE
        $remote[0].StoreRoot | Should -BeNullOrEmpty
    }

    It 'walks content the store holds by digest alone, its media type read from its body' {
        Save-ImageContent "$r/demo/multi:latest" -Platform linux/arm64 | Out-Null
        $arm = Get-TestLayoutManifest $images.multi 'linux/arm/v7'
        $expected = @($arm.digest) + (Get-ExpectedChildren "$r/demo/multi@$($arm.digest)" $true)
        Clear-TestFaultProxy -Proxy $proxy

        $walked = @(Get-ImageDescriptor "$r/demo/multi@$($arm.digest)" -Recurse -Local)

        $walked[0].MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $walked[0].Kind | Should -Be Manifest
        $walked.Digest | Should -Be $expected
        @(Get-TestFaultRequests -Proxy $proxy).Count | Should -Be 0
    }

    It 'reads what the store lacks (the attestation) from the registry unless -Local' {
        Save-ImageContent "$r/demo/multi:latest" -Platform linux/arm64 | Out-Null

        $walked = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -AllPlatforms)
        Get-ImageDescriptor "$r/demo/multi:latest" -Recurse -AllPlatforms -Local -ErrorAction SilentlyContinue -ErrorVariable failed | Out-Null

        $walked.Count | Should -Be $images.multi.blobs.Count
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'BlobNotFound,ContentPS.Commands.GetImageDescriptorCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'walks an image the store names on its own from that store, and a node of it piped back' {
        $named = Join-Path $TestDrive 'named-store'
        Save-ImageContent "$r/demo/single:1.0" -Name myapp -Store $named | Out-Null
        Clear-TestFaultProxy -Proxy $proxy

        $walked = @(Get-Image -Store $named -Name myapp | Get-ImageDescriptor -Recurse)
        $again = @($walked[0] | Get-ImageDescriptor -Recurse)

        $walked.Count | Should -Be @($images.single.blobs).Count
        $walked[0].Image | Should -Be 'myapp'
        $walked[0].Repository | Should -BeNullOrEmpty
        $walked[0].StoreRoot | Should -Be $named
        $again.Digest | Should -Be $walked.Digest
        @(Get-TestFaultRequests -Proxy $proxy).Count | Should -Be 0
    }

    It 'writes PlatformNotFound after the walk for a platform no index offers' {
        $walked = @(Get-ImageDescriptor "$r/demo/nested:latest" -Recurse -Platform linux/arm/v7 -ErrorAction SilentlyContinue -ErrorVariable failed)

        $walked.Count | Should -Be @($images.nested.blobs | Where-Object kind -ne 'Layer').Count
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'PlatformNotFound,ContentPS.Commands.GetImageDescriptorCommand'
        $failed[0].TargetObject | Should -Be "$r/demo/nested:latest"
        $failed[0].Exception.Message | Should -BeLike '*linux/arm/v7*linux/riscv64*'
    }

    It 'writes InvalidReference for a reference that does not parse and goes on with the next' {
        $walked = @(Get-ImageDescriptor 'Not A Reference!', "$r/demo/single:1.0" -ErrorAction SilentlyContinue -ErrorVariable failed)

        $walked.Count | Should -Be 1
        $walked[0].Kind | Should -Be Manifest
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidReference,ContentPS.Commands.GetImageDescriptorCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failed[0].TargetObject | Should -Be 'Not A Reference!'
    }

    It 'writes ImageNotFound for an image the store does not have with -Local, without a request' {
        Get-ImageDescriptor "$r/demo/nothere:latest" -Local -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty

        $failed[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,ContentPS.Commands.GetImageDescriptorCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[0].TargetObject | Should -Be "$r/demo/nothere:latest"
        @(Get-TestFaultRequests -Proxy $proxy).Count | Should -Be 0
    }

    It 'writes ManifestNotFound for a tag the registry does not have' {
        Get-ImageDescriptor "$r/demo/multi:nosuchtag" -Remote -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty

        $failed[0].FullyQualifiedErrorId | Should -Be 'ManifestNotFound,ContentPS.Commands.GetImageDescriptorCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[0].TargetObject | Should -Be "$r/demo/multi:nosuchtag"
    }

    It 'refuses -Local with -Remote, and -Platform with -AllPlatforms, before any request' {
        { Get-ImageDescriptor "$r/demo/multi:latest" -Local -Remote -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,ContentPS.Commands.GetImageDescriptorCommand'
        { Get-ImageDescriptor "$r/demo/multi:latest" -Platform linux/amd64 -AllPlatforms -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,ContentPS.Commands.GetImageDescriptorCommand'
        { Get-ImageDescriptor "$r/demo/multi:latest" -Platform 'not a platform' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPlatform,ContentPS.Commands.GetImageDescriptorCommand'
        @(Get-TestFaultRequests -Proxy $proxy).Count | Should -Be 0
    }

    It 'refuses an object it cannot walk' {
        Get-ImageDescriptor -InputObject ([pscustomobject]@{ Size = 1 }) -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty

        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,ContentPS.Commands.GetImageDescriptorCommand'
    }

    It 'shows a table indented by depth, grouped by image' {
        $text = Get-ImageDescriptor "$r/demo/multi:latest" -Depth 2 -Platform linux/arm64 | Format-Table | Out-String

        $text | Should -Match "Image: $([regex]::Escape("$r/demo/multi:latest"))"
        $text | Should -Match '(?m)^Index\s+oci\.index'
        $text | Should -Match '(?m)^  Manifest\s+oci\.manifest'
        $text | Should -Match '(?m)^    Config\s+oci\.config'
        $text | Should -Match '(?m)^    Layer\s+layer\.tar|(?m)^    Layer\s+layer\.gzip'
    }

    It 'completes -MediaType with the categories first' {
        $line = "Get-ImageDescriptor x -MediaType la"
        $completions = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completions.CompletionMatches[0].CompletionText | Should -Be 'layer*'
    }
}
