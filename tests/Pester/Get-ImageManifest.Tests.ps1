#Requires -Version 7.4
# Get-ImageManifest against a real registry: indexes with their platforms, -Platform choosing with
# containerd's matching (and PlatformNotFound listing what the index has), -Raw bytes that hash to the
# digest, Docker lists, nested indexes, artifacts, descriptors that pipe back in, errors (also after
# Start-Job) and the format views.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $registry = Start-TestRegistry
    $images = Publish-TestImageSet -Registry $registry -Path (Join-Path $TestDrive 'images')
    $r = $registry.Host

    function Get-Sha256Digest([string] $Text) {
        'sha256:' + [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Text))).ToLowerInvariant()
    }
}

AfterAll {
    if ($registry) { Stop-TestRegistry $registry }
}

Describe 'Get-ImageManifest' {
    It 'writes a multi-platform index with its platforms' {
        $index = Get-ImageManifest "$r/demo/multi:latest"
        $index | Should -BeOfType ContentPS.ImageIndexInfo
        $index.Reference | Should -Be "$r/demo/multi:latest"
        $index.MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        $index.Digest | Should -Be $images.multi.top.digest
        $index.Size | Should -Be $images.multi.top.size
        $index.SchemaVersion | Should -Be 2
        @($index.Manifests.Platform.Platform) | Should -Be @('linux/amd64', 'linux/arm64/v8', 'linux/arm/v7', 'unknown/unknown')
        $arm64 = Get-TestLayoutManifest $images.multi 'linux/arm64/v8'
        $entry = $index.Manifests[1]
        $entry | Should -BeOfType ContentPS.DescriptorInfo
        $entry.Digest | Should -Be $arm64.digest
        $entry.Size | Should -Be $arm64.size
        $entry.MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $entry.Reference | Should -Be "$r/demo/multi@$($arm64.digest)"
        $index.Manifests[3].Annotations['vnd.docker.reference.type'] | Should -Be 'attestation-manifest'
    }

    It '-Platform <Platform> picks the <Expected> manifest' -ForEach @(
        @{ Platform = 'linux/arm64'; Expected = 'linux/arm64/v8' }
        @{ Platform = 'linux/aarch64'; Expected = 'linux/arm64/v8' }
        @{ Platform = 'linux/amd64'; Expected = 'linux/amd64' }
        @{ Platform = 'linux/arm/v7'; Expected = 'linux/arm/v7' }
        @{ Platform = 'linux/arm/v8'; Expected = 'linux/arm/v7' }
        @{ Platform = 'linux/amd64/v3'; Expected = 'linux/amd64' }
    ) {
        $wanted = Get-TestLayoutManifest $images.multi $Expected
        $manifest = Get-ImageManifest "$r/demo/multi:latest" -Platform $Platform
        $manifest | Should -BeOfType ContentPS.ImageManifestInfo
        $manifest.Digest | Should -Be $wanted.digest
        $manifest.Platform.Platform | Should -Be $Expected
        $manifest.Reference | Should -Be "$r/demo/multi:latest"
        $manifest.Config.MediaType | Should -Be 'application/vnd.oci.image.config.v1+json'
        $manifest.Layers.Count | Should -BeGreaterThan 0
        $manifest.Layers[0].Reference | Should -Be "$r/demo/multi@$($manifest.Layers[0].Digest)"
    }

    It 'writes PlatformNotFound listing the platforms of the index when none matches' {
        Get-ImageManifest "$r/demo/multi:latest", "$r/demo/docker:latest" -Platform windows/amd64 -ErrorVariable failed -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failed.Count | Should -Be 2
        $failed[0].FullyQualifiedErrorId | Should -Be 'PlatformNotFound,ContentPS.Commands.GetImageManifestCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be 'NotFound'
        $failed[0].TargetObject | Should -Be "$r/demo/multi:latest"
        $failed[0].Exception.Message | Should -BeLike '*windows/amd64*linux/amd64, linux/arm64/v8, linux/arm/v7)'
        $failed[0].Exception.Message | Should -Not -BeLike '*unknown/unknown*'
    }

    It 'never picks the attestation for unknown/unknown' {
        Get-ImageManifest "$r/demo/multi:latest" -Platform unknown/unknown -ErrorVariable failed -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'PlatformNotFound,*'
    }

    It 'ends with InvalidPlatform for a platform that does not parse' {
        { Get-ImageManifest "$r/demo/multi:latest" -Platform 'linux/arm64/v8/extra' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPlatform,ContentPS.Commands.GetImageManifestCommand'
    }

    It '-Raw writes the exact document: its bytes hash to the digest' {
        $raw = Get-ImageManifest "$r/demo/multi:latest" -Raw
        $raw | Should -BeOfType string
        Get-Sha256Digest $raw | Should -Be $images.multi.top.digest
        ($raw | ConvertFrom-Json).manifests.Count | Should -Be 4
        $arm64 = Get-ImageManifest "$r/demo/multi:latest" -Platform linux/arm64 -Raw
        Get-Sha256Digest $arm64 | Should -Be (Get-TestLayoutManifest $images.multi 'linux/arm64/v8').digest
        (Get-ImageManifest "$r/demo/multi:latest").ToOciJson() | Should -BeExactly $raw
    }

    It 'gives descriptors as OCI JSON through ToOciJson()' {
        $entry = (Get-ImageManifest "$r/demo/multi:latest").Manifests[1]
        $json = $entry.ToOciJson() | ConvertFrom-Json -AsHashtable
        $json.mediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $json.digest | Should -Be $entry.Digest
        $json.size | Should -Be $entry.Size
        $json.platform.architecture | Should -Be 'arm64'
        $json.platform.variant | Should -Be 'v8'
    }

    It 'reads a Docker manifest list and picks a Docker manifest' {
        $list = Get-ImageManifest "$r/demo/docker:latest"
        $list.MediaType | Should -Be 'application/vnd.docker.distribution.manifest.list.v2+json'
        @($list.Manifests.Platform.Platform) | Should -Be @('linux/amd64', 'linux/arm64/v8', 'linux/arm/v7')
        $manifest = Get-ImageManifest "$r/demo/docker:latest" -Platform linux/arm/v7
        $manifest.MediaType | Should -Be 'application/vnd.docker.distribution.manifest.v2+json'
        $manifest.Digest | Should -Be (Get-TestLayoutManifest $images.docker 'linux/arm/v7').digest
        $manifest.Config.MediaType | Should -Be 'application/vnd.docker.container.image.v1+json'
    }

    It 'follows a nested index to the platform' {
        $outer = Get-ImageManifest "$r/demo/nested:latest"
        $outer.Manifests[0].MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        $manifest = Get-ImageManifest "$r/demo/nested:latest" -Platform linux/arm64
        $manifest.Digest | Should -Be (Get-TestLayoutManifest $images.nested 'linux/arm64/v8').digest
        $manifest.Platform.Platform | Should -Be 'linux/arm64/v8'
    }

    It 'writes a manifest named directly as it is, whatever -Platform says (as containerd does)' {
        $manifest = Get-ImageManifest "$r/demo/single:1.0" -Platform linux/arm64
        $manifest.Digest | Should -Be $images.single.top.digest
        $manifest.Platform | Should -BeNullOrEmpty
    }

    It 'shows the artifact type and subject of an artifact' {
        $artifact = Get-ImageManifest "$r/demo/signed:latest-sbom"
        $artifact.ArtifactType | Should -Be 'application/vnd.example.sbom.v1+json'
        $artifact.Subject.Digest | Should -Be $images.signed.tags.'artifact-subject'.digest
        $artifact.Config.MediaType | Should -Be 'application/vnd.oci.empty.v1+json'
        $artifact.Layers[0].MediaType | Should -Be 'application/spdx+json'
        $artifact.Annotations['org.opencontainers.image.created'] | Should -Not -BeNullOrEmpty
    }

    It 'reads the manifests of an index entry piped back in by Reference' {
        $manifests = @((Get-ImageManifest "$r/demo/multi:latest").Manifests | Get-ImageManifest)
        $manifests.Count | Should -Be 4
        $manifests.Digest | Should -Be @(
            (Get-TestLayoutManifest $images.multi 'linux/amd64').digest
            (Get-TestLayoutManifest $images.multi 'linux/arm64/v8').digest
            (Get-TestLayoutManifest $images.multi 'linux/arm/v7').digest
            (Get-TestLayoutManifest $images.multi 'unknown/unknown').digest)
    }

    It 'writes an error per failing reference and goes on: <Reference>' -ForEach @(
        @{ Reference = 'demo/multi:nope'; ErrorId = 'ManifestNotFound'; Category = 'ObjectNotFound'; Class = 'NotFound' }
        @{ Reference = 'demo/absent:latest'; ErrorId = '*'; Category = 'ObjectNotFound'; Class = 'NotFound' }
        @{ Reference = 'demo/multi@sha256:0000000000000000000000000000000000000000000000000000000000000000'; ErrorId = 'ManifestNotFound'; Category = 'ObjectNotFound'; Class = 'NotFound' }
    ) {
        $out = @(Get-ImageManifest "$r/$Reference", "$r/demo/single:1.0" -ErrorVariable failed -ErrorAction SilentlyContinue)
        $out.Digest | Should -Be $images.single.top.digest
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,ContentPS.Commands.GetImageManifestCommand"
        $failed[0].CategoryInfo.Category | Should -Be $Category
        [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be $Class
        "$($failed[0].TargetObject)" | Should -BeLike "$r/demo/*"
    }

    It 'keeps PlatformNotFound and ManifestNotFound across Start-Job' {
        $errors = Receive-TestJobError -ScriptBlock {
            param($Registry)
            Get-ImageManifest "$Registry/demo/multi:latest" -Platform windows/arm64
            Get-ImageManifest "$Registry/demo/multi:nope"
        } -Parameters @{ Registry = $r }
        $errors.Count | Should -Be 2
        $errors.FullyQualifiedErrorId | Should -Be @('PlatformNotFound,ContentPS.Commands.GetImageManifestCommand', 'ManifestNotFound,ContentPS.Commands.GetImageManifestCommand')
        $errors | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'ObjectNotFound' }
        $errors | ForEach-Object { [ContentPS.Errdefs]::Resolve($_) | Should -Be 'NotFound' }
    }
}

Describe 'Get-ImageManifest formatting' {
    It 'lists the entries of an index: platform, short media type, short digest, size' {
        $text = Get-ImageManifest "$r/demo/multi:latest" | Out-String -Width 200
        $arm64 = Get-TestLayoutManifest $images.multi 'linux/arm64/v8'
        $text | Should -Match ("linux/arm64/v8\s+oci\.manifest\s+" + [regex]::Escape($arm64.digest.Substring(0, 19)) + "\s+$($arm64.size) B")
        $text | Should -Match 'Reference\s*:\s*\S+/demo/multi:latest'
    }

    It 'shows a manifest with its config and layers, and a one-line table' {
        $manifest = Get-ImageManifest "$r/demo/multi:latest" -Platform linux/arm64
        $text = $manifest | Out-String -Width 200
        $text | Should -Match 'Platform\s*:\s*linux/arm64/v8'
        $text | Should -Match "Config\s*:\s*oci\.config $([regex]::Escape($manifest.Config.Digest.Substring(0, 19)))"
        $text | Should -Match 'layer\.gzip'
        $table = $manifest | Format-Table | Out-String -Width 200
        $table | Should -Match "oci\.manifest\s+$([regex]::Escape($manifest.Digest.Substring(0, 19)))\s"
    }

    It 'shortens <MediaType> to <Short>' -ForEach @(
        @{ MediaType = 'application/vnd.oci.image.index.v1+json'; Short = 'oci.index' }
        @{ MediaType = 'application/vnd.oci.image.manifest.v1+json'; Short = 'oci.manifest' }
        @{ MediaType = 'application/vnd.docker.distribution.manifest.list.v2+json'; Short = 'docker.list' }
        @{ MediaType = 'application/vnd.docker.distribution.manifest.v2+json'; Short = 'docker.manifest' }
        @{ MediaType = 'application/vnd.oci.image.layer.v1.tar+gzip'; Short = 'layer.gzip' }
        @{ MediaType = 'application/vnd.oci.image.layer.v1.tar+zstd+encrypted'; Short = 'layer.zstd+enc' }
        @{ MediaType = 'application/vnd.docker.image.rootfs.diff.tar.gzip'; Short = 'docker.layer.gzip' }
        @{ MediaType = 'application/vnd.in-toto+json'; Short = 'in-toto+json' }
        @{ MediaType = 'application/spdx+json'; Short = 'application/spdx+json' }
        @{ MediaType = 'application/vnd.oci.image.manifest.v1+json; charset=utf-8'; Short = 'oci.manifest' }
        @{ MediaType = $null; Short = '' }
    ) {
        [ContentPS.Formatting.DisplayText]::MediaType($MediaType) | Should -BeExactly $Short
    }

    It 'shortens digests and writes human sizes' {
        [ContentPS.Formatting.DisplayText]::Digest('sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef') | Should -Be 'sha256:0123456789ab'
        [ContentPS.Formatting.DisplayText]::Digest('not-a-digest') | Should -Be 'not-a-digest'
        [ContentPS.Formatting.DisplayText]::Size(557) | Should -Be '557 B'
        [ContentPS.Formatting.DisplayText]::Size(1536) | Should -Be ('{0:N1} KiB' -f 1.5)
        [ContentPS.Formatting.DisplayText]::Size(20MB) | Should -Be ('{0:N1} MiB' -f 20)
        [ContentPS.Formatting.DisplayText]::Size(5GB) | Should -Be ('{0:N2} GiB' -f 5)
    }
}
