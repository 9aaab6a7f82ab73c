#Requires -Version 7.4
# Remove-UnreferencedContent: garbage collection of a store. What must survive (image records' content, gc.root
# labels and what they refer to, young and locked ingests, content leased by another process) and what must go
# (unreferenced blobs, stale ingests); -WhatIf removes nothing. Each test has its own store.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path
    $layout = New-TestImageLayout -Scenario MultiPlatform -Path (Join-Path $TestDrive 'layout') -Seed 5
    $imageBlobs = @($layout.blobs.digest + $layout.top.digest | Sort-Object -Unique)

    function New-TestStore {
        $path = Join-Path $TestDrive ("store-" + [guid]::NewGuid().ToString('N'))
        $null = [ContentPS.Engine.Content.LocalContentStore]::Open($path)
        $path
    }

    # Copies the layout's blobs into the store and records its index as $Name.
    function Add-TestImage([string] $Store, [string] $Name) {
        $blobs = New-Item -ItemType Directory -Path (Join-Path $Store 'blobs/sha256') -Force
        Copy-Item -Path (Join-Path $layout.directory 'blobs/sha256/*') -Destination $blobs.FullName -Force
        $descriptor = [ContentPS.Engine.Oci.Descriptor]@{
            MediaType = $layout.top.mediaType
            Digest    = [ContentPS.Engine.Oci.Digest]::Parse($layout.top.digest)
            Size      = $layout.top.size
        }
        $null = [ContentPS.Engine.Images.ImageRecordStore]::new($Store).SetAsync($Name, $descriptor, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    }

    # Imports a blob no record refers to (garbage unless a label or lease keeps it).
    function Add-TestBlob([string] $Store, [string] $Text, [hashtable] $Label = @{}) {
        $file = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        [IO.File]::WriteAllText($file, $Text)
        Import-Blob -Path $file -Store $Store -Label $Label
    }

    # A partial write left through the engine's writer, as an interrupted pull leaves one; -KeepOpen keeps it locked.
    function New-PartialIngest([string] $Store, [string] $Ref, [byte[]] $Bytes, [switch] $KeepOpen) {
        $engine = [ContentPS.Engine.Content.LocalContentStore]::Open($Store)
        $writer = $engine.OpenWriterAsync($Ref, 0, $null, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $null = $writer.WriteAsync([ReadOnlyMemory[byte]]::new($Bytes), [Threading.CancellationToken]::None).AsTask().GetAwaiter().GetResult()
        if ($KeepOpen) { return $writer }
        $null = $writer.DisposeAsync().AsTask().GetAwaiter().GetResult()
    }

    function Get-BlobDigests([string] $Store) {
        @(Get-ChildItem (Join-Path $Store 'blobs/sha256') -File | ForEach-Object { 'sha256:' + $_.Name } | Sort-Object)
    }

    # Every file of the store with its size and time, to show that nothing changed.
    function Get-StoreState([string] $Store) {
        (Get-ChildItem $Store -Recurse -File | Where-Object { $_.FullName -notlike '*.lock' } |
            ForEach-Object { '{0} {1} {2:o}' -f $_.FullName.Substring($Store.Length), $_.Length, $_.LastWriteTimeUtc } | Sort-Object) -join "`n"
    }

    # Runs a command in a child pwsh and returns its output lines (What-if lines go to the host, which a child's stdout is).
    function Invoke-ChildPwsh([string] $Command) {
        $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$($manifest -replace "'", "''")'; $Command"
        $output = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script 2>&1
        if ($LASTEXITCODE -ne 0) { throw "child pwsh exited with $LASTEXITCODE`: $($output -join "`n")" }
        @($output | ForEach-Object { "$_" })
    }
}

AfterAll {
    $env:CONTENTPS_STORE = $savedStore
}

Describe 'Remove-UnreferencedContent' {
    BeforeEach {
        $store = New-TestStore
        Add-TestImage $store 'example.com/demo/app:1.0'
    }

    It 'removes unreferenced blobs and keeps every blob of an image record' {
        $garbage = @(Add-TestBlob $store 'garbage one'; Add-TestBlob $store 'garbage two')
        $summary = Remove-UnreferencedContent -Store $store -Confirm:$false
        $summary | Should -BeOfType ([ContentPS.GcSummary])
        $summary.BlobsRemoved | Should -Be 2
        $summary.RemovedDigests | Should -Be @($garbage.Digest | Sort-Object)
        $summary.BytesFreed | Should -Be (($garbage | Measure-Object Size -Sum).Sum)
        $summary.Kept | Should -Be $imageBlobs.Count
        $summary.IngestsRemoved | Should -Be 0
        $summary.Store | Should -Be $store
        $summary.Elapsed | Should -BeOfType ([timespan])
        Get-BlobDigests $store | Should -Be $imageBlobs
        (Test-ImageContent 'example.com/demo/app:1.0' -AllPlatforms -Verify -Store $store).Complete | Should -BeTrue
    }

    It 'removes the content of a removed record' {
        Remove-Image 'example.com/demo/app:1.0' -Store $store -Confirm:$false
        $summary = Remove-UnreferencedContent -Store $store
        $summary.BlobsRemoved | Should -Be $imageBlobs.Count
        $summary.Kept | Should -Be 0
        Get-BlobDigests $store | Should -Be @()
    }

    It 'keeps a blob labelled containerd.io/gc.root, and what its gc.ref.content labels name' {
        $child = Add-TestBlob $store 'kept through a label'
        $root = Add-TestBlob $store 'kept as a root' -Label @{ 'containerd.io/gc.root' = 'yes'; 'containerd.io/gc.ref.content.l.0' = $child.Digest }
        $garbage = Add-TestBlob $store 'garbage'
        $summary = Remove-UnreferencedContent -Store $store
        $summary.RemovedDigests | Should -Be @($garbage.Digest)
        Get-BlobDigests $store | Should -Contain $root.Digest
        Get-BlobDigests $store | Should -Contain $child.Digest
    }

    It 'keeps a partial write younger than -IngestMaxAge and removes an older one' {
        New-PartialIngest $store 'pull-in-progress' ([byte[]](1..100))
        $young = Remove-UnreferencedContent -Store $store -IngestMaxAge (New-TimeSpan -Hours 1)
        $young.IngestsRemoved | Should -Be 0
        (Get-BlobIngest -Store $store).Ref | Should -Be 'pull-in-progress'

        $old = Remove-UnreferencedContent -Store $store -IngestMaxAge 0
        $old.IngestsRemoved | Should -Be 1
        $old.RemovedIngests | Should -Be @('pull-in-progress')
        $old.BytesFreed | Should -Be 100
        @(Get-BlobIngest -Store $store).Count | Should -Be 0
    }

    It 'keeps a partial write a writer holds open, whatever its age' {
        $writer = New-PartialIngest $store 'held' ([byte[]](1..10)) -KeepOpen
        try {
            (Remove-UnreferencedContent -Store $store -IngestMaxAge 0).IngestsRemoved | Should -Be 0
            (Get-BlobIngest -Store $store).Ref | Should -Be 'held'
        }
        finally {
            $writer.DisposeAsync().AsTask().GetAwaiter().GetResult()
        }
    }

    It 'keeps content leased by another process until that process lets go' {
        $leased = Add-TestBlob $store 'leased by a pull in another process'
        $garbage = Add-TestBlob $store 'garbage'
        $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($argument in @((Get-TestFixturesAssembly), 'lease-writer', '--store', $store, '--digests', $leased.Digest)) { $start.ArgumentList.Add($argument) }
        $start.UseShellExecute = $false
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $writer = [System.Diagnostics.Process]::Start($start)
        try {
            $ready = $writer.StandardOutput.ReadLineAsync()
            $ready.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'the lease writer says when its lease holds the digest'
            $ready.Result | Should -Match '^ready '

            $summary = Remove-UnreferencedContent -Store $store
            $summary.RemovedDigests | Should -Be @($garbage.Digest)
            Get-BlobDigests $store | Should -Contain $leased.Digest

            # The writer ends its lease when its stdin closes; then the blob is garbage like any other.
            $writer.StandardInput.Close()
            $writer.WaitForExit(60000) | Should -BeTrue
            $writer.ExitCode | Should -Be 0
            (Remove-UnreferencedContent -Store $store).RemovedDigests | Should -Be @($leased.Digest)
        }
        finally {
            if (-not $writer.HasExited) { $writer.Kill($true); $writer.WaitForExit() }
            $writer.Dispose()
        }
    }

    It 'removes nothing with -WhatIf, and writes one What-if line per blob and partial write' {
        $garbage = @(Add-TestBlob $store 'garbage one'; Add-TestBlob $store 'garbage two')
        New-PartialIngest $store 'stale' ([byte[]](1..10))
        $before = Get-StoreState $store
        $out = @(Remove-UnreferencedContent -Store $store -IngestMaxAge 0 -WhatIf)
        $out.Count | Should -Be 0
        Get-StoreState $store | Should -Be $before

        $lines = Invoke-ChildPwsh "Remove-UnreferencedContent -Store '$store' -IngestMaxAge 0 -WhatIf"
        $blobLines = @($lines | Where-Object { $_ -like 'What if:*Remove unreferenced blob*' })
        $blobLines.Count | Should -Be 2
        foreach ($blob in $garbage) { ($blobLines -join "`n") | Should -Match ([regex]::Escape("""$($blob.Digest)""")) }
        @($lines | Where-Object { $_ -like 'What if:*Remove partial write*"stale"*' }).Count | Should -Be 1
        @($lines | Where-Object { $_ -like 'What if:*Remove 2 unreferenced blobs and 1 partial writes*' }).Count | Should -Be 1
        Get-StoreState $store | Should -Be $before
    }

    It 'honours $WhatIfPreference' {
        $null = Add-TestBlob $store 'garbage'
        $before = Get-StoreState $store
        $WhatIfPreference = $true
        try { $out = @(Remove-UnreferencedContent -Store $store) }
        finally { $WhatIfPreference = $false }
        $out.Count | Should -Be 0
        Get-StoreState $store | Should -Be $before
    }

    It 'asks once for the whole collection, not once per blob' {
        $null = @(Add-TestBlob $store 'one'; Add-TestBlob $store 'two'; Add-TestBlob $store 'three')
        $records = @(Remove-UnreferencedContent -Store $store -Verbose 4>&1)
        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Performing the operation*' }).Count | Should -Be 1
        ($records | Where-Object { $_ -is [ContentPS.GcSummary] }).BlobsRemoved | Should -Be 3
    }

    It 'collects each store once when objects piped in name it' {
        $null = Add-TestBlob $store 'garbage'
        $summaries = @(Get-Image -Store $store | ForEach-Object { $_; $_ } | Remove-UnreferencedContent)
        $summaries.Count | Should -Be 1
        $summaries[0].BlobsRemoved | Should -Be 1
    }

    It 'shows counts, freed size and store in the table view' {
        $null = Add-TestBlob $store ('x' * 2048)
        $text = Remove-UnreferencedContent -Store $store | Format-Table | Out-String -Width 200
        $text | Should -Match 'BlobsRemoved\s+IngestsRemoved\s+Freed\s+Kept\s+Elapsed\s+Store'
        $text | Should -Match ("\s1\s+0\s+2\.0 KiB\s+$($imageBlobs.Count)\s+[\d.]+ s\s+" + [regex]::Escape($store))
    }

    It 'finds nothing to collect, and creates no store, where there is none' {
        $missing = Join-Path $TestDrive ("none-" + [guid]::NewGuid().ToString('N'))
        $summary = Remove-UnreferencedContent -Store $missing
        $summary.BlobsRemoved | Should -Be 0
        $summary.Kept | Should -Be 0
        Test-Path $missing | Should -BeFalse
    }

    It 'rejects a store path that is not a folder path' {
        { Remove-UnreferencedContent -Store 'Env:/PATH' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPath,ContentPS.Commands.RemoveUnreferencedContentCommand'
    }

    It 'rejects a file or a folder that is not a store, and changes nothing there' {
        $file = Join-Path $TestDrive ("file-" + [guid]::NewGuid().ToString('N'))
        Set-Content $file 'not a store'
        { Remove-UnreferencedContent -Store $file -ErrorAction Stop } | Should -Throw -ErrorId 'StoreInvalid,ContentPS.Commands.RemoveUnreferencedContentCommand'
        $folder = Join-Path $TestDrive ("folder-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $folder | Out-Null
        Set-Content (Join-Path $folder 'notes.txt') 'hello'
        { Remove-UnreferencedContent -Store $folder -ErrorAction Stop } | Should -Throw -ErrorId 'StoreInvalid,ContentPS.Commands.RemoveUnreferencedContentCommand'
        @(Get-ChildItem $folder).Name | Should -Be @('notes.txt')
    }

    It 'removes nothing when index.json is corrupt: without the roots nothing is known to be garbage' {
        $null = Add-TestBlob $store 'garbage'
        Set-Content (Join-Path $store 'index.json') '{"manifests": [ broken'
        $before = Get-BlobDigests $store
        $out = @(Remove-UnreferencedContent -Store $store -ErrorVariable errors -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'CorruptMetadata,ContentPS.Commands.RemoveUnreferencedContentCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        Get-BlobDigests $store | Should -Be $before
    }

    It 'rejects a negative -IngestMaxAge' {
        { Remove-UnreferencedContent -Store $store -IngestMaxAge (New-TimeSpan -Minutes -5) -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,ContentPS.Commands.RemoveUnreferencedContentCommand'
        Get-BlobDigests $store | Should -Be $imageBlobs
    }
}
