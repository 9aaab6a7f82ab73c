#Requires -Version 7.4
# Export-Image: images pulled from a real registry with Save-ImageContent, written as an OCI layout, an OCI
# archive and a docker archive, and read back by the peers (oci-image-tool validate, umoci unpack, skopeo
# copy/inspect) and by Import-Image; several images in one archive; platform subsets; the default format;
# relative paths; an existing target without -Force, -WhatIf and a missing name writing nothing; progress.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/ArchiveTools.psm1) -Force
    $modulePath = (Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'
    $registry = Start-TestRegistry
    $r = $registry.Host
    $multiLayout = New-TestImageLayout -Scenario MultiPlatform -Path (Join-Path $TestDrive 'fixture-multi')
    Publish-TestImageLayout -Path (Join-Path $TestDrive 'fixture-multi') -Registry $registry -Repository demo/multi -Tag latest | Out-Null
    $singleLayout = New-TestImageLayout -Scenario SinglePlatform -Path (Join-Path $TestDrive 'fixture-single') -LayerCount 2
    Publish-TestImageLayout -Path (Join-Path $TestDrive 'fixture-single') -Registry $registry -Repository demo/single -Tag 1.0 | Out-Null

    # The source store: both images, every platform, under names umoci and skopeo take as layout tags.
    $source = Join-Path $TestDrive 'source'
    $single = 'example.com/demo/single:1.0'
    $multi = 'example.com/demo/multi:latest'
    Save-ImageContent "$r/demo/single:1.0" -Name $single -Store $source | Out-Null
    Save-ImageContent "$r/demo/multi:latest" -Name $multi -AllPlatforms -Store $source | Out-Null
    $singleDigest = (Get-Image -Name $single -Store $source).Digest
    $multiDigest = (Get-Image -Name $multi -Store $source).Digest
    $singleManifest = Get-ImageManifest $single -Store $source

    function New-TestPath([string] $Leaf = '') {
        Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + $Leaf)
    }
}

AfterAll {
    if ($registry) { Stop-TestRegistry $registry }
    $env:CONTENTPS_STORE = $savedStore
}

Describe 'Export-Image -Format OciLayout' {
    It 'writes a layout that oci-image-tool validates and umoci unpacks, with the store digests' {
        $target = New-TestPath
        $summary = Export-Image $single -Path $target -Format OciLayout -Store $source

        $summary | Should -BeOfType ContentPS.ExportSummary
        $summary.Path | Should -Be $target
        $summary.Format | Should -Be 'OciLayout'
        $summary.Images.Name | Should -Be $single
        $summary.Images[0].Digest | Should -Be $singleDigest
        $summary.Images[0].IndexRewritten | Should -BeFalse
        $summary.BlobsWritten | Should -Be 4
        $summary.BytesWritten | Should -Be (($singleLayout.blobs | Measure-Object -Property size -Sum).Sum)
        $index = Get-Content -Raw (Join-Path $target index.json) | ConvertFrom-Json
        $index.manifests[0].digest | Should -Be $singleDigest
        $index.manifests[0].annotations.'org.opencontainers.image.ref.name' | Should -Be $single

        Invoke-PeerTool oci-image-tool @('validate', '--type', 'image', '--ref', "name=$single", $target) | Out-Null
        (Invoke-PeerTool umoci @('ls', '--layout', $target)).Trim() | Should -Be $single
        $bundle = New-TestPath
        Invoke-PeerTool umoci @('unpack', '--rootless', '--image', "${target}:$single", $bundle) | Out-Null
        Join-Path $bundle config.json | Should -Exist
        @(Get-ChildItem -Recurse -File (Join-Path $bundle rootfs)).Count | Should -BeGreaterThan 0
    }

    It 'writes a directory when -Path has no .tar extension, and a subset of an index as a new index' {
        $target = New-TestPath
        $summary = Export-Image $multi -Path $target -Platform linux/arm64 -Store $source

        $summary.Format | Should -Be 'OciLayout'
        Join-Path $target oci-layout | Should -Exist
        $image = $summary.Images[0]
        $image.IndexRewritten | Should -BeTrue
        $image.SourceDigest | Should -Be $multiDigest
        $image.Digest | Should -Not -Be $multiDigest
        $raw = Invoke-PeerTool skopeo @('inspect', '--raw', "oci:${target}:$multi")
        Get-TextDigest $raw | Should -Be $image.Digest
        $written = $raw | ConvertFrom-Json
        @($written.manifests).Count | Should -Be 1
        $written.manifests[0].platform.architecture | Should -Be 'arm64'
        $image.Manifests | Should -Be @($written.manifests[0].digest)
    }

    It 'writes the whole index with -AllPlatforms, which skopeo copies with its digest' {
        $target = New-TestPath
        $summary = Export-Image $multi -Path $target -AllPlatforms -Store $source
        $summary.Images[0].Digest | Should -Be $multiDigest
        $summary.Images[0].IndexRewritten | Should -BeFalse

        $copy = New-TestPath
        Invoke-PeerTool skopeo @('copy', '--all', "oci:${target}:$multi", "oci:${copy}:copy") | Out-Null
        Get-TextDigest (Invoke-PeerTool skopeo @('inspect', '--raw', "oci:${copy}:copy")) | Should -Be $multiDigest
    }
}

Describe 'Export-Image -Format OciArchive' {
    It 'writes an OCI archive for a .tar path that skopeo copies with the store digest' {
        $target = New-TestPath '.tar'
        $summary = Export-Image $single -Path $target -Store $source

        $summary.Format | Should -Be 'OciArchive'
        $target | Should -Exist
        $copy = New-TestPath
        Invoke-PeerTool skopeo @('copy', "oci-archive:${target}:$single", "oci:${copy}:copy") | Out-Null
        Get-TextDigest (Invoke-PeerTool skopeo @('inspect', '--raw', "oci:${copy}:copy")) | Should -Be $singleDigest
    }

    It 'writes several images from the pipeline into one archive, each readable by skopeo and Import-Image' {
        $target = New-TestPath '.tar'
        $summary = Get-Image -Store $source | Export-Image -Path $target -AllPlatforms

        @($summary).Count | Should -Be 1
        $summary.Images.Name | Sort-Object | Should -Be @($multi, $single)
        foreach ($image in $summary.Images) {
            Get-TextDigest (Invoke-PeerTool skopeo @('inspect', '--raw', "oci-archive:${target}:$($image.Name)")) | Should -Be $image.Digest
        }
        $imported = Import-Image $target -Store (New-TestPath)
        $imported.Name | Sort-Object | Should -Be @($multi, $single)
        ($imported | Where-Object Name -EQ $multi).Digest | Should -Be $multiDigest
        ($imported | Where-Object Name -EQ $single).Digest | Should -Be $singleDigest
    }
}

Describe 'Export-Image -Format DockerArchive' {
    It 'writes a docker archive that skopeo reads with the config and layers of the store' {
        $target = New-TestPath '.tar'
        $summary = Export-Image $single -Path $target -Format DockerArchive -Store $source
        $summary.Format | Should -Be 'DockerArchive'

        $entries = tar -xOf $target manifest.json | ConvertFrom-Json
        @($entries).Count | Should -Be 1
        $entries[0].RepoTags | Should -Be @('example.com/demo/single:1.0')
        $archived = Invoke-PeerTool skopeo @('inspect', '--raw', "docker-archive:${target}:$single") | ConvertFrom-Json
        $archived.config.digest | Should -Be $singleManifest.Config.Digest
        $copy = New-TestPath
        Invoke-PeerTool skopeo @('copy', "docker-archive:${target}:$single", "dir:$copy") | Out-Null
        Join-Path $copy ($singleManifest.Config.Digest -replace '^sha256:', '') | Should -Exist
    }

    It 'writes one entry per platform chosen, and Import-Image reads both back' {
        $target = New-TestPath '.tar'
        Export-Image $multi -Path $target -Format DockerArchive -Platform linux/amd64, linux/arm64 -Store $source | Out-Null

        $entries = tar -xOf $target manifest.json | ConvertFrom-Json
        @($entries).Count | Should -Be 2
        $entries[0].RepoTags | Should -Be @('example.com/demo/multi:latest')
        $configs = foreach ($platform in 'linux/amd64', 'linux/arm64') { (Get-ImageManifest $multi -Platform $platform -Store $source).Config.Digest -replace '^sha256:', '' }
        $entries.Config | ForEach-Object { ($_ -split '/')[-1] } | Should -Be $configs
        # The first entry carries the name; the second, untagged, is recorded under its digest so it is kept.
        $imported = Import-Image $target -Store (New-TestPath)
        @($imported).Count | Should -Be 2
        $imported[0].Name | Should -Be 'example.com/demo/multi:latest'
        $imported[1].Name | Should -Be $imported[1].Digest
    }
}

Describe 'Export-Image targets' {
    It 'resolves a relative -Path against the current location, not the process directory' {
        $folder = New-TestPath
        New-Item -ItemType Directory $folder | Out-Null
        Push-Location $folder
        try {
            $summary = Export-Image $single -Path rel.tar -Store $source
        }
        finally {
            Pop-Location
        }
        $summary.Path | Should -Be (Join-Path $folder rel.tar)
        Join-Path $folder rel.tar | Should -Exist
    }

    It 'refuses an existing target without -Force and leaves it as it was; replaces it with -Force' {
        $target = New-TestPath '.tar'
        Set-Content -Path $target -Value 'keep me' -NoNewline

        $summary = Export-Image $single -Path $target -Store $source -ErrorAction SilentlyContinue -ErrorVariable failed
        $summary | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'ExportTargetExists,ContentPS.Commands.ExportImageCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $failed[0].TargetObject | Should -Be $target
        Get-Content -Raw $target | Should -Be 'keep me'
        @(Get-ChildItem -Force (Split-Path $target) -Filter ".$(Split-Path -Leaf $target)*").Count | Should -Be 0

        $summary = Export-Image $single -Path $target -Store $source -Force
        $summary.Format | Should -Be 'OciArchive'
        Get-TextDigest (Invoke-PeerTool skopeo @('inspect', '--raw', "oci-archive:${target}:$single")) | Should -Be $singleDigest
    }

    It 'writes nothing with -WhatIf' {
        $target = New-TestPath '.tar'
        $summary = Export-Image $single -Path $target -Store $source -WhatIf
        $summary | Should -BeNullOrEmpty
        $target | Should -Not -Exist
    }

    It 'writes nothing when a name is no record of the store, and says which' {
        $target = New-TestPath
        $summary = Export-Image $single, 'example.com/nope:1' -Path $target -Store $source -ErrorAction SilentlyContinue -ErrorVariable failed
        $summary | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,ContentPS.Commands.ExportImageCommand'
        $failed[0].TargetObject | Should -Be 'example.com/nope:1'
        $target | Should -Not -Exist
    }

    It 'refuses a .tar.gz path without -Format, and -Platform with -AllPlatforms' {
        { Export-Image $single -Path (New-TestPath '.tar.gz') -Store $source -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,ContentPS.Commands.ExportImageCommand'
        { Export-Image $single -Path (New-TestPath) -Platform linux/amd64 -AllPlatforms -Store $source -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,ContentPS.Commands.ExportImageCommand'
    }

    It 'shows progress with the blobs written, and completes it' {
        $target = New-TestPath '.tar'
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$($modulePath -replace "'", "''")' -ErrorAction Stop").AddStatement()
            $null = $shell.AddScript('param($Name, $Path, $Store) $ProgressPreference = "Continue"; Export-Image $Name -Path $Path -Store $Store -AllPlatforms').
                AddParameter('Name', $multi).AddParameter('Path', $target).AddParameter('Store', $source)
            $output = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $output.Count | Should -Be 1
            $records = @($shell.Streams.Progress)
            $top = @($records | Where-Object { $_.Activity -like 'Exporting*' })
            $top.Count | Should -BeGreaterThan 0
            $top[-1].RecordType | Should -Be 'Completed'
            $top[-1].StatusDescription | Should -BeLike "$($output[0].BlobsWritten) of $($output[0].BlobsWritten) blobs*"
        }
        finally {
            $shell.Dispose()
        }
    }
}
