#Requires -Version 7.4
# Import-Image: archives written by the peers from a real registry (skopeo oci-archive and docker-archive,
# gzip-compressed too; layouts written by skopeo and umoci) imported with the digests those tools gave;
# archives written by Export-Image read back; several images at once; pipeline input from Get-ChildItem and
# relative paths; -Name, -Summary, -WhatIf; and bad inputs (not a tar, truncated, ../ entries, links out of
# the archive or layout, a missing blob, a blob whose digest lies), each a classified error with the
# archive as target that leaves the store empty: no blobs, no ingests, no records.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/ArchiveTools.psm1) -Force
    $modulePath = (Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'
    $registry = Start-TestRegistry
    $r = $registry.Host
    New-TestImageLayout -Scenario MultiPlatform -Path (Join-Path $TestDrive 'fixture-multi') | Out-Null
    Publish-TestImageLayout -Path (Join-Path $TestDrive 'fixture-multi') -Registry $registry -Repository demo/multi -Tag latest | Out-Null
    New-TestImageLayout -Scenario SinglePlatform -Path (Join-Path $TestDrive 'fixture-single') -LayerCount 2 | Out-Null
    Publish-TestImageLayout -Path (Join-Path $TestDrive 'fixture-single') -Registry $registry -Repository demo/single -Tag 1.0 | Out-Null
    $singleRemote = Get-ImageManifest "$r/demo/single:1.0" -Remote
    $multiRemote = Get-ImageManifest "$r/demo/multi:latest" -Remote

    function New-TestPath([string] $Leaf = '') {
        Join-Path $TestDrive ([guid]::NewGuid().ToString('N') + $Leaf)
    }

    # skopeo copy from the test registry (plain HTTP) to a transport:path[:name] destination.
    function Copy-FromRegistry([string] $Repository, [string] $Destination, [switch] $All) {
        $arguments = @('copy', '--src-tls-verify=false')
        if ($All) { $arguments += '--all' }
        Invoke-PeerTool skopeo ($arguments + @("docker://$r/$Repository", $Destination)) | Out-Null
    }

    # An OCI layout directory of the single image, written by skopeo, and its blobs by kind.
    function New-SkopeoLayout {
        $layout = New-TestPath
        Copy-FromRegistry demo/single:1.0 "oci:${layout}:app:v1"
        $manifest = Get-Content -Raw (Join-Path $layout "blobs/sha256/$($singleRemote.Digest -replace '^sha256:', '')") | ConvertFrom-Json
        [pscustomobject]@{ Path = $layout; Manifest = $manifest }
    }

    function Get-StoreState([string] $Store) {
        [pscustomobject]@{
            Blobs   = @(Get-Blob -Store $Store)
            Ingests = @(Get-BlobIngest -Store $Store)
            Images  = @(Get-Image -Store $Store)
        }
    }

    # Imports a bad input into a fresh store and checks the one error and that the store holds nothing.
    function Assert-ImportRefused([string] $Path, [string] $ErrorId, [string] $Category) {
        $store = New-TestPath
        $output = Import-Image -LiteralPath $Path -Store $store -ErrorAction SilentlyContinue -ErrorVariable failed
        $output | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "$ErrorId,ContentPS.Commands.ImportImageCommand"
        $failed[0].CategoryInfo.Category | Should -Be $Category
        $failed[0].TargetObject | Should -Be $Path
        $state = Get-StoreState $store
        $state.Blobs | Should -BeNullOrEmpty
        $state.Ingests | Should -BeNullOrEmpty
        $state.Images | Should -BeNullOrEmpty
        $failed[0]
    }
}

AfterAll {
    if ($registry) { Stop-TestRegistry $registry }
    $env:CONTENTPS_STORE = $savedStore
}

Describe 'Import-Image of archives written by skopeo' {
    It 'imports an oci-archive with the registry digests' {
        $archive = New-TestPath '.tar'
        Copy-FromRegistry demo/single:1.0 "oci-archive:${archive}:example.com/app:v1"
        $store = New-TestPath

        $image = Import-Image $archive -Store $store

        $image | Should -BeOfType ContentPS.ImageInfo
        $image.Name | Should -Be 'example.com/app:v1'
        $image.Digest | Should -Be $singleRemote.Digest
        $image.Store | Should -Be $store
        $digests = @(Get-Blob -Store $store | ForEach-Object Digest)
        $digests | Should -Contain $singleRemote.Config.Digest
        foreach ($layer in $singleRemote.Layers) { $digests | Should -Contain $layer.Digest }
        (Test-ImageContent $image.Name -Store $store -Verify).Complete | Should -BeTrue
    }

    It 'imports an oci-archive of a whole index with the index digest' {
        $archive = New-TestPath '.tar'
        Copy-FromRegistry demo/multi:latest "oci-archive:${archive}:example.com/multi:latest" -All
        $summary = Import-Image $archive -Store (New-TestPath) -Summary

        $summary | Should -BeOfType ContentPS.ImportSummary
        $summary.Format | Should -Be 'OciArchive'
        $summary.Images.Digest | Should -Be $multiRemote.Digest
        $summary.BlobsExisting | Should -Be 0
        $summary.BlobsWritten | Should -BeGreaterThan 4
    }

    It 'imports a docker-archive, plain and gzip-compressed, with the config skopeo wrote' {
        $archive = New-TestPath '.tar'
        Copy-FromRegistry demo/single:1.0 "docker-archive:${archive}:app:v1"
        $inArchive = Invoke-PeerTool skopeo @('inspect', '--raw', "docker-archive:${archive}") | ConvertFrom-Json
        $store = New-TestPath

        $image = Import-Image $archive -Store $store
        $image.Name | Should -Be 'docker.io/library/app:v1'
        $manifest = Get-ImageManifest $image.Name -Store $store
        $manifest.Config.Digest | Should -Be $singleRemote.Config.Digest
        $manifest.Layers.Digest | Should -Be $inArchive.layers.digest
        $image.Digest | Should -Be (Get-TextDigest (Invoke-PeerTool skopeo @('inspect', '--raw', "docker-archive:${archive}")))

        $gzipped = "$archive.gz"
        & gzip -k $archive
        $again = Import-Image $gzipped -Store (New-TestPath) -Summary
        $again.Format | Should -Be 'DockerArchive'
        $again.Images.Digest | Should -Be $image.Digest
    }
}

Describe 'Import-Image of layouts' {
    It 'imports a layout written by umoci with the digests of its index, every image of it' {
        $layout = (New-SkopeoLayout).Path
        $bundle = New-TestPath
        Invoke-PeerTool umoci @('unpack', '--rootless', '--image', "${layout}:app:v1", $bundle) | Out-Null
        Set-Content -Path (Join-Path $bundle rootfs/added-by-umoci.txt) -Value 'new layer'
        Invoke-PeerTool umoci @('repack', '--image', "${layout}:app:v2", $bundle) | Out-Null
        $index = Get-Content -Raw (Join-Path $layout index.json) | ConvertFrom-Json
        $expected = @{}
        foreach ($entry in $index.manifests) { $expected[$entry.annotations.'org.opencontainers.image.ref.name'] = $entry.digest }

        $images = Import-Image -LiteralPath $layout -Store (New-TestPath)

        $images.Name | Sort-Object | Should -Be @('app:v1', 'app:v2')
        foreach ($image in $images) { $image.Digest | Should -Be $expected[$image.Name] }
        $expected['app:v1'] | Should -Be $singleRemote.Digest
    }

    It 'reads archives written by Export-Image back with the same digests' {
        $source = New-TestPath
        Save-ImageContent "$r/demo/multi:latest" -AllPlatforms -Store $source -Name example.com/multi:all | Out-Null
        $folder = New-TestPath
        $layout = Join-Path $folder layout
        Export-Image example.com/multi:all -Store $source -Path $layout -AllPlatforms | Out-Null
        Export-Image example.com/multi:all -Store $source -Path (Join-Path $folder oci.tar) -AllPlatforms | Out-Null

        $target = New-TestPath
        $summaries = Import-Image (Join-Path $folder *) -Store $target -Summary

        @($summaries).Count | Should -Be 2
        ($summaries | Where-Object Format -EQ 'OciLayout').Images.Digest | Should -Be $multiRemote.Digest
        ($summaries | Where-Object Format -EQ 'OciArchive').Images.Digest | Should -Be $multiRemote.Digest
        # The second import finds every blob in the store already.
        $summaries[1].BlobsWritten | Should -Be 0
        $summaries[1].BlobsExisting | Should -Be $summaries[0].BlobsWritten
        (Get-Blob -Store $target | Sort-Object Digest).Digest | Should -Be (Get-Blob -Store $source | Sort-Object Digest).Digest
    }
}

Describe 'Import-Image input and options' {
    It 'takes files from Get-ChildItem and relative paths against the current location' {
        $folder = New-TestPath
        New-Item -ItemType Directory $folder | Out-Null
        Copy-FromRegistry demo/single:1.0 "oci-archive:$(Join-Path $folder one.tar):example.com/one:1"
        Copy-FromRegistry demo/multi:latest "docker-archive:$(Join-Path $folder two.tar):example.com/two:2"
        $store = New-TestPath

        Push-Location $folder
        try {
            $images = Get-ChildItem *.tar | Import-Image -Store $store
            $relative = Import-Image -LiteralPath one.tar -Store $store -Summary
        }
        finally {
            Pop-Location
        }

        $images.Name | Sort-Object | Should -Be @('example.com/one:1', 'example.com/two:2')
        $relative.Path | Should -Be (Join-Path $folder one.tar)
        $relative.BlobsWritten | Should -Be 0
    }

    It 'records the only image under -Name, and refuses -Name for several images writing nothing' {
        $layout = New-TestPath
        Copy-FromRegistry demo/single:1.0 "oci:${layout}:a"
        $store = New-TestPath
        (Import-Image $layout -Name local/app:stable -Store $store).Name | Should -Be 'local/app:stable'
        (Get-Image -Store $store).Name | Should -Be 'local/app:stable'

        Copy-FromRegistry demo/multi:latest "oci:${layout}:b"
        $empty = New-TestPath
        $output = Import-Image $layout -Name local/app:stable -Store $empty -ErrorAction SilentlyContinue -ErrorVariable failed
        $output | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,ContentPS.Commands.ImportImageCommand'
        $state = Get-StoreState $empty
        $state.Blobs + $state.Ingests + $state.Images | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        $archive = New-TestPath '.tar'
        Copy-FromRegistry demo/single:1.0 "oci-archive:${archive}:example.com/app:v1"
        $store = New-TestPath
        Import-Image $archive -Store $store -WhatIf | Should -BeNullOrEmpty
        $store | Should -Not -Exist
    }

    It 'shows progress of the archive read and the blobs committed, and completes it' {
        $archive = New-TestPath '.tar'
        Copy-FromRegistry demo/single:1.0 "oci-archive:${archive}:example.com/app:v1"
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$($modulePath -replace "'", "''")' -ErrorAction Stop").AddStatement()
            $null = $shell.AddScript('param($Path, $Store) $ProgressPreference = "Continue"; Import-Image $Path -Store $Store -Summary').
                AddParameter('Path', $archive).AddParameter('Store', (New-TestPath))
            $output = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $records = @($shell.Streams.Progress)
            $reading = @($records | Where-Object { $_.Activity -like 'Reading*' })
            $reading[-1].RecordType | Should -Be 'Completed'
            $reading[-1].StatusDescription | Should -BeLike '* of *'
            $top = @($records | Where-Object { $_.Activity -like 'Importing*' })
            $top[-1].RecordType | Should -Be 'Completed'
            $top[-1].StatusDescription | Should -BeLike "$($output[0].BlobsWritten) of $($output[0].BlobsWritten) blobs*"
        }
        finally {
            $shell.Dispose()
        }
    }
}

Describe 'Import-Image of bad inputs' {
    It 'refuses bytes that are no archive: ArchiveInvalid' {
        $path = New-TestPath '.tar'
        Set-Content -Path $path -Value ('not a tar ' * 100)
        Assert-ImportRefused $path ArchiveInvalid InvalidArgument | Out-Null
    }

    It 'refuses a truncated archive: ArchiveTruncated' {
        $archive = New-TestPath '.tar'
        Copy-FromRegistry demo/single:1.0 "oci-archive:${archive}:example.com/app:v1"
        $bytes = [System.IO.File]::ReadAllBytes($archive)
        $cut = New-TestPath '.tar'
        # Well inside the last layer's data, past its header.
        [System.IO.File]::WriteAllBytes($cut, $bytes[0..([int]($bytes.Length * 0.6))])
        Assert-ImportRefused $cut ArchiveTruncated InvalidData | Out-Null
    }

    It 'refuses a tar with a ../ entry: ArchiveUnsafeEntry' {
        $path = New-TestPath '.tar'
        New-TestTar -Path $path -Entries @(
            @{ Name = 'oci-layout'; Content = '{"imageLayoutVersion":"1.0.0"}' }
            @{ Name = '../escaped.txt'; Content = 'outside' })
        $failed = Assert-ImportRefused $path ArchiveUnsafeEntry InvalidArgument
        $failed.Exception.Message | Should -BeLike '*../escaped.txt*'
        Join-Path (Split-Path $path) escaped.txt | Should -Not -Exist
    }

    It 'refuses a tar with a symbolic link out of the archive: ArchiveUnsafeEntry' {
        $path = New-TestPath '.tar'
        New-TestTar -Path $path -Entries @(
            @{ Name = 'oci-layout'; Content = '{"imageLayoutVersion":"1.0.0"}' }
            @{ Name = 'blobs/sha256/passwd'; SymbolicLink = '../../../../../../etc/passwd' })
        Assert-ImportRefused $path ArchiveUnsafeEntry InvalidArgument | Out-Null
    }

    It 'refuses a layout whose blob is a symbolic link out of the layout: ArchiveUnsafeEntry' {
        $layout = New-SkopeoLayout
        $layer = $layout.Manifest.layers[0].digest -replace '^sha256:', ''
        $blob = Join-Path $layout.Path "blobs/sha256/$layer"
        $outside = New-TestPath
        Move-Item $blob $outside
        New-Item -ItemType SymbolicLink -Path $blob -Target $outside | Out-Null
        Assert-ImportRefused $layout.Path ArchiveUnsafeEntry InvalidArgument | Out-Null
    }

    It 'refuses a layout whose index names a missing blob: BlobNotFound naming it' {
        $layout = New-SkopeoLayout
        $layer = $layout.Manifest.layers[1].digest
        Remove-Item (Join-Path $layout.Path "blobs/sha256/$($layer -replace '^sha256:', '')")
        $failed = Assert-ImportRefused $layout.Path BlobNotFound ObjectNotFound
        $failed.Exception.Message | Should -BeLike "*$layer*"
    }

    It 'refuses a blob whose content does not match its digest, in a layout and in an archive: DigestMismatch' {
        $layout = New-SkopeoLayout
        $layer = $layout.Manifest.layers[0].digest -replace '^sha256:', ''
        $blob = Join-Path $layout.Path "blobs/sha256/$layer"
        $bytes = [System.IO.File]::ReadAllBytes($blob)
        $bytes[$bytes.Length - 1] = $bytes[$bytes.Length - 1] -bxor 0xff
        [System.IO.File]::WriteAllBytes($blob, $bytes)
        $failed = Assert-ImportRefused $layout.Path DigestMismatch InvalidOperation
        $failed.Exception.Message | Should -BeLike "*$layer*"

        $archive = New-TestPath '.tar'
        Push-Location $layout.Path
        try {
            & tar -cf $archive oci-layout index.json blobs
        }
        finally {
            Pop-Location
        }
        Assert-ImportRefused $archive DigestMismatch InvalidOperation | Out-Null
    }

    It 'names a path that does not exist: PathNotFound' {
        $missing = New-TestPath '.tar'
        Import-Image $missing -Store (New-TestPath) -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,ContentPS.Commands.ImportImageCommand'
        $failed[0].TargetObject | Should -Be $missing
    }
}
