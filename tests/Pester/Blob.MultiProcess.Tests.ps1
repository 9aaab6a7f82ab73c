#Requires -Version 7.4
# Many real pwsh processes on one store (issue 4): two imports of the same big file at once, four processes
# writing the same ~200 MB content at once, and a writer killed with SIGKILL mid-write whose partial ingest
# another process resumes. Children are started with the running pwsh (under `dotnet pwsh`: dotnet + pwsh.dll).

BeforeAll {
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path
    Import-Module $manifest -Force
    Import-Module (Join-Path $PSScriptRoot 'Fixtures/ChildProcess.psm1') -Force
    $PSDefaultParameterValues['Start-ChildPwsh:Module'] = $manifest

    # Start-Process joins -ArgumentList with spaces and loses the quoting; this keeps each argument whole.
    function Start-Native {
        param([string] $File, [string[]] $Arguments)
        $info = [Diagnostics.ProcessStartInfo]::new($File)
        foreach ($argument in $Arguments) { $info.ArgumentList.Add($argument) }
        $info.UseShellExecute = $false
        [Diagnostics.Process]::Start($info)
    }

    # Every child printed the big file's digest and nothing else; the store holds that one blob, intact, and no ingest.
    function Assert-OneBlobFromEveryChild {
        param($Children, [string] $Store)
        foreach ($result in @($Children | ForEach-Object { Wait-ChildPwsh $_ })) {
            $result.Stderr | Should -BeNullOrEmpty
            $result.ExitCode | Should -Be 0
            $result.Stdout.Trim() | Should -BeExactly $bigDigest
        }
        (Get-Blob -Store $Store).Digest | Should -Be @($bigDigest)
        Test-Blob $bigDigest -Store $Store | Should -BeTrue
        Get-BlobIngest -Store $Store | Should -BeNullOrEmpty
        @(Get-ChildItem -Force (Join-Path $Store 'ingest')).Count | Should -Be 0
    }

    function New-RandomFile([string] $Path, [long] $Size) {
        $buffer = [byte[]]::new(1MB)
        $random = [Random]::new(11)
        $stream = [IO.File]::Create($Path)
        try {
            for ($written = 0L; $written -lt $Size; $written += $buffer.Length) {
                $random.NextBytes($buffer)
                $stream.Write($buffer, 0, [Math]::Min($buffer.Length, $Size - $written))
            }
        }
        finally { $stream.Dispose() }
    }

    function Get-Sha256([string] $Path) { 'sha256:' + (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant() }
}

Describe 'Import-Blob across processes' -Tag 'MultiProcess' {
    BeforeAll {
        $work = Join-Path $TestDrive 'mp'
        New-Item -ItemType Directory $work | Out-Null
        $big = Join-Path $work 'big.bin'
        New-RandomFile $big 200MB
        $bigDigest = Get-Sha256 $big
    }

    It 'two processes importing the same big file at once both succeed: one blob, digest verified, no ingest left' {
        $store = Join-Path $work 'store-two'
        $go = Join-Path $work 'go-two'
        $script = "while (-not (Test-Path '$go')) { Start-Sleep -Milliseconds 10 }; (Import-Blob -LiteralPath '$big' -Store '$store').Digest"
        $children = 1..2 | ForEach-Object { Start-ChildPwsh $script }
        New-Item -ItemType File $go | Out-Null
        Assert-OneBlobFromEveryChild -Children $children -Store $store
    }

    It '4 processes writing the same ~200 MB content at once all succeed: one blob, digest verified, no ingest left' {
        $store = Join-Path $work 'store-four'
        $go = Join-Path $work 'go-four'
        # Four names for the same bytes (hard links): four refs, four writers in parallel, racing to commit.
        $paths = 1..4 | ForEach-Object {
            $link = Join-Path $work "link$_.bin"
            New-Item -ItemType HardLink -Path $link -Target $big | Out-Null
            $link
        }
        $children = $paths | ForEach-Object {
            Start-ChildPwsh "while (-not (Test-Path '$go')) { Start-Sleep -Milliseconds 10 }; (Import-Blob -LiteralPath '$_' -Store '$store').Digest"
        }
        New-Item -ItemType File $go | Out-Null
        Assert-OneBlobFromEveryChild -Children $children -Store $store
    }
}

Describe 'A writer killed mid-write' -Tag 'MultiProcess' -Skip:(-not $IsLinux -and -not $IsMacOS) {
    BeforeAll {
        $work = Join-Path $TestDrive 'kill'
        New-Item -ItemType Directory $work | Out-Null
        $content = Join-Path $work 'content.bin'
        New-RandomFile $content 24MB
        $contentDigest = Get-Sha256 $content
        $fifo = Join-Path $work 'slow.fifo'
        & mkfifo $fifo
        $store = Join-Path $work 'store'
        $ref = [ContentPS.Engine.Content.BlobImport]::RefFor($fifo)
    }

    It 'is resumed by another process from its partial ingest, with the right digest' {
        # A slow source: 8 MiB into the FIFO, then the feeder holds it open and the importer waits for more.
        $feeder = Start-Native bash '-c', 'exec 3>"$1"; head -c 8388608 "$2" >&3; exec sleep 300', '_', $fifo, $content
        $writer = Start-ChildPwsh "Import-Blob -LiteralPath '$fifo' -Store '$store'"
        try {
            Wait-Until -Because 'the importer wrote the first 8 MiB' -Condition {
                (Test-Path (Join-Path $store 'oci-layout')) -and ((Get-BlobIngest -Store $store | Where-Object Ref -EQ $ref).Offset -eq 8MB)
            }
            (Get-BlobIngest -Store $store | Where-Object Ref -EQ $ref).Locked | Should -BeTrue
            & kill -9 $writer.Process.Id
            $writer.Process.WaitForExit(10000) | Should -BeTrue
            $writer.Process.ExitCode | Should -Be 137 -Because 'SIGKILL, not a clean exit'
        }
        finally {
            $feeder.Kill($true)
            if (-not $writer.Process.HasExited) { $writer.Process.Kill($true) }
        }

        # The dead writer's lock is gone with it; its data stays.
        $partial = Get-BlobIngest -Store $store | Where-Object Ref -EQ $ref
        $partial.Offset | Should -Be 8MB
        $partial.Locked | Should -BeFalse

        # Another process imports the same source again: it checks the first 8 MiB and appends the rest.
        $resumer = Start-ChildPwsh "Import-Blob -LiteralPath '$fifo' -Store '$store' -Verbose 4>&1 | ForEach-Object { if (`$_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE: ' + `$_.Message } else { 'DIGEST: ' + `$_.Digest } }"
        $full = Start-Native bash '-c', 'exec cat "$2" > "$1"', '_', $fifo, $content
        try {
            $result = Wait-ChildPwsh $resumer
        }
        finally {
            if (-not $full.HasExited) { $full.Kill($true) }
        }
        $result.Stderr | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
        $result.Stdout | Should -Match "resuming the partial ingest .* at offset $(8MB)"
        $result.Stdout | Should -Match "DIGEST: $contentDigest"
        Test-Blob $contentDigest -Store $store | Should -BeTrue
        Get-BlobIngest -Store $store | Should -BeNullOrEmpty
    }
}

Describe 'Stopping an import' -Tag 'MultiProcess' -Skip:(-not $IsLinux -and -not $IsMacOS) {
    It 'stops at once while a slow source has no data, keeping the partial ingest unlocked for a resume' {
        $work = Join-Path $TestDrive 'stop'
        New-Item -ItemType Directory $work | Out-Null
        $content = Join-Path $work 'content.bin'
        New-RandomFile $content 4MB
        $fifo = Join-Path $work 'stalled.fifo'
        & mkfifo $fifo
        $store = Join-Path $work 'store'
        $ref = [ContentPS.Engine.Content.BlobImport]::RefFor($fifo)
        $feeder = Start-Native bash '-c', 'exec 3>"$1"; head -c 2097152 "$2" >&3; exec sleep 300', '_', $fifo, $content
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$manifest'; Import-Blob -LiteralPath '$fifo' -Store '$store'")
            $async = $shell.BeginInvoke()
            Wait-Until -Because 'the import wrote what the source had' -Condition {
                (Test-Path (Join-Path $store 'oci-layout')) -and ((Get-BlobIngest -Store $store | Where-Object Ref -EQ $ref).Offset -eq 2MB)
            }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5 -Because 'a stop does not wait for data the source may never send'
            $async.IsCompleted | Should -BeTrue
            $partial = Get-BlobIngest -Store $store | Where-Object Ref -EQ $ref
            $partial.Offset | Should -Be 2MB
            $partial.Locked | Should -BeFalse
        }
        finally {
            $feeder.Kill($true)
            $shell.Dispose()
        }
    }
}
