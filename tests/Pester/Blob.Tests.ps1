#Requires -Version 7.4
# The content-store cmdlets: Import-Blob, Get-Blob, Get-BlobContent, Set-BlobLabel, Remove-Blob, Test-Blob,
# Get-BlobIngest, Remove-BlobIngest. Each test works in its own store under $TestDrive; the default store
# ($env:CONTENTPS_STORE) points into $TestDrive too, so no test touches the user's store.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'

    function New-TestStore {
        Join-Path $TestDrive ("store-" + [guid]::NewGuid().ToString('N'))
    }

    function New-TestFile {
        param([string] $Path, [string] $Text, [long] $Size = -1)
        $directory = Split-Path -Parent $Path
        if ($directory) { New-Item -ItemType Directory -Force $directory | Out-Null }
        if ($Size -ge 0) {
            $bytes = [byte[]]::new($Size)
            [Random]::new(7).NextBytes($bytes)
            [IO.File]::WriteAllBytes($Path, $bytes)
        }
        else {
            [IO.File]::WriteAllText($Path, $Text)
        }
        Get-Item -LiteralPath $Path
    }

    function Get-Sha256([string] $Path) {
        'sha256:' + (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant()
    }

    function Get-BlobPath([string] $Store, [string] $Digest) {
        $algorithm, $hex = $Digest -split ':'
        Join-Path $Store "blobs/$algorithm/$hex"
    }

    # Overwrites a committed (read-only) blob's bytes in place: same size, other content.
    function Set-BlobCorrupt([string] $Store, [string] $Digest) {
        $path = Get-BlobPath $Store $Digest
        $mode = [IO.File]::GetUnixFileMode($path)
        [IO.File]::SetUnixFileMode($path, $mode -bor [IO.UnixFileMode]::UserWrite)
        $bytes = [IO.File]::ReadAllBytes($path)
        $bytes[0] = $bytes[0] -bxor 0xff
        [IO.File]::WriteAllBytes($path, $bytes)
        [IO.File]::SetUnixFileMode($path, $mode)
    }

    # A partial ingest written (and left) through the engine's writer, as an interrupted import leaves one.
    function New-PartialIngest([string] $Store, [string] $Ref, [byte[]] $Bytes, [switch] $KeepOpen) {
        $engine = [ContentPS.Engine.Content.LocalContentStore]::Open($Store)
        $writer = $engine.OpenWriterAsync($Ref, 0, $null, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $null = $writer.WriteAsync([ReadOnlyMemory[byte]]::new($Bytes), [Threading.CancellationToken]::None).AsTask().GetAwaiter().GetResult()
        if ($KeepOpen) { return $writer }
        $null = $writer.DisposeAsync().AsTask().GetAwaiter().GetResult()
    }

    $zeroDigest = 'sha256:' + ('0' * 64)
}

AfterAll {
    $env:CONTENTPS_STORE = $savedStore
}

Describe 'Import-Blob' {
    BeforeEach {
        $store = New-TestStore
        $work = Join-Path $TestDrive ("work-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $work | Out-Null
    }

    It 'imports a file and writes its descriptor' {
        $file = New-TestFile (Join-Path $work 'hello.txt') 'hello'
        $result = Import-Blob -Path $file.FullName -Store $store
        $result | Should -BeOfType ([ContentPS.BlobDescriptor])
        $result.MediaType | Should -BeExactly 'application/octet-stream'
        $result.Digest | Should -BeExactly 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'
        $result.Size | Should -Be 5
        $result.Store | Should -BeExactly $store
        Get-BlobPath $store $result.Digest | Should -Exist
        (Get-Command Import-Blob).OutputType.Type | Should -Be ([ContentPS.BlobDescriptor])
    }

    It 'imports content that is already there as a success with the same output' {
        $file = New-TestFile (Join-Path $work 'a.bin') -Size 3000
        $first = Import-Blob $file.FullName -Store $store
        $copy = Copy-Item $file.FullName (Join-Path $work 'copy.bin') -PassThru
        $second = Import-Blob $copy.FullName -Store $store -ErrorVariable failures
        $failures | Should -BeNullOrEmpty
        $second.Digest | Should -BeExactly $first.Digest
        $second.Size | Should -Be 3000
        @(Get-Blob -Store $store).Count | Should -Be 1
        @(Get-BlobIngest -Store $store).Count | Should -Be 0
    }

    It 'digests a multi-chunk file like Get-FileHash' {
        $file = New-TestFile (Join-Path $work 'big.bin') -Size (5MB + 123)
        (Import-Blob $file.FullName -Store $store).Digest | Should -BeExactly (Get-Sha256 $file.FullName)
    }

    It 'imports an empty file' {
        $file = New-TestFile (Join-Path $work 'empty') ''
        $result = Import-Blob $file.FullName -Store $store
        $result.Digest | Should -BeExactly 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
        $result.Size | Should -Be 0
    }

    It 'expands wildcards and resolves paths against the current location' {
        1..3 | ForEach-Object { New-TestFile (Join-Path $work "f$_.tar") "file $_" } | Out-Null
        New-TestFile (Join-Path $work 'other.txt') 'other' | Out-Null
        Push-Location $work
        try {
            $results = Import-Blob *.tar -Store $store
        }
        finally {
            Pop-Location
        }
        $results | Should -HaveCount 3
        $results.Source | ForEach-Object { Split-Path -Leaf $_ } | Should -Be @('f1.tar', 'f2.tar', 'f3.tar')
    }

    It 'takes -LiteralPath exactly, brackets included' {
        $file = New-TestFile (Join-Path $work 'a[1].txt') 'bracket'
        $result = Import-Blob -LiteralPath $file.FullName -Store $store
        $result.Size | Should -Be 7
    }

    It 'takes files from Get-ChildItem by property name' {
        New-TestFile (Join-Path $work 'x[1].json') '{}' | Out-Null
        New-TestFile (Join-Path $work 'y.json') '[]' | Out-Null
        $results = Get-ChildItem -LiteralPath $work -Filter *.json | Import-Blob -Store $store
        $results | Should -HaveCount 2
    }

    It 'resolves a relative -Store against the current location' {
        $file = New-TestFile (Join-Path $work 'r.txt') 'relative'
        Push-Location $work
        try {
            $result = Import-Blob r.txt -Store ./relstore
        }
        finally {
            Pop-Location
        }
        $result.Store | Should -BeExactly (Join-Path $work 'relstore')
        Get-BlobPath (Join-Path $work 'relstore') $result.Digest | Should -Exist
    }

    It 'uses $env:CONTENTPS_STORE without -Store' {
        $file = New-TestFile (Join-Path $work 'd.txt') 'default store'
        $result = Import-Blob $file.FullName
        $result.Store | Should -BeExactly $env:CONTENTPS_STORE
        Get-BlobPath $env:CONTENTPS_STORE $result.Digest | Should -Exist
    }

    It 'writes -MediaType into the descriptor and rejects an invalid one' {
        $file = New-TestFile (Join-Path $work 'l.tar') 'layer'
        (Import-Blob $file.FullName -Store $store -MediaType 'application/vnd.oci.image.layer.v1.tar').MediaType |
            Should -BeExactly 'application/vnd.oci.image.layer.v1.tar'
        $out = Import-Blob $file.FullName -Store $store -MediaType 'not a media type' -ErrorAction SilentlyContinue -ErrorVariable failures
        $out | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidMediaType,ContentPS.Commands.ImportBlobCommand'
    }

    It 'sets -Label, converting scalars to strings' {
        $file = New-TestFile (Join-Path $work 'lab.txt') 'labelled'
        $result = Import-Blob $file.FullName -Store $store -Label @{ team = 'x'; n = 1; ok = $true }
        $info = Get-Blob $result.Digest -Store $store
        $info.Labels['team'] | Should -BeExactly 'x'
        $info.Labels['n'] | Should -BeExactly '1'
        $info.Labels['ok'] | Should -BeExactly 'true'
    }

    It 'adds -Label to content that is already there, keeping its other labels' {
        $file = New-TestFile (Join-Path $work 'again.txt') 'again'
        $result = Import-Blob $file.FullName -Store $store -Label @{ a = '1' }
        Import-Blob $file.FullName -Store $store -Label @{ b = '2' } | Out-Null
        $labels = (Get-Blob $result.Digest -Store $store).Labels
        $labels['a'] | Should -BeExactly '1'
        $labels['b'] | Should -BeExactly '2'
    }

    It 'rejects label values that are not strings or scalars: <Name>' -ForEach @(
        @{ Name = 'array'; Label = @{ a = @(1, 2) } }
        @{ Name = 'hashtable'; Label = @{ a = @{ b = 'c' } } }
        @{ Name = 'empty key'; Label = @{ '' = 'x' } }
        @{ Name = 'too long'; Label = @{ a = 'x' * 5000 } }
    ) {
        $file = New-TestFile (Join-Path $work 'bad-label.txt') 'bad label'
        $caught = $null
        try { Import-Blob $file.FullName -Store $store -Label $Label -ErrorAction Stop }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeExactly 'InvalidLabel,ContentPS.Commands.ImportBlobCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Test-Path (Join-Path $store 'blobs') | Should -BeFalse -Because 'nothing is imported when the labels are invalid'
    }

    It 'writes PathNotFound for a missing file and goes on' {
        $file = New-TestFile (Join-Path $work 'ok.txt') 'ok'
        $missing = Join-Path $work 'missing.txt'
        $results = Import-Blob $missing, $file.FullName -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures
        $results | Should -HaveCount 1
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'PathNotFound,ContentPS.Commands.ImportBlobCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].CategoryInfo.Reason | Should -BeExactly 'NotFoundException'
        $failures[0].TargetObject | Should -BeExactly $missing
    }

    It 'writes PathNotFound for a -LiteralPath that does not exist' {
        Import-Blob -LiteralPath (Join-Path $work 'nope[1]') -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'PathNotFound,ContentPS.Commands.ImportBlobCommand'
    }

    It 'writes PathIsDirectory for a folder' {
        Import-Blob -LiteralPath $work -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'PathIsDirectory,ContentPS.Commands.ImportBlobCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -BeExactly $work
    }

    It 'rejects paths of other providers' {
        Import-Blob -Path 'Env:PATH' -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It '-WhatIf writes nothing, not even the store folder' {
        $file = New-TestFile (Join-Path $work 'w.txt') 'whatif'
        $out = Import-Blob $file.FullName -Store $store -WhatIf
        $out | Should -BeNullOrEmpty
        Test-Path $store | Should -BeFalse
    }

    It 'a store root that is a file is a terminating StoreInvalid error' {
        $file = New-TestFile (Join-Path $work 'w2.txt') 'x'
        $notAStore = New-TestFile (Join-Path $work 'not-a-store') 'file'
        $caught = $null
        try { Import-Blob $file.FullName -Store $notAStore.FullName -ErrorAction SilentlyContinue }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'StoreInvalid,*'
    }

    It 'reports throttled progress for a large file and a Completed record at the end' {
        $file = New-TestFile (Join-Path $work 'large.bin') -Size 40MB
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$((Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path)'; `$ProgressPreference = 'Continue'; Import-Blob -LiteralPath '$($file.FullName)' -Store '$store'")
            $result = $shell.Invoke()
            $result | Should -HaveCount 1
            $records = @($shell.Streams.Progress)
            $records.Count | Should -BeGreaterThan 2
            $records.Count | Should -BeLessThan 40 -Because 'progress is throttled to a few updates a second'
            $root = $records | Where-Object Activity -EQ 'Import-Blob' | Select-Object -First 1
            $children = @($records | Where-Object Activity -EQ $file.FullName)
            $children.Count | Should -BeGreaterThan 1 -Because 'the file is a child activity with byte counts'
            $children | ForEach-Object { $_.ParentActivityId | Should -Be $root.ActivityId }
            $children[-1].RecordType | Should -Be 'Completed'
            $records[-1].RecordType | Should -Be 'Completed'
            $records[-1].ActivityId | Should -Be $root.ActivityId
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'writes no progress for a small file' {
        $file = New-TestFile (Join-Path $work 'small.bin') -Size 1000
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$((Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path)'; Import-Blob -LiteralPath '$($file.FullName)' -Store '$store'")
            $null = $shell.Invoke()
            @($shell.Streams.Progress).Count | Should -Be 0
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'resumes a partial ingest left by an interrupted import of the same file' {
        $file = New-TestFile (Join-Path $work 'resume.bin') -Size 3MB
        $bytes = [IO.File]::ReadAllBytes($file.FullName)
        $ref = [ContentPS.Engine.Content.BlobImport]::RefFor($file.FullName)
        New-PartialIngest $store $ref ([byte[]]$bytes[0..(1MB - 1)])
        (Get-BlobIngest -Store $store).Offset | Should -Be 1MB
        $verbose = Import-Blob $file.FullName -Store $store -Verbose 4>&1
        $result = $verbose | Where-Object { $_ -is [ContentPS.BlobDescriptor] }
        $result.Digest | Should -BeExactly (Get-Sha256 $file.FullName)
        ($verbose | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'resuming .* at offset 1048576'
        Get-BlobIngest -Store $store | Should -BeNullOrEmpty
    }

    It 'starts over when the partial ingest does not match the file' {
        $file = New-TestFile (Join-Path $work 'changed.bin') -Size 2MB
        $ref = [ContentPS.Engine.Content.BlobImport]::RefFor($file.FullName)
        New-PartialIngest $store $ref ([byte[]]::new(1000))
        $verbose = Import-Blob $file.FullName -Store $store -Verbose 4>&1
        ($verbose | Where-Object { $_ -is [ContentPS.BlobDescriptor] }).Digest | Should -BeExactly (Get-Sha256 $file.FullName)
        ($verbose | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'starting over'
    }

    It 'pipes into Set-BlobLabel: Import-Blob *.tar | Set-BlobLabel' {
        1..2 | ForEach-Object { New-TestFile (Join-Path $work "p$_.tar") "tar $_" } | Out-Null
        Push-Location $work
        try {
            Import-Blob *.tar -Store $store | Set-BlobLabel -Label @{ team = 'x' }
        }
        finally {
            Pop-Location
        }
        $blobs = Get-Blob -Store $store
        $blobs | Should -HaveCount 2
        $blobs | ForEach-Object { $_.Labels['team'] | Should -BeExactly 'x' }
    }
}

Describe 'Get-Blob' {
    BeforeAll {
        $store = New-TestStore
        $work = Join-Path $TestDrive 'get-blob'
        $small = Import-Blob (New-TestFile (Join-Path $work 'small.txt') 'small').FullName -Store $store -Label @{ team = 'web' }
        $large = Import-Blob (New-TestFile (Join-Path $work 'large.bin') -Size 5000).FullName -Store $store -Label @{ team = 'db'; owner = 'me' }
    }

    It 'lists every blob with digest, size, times and labels' {
        $blobs = Get-Blob -Store $store | Sort-Object Size
        $blobs | Should -HaveCount 2
        $blobs[0] | Should -BeOfType ([ContentPS.BlobInfo])
        $blobs[0].Digest | Should -BeExactly $small.Digest
        $blobs[0].Size | Should -Be 5
        $blobs[0].CreatedAt | Should -BeOfType ([DateTimeOffset])
        $blobs[0].UpdatedAt | Should -BeGreaterOrEqual $blobs[0].CreatedAt
        $blobs[1].Labels['owner'] | Should -BeExactly 'me'
        $blobs[1].Store | Should -BeExactly $store
    }

    It 'gets blobs by digest, by value and by property name' {
        (Get-Blob $small.Digest -Store $store).Size | Should -Be 5
        ($large.Digest | Get-Blob -Store $store).Size | Should -Be 5000
        ($large | Get-Blob).Size | Should -Be 5000 -Because 'Digest and Store bind by property name'
    }

    It 'matches digests with wildcards' {
        $prefix = $large.Digest.Substring(0, 12)
        (Get-Blob "$prefix*" -Store $store).Digest | Should -BeExactly $large.Digest
        Get-Blob 'sha256:zz*' -Store $store -ErrorVariable failures | Should -BeNullOrEmpty
        $failures | Should -BeNullOrEmpty
    }

    It 'filters in containerd syntax: <Filter>' -ForEach @(
        @{ Filter = @('labels.team==web'); Expected = 1 }
        @{ Filter = @('labels.team==web', 'labels.team==db'); Expected = 2 }
        @{ Filter = @('labels.team==db,labels.owner==me'); Expected = 1 }
        @{ Filter = @('labels.owner'); Expected = 1 }
        @{ Filter = @('labels.team~=^w'); Expected = 1 }
        @{ Filter = @('labels.team==none'); Expected = 0 }
    ) {
        @(Get-Blob -Store $store -Filter $Filter).Count | Should -Be $Expected
    }

    It 'a malformed filter is a terminating InvalidFilter error' {
        $caught = $null
        try { Get-Blob -Store $store -Filter 'labels.team==' -ErrorAction SilentlyContinue }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeExactly 'InvalidFilter,ContentPS.Commands.GetBlobCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.TargetObject | Should -BeExactly 'labels.team=='
    }

    It 'writes BlobNotFound (ObjectNotFound, the digest as target) for an unknown digest and goes on' {
        $out = Get-Blob $zeroDigest, $small.Digest -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures
        $out.Digest | Should -BeExactly $small.Digest
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'BlobNotFound,ContentPS.Commands.GetBlobCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -BeExactly $zeroDigest
        [ContentPS.Errdefs]::Resolve($failures[0]) | Should -Be 'NotFound'
    }

    It 'writes InvalidDigest for <Name>' -ForEach @(
        @{ Name = 'a word'; Digest = 'hello' }
        @{ Name = 'short hex'; Digest = 'sha256:abc' }
        @{ Name = 'uppercase hex'; Digest = 'sha256:' + ('A' * 64) }
        @{ Name = 'a path'; Digest = 'sha256:../../etc/passwd' }
    ) {
        Get-Blob $Digest -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidDigest,ContentPS.Commands.GetBlobCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -BeExactly $Digest
    }

    It 'lists nothing, and creates nothing, for a store that does not exist' {
        $missing = Join-Path $TestDrive 'no-such-store'
        Get-Blob -Store $missing | Should -BeNullOrEmpty
        Test-Path $missing | Should -BeFalse
    }

    It 'shows a table with short digests and human sizes' {
        $text = Get-Blob -Store $store | Out-String
        $text | Should -Match 'sha256:[0-9a-f]{12}\s'
        $text | Should -Match '4\.9 KiB'
        $text | Should -Match 'owner=me, team=db'
    }

    It 'completes -Digest from the store named by -Store' {
        $line = "Get-Blob -Store '$store' -Digest $($large.Digest.Substring(0, 14))"
        $matches = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $matches.CompletionText | Should -Be @($large.Digest)
        $line = "Remove-Blob -Store '$store' $($small.Digest.Substring(7, 6))"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @($small.Digest)
        $line = "Get-Blob -Store '$store' -Digest sha256:"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -HaveCount 2
    }
}

Describe 'Get-BlobContent' {
    BeforeEach {
        $store = New-TestStore
        $work = Join-Path $TestDrive ("content-" + [guid]::NewGuid().ToString('N'))
        $text = Import-Blob (New-TestFile (Join-Path $work 'c.json') '{"a":1}').FullName -Store $store
    }

    It 'writes the content as one string by default' {
        $content = Get-BlobContent $text.Digest -Store $store
        $content | Should -BeExactly '{"a":1}'
        ($text | Get-BlobContent | ConvertFrom-Json).a | Should -Be 1
    }

    It 'writes one byte array with -AsByteStream' {
        $bytes = Get-BlobContent $text.Digest -Store $store -AsByteStream
        , $bytes | Should -BeOfType ([byte[]])
        $bytes.Length | Should -Be 7
    }

    It 'writes the content into a file with -Path' {
        $target = Join-Path $work 'out.json'
        $info = $text | Get-BlobContent -Path $target -PassThru
        $info.FullName | Should -BeExactly $target
        Get-Content -Raw $target | Should -BeExactly '{"a":1}'
        Get-ChildItem -Force $work -Filter '*.tmp' | Should -BeNullOrEmpty
    }

    It 'a corrupt blob is a BlobCorrupt error and writes no output and no file' {
        Set-BlobCorrupt $store $text.Digest
        $target = Join-Path $work 'corrupt.json'
        Set-Content -Path $target -Value 'before'
        Get-BlobContent $text.Digest -Store $store -Path $target -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'BlobCorrupt,ContentPS.Commands.GetBlobContentCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
        Get-Content -Raw $target | Should -BeExactly "before$([Environment]::NewLine)" -Because 'the file is only replaced by verified content'
        Get-ChildItem -Force $work -Filter '*.tmp' | Should -BeNullOrEmpty
        Get-BlobContent $text.Digest -Store $store -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'an unknown digest is BlobNotFound' {
        Get-BlobContent $zeroDigest -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'BlobNotFound,ContentPS.Commands.GetBlobContentCommand'
        $failures[0].TargetObject | Should -BeExactly $zeroDigest
    }

    It 'an invalid digest is InvalidDigest' {
        Get-BlobContent 'nope' -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidDigest,ContentPS.Commands.GetBlobContentCommand'
    }

    It '-Path naming a folder is PathIsDirectory' {
        Get-BlobContent $text.Digest -Store $store -Path $work -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'PathIsDirectory,ContentPS.Commands.GetBlobContentCommand'
    }
}

Describe 'Set-BlobLabel' {
    BeforeEach {
        $store = New-TestStore
        $blob = Import-Blob (New-TestFile (Join-Path $TestDrive 'label.txt') 'label me').FullName -Store $store -Label @{ a = '1'; b = '2' }
    }

    It 'sets keys and keeps the others' {
        $result = Set-BlobLabel $blob.Digest -Label @{ c = '3' } -Store $store -PassThru
        $result | Should -BeOfType ([ContentPS.BlobInfo])
        $result.Labels.Keys | Sort-Object | Should -Be @('a', 'b', 'c')
        (Get-Blob $blob.Digest -Store $store).Labels['c'] | Should -BeExactly '3'
    }

    It 'removes a key whose value is $null or empty' {
        $result = $blob | Set-BlobLabel -Label @{ a = $null; b = '' } -PassThru
        $result.Labels.Count | Should -Be 0
    }

    It 'replaces every label with -Replace' {
        $result = $blob | Set-BlobLabel -Label @{ z = 'last' } -Replace -PassThru
        $result.Labels.Keys | Should -Be @('z')
    }

    It 'writes nothing without -PassThru' {
        $blob | Set-BlobLabel -Label @{ q = 'r' } | Should -BeNullOrEmpty
    }

    It '-WhatIf changes nothing' {
        $blob | Set-BlobLabel -Label @{ a = 'changed' } -WhatIf
        (Get-Blob $blob.Digest -Store $store).Labels['a'] | Should -BeExactly '1'
    }

    It 'an unknown digest is BlobNotFound, an invalid one InvalidDigest' {
        Set-BlobLabel $zeroDigest, 'bad' -Label @{ a = 'b' } -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 2
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'BlobNotFound,ContentPS.Commands.SetBlobLabelCommand'
        $failures[1].FullyQualifiedErrorId | Should -BeExactly 'InvalidDigest,ContentPS.Commands.SetBlobLabelCommand'
    }

    It 'a label value that is not a string is a terminating InvalidLabel error' {
        { $blob | Set-BlobLabel -Label @{ a = [pscustomobject]@{ x = 1 } } -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidLabel,ContentPS.Commands.SetBlobLabelCommand'
        (Get-Blob $blob.Digest -Store $store).Labels['a'] | Should -BeExactly '1'
    }
}

Describe 'Remove-Blob' {
    BeforeEach {
        $store = New-TestStore
        $small = Import-Blob (New-TestFile (Join-Path $TestDrive 'rs.txt') 'small').FullName -Store $store
        $big = Import-Blob (New-TestFile (Join-Path $TestDrive 'rb.bin') -Size 20000).FullName -Store $store
    }

    It 'is ConfirmImpact High and supports ShouldProcess' {
        $command = Get-Command Remove-Blob
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.ImplementingType.GetCustomAttributes([Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }

    It 'removes blobs' {
        Remove-Blob $small.Digest -Store $store -Confirm:$false
        Get-BlobPath $store $small.Digest | Should -Not -Exist
        (Get-Blob -Store $store).Digest | Should -Be @($big.Digest)
    }

    It 'Get-Blob | Where-Object Size -gt … | Remove-Blob -WhatIf removes nothing' {
        Get-Blob -Store $store | Where-Object Size -gt 10KB | Remove-Blob -WhatIf
        @(Get-Blob -Store $store).Count | Should -Be 2
        Get-Blob -Store $store | Where-Object Size -gt 10KB | Remove-Blob -Confirm:$false
        (Get-Blob -Store $store).Digest | Should -Be @($small.Digest)
    }

    It 'an unknown digest is BlobNotFound' {
        Remove-Blob $zeroDigest -Store $store -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'BlobNotFound,ContentPS.Commands.RemoveBlobCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -BeExactly $zeroDigest
    }

    It 'removes the labels with the blob' {
        $small | Set-BlobLabel -Label @{ keep = 'no' }
        Remove-Blob $small.Digest -Store $store -Confirm:$false
        $again = Import-Blob (Join-Path $TestDrive 'rs.txt') -Store $store
        (Get-Blob $again.Digest -Store $store).Labels.Count | Should -Be 0
    }
}

Describe 'Test-Blob' {
    BeforeEach {
        $store = New-TestStore
        $blob = Import-Blob (New-TestFile (Join-Path $TestDrive 'tb.bin') -Size 3000).FullName -Store $store
    }

    It 'is $true for an intact blob' {
        Test-Blob $blob.Digest -Store $store | Should -BeTrue
        $blob | Test-Blob | Should -BeTrue
    }

    It 'is $false for a corrupt blob, with a verbose reason' {
        Set-BlobCorrupt $store $blob.Digest
        $output = Test-Blob $blob.Digest -Store $store -Verbose 4>&1
        $output | Where-Object { $_ -is [bool] } | Should -BeFalse
        ($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message | Should -Match 'corrupt'
    }

    It 'is $false for a missing blob, with a verbose reason' {
        $output = Test-Blob $zeroDigest -Store $store -Verbose 4>&1
        $output | Where-Object { $_ -is [bool] } | Should -BeFalse
        ($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message | Should -Match 'not in the store'
    }

    It 'an invalid digest is InvalidDigest' {
        Test-Blob 'xyz' -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidDigest,ContentPS.Commands.TestBlobCommand'
    }
}

Describe 'Get-BlobIngest and Remove-BlobIngest' {
    BeforeEach {
        $store = New-TestStore
        New-PartialIngest $store 'ref-one' ([byte[]](1..10))
        New-PartialIngest $store 'other-two' ([byte[]](1..20))
    }

    It 'lists partial ingests' {
        $ingests = Get-BlobIngest -Store $store
        $ingests | Should -HaveCount 2
        $ingests[0] | Should -BeOfType ([ContentPS.BlobIngestInfo])
        $one = $ingests | Where-Object Ref -EQ 'ref-one'
        $one.Offset | Should -Be 10
        $one.Locked | Should -BeFalse
        $one.StartedAt | Should -BeOfType ([DateTimeOffset])
        $one.Store | Should -BeExactly $store
    }

    It 'filters ingests' {
        (Get-BlobIngest -Store $store -Filter 'ref~=^ref-').Ref | Should -Be @('ref-one')
    }

    It 'a malformed filter is a terminating InvalidFilter error' {
        { Get-BlobIngest -Store $store -Filter 'ref==' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidFilter,ContentPS.Commands.GetBlobIngestCommand'
    }

    It 'shows Locked while a writer holds the ingest, and will not remove it' {
        $writer = New-PartialIngest $store 'held' ([byte[]](1..5)) -KeepOpen
        try {
            (Get-BlobIngest -Store $store | Where-Object Ref -EQ 'held').Locked | Should -BeTrue
            Remove-BlobIngest 'held' -Store $store -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -BeExactly 'IngestLocked,ContentPS.Commands.RemoveBlobIngestCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $failures[0].TargetObject | Should -BeExactly 'held'
        }
        finally {
            $writer.DisposeAsync().AsTask().GetAwaiter().GetResult()
        }
    }

    It 'removes ingests from the pipeline; -WhatIf removes nothing' {
        Get-BlobIngest -Store $store | Remove-BlobIngest -WhatIf
        @(Get-BlobIngest -Store $store).Count | Should -Be 2
        Get-BlobIngest -Store $store | Where-Object Ref -EQ 'ref-one' | Remove-BlobIngest -Confirm:$false
        (Get-BlobIngest -Store $store).Ref | Should -Be @('other-two')
    }

    It 'an unknown ref is IngestNotFound' {
        Remove-BlobIngest 'nope' -Store $store -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'IngestNotFound,ContentPS.Commands.RemoveBlobIngestCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'A store that does not exist' {
    It '<Command> writes <ErrorId> and creates no store' -ForEach @(
        @{ Command = 'Get-Blob'; ErrorId = 'BlobNotFound'; Call = { param($s) Get-Blob $zeroDigest -Store $s } }
        @{ Command = 'Get-BlobContent'; ErrorId = 'BlobNotFound'; Call = { param($s) Get-BlobContent $zeroDigest -Store $s } }
        @{ Command = 'Set-BlobLabel'; ErrorId = 'BlobNotFound'; Call = { param($s) Set-BlobLabel $zeroDigest -Label @{ a = 'b' } -Store $s } }
        @{ Command = 'Remove-Blob'; ErrorId = 'BlobNotFound'; Call = { param($s) Remove-Blob $zeroDigest -Store $s -Confirm:$false } }
        @{ Command = 'Remove-BlobIngest'; ErrorId = 'IngestNotFound'; Call = { param($s) Remove-BlobIngest 'some-ref' -Store $s -Confirm:$false } }
    ) {
        $missing = Join-Path $TestDrive ('missing-' + [guid]::NewGuid().ToString('N'))
        $failures = @(& $Call $missing 2>&1 | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Test-Path $missing | Should -BeFalse
        Test-Blob $zeroDigest -Store $missing | Should -BeFalse
        Get-BlobIngest -Store $missing | Should -BeNullOrEmpty
        Test-Path $missing | Should -BeFalse
    }
}
