#Requires -Version 7.4
# Resolve-ImageReference against a real registry (docker-registry from the fixtures): tags and digests
# resolve to the descriptors that were pushed, pipeline binding, per-item errors with their ErrorId,
# category and class (also after Start-Job), basic auth with and without -Credential, and no secret in
# the verbose log.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $registry = Start-TestRegistry
    $images = Publish-TestImageSet -Registry $registry -Path (Join-Path $TestDrive 'images')
    $r = $registry.Host
}

AfterAll {
    if ($registry) { Stop-TestRegistry $registry }
}

Describe 'Resolve-ImageReference' {
    It 'resolves a tag to the index that was pushed' {
        $resolved = Resolve-ImageReference "$r/demo/multi:latest"
        $resolved | Should -BeOfType ContentPS.ResolvedReferenceInfo
        $resolved.Reference | Should -Be "$r/demo/multi:latest"
        $resolved.Repository | Should -Be "$r/demo/multi"
        $resolved.Tag | Should -Be 'latest'
        $resolved.Digest | Should -Be $images.multi.top.digest
        $resolved.MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        $resolved.Size | Should -Be $images.multi.top.size
        $resolved.DigestReference | Should -Be "$r/demo/multi@$($images.multi.top.digest)"
    }

    It 'adds latest to a reference without tag, and resolves a Docker list and a single manifest' {
        (Resolve-ImageReference "$r/demo/multi").Reference | Should -Be "$r/demo/multi:latest"
        $docker = Resolve-ImageReference "$r/demo/docker:latest"
        $docker.MediaType | Should -Be 'application/vnd.docker.distribution.manifest.list.v2+json'
        $docker.Digest | Should -Be $images.docker.top.digest
        $single = Resolve-ImageReference "$r/demo/single:1.0"
        $single.MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $single.Digest | Should -Be $images.single.top.digest
    }

    It 'resolves a digest reference without a tag' {
        $resolved = Resolve-ImageReference "$r/demo/multi@$($images.multi.top.digest)"
        $resolved.Tag | Should -BeNullOrEmpty
        $resolved.Digest | Should -Be $images.multi.top.digest
        $resolved.Size | Should -Be $images.multi.top.size
    }

    It 'takes references from the pipeline by value and by property name (Reference, Name)' {
        $byValue = @("$r/demo/multi:latest", "$r/demo/single:1.0" | Resolve-ImageReference)
        $byValue.Digest | Should -Be @($images.multi.top.digest, $images.single.top.digest)
        $byProperty = @(ConvertTo-ImageReference "$r/demo/docker:latest" | Resolve-ImageReference)
        $byProperty.Digest | Should -Be $images.docker.top.digest
        $byName = @([pscustomobject]@{ Name = "$r/demo/single:1.0" } | Resolve-ImageReference)
        $byName.Digest | Should -Be $images.single.top.digest
    }

    It 'writes InvalidReference for a reference that does not parse, then goes on' {
        $out = @(Resolve-ImageReference "$r/demo/multi:latest", 'UPPER/Case', "$r/demo/single:1.0" -ErrorVariable failed -ErrorAction SilentlyContinue)
        $out.Digest | Should -Be @($images.multi.top.digest, $images.single.top.digest)
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidReference,ContentPS.Commands.ResolveImageReferenceCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failed[0].TargetObject | Should -Be 'UPPER/Case'
    }

    It 'writes ManifestNotFound (ObjectNotFound) for a tag the registry does not have' {
        $out = @(Resolve-ImageReference "$r/demo/multi:nope", "$r/demo/multi:latest" -ErrorVariable failed -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ManifestNotFound,*'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[0].CategoryInfo.Reason | Should -Be 'NotFoundException'
        $failed[0].TargetObject | Should -Be "$r/demo/multi:nope"
        [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be 'NotFound'
        { Resolve-ImageReference "$r/demo/multi:nope" -ErrorAction Stop } | Should -Throw -ExceptionType ([ContentPS.NotFoundException])
    }

    It 'writes NotFound for a repository the registry does not have' {
        Resolve-ImageReference "$r/demo/absent:latest" -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be 'NotFound'
    }

    It 'keeps ErrorId, category and class of a NotFound across Start-Job' {
        $errors = Receive-TestJobError -ScriptBlock { param($Reference) Resolve-ImageReference $Reference } -Parameters @{ Reference = "$r/demo/multi:nope" }
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ManifestNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].CategoryInfo.Reason | Should -Be 'NotFoundException'
        [ContentPS.Errdefs]::Resolve($errors[0]) | Should -Be 'NotFound'
    }

    It 'logs each request with -Verbose' {
        $log = Resolve-ImageReference "$r/demo/multi:latest" -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($log.Message -join "`n") | Should -Match "HEAD .*$([regex]::Escape($r))/v2/demo/multi/manifests/latest"
    }
}

Describe 'Resolve-ImageReference on a registry with basic auth' {
    BeforeAll {
        $secured = Start-TestRegistry -Flavor Htpasswd
        $layout = New-TestImageLayout -Scenario SinglePlatform -Path (Join-Path $TestDrive 'secured')
        Publish-TestImageLayout -Path (Join-Path $TestDrive 'secured') -Registry $secured -Repository private/app -Tag v1 | Out-Null
        $s = $secured.Host
    }

    AfterAll {
        if ($secured) { Stop-TestRegistry $secured }
    }

    It 'resolves with -Credential' {
        (Resolve-ImageReference "$s/private/app:v1" -Credential $secured.Credential).Digest | Should -Be $layout.top.digest
    }

    It 'writes RegistryUnauthorized (AuthenticationError, Unauthenticated) without credentials' {
        # An empty Docker configuration, so no credential of the machine's user is found.
        $saved = $env:DOCKER_CONFIG, $env:REGISTRY_AUTH_FILE
        $env:DOCKER_CONFIG = Join-Path $TestDrive 'no-docker-config'
        $env:REGISTRY_AUTH_FILE = Join-Path $TestDrive 'no-auth.json'
        try {
            Resolve-ImageReference "$s/private/app:v1" -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally {
            $env:DOCKER_CONFIG, $env:REGISTRY_AUTH_FILE = $saved
        }
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RegistryUnauthorized,*'
        $failed[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be 'Unauthenticated'
    }

    It 'writes Unauthenticated for a wrong password' {
        $wrong = [pscredential]::new($secured.Username, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        Resolve-ImageReference "$s/private/app:v1" -Credential $wrong -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be 'Unauthenticated'
    }

    It 'never shows the password in verbose or debug output, nor in errors' {
        $wrong = [pscredential]::new($secured.Username, (ConvertTo-SecureString 'wrong-Secret-123' -AsPlainText -Force))
        $records = @(
            Resolve-ImageReference "$s/private/app:v1" -Credential $secured.Credential -Verbose -Debug 5>&1 4>&1
            Resolve-ImageReference "$s/private/app:v1" -Credential $wrong -Verbose -Debug -ErrorAction SilentlyContinue -ErrorVariable failed 5>&1 4>&1)
        $text = (@($records | Out-String) + @($failed | ForEach-Object { $_.ToString(); $_.ErrorDetails.Message; $_.Exception.ToString() })) -join "`n"
        $text | Should -Match 'HEAD'
        $text | Should -Not -Match ([regex]::Escape($secured.Password))
        $text | Should -Not -Match 'wrong-Secret-123'
        $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($secured.Username):$($secured.Password)"))
        $text | Should -Not -Match ([regex]::Escape($basic))
    }
}
