#Requires -Version 7.4
# Invoke-ImageHandler against a real registry, most of it through the fault proxy so that requests can be
# counted: the graph visited (the pull's, sequentially and with -Parallel), Skip, Stop, emitted children and the
# built-in handlers by name, output down the pipeline, FetchToStore with a size threshold (exactly which blobs land,
# and which are never requested), $using:, errors in both modes, stopping, runspaces, and bad arguments.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'
    $registry = Start-TestRegistry
    $images = Publish-TestImageSet -Registry $registry -Path (Join-Path $TestDrive 'images')
    $proxy = Start-TestFaultProxy -Upstream $registry.BaseUri
    $r = $registry.Host
    $p = $proxy.Host

    function New-TestStore {
        Join-Path $TestDrive ('store-' + [guid]::NewGuid().ToString('N'))
    }

    function Get-StoreDigests([string] $Store) {
        @(Get-Blob -Store $Store | ForEach-Object Digest | Sort-Object)
    }

    # What a pull of the same selection leaves in a store: the oracle of the visited graph.
    function Get-PulledDigests([string] $Reference, [string[]] $Arguments = @()) {
        $store = New-TestStore
        $null = Invoke-Expression "Save-ImageContent '$Reference' -Store '$store' $Arguments"
        Get-StoreDigests $store
    }

    function Get-Requests([string] $Pattern) {
        @(Get-TestFaultRequests -Proxy $proxy | Where-Object { $_.Method -eq 'GET' -and $_.Target -match $Pattern })
    }

    # Every descriptor of an image, with its kind, from the registry (Get-ImageManifest): root, manifests, configs, layers.
    function Get-AllDescriptors([string] $Reference) {
        $top = Get-ImageManifest $Reference -Remote
        [pscustomobject]@{ Kind = 'Index'; Digest = $top.Digest; Size = $top.Size }
        foreach ($entry in $top.Manifests) {
            $manifest = $entry | Get-ImageManifest -Remote
            [pscustomobject]@{ Kind = 'Manifest'; Digest = $manifest.Digest; Size = $manifest.Size }
            [pscustomobject]@{ Kind = 'Config'; Digest = $manifest.Config.Digest; Size = $manifest.Config.Size }
            $manifest.Layers | ForEach-Object { [pscustomobject]@{ Kind = 'Layer'; Digest = $_.Digest; Size = $_.Size } }
        }
    }
}

AfterAll {
    if ($proxy) { Stop-TestFaultProxy $proxy }
    if ($registry) { Stop-TestRegistry $registry }
    $env:CONTENTPS_STORE = $savedStore
}

Describe 'Invoke-ImageHandler walks the graph a pull visits' {
    It 'visits, for <Repository> <Arguments>, exactly the blobs a pull of the same selection saves, sequentially and with -Parallel' -ForEach @(
        @{ Repository = 'demo/multi:latest'; Arguments = '' }
        @{ Repository = 'demo/multi:latest'; Arguments = '-AllPlatforms' }
        @{ Repository = 'demo/multi:latest'; Arguments = '-Platform linux/arm/v7' }
        @{ Repository = 'demo/docker:latest'; Arguments = '-Platform linux/arm64' }
        @{ Repository = 'demo/nested:latest'; Arguments = '-AllPlatforms' }
        @{ Repository = 'demo/single:1.0'; Arguments = '' }
        @{ Repository = 'demo/signed:latest'; Arguments = '' }
    ) {
        $expected = Get-PulledDigests "$r/$Repository" $Arguments
        $sequential = @(Invoke-Expression "Invoke-ImageHandler '$r/$Repository' $Arguments -Handler { `$_.Digest }")
        $parallel = @(Invoke-Expression "Invoke-ImageHandler '$r/$Repository' $Arguments -Parallel -ThrottleLimit 3 -Handler { `$_.Digest }")
        @($sequential | Sort-Object -Unique) | Should -Be $expected
        @($parallel | Sort-Object) | Should -Be $expected -Because '-Parallel handles each digest once'
    }

    It 'walks depth-first: the index, then each manifest followed by its config and layers' {
        $visited = @(Invoke-ImageHandler "$r/demo/multi:latest" -AllPlatforms -Handler { [pscustomobject]@{ Kind = "$($_.Kind)"; Digest = $_.Digest; Parent = $_.ParentDigest; Depth = $_.Depth } })
        $top = Get-ImageManifest "$r/demo/multi:latest" -Remote
        $visited[0].Digest | Should -Be $top.Digest
        $visited[0].Depth | Should -Be 0
        $expected = @($top.Digest)
        foreach ($entry in $top.Manifests) {
            $manifest = $entry | Get-ImageManifest -Remote
            $expected += $manifest.Digest, $manifest.Config.Digest
            $expected += @($manifest.Layers.Digest)
        }
        $visited.Digest | Should -Be $expected
        $visited | Where-Object Kind -EQ 'Config' | ForEach-Object { $_.Depth | Should -Be 2 }
    }

    It 'gives each script the descriptor as $_ and as $args[0], an ImageDescriptorInfo' {
        $seen = @(Invoke-ImageHandler "$r/demo/single:1.0" -Handler { [pscustomobject]@{ Same = [object]::ReferenceEquals($_, $args[0]); Type = $_.GetType().FullName } })
        $seen.Count | Should -Be 4
        $seen.Same | Should -Not -Contain $false
        $seen.Type | Sort-Object -Unique | Should -Be 'ContentPS.ImageDescriptorInfo'
    }
}

Describe 'Invoke-ImageHandler signals and children' {
    It 'Skip prunes a subtree: the skipped manifests are never requested, the others are' {
        $top = Get-ImageManifest "$r/demo/multi:latest" -Remote
        $arm = @($top.Manifests | Where-Object { "$($_.Platform)" -like 'linux/arm*' })
        $other = @($top.Manifests | Where-Object { "$($_.Platform)" -notlike 'linux/arm*' -and "$($_.Platform)" -ne 'unknown/unknown' })
        $arm.Count | Should -BeGreaterThan 0
        Clear-TestFaultProxy -Proxy $proxy
        $kinds = @(Invoke-ImageHandler "$p/demo/multi:latest" -Remote -Handler {
                if ("$($_.Platform)" -like 'linux/arm*' -and $_.Kind -eq 'Manifest') { [ContentPS.Handler]::Skip }
                $_.Digest
            })
        foreach ($entry in $arm) {
            $config = ($entry | Get-ImageManifest -Remote).Config.Digest
            $kinds | Should -Contain $entry.Digest -Because 'what a script outputs flows, Skip or not'
            $kinds | Should -Not -Contain $config -Because 'Skip prunes the subtree'
        }
        foreach ($entry in $other) {
            @(Get-Requests "/manifests/$($entry.Digest)").Count | Should -Be 1
        }
    }

    It 'Stop ends the chain for the descriptor, and its children are still visited' {
        $second = @(Invoke-ImageHandler "$r/demo/single:1.0" -Handler {
                if ($_.Kind -eq 'Manifest') { [ContentPS.Handler]::Stop }
            }, { "$($_.Kind)" })
        $second | Should -Be @('Config', 'Layer', 'Layer')
    }

    It 'descriptors a script outputs replace the built-in children' {
        $top = Get-ImageManifest "$r/demo/multi:latest" -Remote
        $first = $top.Manifests[0]
        $manifests = @(Invoke-ImageHandler "$r/demo/multi:latest" -Handler {
                if ($_.Kind -eq 'Index') { (Get-ImageManifest $_.Reference -Remote).Manifests[0] }
                if ($_.Kind -eq 'Manifest') { $_.Digest }
            })
        $manifests | Should -Be @($first.Digest)
    }

    It 'Children named in the chain adds the built-in children after what a script output before it' {
        $top = Get-ImageManifest "$r/demo/multi:latest" -Remote
        $entries = @($top.Manifests | Where-Object { "$($_.Platform)" -ne 'unknown/unknown' })
        $manifests = @(Invoke-ImageHandler "$r/demo/multi:latest" -Handler {
                if ($_.Kind -eq 'Index') { (Get-ImageManifest $_.Reference -Remote).Manifests[0] }
            }, 'Children', {
                if ($_.Kind -eq 'Manifest') { $_.Digest; [ContentPS.Handler]::Skip }
            })
        $manifests | Should -Be (@($top.Manifests[0].Digest) + @($entries.Digest)) -Because 'the emitted child first, then the built-in ones (a sequential walk does not deduplicate)'
    }

    It 'FilterPlatforms keeps the children of -Platform among those gathered before it' {
        $top = Get-ImageManifest "$r/demo/multi:latest" -Remote
        $amd64 = (Get-ImageManifest "$r/demo/multi:latest" -Remote -Platform linux/amd64).Digest
        $manifests = @(Invoke-ImageHandler "$r/demo/multi:latest" -Platform linux/amd64 -Handler 'Children', 'FilterPlatforms', {
                if ($_.Kind -eq 'Manifest') { $_.Digest; [ContentPS.Handler]::Skip }
            })
        $manifests | Should -Be @($amd64)
        $top.Manifests.Count | Should -BeGreaterThan 1
    }

    It 'writes other output down the pipeline as the walk goes, and Select-Object -First 1 stops the requests' {
        Clear-TestFaultProxy -Proxy $proxy
        $null = Invoke-ImageHandler "$p/demo/multi:latest" -Remote -AllPlatforms -Handler { $_.Digest }
        $all = @(Get-Requests '/manifests/sha256:').Count
        $all | Should -BeGreaterThan 2
        Clear-TestFaultProxy -Proxy $proxy
        $first = Invoke-ImageHandler "$p/demo/multi:latest" -Remote -AllPlatforms -Handler { $_.Digest } | Select-Object -First 1
        $first | Should -Be $images.multi.top.digest
        # The root's output stops the walk: at most the manifest the walk was reading then follows.
        @(Get-Requests '/manifests/sha256:').Count | Should -BeLessOrEqual 2
    }
}

Describe 'Invoke-ImageHandler FetchToStore' {
    It 'fetches everything but the layers over the threshold, which are never requested, and records the image' {
        $all = @(Get-AllDescriptors "$r/demo/multi:latest")
        $layers = @($all | Where-Object Kind -EQ 'Layer' | Sort-Object Size)
        $threshold = $layers[[int]($layers.Count / 2)].Size - 1
        $big = @($layers | Where-Object Size -GT $threshold)
        $big.Count | Should -BeGreaterThan 0
        $big.Count | Should -BeLessThan $layers.Count
        $store = New-TestStore
        Clear-TestFaultProxy -Proxy $proxy
        $output = Invoke-ImageHandler "$p/demo/multi:latest" -AllPlatforms -Store $store -Handler {
            if ($_.Kind -eq 'Layer' -and $_.Size -gt $using:threshold) { [ContentPS.Handler]::Skip }
        }, 'FetchToStore'
        $output | Should -BeNullOrEmpty
        Get-StoreDigests $store | Should -Be @($all | Where-Object { -not ($_.Kind -eq 'Layer' -and $_.Size -gt $threshold) } | ForEach-Object Digest | Sort-Object -Unique)
        foreach ($layer in $big) {
            Get-Requests "/blobs/$($layer.Digest)" | Should -BeNullOrEmpty
        }
        (Get-Image -Store $store).Name | Should -Be "$p/demo/multi:latest"
        $labels = (Get-Blob -Store $store -Digest $images.multi.top.digest).Labels
        @($labels.Keys | Where-Object { $_ -like 'containerd.io/gc.ref.content.m.*' }).Count | Should -BeGreaterThan 0
    }

    It 'fetches the same blobs with -Parallel' {
        $sequential = New-TestStore
        $parallel = New-TestStore
        $null = Invoke-ImageHandler "$r/demo/nested:latest" -AllPlatforms -Store $sequential -Handler { if ($_.Kind -eq 'Config') { [ContentPS.Handler]::Skip } }, 'FetchToStore'
        $null = Invoke-ImageHandler "$r/demo/nested:latest" -AllPlatforms -Store $parallel -Parallel -Handler { if ($_.Kind -eq 'Config') { [ContentPS.Handler]::Skip } }, 'FetchToStore'
        $digests = Get-StoreDigests $sequential
        $digests.Count | Should -BeGreaterThan 3
        Get-StoreDigests $parallel | Should -Be $digests
    }

    It '-WhatIf fetches nothing' {
        $store = New-TestStore
        Invoke-ImageHandler "$r/demo/single:1.0" -Store $store -Handler 'FetchToStore' -WhatIf
        Test-Path (Join-Path $store 'blobs') | Should -BeFalse
    }

    It 'with -Local is a terminating InvalidArgument error' {
        { Invoke-ImageHandler "$r/demo/single:1.0" -Local -Handler 'FetchToStore' } | Should -Throw -ErrorId 'InvalidArgument,*'
    }

    It 'a walk with -Local reads the store a fetch filled, and makes no request' {
        $store = New-TestStore
        $null = Invoke-ImageHandler "$p/demo/single:1.0" -Store $store -Handler 'FetchToStore'
        Clear-TestFaultProxy -Proxy $proxy
        $local = @(Invoke-ImageHandler "$p/demo/single:1.0" -Store $store -Local -Handler { $_.Digest })
        $local | Sort-Object | Should -Be (Get-StoreDigests $store)
        Get-TestFaultRequests -Proxy $proxy | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-ImageHandler $using:' {
    It 'brings session values to <Mode> scripts, indexes included' -ForEach @(
        @{ Mode = 'sequential'; Parallel = $false }
        @{ Mode = 'parallel'; Parallel = $true }
    ) {
        $prefix = 'seen'
        $sizes = @(1, 2)
        $out = @(Invoke-ImageHandler "$r/demo/single:1.0" -Parallel:$Parallel -Handler { "$using:prefix $($using:sizes[1]) $($_.Kind)" })
        $out | Sort-Object | Should -Be @('seen 2 Config', 'seen 2 Layer', 'seen 2 Layer', 'seen 2 Manifest')
    }

    It 'a $using: variable that is not set is a terminating InvalidHandler error' {
        { Invoke-ImageHandler "$r/demo/single:1.0" -Handler { $using:notSetAnywhere } } | Should -Throw -ErrorId 'InvalidHandler,*'
    }

    It 'a scriptblock in $using: is refused with -Parallel' {
        $block = { 1 }
        { Invoke-ImageHandler "$r/demo/single:1.0" -Parallel -Handler { & $using:block } } | Should -Throw -ErrorId 'InvalidHandler,*'
    }
}

Describe 'Invoke-ImageHandler errors' {
    It 'a throw is an error at the line that threw, with the descriptor as target, and ends the walk (sequential)' {
        $errors = $null
        $out = @(Invoke-ImageHandler "$r/demo/single:1.0" -ErrorVariable errors -Handler {
                if ($_.Kind -eq 'Config') {
                    throw 'config refused'
                }
                "$($_.Kind)"
            } 2>$null)
        $out | Should -Be @('Manifest')
        $errors.Count | Should -Be 1
        $record = $errors[0]
        $record.FullyQualifiedErrorId | Should -Be 'HandlerFailed,ContentPS.Commands.InvokeImageHandlerCommand'
        $record.CategoryInfo.Category | Should -Be 'NotSpecified'
        $record.CategoryInfo.Reason | Should -Be 'UnknownException'
        $record.TargetObject | Should -BeOfType ([ContentPS.ImageDescriptorInfo])
        "$($record.TargetObject.Kind)" | Should -Be 'Config'
        $record.Exception.Message | Should -Match 'config refused'
        $record.InvocationInfo.ScriptName | Should -BeLike '*Invoke-ImageHandler.Tests.ps1'
        $record.InvocationInfo.Line | Should -Match "throw 'config refused'"
    }

    It '-ErrorAction SilentlyContinue skips the failing subtree and goes on (<Mode>)' -ForEach @(
        @{ Mode = 'sequential'; Parallel = $false }
        @{ Mode = 'parallel'; Parallel = $true }
    ) {
        $errors = $null
        $out = @(Invoke-ImageHandler "$r/demo/multi:latest" -Parallel:$Parallel -AllPlatforms -ErrorAction SilentlyContinue -ErrorVariable errors -Handler {
                if ($_.Kind -eq 'Manifest' -and "$($_.Platform)" -like 'linux/arm*') { throw "no $($_.Platform)" }
                [pscustomobject]@{ Kind = "$($_.Kind)"; Platform = "$($_.Platform)" }
            })
        $arm = @((Get-ImageManifest "$r/demo/multi:latest" -Remote).Manifests | Where-Object { "$($_.Platform)" -like 'linux/arm*' })
        $errors.Count | Should -Be $arm.Count
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'HandlerFailed,*' }
        @($errors.TargetObject.Digest | Sort-Object) | Should -Be @($arm.Digest | Sort-Object)
        $out | Where-Object { $_.Platform -like 'linux/arm*' } | Should -BeNullOrEmpty -Because 'the failing subtrees are skipped'
        @($out | Where-Object Kind -EQ 'Layer').Count | Should -BeGreaterThan 0 -Because 'the other platforms are walked'
    }

    It 'with -Parallel the first error cancels the rest: one error' {
        $errors = $null
        $null = Invoke-ImageHandler "$r/demo/multi:latest" -Parallel -AllPlatforms -ErrorVariable errors -Handler {
            if ($_.Kind -eq 'Manifest') { throw "no $($_.Digest)" }
        } 2>$null
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'HandlerFailed,*'
        "$($errors[0].TargetObject.Kind)" | Should -Be 'Manifest'
        $errors[0].InvocationInfo.Line | Should -Match 'throw "no'
    }

    It 'a thrown ContentPS error keeps its class and ErrorId (<Mode>)' -ForEach @(
        @{ Mode = 'sequential'; Parallel = $false }
        @{ Mode = 'parallel'; Parallel = $true }
    ) {
        $errors = $null
        $null = Invoke-ImageHandler "$r/demo/single:1.0" -Parallel:$Parallel -ErrorVariable errors -Handler {
            if ($_.Kind -eq 'Manifest') { throw [ContentPS.NotFoundException]::new('gone', 'BlobNotFound') }
        } 2>$null
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'BlobNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        [ContentPS.Errdefs]::Resolve($errors[0]) | Should -Be 'NotFound'
    }

    It 'a registry failure of the walk is that reference''s error; the next reference is walked' {
        $errors = $null
        $out = @(Invoke-ImageHandler "$r/demo/absent:1.0", "$r/demo/single:1.0" -ErrorVariable errors -Handler { $_.Kind } 2>$null)
        $errors.Count | Should -Be 1
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $out.Count | Should -Be 4
    }

    It 'a -Handler value that is <What> is a terminating InvalidHandler error' -ForEach @(
        @{ What = 'a number'; Value = 42 }
        @{ What = 'an unknown name'; Value = 'Fetch' }
        @{ What = 'a hashtable'; Value = @{ a = 1 } }
    ) {
        $caught = $null
        try { Invoke-ImageHandler "$r/demo/single:1.0" -Handler { $_ }, $Value } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'InvalidHandler,ContentPS.Commands.InvokeImageHandlerCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.Exception.Message | Should -Match '-Handler value 2'
        $caught.Exception.Message | Should -Match 'FetchToStore'
    }

    It '-Local with -Remote, and -ThrottleLimit without -Parallel, are terminating InvalidArgument errors' {
        { Invoke-ImageHandler "$r/demo/single:1.0" -Local -Remote -Handler { $_ } } | Should -Throw -ErrorId 'InvalidArgument,*'
        { Invoke-ImageHandler "$r/demo/single:1.0" -ThrottleLimit 2 -Handler { $_ } } | Should -Throw -ErrorId 'InvalidArgument,*'
    }

    It 'a platform the image does not have is PlatformNotFound' {
        { Invoke-ImageHandler "$r/demo/multi:latest" -Platform linux/s390x -Handler { $null } -ErrorAction Stop } | Should -Throw -ErrorId 'PlatformNotFound,*'
    }
}

Describe 'Invoke-ImageHandler runspaces' {
    It 'runs -Parallel scripts in a pool of runspaces and leaves none behind' {
        $before = @(Get-Runspace).Count
        $during = @(Invoke-ImageHandler "$r/demo/multi:latest" -Parallel -ThrottleLimit 2 -Handler { @(Get-Runspace).Count })
        ($during | Measure-Object -Maximum).Maximum | Should -BeGreaterThan $before -Because 'the pool runspaces exist while the walk runs'
        @(Get-Runspace).Count | Should -Be $before
    }

    It 'leaves no runspace behind when Select-Object -First 1 stops a -Parallel walk' {
        $before = @(Get-Runspace).Count
        $first = Invoke-ImageHandler "$r/demo/multi:latest" -AllPlatforms -Parallel -Handler { $_.Digest } | Select-Object -First 1
        $first | Should -Not -BeNullOrEmpty
        @(Get-Runspace).Count | Should -Be $before
    }

    It 'a stop (Ctrl+C) ends a <Mode> walk whose handler is running, and leaves no runspace behind' -ForEach @(
        @{ Mode = 'sequential'; Parallel = $false }
        @{ Mode = 'parallel'; Parallel = $true }
    ) {
        $modulePath = (Resolve-Path (Join-Path $PSScriptRoot ../../ContentPS.psd1)).Path
        $state = [hashtable]::Synchronized(@{ Started = 0 })
        $shell = [powershell]::Create()
        $shell.Runspace = [runspacefactory]::CreateRunspace()
        $shell.Runspace.Open()
        try {
            $null = $shell.AddScript("Import-Module '$($modulePath -replace "'", "''")' -ErrorAction Stop").AddStatement()
            $null = $shell.AddScript({
                    param($Reference, $State, $Parallel)
                    Invoke-ImageHandler $Reference -Parallel:$Parallel -Handler {
                        $s = $using:State
                        $s.Started++
                        Start-Sleep -Seconds 120
                    }
                }).AddArgument("$p/demo/multi:latest").AddArgument($state).AddArgument($Parallel)
            $before = @(Get-Runspace).Count
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($state.Started -eq 0 -and -not $async.IsCompleted) {
                if ([DateTime]::UtcNow -gt $deadline) { throw 'gave up waiting for the handler to start' }
                Start-Sleep -Milliseconds 50
            }
            $shell.Streams.Error.Count | Should -Be 0 -Because "the module imported (Count: enumerating a running stream blocks)"
            Clear-TestFaultProxy -Proxy $proxy
            $stopped = $shell.BeginStop($null, $null)
            $stopped.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'a stop ends the sleeping handler (hang guard only)'
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $state.Started | Should -Be 1 -Because 'the handler of the root was running: no other handler started'
            Get-TestFaultRequests -Proxy $proxy | Should -BeNullOrEmpty -Because 'nothing is requested once stopped'
            @(Get-Runspace).Count | Should -Be $before -Because 'the pool of -Parallel is closed'
        }
        finally {
            $shell.Runspace.Dispose()
            $shell.Dispose()
        }
    }

    It 'leaves no runspace behind when a -Parallel walk fails' {
        $before = @(Get-Runspace).Count
        $null = Invoke-ImageHandler "$r/demo/multi:latest" -Parallel -Handler { throw 'x' } 2>$null
        @(Get-Runspace).Count | Should -Be $before
    }
}

Describe 'Invoke-ImageHandler pipeline input' {
    It 'walks the nodes Get-ImageDescriptor writes, by their Reference' {
        $manifests = @(Get-ImageDescriptor "$r/demo/multi:latest" -Recurse | Where-Object Kind -EQ 'Manifest')
        $manifests.Count | Should -BeGreaterThan 1
        $roots = @($manifests | Invoke-ImageHandler -Handler { if ($_.Depth -eq 0) { $_.Digest } })
        $roots | Should -Be @($manifests.Digest)
    }
}

Describe 'Invoke-ImageHandler completion' {
    It 'completes the built-in handler names' {
        $line = 'Invoke-ImageHandler x -Handler Fe'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Be @("'FetchToStore'")
        $line = "Invoke-ImageHandler x -Handler { 1 }, "
        $all = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $all.CompletionMatches.ListItemText | Should -Be @('Children', 'FilterPlatforms', 'FetchToStore')
    }
}
