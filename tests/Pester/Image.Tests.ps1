#Requires -Version 7.4
# Get-Image and Remove-Image: the image records (named descriptors of index.json) of a store. Records are
# written through the engine's ImageRecordStore onto blobs imported with Import-Blob; each test has its own store.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'default-store'

    function New-TestStore {
        Join-Path $TestDrive ("store-" + [guid]::NewGuid().ToString('N'))
    }

    # Imports a blob and writes an image record pointing at it; returns the blob.
    function New-TestImage([string] $Store, [string] $Name) {
        $file = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        [IO.File]::WriteAllText($file, "manifest of $Name")
        $blob = Import-Blob -Path $file -Store $Store
        $descriptor = [ContentPS.Engine.Oci.Descriptor]@{
            MediaType = 'application/vnd.oci.image.manifest.v1+json'
            Digest    = [ContentPS.Engine.Oci.Digest]::Parse($blob.Digest)
            Size      = $blob.Size
        }
        $null = [ContentPS.Engine.Images.ImageRecordStore]::new($Store).SetAsync($Name, $descriptor, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $blob
    }
}

AfterAll {
    $env:CONTENTPS_STORE = $savedStore
}

Describe 'Get-Image' {
    BeforeEach {
        $store = New-TestStore
        $alpine = New-TestImage $store 'docker.io/library/alpine:3.20'
        $busybox = New-TestImage $store 'docker.io/library/busybox:1.36'
        $app = New-TestImage $store 'example.com/team/app:1.0'
    }

    It 'lists every record with its target and store' {
        $images = @(Get-Image -Store $store)
        $images.Name | Should -Be @('docker.io/library/alpine:3.20', 'docker.io/library/busybox:1.36', 'example.com/team/app:1.0')
        $images[0] | Should -BeOfType ([ContentPS.ImageInfo])
        $images[0].Digest | Should -Be $alpine.Digest
        $images[0].Size | Should -Be $alpine.Size
        $images[0].MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $images[0].Store | Should -Be $store
        $images[0].Annotations.Count | Should -Be 0
    }

    It 'matches wildcards case-insensitively' {
        (Get-Image -Store $store -Name 'DOCKER.IO/library/*').Name | Should -Be @('docker.io/library/alpine:3.20', 'docker.io/library/busybox:1.36')
    }

    It 'writes nothing and no error for a pattern that matches nothing' {
        $out = @(Get-Image -Store $store -Name 'nothing*' -ErrorVariable errors)
        $out.Count | Should -Be 0
        $errors.Count | Should -Be 0
    }

    It 'writes ImageNotFound for a missing exact name and goes on' {
        $out = @(Get-Image -Store $store -Name 'example.com/missing:1', 'example.com/team/app:1.0' -ErrorVariable errors -ErrorAction SilentlyContinue)
        $out.Name | Should -Be 'example.com/team/app:1.0'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be 'example.com/missing:1'
    }

    It 'takes names from the pipeline' {
        ('docker.io/library/busybox:1.36' | Get-Image -Store $store).Digest | Should -Be $busybox.Digest
    }

    It 'shows short media type and digest in the table view' {
        $text = Get-Image -Store $store -Name 'example.com/*' | Format-Table | Out-String
        $text | Should -Match 'oci\.manifest'
        $text | Should -Match ([regex]::Escape($app.Digest.Substring(0, 19)))
        $text | Should -Not -Match ([regex]::Escape($app.Digest))
    }

    It 'finds nothing, and creates no store, where there is none' {
        $missing = New-TestStore
        @(Get-Image -Store $missing).Count | Should -Be 0
        Get-Image -Store $missing -Name 'a:1' -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        Test-Path $missing | Should -BeFalse
    }

    It 'completes -Name of <Command> with the record names of -Store' -ForEach @(
        @{ Command = 'Get-Image' }
        @{ Command = 'Remove-Image' }
    ) {
        $line = "$Command -Store '$store' -Name docker.io/library/b"
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('docker.io/library/busybox:1.36')
    }

    It 'rejects a store path that is not a folder path' {
        { Get-Image -Store 'Env:/PATH' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPath,ContentPS.Commands.GetImageCommand'
    }
}

Describe 'Remove-Image' {
    BeforeEach {
        $store = New-TestStore
        $alpine = New-TestImage $store 'docker.io/library/alpine:3.20'
        $busybox = New-TestImage $store 'docker.io/library/busybox:1.36'
        $app = New-TestImage $store 'example.com/team/app:1.0'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-FileHash (Join-Path $store 'index.json')
        Remove-Image -Store $store -Name 'docker.io/library/alpine:3.20' -WhatIf
        (Get-FileHash (Join-Path $store 'index.json')).Hash | Should -Be $before.Hash
        @(Get-Image -Store $store).Count | Should -Be 3
    }

    It 'removes the record and keeps its blob' {
        Remove-Image -Store $store -Name 'docker.io/library/alpine:3.20' -Confirm:$false
        (Get-Image -Store $store).Name | Should -Be @('docker.io/library/busybox:1.36', 'example.com/team/app:1.0')
        (Get-Blob -Store $store -Digest $alpine.Digest).Digest | Should -Be $alpine.Digest
    }

    It 'writes the removed record with -PassThru' {
        $removed = Remove-Image -Store $store -Name 'example.com/team/app:1.0' -Confirm:$false -PassThru
        $removed.Name | Should -Be 'example.com/team/app:1.0'
        $removed.Digest | Should -Be $app.Digest
    }

    It 'removes what Get-Image pipes to it, by Name and Store' {
        Push-Location $TestDrive
        try { Get-Image -Store $store -Name 'docker.io/*' | Remove-Image -Confirm:$false }
        finally { Pop-Location }
        (Get-Image -Store $store).Name | Should -Be 'example.com/team/app:1.0'
        @(Get-Blob -Store $store).Count | Should -Be 3
    }

    It 'writes ImageNotFound for a missing name and removes the others' {
        Remove-Image -Store $store -Name 'example.com/missing:1', 'example.com/team/app:1.0' -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,ContentPS.Commands.RemoveImageCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be 'example.com/missing:1'
        @(Get-Image -Store $store).Count | Should -Be 2
    }

    It 'rejects a store path that is not a folder path' {
        { Remove-Image -Store 'Env:/PATH' -Name 'a:1' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPath,ContentPS.Commands.RemoveImageCommand'
    }
}
