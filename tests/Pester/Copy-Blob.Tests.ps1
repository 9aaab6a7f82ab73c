#Requires -Version 7.4
# Copy-Blob against two real registries, each behind a fault proxy that logs every request: mounts within
# one registry (no upload PATCH/PUT reaches it), streamed uploads to the other, the store as source and
# destination, pipelines from Get-ImageManifest, Get-Blob and Import-Blob, blobs the destination has,
# classified errors per blob (bad digest, missing blob, unreachable registry), terminating errors for
# bad endpoints, -WhatIf, progress, the table view and tab completion of store:.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    $modulePath = (Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'
    $registry = Start-TestRegistry
    $other = Start-TestRegistry
    $layout = New-TestImageLayout -Scenario Layers -Path (Join-Path $TestDrive 'layers') -LayerCount 3 -LayerSize 64KB -Seed 7
    Publish-TestImageLayout -Path $layout.directory -Registry $registry -Repository demo/app -Tag '1.0' | Out-Null
    $proxy = Start-TestFaultProxy -Upstream $registry.BaseUri
    $otherProxy = Start-TestFaultProxy -Upstream $other.BaseUri
    $p = $proxy.Host
    $q = $otherProxy.Host
    $source = "$p/demo/app"
    $manifest = Get-ImageManifest "$source`:1.0"
    $layers = @($manifest.Layers)
    $config = $manifest.Config
    $missing = 'sha256:' + ('0' * 64)

    function New-TestStore {
        Join-Path $TestDrive ('store-' + [guid]::NewGuid().ToString('N'))
    }

    function New-Repository([string] $Registry, [string] $Name) {
        "$Registry/demo/$Name-" + [guid]::NewGuid().ToString('N').Substring(0, 8)
    }

    # The requests a proxy received for a repository's blob uploads, mounts included.
    function Get-UploadRequests([object] $Proxy, [string] $Repository) {
        $path = '/v2/' + $Repository.Substring($Repository.IndexOf('/') + 1) + '/blobs/uploads'
        @(Get-TestFaultRequests -Proxy $Proxy | Where-Object { $_.Target.StartsWith($path, [StringComparison]::Ordinal) })
    }
}

AfterAll {
    $env:CONTENTPS_STORE = $savedStore
    $proxy, $otherProxy | Where-Object { $_ } | Stop-TestFaultProxy
    $registry, $other | Where-Object { $_ } | Stop-TestRegistry
}

Describe 'Copy-Blob between registries' {
    AfterEach {
        Clear-TestFaultProxy -Proxy $proxy
        Clear-TestFaultProxy -Proxy $otherProxy
    }

    It 'mounts the layers piped from Get-ImageManifest within one registry: no upload PATCH or PUT reaches it' {
        $destination = New-Repository $p 'mounted'

        $copied = @($manifest | Select-Object -ExpandProperty Layers | Copy-Blob -Source $source -Destination $destination)

        $copied.Count | Should -Be 3
        $copied.Digest | Should -Be $layers.Digest
        $copied | ForEach-Object {
            $_ | Should -BeOfType ([ContentPS.BlobCopyInfo])
            $_.Outcome | Should -Be 'Mounted'
            $_.MountedFrom | Should -Be 'demo/app'
            $_.BytesCopied | Should -Be 0
            $_.Destination | Should -Be $destination
        }
        $copied.Size | Should -Be $layers.Size
        $copied.MediaType | Should -Be $layers.MediaType
        $uploads = Get-UploadRequests $proxy $destination
        @($uploads | Where-Object Method -In 'PATCH', 'PUT').Count | Should -Be 0
        @($uploads | Where-Object { $_.Method -eq 'POST' -and $_.Target -match 'mount=' -and $_.Status -eq 201 }).Count | Should -Be 3
        (Copy-Blob -Digest $layers[0].Digest -Source $source -Destination $destination).Outcome | Should -Be 'Existed'
    }

    It 'streams blobs to another registry, verified, and skips what it has the second time' {
        $destination = New-Repository $q 'copy'
        $blobs = @($layers) + $config

        $first = @($blobs | Copy-Blob -Source $source -Destination $destination)
        Clear-TestFaultProxy -Proxy $otherProxy
        $second = @($blobs | Copy-Blob -Source $source -Destination $destination)

        $first.Outcome | Should -Be (@('Uploaded') * 4)
        $first.Digest | Should -Be $blobs.Digest
        $first | ForEach-Object { $_.BytesCopied | Should -Be $_.Size }
        $first[-1].MediaType | Should -Be $config.MediaType
        $second.Outcome | Should -Be (@('Existed') * 4)
        @(Get-UploadRequests $otherProxy $destination).Count | Should -Be 0
        # What arrived is what the source has: the destination reads back the same digests and sizes.
        $check = @($blobs.Digest | Copy-Blob -Source $destination -Destination store: -Store (New-TestStore))
        $check.Size | Should -Be $blobs.Size
    }

    It 'copies blobs named by digest alone, in the order given, asking the source for their sizes' {
        $destination = New-Repository $q 'bydigest'
        $digests = @($config.Digest, $layers[1].Digest)

        $copied = @($digests | Copy-Blob -Source $source -Destination $destination)

        $copied.Digest | Should -Be $digests
        $copied.Size | Should -Be @($config.Size, $layers[1].Size)
        $copied.MediaType | Should -Be @($null, $null)
        $copied.Outcome | Should -Be @('Uploaded', 'Uploaded')
    }
}

Describe 'Copy-Blob with the store' {
    AfterEach {
        Clear-TestFaultProxy -Proxy $proxy
        Clear-TestFaultProxy -Proxy $otherProxy
    }

    It 'fetches blobs into store:, labelled with their repository, and skips them the second time' {
        $store = New-TestStore

        $fetched = @($layers | Copy-Blob -Source $source -Destination store: -Store $store)
        Clear-TestFaultProxy -Proxy $proxy
        $again = @($layers | Copy-Blob -Source $source -Destination STORE: -Store $store)

        $fetched.Outcome | Should -Be (@('Fetched') * 3)
        $fetched | ForEach-Object { $_.BytesCopied | Should -Be $_.Size; $_.Store | Should -Be $store; $_.Destination | Should -Be 'store:' }
        $again.Outcome | Should -Be (@('Existed') * 3)
        @(Get-TestFaultRequests -Proxy $proxy | Where-Object Method -EQ 'GET').Count | Should -Be 0
        $inStore = @(Get-Blob -Store $store | Sort-Object Digest)
        $inStore.Digest | Should -Be @($layers.Digest | Sort-Object)
        $label = [ContentPS.Engine.Images.Handlers.ImageHandlers]::DistributionSourceKey($p)
        $inStore | ForEach-Object { $_.Labels[$label] | Should -Be 'demo/app' }
        @(Test-Blob -Store $store -Digest $layers.Digest) | Should -Be @($true, $true, $true)
    }

    It 'pushes blobs piped from Get-Blob out of store: to another registry, and mounts them on the registry they came from' {
        $store = New-TestStore
        $null = $layers | Copy-Blob -Source $source -Destination store: -Store $store
        $elsewhere = New-Repository $q 'fromstore'
        $sameRegistry = New-Repository $p 'fromstore'

        $uploaded = @(Get-Blob -Store $store | Copy-Blob -Source store: -Destination $elsewhere)
        $mounted = @(Get-Blob -Store $store | Copy-Blob -Source store: -Destination $sameRegistry)

        $uploaded.Outcome | Should -Be (@('Uploaded') * 3)
        $uploaded | ForEach-Object { $_.Source | Should -Be 'store:'; $_.Store | Should -Be $store }
        $mounted.Outcome | Should -Be (@('Mounted') * 3)
        @(Get-UploadRequests $proxy $sameRegistry | Where-Object Method -In 'PATCH', 'PUT').Count | Should -Be 0
        (Copy-Blob -Digest $layers.Digest -Source $elsewhere -Destination store: -Store (New-TestStore)).Outcome | Should -Be (@('Fetched') * 3)
    }

    It 'pushes a blob piped from Import-Blob with its media type' {
        $store = New-TestStore
        $file = Join-Path $TestDrive 'note.txt'
        Set-Content -LiteralPath $file -Value 'a blob from a file' -NoNewline
        $destination = New-Repository $q 'imported'

        $copied = Import-Blob -Path $file -MediaType 'text/plain' -Store $store | Copy-Blob -Source store: -Destination $destination

        $copied.Outcome | Should -Be 'Uploaded'
        $copied.MediaType | Should -Be 'text/plain'
        $copied.Size | Should -Be 18
        (Copy-Blob -Digest $copied.Digest -Source $destination -Destination store: -Store (New-TestStore)).Size | Should -Be 18
    }
}

Describe 'Copy-Blob errors' {
    AfterEach {
        Clear-TestFaultProxy -Proxy $proxy
        Clear-TestFaultProxy -Proxy $otherProxy
    }

    It 'writes InvalidDigest for a bad digest and BlobNotFound for a missing blob, each with its digest as target, and copies the rest' {
        $destination = New-Repository $q 'errors'

        $copied = @(Copy-Blob -Digest 'sha256:xyz', $missing, $layers[0].Digest -Source $source -Destination $destination -ErrorAction SilentlyContinue -ErrorVariable failed)

        $copied.Digest | Should -Be @($layers[0].Digest)
        $copied.Outcome | Should -Be 'Uploaded'
        $failed.Count | Should -Be 2
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidDigest,ContentPS.Commands.CopyBlobCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failed[0].TargetObject | Should -Be 'sha256:xyz'
        $failed[1].FullyQualifiedErrorId | Should -Be 'BlobNotFound,ContentPS.Commands.CopyBlobCommand'
        $failed[1].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[1].CategoryInfo.Reason | Should -Be 'NotFoundException'
        $failed[1].TargetObject | Should -Be $missing
    }

    It 'writes DigestMismatch for a corrupt source blob and leaves it out of the registry and the store' {
        $store = New-TestStore
        $destination = New-Repository $q 'corrupt'
        $null = Add-TestFaultRule -Proxy $proxy -Fault CorruptBody -Method GET -Path "/blobs/$($layers[2].Digest)"

        $toRegistry = @($layers[2], $layers[0] | Copy-Blob -Source $source -Destination $destination -ErrorAction SilentlyContinue -ErrorVariable registryFailed)
        $toStore = @($layers[2] | Copy-Blob -Source $source -Destination store: -Store $store -ErrorAction SilentlyContinue -ErrorVariable storeFailed)

        $toRegistry.Digest | Should -Be @($layers[0].Digest)
        $toStore.Count | Should -Be 0
        foreach ($failure in @($registryFailed) + @($storeFailed)) {
            $failure.FullyQualifiedErrorId | Should -Be 'DigestMismatch,ContentPS.Commands.CopyBlobCommand'
            $failure.TargetObject | Should -Be $layers[2].Digest
        }
        @($registryFailed).Count + @($storeFailed).Count | Should -Be 2
        Clear-TestFaultProxy -Proxy $proxy
        $null = Copy-Blob -Digest $layers[2].Digest -Source $destination -Destination store: -Store (New-TestStore) -ErrorAction SilentlyContinue -ErrorVariable absent
        $absent.FullyQualifiedErrorId | Should -Be 'BlobNotFound,ContentPS.Commands.CopyBlobCommand'
        @(Get-Blob -Store $store -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'writes SizeMismatch for a piped size that lies, to <Case>' -ForEach @(
        @{ Case = 'a registry'; Store = $false }
        @{ Case = 'the store'; Store = $true }
    ) {
        $destination = if ($Store) { 'store:' } else { New-Repository $q 'lies' }
        $lies = [pscustomobject]@{ Digest = $layers[0].Digest; Size = $layers[0].Size - 1 }

        $copied = @($lies | Copy-Blob -Source $source -Destination $destination -Store (New-TestStore) -ErrorAction SilentlyContinue -ErrorVariable failed)

        $copied.Count | Should -Be 0
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'SizeMismatch,ContentPS.Commands.CopyBlobCommand'
        $failed[0].TargetObject | Should -Be $layers[0].Digest
    }

    It 'writes BlobNotFound for a blob of a store that does not exist, and creates no store' {
        $store = New-TestStore
        $destination = New-Repository $q 'nostore'

        $copied = @(Copy-Blob -Digest $layers[0].Digest -Source store: -Destination $destination -Store $store -ErrorAction SilentlyContinue -ErrorVariable failed)

        $copied.Count | Should -Be 0
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'BlobNotFound,ContentPS.Commands.CopyBlobCommand'
        $failed[0].TargetObject | Should -Be $layers[0].Digest
        Test-Path -LiteralPath $store | Should -BeFalse
        @(Get-TestFaultRequests -Proxy $otherProxy).Count | Should -Be 0
    }

    It 'writes a ResourceUnavailable error per blob for an unreachable destination' {
        $unreachable = Start-TestFaultProxy -Upstream $other.BaseUri
        $address = $unreachable.Host
        $unreachable | Stop-TestFaultProxy

        $copied = @($layers[0], $layers[1] | Copy-Blob -Source $source -Destination "$address/demo/gone" -MaximumRetryCount 0 -ErrorAction SilentlyContinue -ErrorVariable failed)

        $copied.Count | Should -Be 0
        $failed.Count | Should -Be 2
        $failed | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -Be 'RegistryUnavailable,ContentPS.Commands.CopyBlobCommand'
            $_.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        }
        $failed.TargetObject | Should -Be @($layers[0].Digest, $layers[1].Digest)
        $failed[0].Exception.Message | Should -BeLike "*$($layers[0].Digest)*"
        $failed[0].Exception.Message | Should -BeLike "*$address*"
    }

    It 'ends the call for <Case> before any request' -ForEach @(
        @{ Case = 'two stores'; From = 'store:'; To = 'store:'; ErrorId = 'InvalidArgument' }
        @{ Case = 'a source that is no reference'; From = 'Not A/Reference'; To = 'store:'; ErrorId = 'InvalidReference' }
        @{ Case = 'a destination that is no reference'; From = 'store:'; To = 'store:x:y'; ErrorId = 'InvalidReference' }
    ) {
        $failure = { Copy-Blob -Digest $layers[0].Digest -Source $From -Destination $To -Store (New-TestStore) } | Should -Throw -PassThru

        $failure.FullyQualifiedErrorId | Should -Be "$ErrorId,ContentPS.Commands.CopyBlobCommand"
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-TestFaultRequests -Proxy $proxy).Count | Should -Be 0
    }
}

Describe 'Copy-Blob -WhatIf, progress, view and completion' {
    AfterEach {
        Clear-TestFaultProxy -Proxy $proxy
        Clear-TestFaultProxy -Proxy $otherProxy
    }

    It '-WhatIf sends no request, writes nothing and creates no store' {
        $store = New-TestStore
        $destination = New-Repository $q 'whatif'

        $toStore = @($layers | Copy-Blob -Source $source -Destination store: -Store $store -WhatIf)
        $toRegistry = @($layers | Copy-Blob -Source $source -Destination $destination -WhatIf)

        $toStore.Count + $toRegistry.Count | Should -Be 0
        Test-Path -LiteralPath $store | Should -BeFalse
        @(Get-TestFaultRequests -Proxy $proxy).Count | Should -Be 0
        @(Get-TestFaultRequests -Proxy $otherProxy).Count | Should -Be 0
    }

    It 'writes one progress activity for the call and completes it and its children' {
        $destination = New-Repository $q 'progress'
        $digests = ($layers.Digest | ForEach-Object { "'$_'" }) -join ','
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$($modulePath -replace "'", "''")' -ErrorAction Stop").AddStatement()
            $null = $shell.AddScript("`$ProgressPreference = 'Continue'; Copy-Blob -Digest $digests -Source '$source' -Destination '$destination'")
            $out = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $out.Count | Should -Be 3
            $records = @($shell.Streams.Progress)
            $parents = @($records | Where-Object { $_.Activity -eq "Copying blobs from $source to $destination" })
            $parents.Count | Should -BeGreaterThan 0
            $parents[-1].RecordType | Should -Be 'Completed'
            $parents[-1].StatusDescription | Should -Match '^3 of 3 blobs'
            $children = @($records | Where-Object ParentActivityId -EQ $parents[0].ActivityId)
            foreach ($group in $children | Group-Object ActivityId) { $group.Group[-1].RecordType | Should -Be 'Completed' }
            $records[-1].ActivityId | Should -Be $parents[0].ActivityId
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'shows a table with the outcome, short digest, size and bytes copied' {
        $destination = New-Repository $p 'view'

        $text = $layers[0] | Copy-Blob -Source $source -Destination $destination | Out-String -Width 250

        $text | Should -Match 'Outcome\s+Digest\s+Size\s+MediaType\s+BytesCopied\s+Destination'
        $text | Should -Match "Mounted\s+sha256:[0-9a-f]{12}"
        $text | Should -Match ([regex]::Escape($destination))
    }

    It 'completes -Source and -Destination with store:' {
        foreach ($line in 'Copy-Blob -Source sto', 'Copy-Blob -Destination S') {
            $matches = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $matches.CompletionText | Should -Contain 'store:'
        }
        $line = 'Copy-Blob -Source 127.0.0.1'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Not -Contain 'store:'
    }
}
