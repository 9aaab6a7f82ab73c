#Requires -Version 7.4
# Get-ImageTag against a real registry: every tag, objects that pipe into the reference cmdlets,
# -Repository from the pipeline, and the errors for a repository with a tag or digest and for a
# repository the registry does not have (also after Start-Job).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $registry = Start-TestRegistry
    $images = Publish-TestImageSet -Registry $registry -Path (Join-Path $TestDrive 'images')
    $r = $registry.Host
    # 30 more tags of one image, so a listing has more than a handful to get right.
    $many = 1..30 | ForEach-Object { 'build-{0:d3}' -f $_ }
    foreach ($tag in $many) {
        Publish-TestImageLayout -Path (Join-Path $TestDrive 'images/single') -Registry $registry -Repository demo/many -Tag $tag | Out-Null
    }
}

AfterAll {
    if ($registry) { Stop-TestRegistry $registry }
}

Describe 'Get-ImageTag' {
    It 'lists every tag of a repository' {
        $tags = @(Get-ImageTag "$r/demo/multi")
        $tags | ForEach-Object { $_ | Should -BeOfType ContentPS.ImageTagInfo }
        @($tags.Tag | Sort-Object) | Should -Be @('latest', 'v2')
        $tags | ForEach-Object { $_.Repository | Should -Be "$r/demo/multi" }
        @($tags.Reference | Sort-Object) | Should -Be @("$r/demo/multi:latest", "$r/demo/multi:v2")
        @((Get-ImageTag "$r/demo/many").Tag | Sort-Object) | Should -Be $many
    }

    It 'lists the tags of the referrers tag schema too' {
        $subject = $images.signed.tags.'artifact-subject'
        @((Get-ImageTag -Repository "$r/demo/signed").Tag | Sort-Object) | Should -Be @('latest', 'latest-sbom', "sha256-$($subject.encoded)")
    }

    It 'pipes into Resolve-ImageReference and Get-ImageManifest by Reference' {
        $resolved = @(Get-ImageTag "$r/demo/multi" | Resolve-ImageReference)
        $resolved.Count | Should -Be 2
        $resolved | ForEach-Object { $_.Digest | Should -Be $images.multi.top.digest }
        @(Get-ImageTag "$r/demo/many" | Get-ImageManifest).Count | Should -Be 30
    }

    It 'takes -Repository by value and by property name' {
        @("$r/demo/multi", "$r/demo/docker" | Get-ImageTag).Count | Should -Be 3
        @(Resolve-ImageReference "$r/demo/docker:latest" | Get-ImageTag).Reference | Should -Be "$r/demo/docker:latest"
    }

    It 'stops reading when the pipeline has enough' {
        @(Get-ImageTag "$r/demo/many" | Select-Object -First 2).Count | Should -Be 2
    }

    It 'writes InvalidReference for a repository with a <Kind>' -ForEach @(
        @{ Kind = 'tag'; Suffix = ':latest' }
        @{ Kind = 'digest'; Suffix = '@sha256:0000000000000000000000000000000000000000000000000000000000000000' }
    ) {
        $repository = "$r/demo/multi$Suffix"
        Get-ImageTag $repository -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidReference,ContentPS.Commands.GetImageTagCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failed[0].TargetObject | Should -Be $repository
        $failed[0].Exception.Message | Should -BeLike "*names a $Kind*$r/demo/multi)"
    }

    It 'writes RepositoryNotFound with the registry message for an unknown repository, and goes on' {
        $out = @("$r/demo/absent", "$r/demo/multi" | Get-ImageTag -ErrorVariable failed -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 2
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'RepositoryNotFound,ContentPS.Commands.GetImageTagCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        [ContentPS.Errdefs]::Resolve($failed[0]) | Should -Be 'NotFound'
        $failed[0].ErrorDetails.Message | Should -Match 'repository name not known to registry'
    }

    It 'keeps RepositoryNotFound across Start-Job' {
        $errors = Receive-TestJobError -ScriptBlock { param($Repository) Get-ImageTag $Repository } -Parameters @{ Repository = "$r/demo/absent" }
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'RepositoryNotFound,ContentPS.Commands.GetImageTagCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        [ContentPS.Errdefs]::Resolve($errors[0]) | Should -Be 'NotFound'
    }

    It 'shows repository and tag in a table' {
        $text = Get-ImageTag "$r/demo/multi" | Out-String -Width 200
        $text | Should -Match 'Repository\s+Tag'
        $text | Should -Match "$([regex]::Escape("$r/demo/multi"))\s+latest"
    }
}
