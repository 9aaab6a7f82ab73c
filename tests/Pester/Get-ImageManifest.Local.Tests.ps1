#Requires -Version 7.4
# Get-ImageManifest and the content store: images pulled (with the engine's ImagePull) through a fault
# proxy in front of a real registry are read from the store with no request at the proxy; -Local never
# asks the network, -Remote always does; digest references, -Platform, -Raw, piping from Get-Image and
# descriptors, and the errors of misses, bad stores and -Local with -Remote.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $savedStore = $env:CONTENTPS_STORE
    # The default store of these tests is empty: every local read below names its store.
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'

    $registry = Start-TestRegistry
    $images = Publish-TestImageSet -Registry $registry -Path (Join-Path $TestDrive 'images')
    $proxy = Start-TestFaultProxy -Upstream $registry.BaseUri
    $p = $proxy.Host

    # Pulls an image into a store the way Save-ImageContent does (engine ImagePull); returns the pull result.
    function Save-TestImage([string] $Store, [string] $Reference, [switch] $AllPlatforms) {
        $request = [ContentPS.Engine.Transfer.PullRequest]@{
            Reference    = [ContentPS.Engine.Oci.ImageReference]::Parse($Reference)
            Store        = [ContentPS.Engine.Content.LocalContentStore]::Open($Store)
            Client       = [ContentPS.Engine.Remotes.RegistryClient]::new([ContentPS.Engine.Remotes.RegistryClientOptions]::new())
            AllPlatforms = [bool]$AllPlatforms
        }
        [ContentPS.Engine.Transfer.ImagePull]::PullAsync($request, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    }

    function Set-TestImageRecord([string] $Store, [string] $Name, [object] $Target) {
        $null = [ContentPS.Engine.Images.ImageRecordStore]::new($Store).SetAsync($Name, $Target, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    }

    function Get-Sha256Digest([string] $Text) {
        'sha256:' + [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Text))).ToLowerInvariant()
    }

    function Get-ProxyRequestCount {
        @(Get-TestFaultRequests -Proxy $proxy).Count
    }

    $store = Join-Path $TestDrive 'store'
    $multi = Save-TestImage $store "$p/demo/multi:latest" -AllPlatforms
    $null = Save-TestImage $store "$p/demo/single:1.0"
    $null = Save-TestImage $store "$p/demo/nested:latest" -AllPlatforms
    $arm64 = Get-TestLayoutManifest $images.multi 'linux/arm64/v8'
}

AfterAll {
    $env:CONTENTPS_STORE = $savedStore
    if ($proxy) { Stop-TestFaultProxy $proxy }
    if ($registry) { Stop-TestRegistry $registry }
}

Describe 'Get-ImageManifest with a content store' {
    BeforeEach {
        Clear-TestFaultProxy -Proxy $proxy
    }

    Context 'default: the store when it has the image' {
        It 'reads a pulled index from the store without a request to the registry' {
            $index = Get-ImageManifest "$p/demo/multi:latest" -Store $store
            $index | Should -BeOfType ContentPS.ImageIndexInfo
            $index.Source | Should -Be 'Store'
            $index.Reference | Should -Be "$p/demo/multi:latest"
            $index.Digest | Should -Be $images.multi.top.digest
            $index.Digest | Should -Be $multi.Root.Digest.ToString()
            @($index.Manifests.Platform.Platform) | Should -Be @('linux/amd64', 'linux/arm64/v8', 'linux/arm/v7', 'unknown/unknown')
            Get-ProxyRequestCount | Should -Be 0
        }

        It 'reads a single manifest from the store' {
            $manifest = Get-ImageManifest "$p/demo/single:1.0" -Store $store
            $manifest | Should -BeOfType ContentPS.ImageManifestInfo
            $manifest.Source | Should -Be 'Store'
            $manifest.Digest | Should -Be $images.single.top.digest
            $manifest.Layers.Count | Should -BeGreaterThan 0
            Get-ProxyRequestCount | Should -Be 0
        }

        It 'asks the registry for an image the store does not have' {
            $index = Get-ImageManifest "$p/demo/multi:v2" -Store $store
            $index.Source | Should -Be 'Registry'
            $index.Digest | Should -Be $images.multi.top.digest
            @(Get-TestFaultRequests -Proxy $proxy | Where-Object target -Like '/v2/demo/multi/manifests/v2').Count | Should -BeGreaterThan 0
        }

        It 'asks the registry when there is no store at all, and creates none' {
            $none = Join-Path $TestDrive 'no-store-here'
            (Get-ImageManifest "$p/demo/single:1.0" -Store $none).Source | Should -Be 'Registry'
            Test-Path -LiteralPath $none | Should -BeFalse
        }

        It 'reads from the store when the registry is gone' {
            $gone = Start-TestFaultProxy -Upstream $registry.BaseUri
            $goneStore = Join-Path $TestDrive 'gone-store'
            $null = Save-TestImage $goneStore "$($gone.Host)/demo/single:1.0"
            Stop-TestFaultProxy $gone

            $manifest = Get-ImageManifest "$($gone.Host)/demo/single:1.0" -Store $goneStore -MaximumRetryCount 0
            $manifest.Source | Should -Be 'Store'
            $manifest.Digest | Should -Be $images.single.top.digest

            # The registry really is unreachable: -Remote fails.
            Get-ImageManifest "$($gone.Host)/demo/single:1.0" -Store $goneStore -Remote -MaximumRetryCount 0 -ErrorVariable failed -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            $failed.Count | Should -Be 1
            [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be 'Unavailable'
        }

        It 'says in -Verbose that it read the store' {
            $records = Get-ImageManifest "$p/demo/single:1.0" -Store $store -Verbose 4>&1
            ($records | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message |
                Should -Contain "$p/demo/single:1.0: $($images.single.top.digest) read from the store $store"
        }

        It 'completes -Reference with the image records of -Store' {
            $line = "Get-ImageManifest -Store '$store' $p/demo/s"
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $completion.CompletionMatches.CompletionText | Should -Be @("$p/demo/single:1.0")
        }

        It 'shows Source in the list view and keeps the table view as it was' {
            $index = Get-ImageManifest "$p/demo/multi:latest" -Store $store
            $list = $index | Format-List | Out-String -Width 200
            $list | Should -Match 'Source\s+: Store'
            $manifestList = Get-ImageManifest "$p/demo/single:1.0" -Store $store | Format-List | Out-String -Width 200
            $manifestList | Should -Match 'Source\s+: Store'
            $table = $index | Format-Table | Out-String -Width 200
            $table | Should -Match 'Reference\s+MediaType\s+Digest\s+Size\s+Manifests'
            $table | Should -Not -Match 'Source'
        }
    }

    Context '-Local and -Remote' {
        It '-Local reads the store' {
            $index = Get-ImageManifest "$p/demo/multi:latest" -Store $store -Local
            $index.Source | Should -Be 'Store'
            $index.Digest | Should -Be $images.multi.top.digest
            Get-ProxyRequestCount | Should -Be 0
        }

        It '-Local writes ImageNotFound for an image the store does not have, without a request, and goes on' {
            $out = @(Get-ImageManifest "$p/demo/multi:v2", "$p/demo/single:1.0" -Store $store -Local -ErrorVariable failed -ErrorAction SilentlyContinue)
            $out.Count | Should -Be 1
            $out[0].Digest | Should -Be $images.single.top.digest
            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,ContentPS.Commands.GetImageManifestCommand'
            $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failed[0].Exception | Should -BeOfType ContentPS.NotFoundException
            [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be 'NotFound'
            $failed[0].TargetObject | Should -Be "$p/demo/multi:v2"
            $failed[0].Exception.Message | Should -BeLike "*$store*"
            Get-ProxyRequestCount | Should -Be 0
        }

        It '-Local says there is no store when there is none' {
            $none = Join-Path $TestDrive 'no-store-either'
            Get-ImageManifest "$p/demo/single:1.0" -Store $none -Local -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
            $failed[0].Exception.Message | Should -BeLike "*there is no store at $none*"
            Test-Path -LiteralPath $none | Should -BeFalse
            Get-ProxyRequestCount | Should -Be 0
        }

        It '-Local writes ImageNotFound for a digest the store does not hold' {
            $missing = 'sha256:' + ('0' * 64)
            Get-ImageManifest "$p/demo/multi@$missing" -Store $store -Local -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
            $failed[0].TargetObject | Should -Be "$p/demo/multi@$missing"
            Get-ProxyRequestCount | Should -Be 0
        }

        It '-Remote asks the registry although the store has the image' {
            $index = Get-ImageManifest "$p/demo/multi:latest" -Store $store -Remote
            $index.Source | Should -Be 'Registry'
            $index.Digest | Should -Be $images.multi.top.digest
            @(Get-TestFaultRequests -Proxy $proxy | Where-Object target -Like '/v2/demo/multi/manifests/*').Count | Should -BeGreaterThan 0
        }

        It 'ends with InvalidArgument naming both switches for -Local with -Remote' {
            { Get-ImageManifest "$p/demo/multi:latest" -Local -Remote -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidArgument,ContentPS.Commands.GetImageManifestCommand' -ExpectedMessage '*-Local and -Remote cannot be used together*'
            Get-ProxyRequestCount | Should -Be 0
        }
    }

    Context 'digest references' {
        It 'reads an index by digest from the store' {
            $index = Get-ImageManifest "$p/demo/multi@$($images.multi.top.digest)" -Store $store
            $index.Source | Should -Be 'Store'
            $index.MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
            $index.Digest | Should -Be $images.multi.top.digest
            Get-ProxyRequestCount | Should -Be 0
        }

        It 'reads a manifest no record names by digest, its type from its body' {
            $manifest = Get-ImageManifest "$p/demo/multi@$($arm64.digest)" -Store $store -Local
            $manifest | Should -BeOfType ContentPS.ImageManifestInfo
            $manifest.Source | Should -Be 'Store'
            $manifest.MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
            $manifest.Digest | Should -Be $arm64.digest
            $manifest.Size | Should -Be $arm64.size
            Get-ProxyRequestCount | Should -Be 0
        }

        It 'gives descriptors whose Reference reads again from the store' {
            $index = Get-ImageManifest "$p/demo/multi:latest" -Store $store
            $index.Manifests[1].Reference | Should -Be "$p/demo/multi@$($arm64.digest)"
            $manifest = $index.Manifests[1] | Get-ImageManifest -Store $store -Local
            $manifest.Digest | Should -Be $arm64.digest
            $manifest.Layers[0].Reference | Should -Be "$p/demo/multi@$($manifest.Layers[0].Digest)"
            Get-ProxyRequestCount | Should -Be 0
        }
    }

    Context '-Platform' {
        It 'chooses the manifest of <Platform> from the store' -ForEach @(
            @{ Reference = 'demo/multi:latest'; Platform = 'linux/arm64'; Layout = 'multi'; Expected = 'linux/arm64/v8' }
            @{ Reference = 'demo/multi:latest'; Platform = 'linux/arm/v7'; Layout = 'multi'; Expected = 'linux/arm/v7' }
            @{ Reference = 'demo/nested:latest'; Platform = 'linux/arm64'; Layout = 'nested'; Expected = 'linux/arm64/v8' }
        ) {
            $manifest = Get-ImageManifest "$p/$Reference" -Store $store -Platform $Platform -Local
            $manifest.Source | Should -Be 'Store'
            $manifest.Digest | Should -Be (Get-TestLayoutManifest $images[$Layout] $Expected).digest
            $manifest.Platform.Platform | Should -Be $Expected
            Get-ProxyRequestCount | Should -Be 0
        }

        It 'writes PlatformNotFound from the store index as the registry would' {
            Get-ImageManifest "$p/demo/multi:latest" -Store $store -Platform windows/amd64 -Local -ErrorVariable failed -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'PlatformNotFound,*'
            $failed[0].Exception.Message | Should -BeLike '*linux/amd64, linux/arm64/v8, linux/arm/v7)'
            Get-ProxyRequestCount | Should -Be 0
        }

        Context 'when the store lacks the platform''s manifest' {
            BeforeAll {
                $partial = Join-Path $TestDrive 'partial-store'
                $pulled = Save-TestImage $partial "$p/demo/multi:latest" -AllPlatforms
                Set-TestImageRecord $partial 'myapp' $pulled.Root
                Remove-Item -LiteralPath (Join-Path $partial ('blobs/sha256/' + $arm64.digest.Substring(7))) -Force
            }

            It '-Local writes ManifestNotFound naming the platform' {
                Get-ImageManifest "$p/demo/multi:latest" -Store $partial -Platform linux/arm64 -Local -ErrorVariable failed -ErrorAction SilentlyContinue |
                    Should -BeNullOrEmpty
                $failed.Count | Should -Be 1
                $failed[0].FullyQualifiedErrorId | Should -Be 'ManifestNotFound,ContentPS.Commands.GetImageManifestCommand'
                [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be 'NotFound'
                $failed[0].TargetObject | Should -Be "$p/demo/multi:latest"
                $failed[0].Exception.Message | Should -BeLike '*linux/arm64*'
                $failed[0].Exception.Message | Should -BeLike "*$($arm64.digest)*"
                Get-ProxyRequestCount | Should -Be 0
            }

            It 'reads that manifest from the registry by digest by default (the index still from the store)' {
                $manifest = Get-ImageManifest "$p/demo/multi:latest" -Store $partial -Platform linux/arm64
                $manifest.Source | Should -Be 'Registry'
                $manifest.Digest | Should -Be $arm64.digest
                $manifest.Platform.Platform | Should -Be 'linux/arm64/v8'
                $manifestRequests = @(Get-TestFaultRequests -Proxy $proxy | Where-Object target -Like '/v2/demo/multi/manifests/*')
                $manifestRequests.target | Should -Be @("/v2/demo/multi/manifests/$($arm64.digest)")
            }

            It 'asks no registry for an image recorded under a name of its own: ManifestNotFound' {
                (Get-ImageManifest myapp -Store $partial -Platform linux/amd64).Source | Should -Be 'Store'
                Get-ImageManifest myapp -Store $partial -Platform linux/arm64 -ErrorVariable failed -ErrorAction SilentlyContinue |
                    Should -BeNullOrEmpty
                $failed[0].FullyQualifiedErrorId | Should -Be 'ManifestNotFound,ContentPS.Commands.GetImageManifestCommand'
                $failed[0].TargetObject | Should -Be 'myapp'
                $failed[0].Exception.Message | Should -BeLike '*linux/arm64*no registry is asked*'
                Get-ProxyRequestCount | Should -Be 0
            }

            It 'still reads the other platforms from the store' {
                (Get-ImageManifest "$p/demo/multi:latest" -Store $partial -Platform linux/amd64).Source | Should -Be 'Store'
                Get-ProxyRequestCount | Should -Be 0
            }
        }
    }

    Context '-Raw' {
        It 'writes the stored bytes, equal to what the registry serves' {
            $local = Get-ImageManifest "$p/demo/multi:latest" -Store $store -Raw -Local
            Get-ProxyRequestCount | Should -Be 0
            $remote = Get-ImageManifest "$p/demo/multi:latest" -Raw -Remote
            $local | Should -BeOfType string
            $local | Should -BeExactly $remote
            Get-Sha256Digest $local | Should -Be $images.multi.top.digest
        }

        It 'writes the stored bytes of the chosen platform' {
            $local = Get-ImageManifest "$p/demo/multi:latest" -Store $store -Raw -Local -Platform linux/arm64
            Get-Sha256Digest $local | Should -Be $arm64.digest
            $local | Should -BeExactly (Get-ImageManifest "$p/demo/multi:latest" -Raw -Remote -Platform linux/arm64)
        }
    }

    Context 'pipeline' {
        It 'reads every record Get-Image writes from its store' {
            $records = @(Get-Image -Store $store)
            $records.Count | Should -Be 3
            $documents = @($records | Get-ImageManifest -Local)
            $documents.Count | Should -Be 3
            $documents.Source | Sort-Object -Unique | Should -Be 'Store'
            $documents.Digest | Should -Be $records.Digest
            $documents.Reference | Should -Be $records.Name
            Get-ProxyRequestCount | Should -Be 0
        }

        It 'reads a record named by a short name, as Get-Image writes it' {
            $named = Join-Path $TestDrive 'named-store'
            $pulled = Save-TestImage $named "$p/demo/single:1.0"
            Set-TestImageRecord $named 'myapp' $pulled.Root
            Clear-TestFaultProxy -Proxy $proxy
            $manifest = Get-Image -Store $named -Name myapp | Get-ImageManifest -Local
            $manifest.Source | Should -Be 'Store'
            $manifest.Digest | Should -Be $images.single.top.digest
            Get-ProxyRequestCount | Should -Be 0
        }

        It 'takes -Store from each piped object' {
            $other = Join-Path $TestDrive 'other-store'
            $null = Save-TestImage $other "$p/demo/docker:latest"
            Clear-TestFaultProxy -Proxy $proxy
            $documents = @(@(Get-Image -Store $store -Name "$p/demo/single:1.0") + @(Get-Image -Store $other) | Get-ImageManifest -Local)
            $documents.Digest | Should -Be @($images.single.top.digest, $images.docker.top.digest)
            Get-ProxyRequestCount | Should -Be 0
        }
    }

    Context 'bad stores' {
        It 'ends with InvalidPath for a -Store that is not a file-system path' {
            { Get-ImageManifest "$p/demo/multi:latest" -Store 'Env:\PATH' -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidPath,ContentPS.Commands.GetImageManifestCommand'
            Get-ProxyRequestCount | Should -Be 0
        }

        It 'ends with StoreInvalid for a -Store that is a file' {
            $file = Join-Path $TestDrive 'not-a-store.txt'
            Set-Content -LiteralPath $file -Value 'text'
            { Get-ImageManifest "$p/demo/multi:latest" -Store $file -ErrorAction Stop } |
                Should -Throw -ErrorId 'StoreInvalid,ContentPS.Commands.GetImageManifestCommand'
            Get-ProxyRequestCount | Should -Be 0
        }

        It '-Remote does not open the store' {
            $file = Join-Path $TestDrive 'still-not-a-store.txt'
            Set-Content -LiteralPath $file -Value 'text'
            (Get-ImageManifest "$p/demo/single:1.0" -Store $file -Remote).Source | Should -Be 'Registry'
        }

        It 'reads a record whose content is gone from the registry by default, and writes ManifestNotFound with -Local' {
            $emptied = Join-Path $TestDrive 'emptied-store'
            $pulled = Save-TestImage $emptied "$p/demo/single:1.0"
            Set-TestImageRecord $emptied 'myapp' $pulled.Root
            Remove-Item -LiteralPath (Join-Path $emptied ('blobs/sha256/' + $pulled.Root.Digest.Encoded)) -Force
            Clear-TestFaultProxy -Proxy $proxy

            Get-ImageManifest "$p/demo/single:1.0" -Store $emptied -Local -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -Be 'ManifestNotFound,ContentPS.Commands.GetImageManifestCommand'
            $failed[0].TargetObject | Should -Be "$p/demo/single:1.0"
            # A record under a name of its own has no registry to fall back to.
            Get-ImageManifest myapp -Store $emptied -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ManifestNotFound,*'
            Get-ProxyRequestCount | Should -Be 0

            (Get-ImageManifest "$p/demo/single:1.0" -Store $emptied).Source | Should -Be 'Registry'
        }

        It 'writes DataLoss for stored content that no longer matches its digest' {
            $corrupt = Join-Path $TestDrive 'corrupt-store'
            $pulled = Save-TestImage $corrupt "$p/demo/single:1.0"
            $blob = Join-Path $corrupt ('blobs/sha256/' + $pulled.Root.Digest.Encoded)
            $bytes = [IO.File]::ReadAllBytes($blob)
            [IO.File]::SetUnixFileMode($blob, [IO.UnixFileMode]'UserRead, UserWrite') # committed blobs are read-only
            $bytes[10] = $bytes[10] -bxor 1
            [IO.File]::WriteAllBytes($blob, $bytes)
            Get-ImageManifest "$p/demo/single:1.0" -Store $corrupt -Local -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'BlobCorrupt,*'
            [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be 'DataLoss'
            $failed[0].TargetObject | Should -Be $pulled.Root.Digest.ToString()
            $failed[0].Exception.Message | Should -BeLike '*no longer matches its digest*'
        }
    }
}
