#Requires -Version 7.4
# Test-ImageContent: which blobs an image record needs for a platform, and which are present, missing or corrupt.
# Images are real fixture layouts (tests/ContentPS.TestFixtures `layout`): their blobs are copied into a store and
# an image record is written through the engine's ImageRecordStore; each test has its own store.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'

    function New-TestStore {
        Join-Path $TestDrive ("store-" + [guid]::NewGuid().ToString('N'))
    }

    # Fixture layouts, written once: each test copies their blobs into its own store.
    $layouts = @{}
    foreach ($scenario in @(
            @{ Key = 'multi'; Scenario = 'MultiPlatform'; Seed = 1 }
            @{ Key = 'single'; Scenario = 'SinglePlatform'; Seed = 2 }
            @{ Key = 'nested'; Scenario = 'NestedIndex'; Seed = 3 }
            @{ Key = 'docker'; Scenario = 'DockerMultiPlatform'; Seed = 4 })) {
        $layouts[$scenario.Key] = New-TestImageLayout -Scenario $scenario.Scenario -Path (Join-Path $TestDrive "layout-$($scenario.Key)") -Seed $scenario.Seed
    }

    # Copies a layout's blobs into the store and records its top descriptor as $Name; returns the layout.
    function Add-TestImage([string] $Store, [string] $Key, [string] $Name) {
        $layout = $layouts[$Key]
        $null = [ContentPS.Engine.Content.LocalContentStore]::Open($Store)
        $blobs = New-Item -ItemType Directory -Path (Join-Path $Store 'blobs/sha256') -Force
        Copy-Item -Path (Join-Path $layout.directory 'blobs/sha256/*') -Destination $blobs.FullName -Force
        $descriptor = [ContentPS.Engine.Oci.Descriptor]@{
            MediaType = $layout.top.mediaType
            Digest    = [ContentPS.Engine.Oci.Digest]::Parse($layout.top.digest)
            Size      = $layout.top.size
        }
        $null = [ContentPS.Engine.Images.ImageRecordStore]::new($Store).SetAsync($Name, $descriptor, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $layout
    }

    function Get-BlobPath([string] $Store, [string] $Digest) {
        Join-Path $Store ('blobs/sha256/' + $Digest.Substring('sha256:'.Length))
    }

    # The manifest of a platform and its config and layers, from the layout's own blobs.
    function Get-TestPlatformBlobs([string] $Store, $Layout, [string] $Platform) {
        $manifest = @($Layout.blobs | Where-Object { $_.kind -eq 'Manifest' -and $_.platform -eq $Platform })[0]
        $body = Get-Content -Raw (Get-BlobPath $Store $manifest.digest) | ConvertFrom-Json
        [pscustomobject]@{ Manifest = $manifest; Config = $body.config; Layers = @($body.layers) }
    }

    function Set-BlobCorrupt([string] $Store, [string] $Digest) {
        $path = Get-BlobPath $Store $Digest
        $bytes = [IO.File]::ReadAllBytes($path)
        $bytes[0] = $bytes[0] -bxor 0xff
        [IO.File]::WriteAllBytes($path, $bytes)
    }
}

AfterAll {
    $env:CONTENTPS_STORE = $savedStore
}

Describe 'Test-ImageContent' {
    BeforeEach {
        $store = New-TestStore
        $multi = Add-TestImage $store multi 'example.com/demo/multi:1.0'
        $single = Add-TestImage $store single 'example.com/demo/single:1.0'
        $amd64 = Get-TestPlatformBlobs $store $multi 'linux/amd64'
        $arm64 = Get-TestPlatformBlobs $store $multi 'linux/arm64/v8'
    }

    It 'finds a complete image complete, and counts what the platform needs: index, manifest, config, layers' {
        $result = Test-ImageContent -Name 'example.com/demo/multi:1.0' -Platform linux/amd64 -Store $store
        $result | Should -BeOfType ([ContentPS.ImageCheckResult])
        $result.Complete | Should -BeTrue
        $result.Available | Should -BeTrue
        $result.Name | Should -Be 'example.com/demo/multi:1.0'
        $result.Digest | Should -Be $multi.top.digest
        $result.MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        $result.Store | Should -Be $store
        $result.Platform | Should -Be @('linux/amd64')
        $result.Required | Should -Be (3 + $amd64.Layers.Count)
        $result.Present | Should -Be $result.Required
        $result.Missing | Should -Be 0
        $result.Corrupt | Should -Be 0
        $result.RequiredBytes | Should -Be ($multi.top.size + $amd64.Manifest.size + $amd64.Config.size + ($amd64.Layers | Measure-Object size -Sum).Sum)
        $result.MissingBytes | Should -Be 0
        $result.Verified | Should -BeFalse
    }

    It 'checks this machine''s platform by default' {
        $result = Test-ImageContent 'example.com/demo/multi:1.0' -Store $store
        $result.Platform | Should -Be @([ContentPS.Engine.Oci.Platforms]::Format([ContentPS.Engine.Oci.Platforms]::Default()))
    }

    It 'reports a missing layer of one platform only for that platform, with its descriptor and size' {
        $layer = $arm64.Layers[0]
        Remove-Item (Get-BlobPath $store $layer.digest) -Force
        (Test-ImageContent 'example.com/demo/multi:1.0' -Platform linux/amd64 -Store $store).Complete | Should -BeTrue

        $result = Test-ImageContent 'example.com/demo/multi:1.0' -Platform linux/arm64 -Store $store
        $result.Complete | Should -BeFalse
        $result.Available | Should -BeTrue
        $result.Missing | Should -Be 1
        $result.Present | Should -Be ($result.Required - 1)
        $result.MissingBytes | Should -Be $layer.size
        $result.MissingDescriptors.Digest | Should -Be $layer.digest
        $result.MissingDescriptors[0].MediaType | Should -Be $layer.mediaType
        $result.MissingDescriptors[0].Size | Should -Be $layer.size
        $result.MissingDescriptors[0].Store | Should -Be $store
    }

    It 'checks several platforms into one result, each blob counted once' {
        Remove-Item (Get-BlobPath $store $arm64.Layers[0].digest) -Force
        $results = @(Test-ImageContent 'example.com/demo/multi:1.0' -Platform linux/amd64, linux/arm64 -Store $store)
        $results.Count | Should -Be 1
        $results[0].Platform | Should -Be @('linux/amd64', 'linux/arm64')
        # The index once, then each platform's manifest, config and layers.
        $results[0].Required | Should -Be (1 + 2 + $amd64.Layers.Count + 2 + $arm64.Layers.Count)
        $results[0].Missing | Should -Be 1
        $results[0].Complete | Should -BeFalse
    }

    It 'checks every manifest with -AllPlatforms' {
        (Test-ImageContent 'example.com/demo/multi:1.0' -AllPlatforms -Store $store).Complete | Should -BeTrue
        Remove-Item (Get-BlobPath $store $arm64.Layers[0].digest) -Force
        $result = Test-ImageContent 'example.com/demo/multi:1.0' -AllPlatforms -Store $store
        $result.Complete | Should -BeFalse
        $result.AllPlatforms | Should -BeTrue
        $result.Platform.Count | Should -Be 0
        $result.MissingDescriptors.Digest | Should -Be $arm64.Layers[0].digest
    }

    It 'finds a corrupt layer only with -Verify' {
        $layer = $amd64.Layers[0]
        Set-BlobCorrupt $store $layer.digest
        (Test-ImageContent 'example.com/demo/multi:1.0' -Platform linux/amd64 -Store $store).Complete | Should -BeTrue

        $result = Test-ImageContent 'example.com/demo/multi:1.0' -Platform linux/amd64 -Verify -Store $store
        $result.Verified | Should -BeTrue
        $result.Complete | Should -BeFalse
        $result.Corrupt | Should -Be 1
        $result.Missing | Should -Be 0
        $result.CorruptDescriptors[0].Digest | Should -Be $layer.digest
        $result.CorruptDescriptors[0].Reason | Should -Match 'hashes to sha256:'
        $result.MissingBytes | Should -Be $layer.size
    }

    It 'reports a missing manifest as missing; what lies below it is unknown' {
        Remove-Item (Get-BlobPath $store $arm64.Manifest.digest) -Force
        $result = Test-ImageContent 'example.com/demo/multi:1.0' -Platform linux/arm64 -Store $store
        $result.Complete | Should -BeFalse
        $result.Available | Should -BeFalse
        $result.MissingDescriptors.Digest | Should -Be $arm64.Manifest.digest
        $result.Required | Should -Be 2
    }

    It 'reports a platform the image does not offer as incomplete' {
        $result = Test-ImageContent 'example.com/demo/multi:1.0' -Platform linux/s390x -Store $store
        $result.Complete | Should -BeFalse
        $result.UnmatchedPlatform | Should -Be @('linux/s390x')
    }

    It 'checks nested indexes and Docker manifest lists' {
        $nested = Add-TestImage $store nested 'example.com/demo/nested:1.0'
        $docker = Add-TestImage $store docker 'example.com/demo/docker:1.0'
        $results = Test-ImageContent 'example.com/demo/nested:1.0', 'example.com/demo/docker:1.0' -Platform linux/amd64 -Verify -Store $store
        $results.Complete | Should -Be @($true, $true)
        $results[1].MediaType | Should -Be 'application/vnd.docker.distribution.manifest.list.v2+json'
        $results | ForEach-Object { $_.Required | Should -BeGreaterOrEqual 4 }
    }

    It 'checks what Get-Image pipes to it, by Name and Store' {
        Push-Location $TestDrive
        try { $results = @(Get-Image -Store $store | Test-ImageContent -Platform linux/amd64) }
        finally { Pop-Location }
        $results.Name | Should -Be @('example.com/demo/multi:1.0', 'example.com/demo/single:1.0')
        $results.Complete | Should -Be @($true, $true)
        $results.Store | Should -Be @($store, $store)
    }

    It 'takes names from the pipeline' {
        ('example.com/demo/single:1.0' | Test-ImageContent -Store $store).Digest | Should -Be $single.top.digest
    }

    It 'matches wildcards, and writes nothing for a pattern that matches nothing' {
        (Test-ImageContent 'EXAMPLE.com/demo/*' -Platform linux/amd64 -Store $store).Name | Should -Be @('example.com/demo/multi:1.0', 'example.com/demo/single:1.0')
        $out = @(Test-ImageContent 'nothing*' -Store $store -ErrorVariable errors)
        $out.Count | Should -Be 0
        $errors.Count | Should -Be 0
    }

    It 'writes ImageNotFound for a missing name and checks the others' {
        $out = @(Test-ImageContent 'example.com/missing:1', 'example.com/demo/single:1.0' -Store $store -ErrorVariable errors -ErrorAction SilentlyContinue)
        $out.Name | Should -Be 'example.com/demo/single:1.0'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,ContentPS.Commands.TestImageContentCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be 'example.com/missing:1'
    }

    It 'writes one Boolean for the whole call with -Quiet' {
        $answer = @(Test-ImageContent 'example.com/demo/multi:1.0', 'example.com/demo/single:1.0' -Platform linux/amd64 -Store $store -Quiet)
        $answer | Should -Be @($true)
        $answer[0] | Should -BeOfType ([bool])

        Remove-Item (Get-BlobPath $store $arm64.Layers[0].digest) -Force
        @(Get-Image -Store $store | Test-ImageContent -Platform linux/arm64 -Quiet) | Should -Be @($false)
        @(Test-ImageContent 'example.com/demo/single:1.0' -Platform linux/arm64 -Store $store -Quiet) | Should -Be @($true)
    }

    It 'answers $false with -Quiet for a missing name (no error) and for a pattern that matches nothing' {
        @(Test-ImageContent 'example.com/missing:1', 'example.com/demo/single:1.0' -Store $store -Quiet -ErrorVariable errors) | Should -Be @($false)
        $errors.Count | Should -Be 0
        @(Test-ImageContent 'nothing*' -Store $store -Quiet) | Should -Be @($false)
    }

    It 'shows name, platform, completeness and counts in the table view' {
        Remove-Item (Get-BlobPath $store $arm64.Layers[0].digest) -Force
        $text = Test-ImageContent 'example.com/demo/multi:1.0' -Platform linux/arm64 -Store $store | Format-Table | Out-String -Width 200
        $text | Should -Match 'Name\s+Platform\s+Complete\s+Present\s+Missing\s+Corrupt\s+MissingSize'
        $text | Should -Match "example\.com/demo/multi:1\.0\s+linux/arm64\s+False\s+\d+/\d+\s+1\s+0\s+[\d.]+ (B|KiB)"
    }

    It 'completes -Name with the record names of -Store' {
        $line = "Test-ImageContent -Store '$store' -Name example.com/demo/s"
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('example.com/demo/single:1.0')
    }

    It 'completes -Platform with the known platforms' {
        $line = 'Test-ImageContent x -Platform linux/arm'
        $completions = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        $completions | Should -Contain 'linux/arm64'
        $completions | Should -Contain 'linux/arm/v7'
        $completions | Should -Not -Contain 'linux/amd64'
    }

    It 'rejects a platform that does not parse' {
        { Test-ImageContent 'example.com/demo/multi:1.0' -Platform 'linux/' -Store $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPlatform,ContentPS.Commands.TestImageContentCommand'
    }

    It 'does not take -Platform and -AllPlatforms together' {
        { Test-ImageContent 'example.com/demo/multi:1.0' -Platform linux/amd64 -AllPlatforms -Store $store } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,ContentPS.Commands.TestImageContentCommand'
    }

    It 'rejects a store path that is not a folder path' {
        { Test-ImageContent 'a:1' -Store 'Env:/PATH' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPath,ContentPS.Commands.TestImageContentCommand'
    }

    It 'rejects a folder that is not a store' {
        $folder = Join-Path $TestDrive ("not-a-store-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder | Out-Null
        Set-Content (Join-Path $folder 'notes.txt') 'hello'
        { Test-ImageContent 'a:1' -Store $folder -ErrorAction Stop } | Should -Throw -ErrorId 'StoreInvalid,ContentPS.Commands.TestImageContentCommand'
    }

    It 'finds no image, and creates no store, where there is none' {
        $missing = New-TestStore
        Test-ImageContent 'a:1' -Store $missing -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,ContentPS.Commands.TestImageContentCommand'
        @(Test-ImageContent '*' -Store $missing).Count | Should -Be 0
        Test-Path $missing | Should -BeFalse
    }
}
