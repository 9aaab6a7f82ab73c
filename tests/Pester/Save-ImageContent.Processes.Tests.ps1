#Requires -Version 7.4
# Save-ImageContent in real pwsh processes sharing one store (issue 6): concurrent pulls of one image download
# each blob once; a pull killed with SIGKILL mid-layer is resumed from its partial ingest; a garbage collection
# while another process pulls loses nothing the pull needs. Every pull goes through the fault proxy, which
# counts the requests and holds a layer back (Trickle) so each step can be caught in the middle.

BeforeAll {
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path
    Import-Module $manifest -Force
    Import-Module (Join-Path $PSScriptRoot 'Fixtures/ChildProcess.psm1') -Force
    $PSDefaultParameterValues['Start-ChildPwsh:Module'] = $manifest
    $PSDefaultParameterValues['Start-ChildPwsh:NoProgress'] = $true
    Import-Module (Join-Path $PSScriptRoot 'Fixtures/TestFixtures.psm1') -Force
    $script:Registry = Start-TestRegistry
    $script:Proxy = Start-TestFaultProxy -Upstream $Registry.BaseUri

    # The child's script: one pull of the image for linux/amd64, its PullSummary as one JSON line.
    function Get-PullScript([string] $Reference, [string] $Store, [string] $GoFile) {
        $wait = if ($GoFile) { "while (-not (Test-Path '$GoFile')) { Start-Sleep -Milliseconds 10 }; " } else { '' }
        "$wait Save-ImageContent '$Reference' -Store '$Store' -Platform linux/amd64 | ConvertTo-Json -Compress"
    }

    function Read-LayoutJson([string] $Layout, [string] $Digest) {
        Get-Content -Raw -LiteralPath (Join-Path $Layout "blobs/sha256/$($Digest.Substring(7))") | ConvertFrom-Json
    }

    # What a linux/amd64 pull must leave, read off the layout's files: every index, every manifest but the
    # attestations, their configs, and the layers of the linux/amd64 manifest (or of a root manifest).
    function Get-ExpectedBlobs([string] $Layout) {
        $index = Get-Content -Raw -LiteralPath (Join-Path $Layout 'index.json') | ConvertFrom-Json
        $expected = [Collections.Generic.SortedSet[string]]::new([StringComparer]::Ordinal)
        $pending = [Collections.Generic.Queue[object]]::new()
        $pending.Enqueue([pscustomobject]@{ Digest = $index.manifests[0].digest; Platform = $null; Root = $true })
        while ($pending.Count -gt 0) {
            $node = $pending.Dequeue()
            $null = $expected.Add($node.Digest)
            $json = Read-LayoutJson $Layout $node.Digest
            if ($json.manifests) {
                foreach ($child in $json.manifests) {
                    $platform = if ($child.platform) { ($child.platform.os, $child.platform.architecture, $child.platform.variant | Where-Object { $_ }) -join '/' }
                    if ($platform -ne 'unknown/unknown') { $pending.Enqueue([pscustomobject]@{ Digest = $child.digest; Platform = $platform; Root = $false }) }
                }
                continue
            }
            $null = $expected.Add($json.config.digest)
            if ($node.Root -or $node.Platform -eq 'linux/amd64') { foreach ($layer in $json.layers) { $null = $expected.Add($layer.digest) } }
        }
        , @($expected)
    }

    function New-PushedImage([string] $Name, [string] $Scenario, [int] $LayerCount, [long] $LayerSize) {
        $layout = Join-Path $TestDrive $Name
        $result = New-TestImageLayout -Scenario $Scenario -Path $layout -LayerCount $LayerCount -LayerSize $LayerSize -Seed ($Name.GetHashCode() -band 0xffff)
        Publish-TestImageLayout -Path $layout -Registry $Registry -Repository "processes/$Name" -Tag v1 | Out-Null
        [pscustomobject]@{
            Layout    = $layout
            Reference = "$($Proxy.Host)/processes/$($Name):v1"
            Expected  = Get-ExpectedBlobs $layout
            Blobs     = $result.blobs
        }
    }

    # Every committed blob of the store, by digest, checked against its own bytes.
    function Get-IntactStoredBlobs([string] $Store) {
        $files = @(Get-ChildItem -LiteralPath (Join-Path $Store 'blobs/sha256') -File)
        foreach ($file in $files) {
            'sha256:' + (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash.ToLowerInvariant() | Should -BeExactly "sha256:$($file.Name)"
        }
        $files | ForEach-Object { "sha256:$($_.Name)" } | Sort-Object -CaseSensitive
    }

    # GET requests the proxy saw for content addressed by digest (blobs and manifests), grouped by digest.
    function Get-DownloadsByDigest {
        Get-TestFaultRequests -Proxy $Proxy |
            Where-Object { $_.method -eq 'GET' -and $_.target -match '/(blobs|manifests)/(sha256:[0-9a-f]{64})$' } |
            ForEach-Object { [pscustomobject]@{ Digest = ($_.target -split '/')[-1]; Range = $_.range } } |
            Group-Object Digest
    }

    function Invoke-ImageCheck([string] $Store, [string] $Name) {
        $content = [ContentPS.Engine.Content.LocalContentStore]::Open($Store)
        $record = [ContentPS.Engine.Images.ImageRecordStore]::new($Store).GetAsync($Name, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $amd64 = [ContentPS.Engine.Oci.Platforms]::Only([ContentPS.Engine.Oci.Platforms]::Parse('linux/amd64'))
        [ContentPS.Engine.Images.Check.ImageCheck]::CheckAsync($content, $record, $amd64, $true, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    }
}

AfterAll {
    if ($script:Proxy) { $script:Proxy | Stop-TestFaultProxy }
    if ($script:Registry) { $script:Registry | Stop-TestRegistry }
}

Describe 'Concurrent Save-ImageContent processes on one store' -Tag 'MultiProcess' {
    BeforeAll {
        $image = New-PushedImage -Name 'concurrent' -Scenario MultiPlatform -LayerCount 2 -LayerSize 1MB
    }

    It '<Count> processes pulling the same image all succeed, download each blob once and leave nothing in ingest/' -ForEach @(
        @{ Count = 2 }, @{ Count = 4 }
    ) {
        $store = Join-Path $TestDrive "store-concurrent-$Count"
        $go = Join-Path $TestDrive "go-concurrent-$Count"
        Clear-TestFaultProxy -Proxy $Proxy
        # Slow answers keep each download's ingest locked while the other processes reach it.
        $null = Add-TestFaultRule -Proxy $Proxy -Fault Forward -DelayMilliseconds 200 -Path '/(blobs|manifests)/sha256:' -Method GET
        $children = 1..$Count | ForEach-Object { Start-ChildPwsh (Get-PullScript $image.Reference $store $go) }
        New-Item -ItemType File $go | Out-Null

        $summaries = foreach ($child in $children) {
            $result = Wait-ChildPwsh $child
            $result.Stderr | Should -BeNullOrEmpty
            $result.ExitCode | Should -Be 0
            $result.Stdout | ConvertFrom-Json
        }

        $summaries.Count | Should -Be $Count
        $summaries.Name | Sort-Object -Unique | Should -Be @("$($image.Reference)")
        ($summaries | Measure-Object BlobsFetched -Sum).Sum | Should -Be $image.Expected.Count -Because 'between them the processes fetched each blob once'
        $summaries | ForEach-Object { $_.BlobsFetched + $_.BlobsPresent + $_.BlobsResumed | Should -Be $image.Expected.Count }
        $downloads = @(Get-DownloadsByDigest)
        ($downloads.Name | Sort-Object -CaseSensitive) | Should -Be $image.Expected
        $downloads | ForEach-Object { $_.Count | Should -Be 1 -Because "$($_.Name) is downloaded once" }
        @(Get-IntactStoredBlobs $store) | Should -Be $image.Expected
        @(Get-ChildItem -Force (Join-Path $store 'ingest')).Count | Should -Be 0
        (Invoke-ImageCheck $store $image.Reference).Available | Should -BeTrue
    }
}

Describe 'A pull killed with SIGKILL mid-layer' -Tag 'MultiProcess' -Skip:(-not $IsLinux -and -not $IsMacOS) {
    BeforeAll {
        $image = New-PushedImage -Name 'killed' -Scenario Layers -LayerCount 1 -LayerSize 6MB
        $layer = $image.Blobs | Where-Object kind -EQ 'Layer'
    }

    It 'is resumed by the same pull from its partial offset, fetching no more than what was missing plus 10%' {
        $store = Join-Path $TestDrive 'store-killed'
        Clear-TestFaultProxy -Proxy $Proxy
        # Hold the layer back: about 1 MB a second, so the kill lands mid-layer.
        $null = Add-TestFaultRule -Proxy $Proxy -Fault Trickle -BytesPerSecond 1000000 -Path "/blobs/$($layer.digest)" -Method GET
        $puller = Start-ChildPwsh (Get-PullScript $image.Reference $store)
        try {
            Wait-Until -Because 'the layer has 1 MiB in its ingest' -Condition {
                (Test-Path (Join-Path $store 'oci-layout')) -and ((Get-BlobIngest -Store $store | Where-Object Expected -EQ $layer.digest).Offset -ge 1MB)
            }
            & kill -9 $puller.Process.Id
            $puller.Process.WaitForExit(10000) | Should -BeTrue
            $puller.Process.ExitCode | Should -Be 137 -Because 'SIGKILL, not a clean exit'
        }
        finally {
            if (-not $puller.Process.HasExited) { $puller.Process.Kill($true) }
        }

        Get-ChildItem -LiteralPath (Join-Path $store 'index.json') -ErrorAction Ignore |
            ForEach-Object { (Get-Content -Raw $_.FullName | ConvertFrom-Json).manifests | Should -BeNullOrEmpty -Because 'no record for an incomplete image' }
        $partial = Get-BlobIngest -Store $store | Where-Object Expected -EQ $layer.digest
        $partial.Locked | Should -BeFalse -Because 'the dead process held the lock'
        $partial.Offset | Should -BeLessThan $layer.size
        $committed = @(Get-IntactStoredBlobs $store)
        $missing = ($image.Blobs | Where-Object { $_.digest -notin $committed } | Measure-Object size -Sum).Sum - $partial.Offset

        Clear-TestFaultProxy -Proxy $Proxy
        $result = Wait-ChildPwsh (Start-ChildPwsh (Get-PullScript $image.Reference $store))

        $result.Stderr | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
        $summary = $result.Stdout | ConvertFrom-Json
        $summary.BlobsResumed | Should -Be 1
        $summary.BytesFetched | Should -BeLessOrEqual ([Math]::Ceiling($missing * 1.1))
        $summary.BytesFetched | Should -BeGreaterOrEqual ($layer.size - $partial.Offset)
        $layerGets = @(Get-DownloadsByDigest | Where-Object Name -EQ $layer.digest)
        $layerGets.Group.Range | Should -Be @("bytes=$($partial.Offset)-$($layer.size - 1)") -Because 'one request for the rest of the layer'
        @(Get-IntactStoredBlobs $store) | Should -Be $image.Expected
        @(Get-ChildItem -Force (Join-Path $store 'ingest')).Count | Should -Be 0
        (Invoke-ImageCheck $store $image.Reference).Available | Should -BeTrue
    }
}

Describe 'Garbage collection while another process pulls' -Tag 'MultiProcess' {
    BeforeAll {
        $image = New-PushedImage -Name 'collected' -Scenario Layers -LayerCount 2 -LayerSize 3MB
        $held = ($image.Blobs | Where-Object kind -EQ 'Layer')[1]
    }

    It 'removes garbage but nothing the pull has fetched or is fetching; the pull completes and its image checks out' {
        $store = Join-Path $TestDrive 'store-collected'
        $garbage = Join-Path $TestDrive 'garbage.bin'
        [IO.File]::WriteAllBytes($garbage, [Text.Encoding]::UTF8.GetBytes('no record, label or lease names me'))
        $garbageDigest = (Import-Blob -LiteralPath $garbage -Store $store).Digest
        Clear-TestFaultProxy -Proxy $Proxy
        $null = Add-TestFaultRule -Proxy $Proxy -Fault Trickle -BytesPerSecond 1000000 -Path "/blobs/$($held.digest)" -Method GET
        $puller = Start-ChildPwsh (Get-PullScript $image.Reference $store)
        try {
            # Everything but the held layer is committed (under the pull's lease only: no record names it yet),
            # and the held layer is part-way into its ingest.
            $others = @($image.Expected | Where-Object { $_ -ne $held.digest })
            Wait-Until -Because 'the pull committed all but the held layer and started on it' -Condition {
                $stored = @(Get-ChildItem -LiteralPath (Join-Path $store 'blobs/sha256') -File).Name | ForEach-Object { "sha256:$_" }
                (@($others | Where-Object { $_ -notin $stored }).Count -eq 0) -and
                    ((Get-BlobIngest -Store $store | Where-Object Expected -EQ $held.digest).Offset -gt 0)
            }

            # Ingests of any age may go: only a live lease or the ingest's lock keeps the held layer's.
            $options = [ContentPS.Engine.Gc.GcOptions]@{ IngestMaxAge = [TimeSpan]::Zero }
            $collected = [ContentPS.Engine.Gc.GarbageCollector]::CollectAsync([ContentPS.Engine.Content.LocalContentStore]::Open($store), $options,
                [Threading.CancellationToken]::None).GetAwaiter().GetResult()

            @($collected.RemovedContent.Digest.ForEach({ "$_" })) | Should -Be @($garbageDigest)
            $collected.RemovedIngests | Should -BeNullOrEmpty
            $result = Wait-ChildPwsh $puller
        }
        finally {
            if (-not $puller.Process.HasExited) { $puller.Process.Kill($true) }
        }

        $result.Stderr | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
        ($result.Stdout | ConvertFrom-Json).BlobsFetched | Should -Be $image.Expected.Count
        Get-DownloadsByDigest | ForEach-Object { $_.Count | Should -Be 1 -Because "nothing of $($_.Name) was lost and fetched again" }
        @(Get-IntactStoredBlobs $store) | Should -Be $image.Expected
        $check = Invoke-ImageCheck $store $image.Reference
        $check.Available | Should -BeTrue
        $check.Missing | Should -BeNullOrEmpty
        $check.Corrupt | Should -BeNullOrEmpty
        # With the pull done, its lease is gone and the record alone keeps the image.
        $again = [ContentPS.Engine.Gc.GarbageCollector]::CollectAsync([ContentPS.Engine.Content.LocalContentStore]::Open($store), $null,
            [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $again.RemovedContent | Should -BeNullOrEmpty
    }
}
