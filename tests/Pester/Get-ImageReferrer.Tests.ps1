#Requires -Version 7.4
# Get-ImageReferrer against a real registry (distribution 2.8 has no referrers API, so the client
# reads the referrers tag schema the fixture writes): the SBOM referrer of an image, by tag and by
# digest, -ArtifactType filtering, images without referrers, piping into Get-ImageManifest, errors.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $registry = Start-TestRegistry
    $images = Publish-TestImageSet -Registry $registry -Path (Join-Path $TestDrive 'images')
    $r = $registry.Host
    $artifact = $images.signed.top
    $subject = $images.signed.tags.'artifact-subject'
}

AfterAll {
    if ($registry) { Stop-TestRegistry $registry }
}

Describe 'Get-ImageReferrer' {
    It 'lists the SBOM that refers to an image' {
        $referrers = @(Get-ImageReferrer "$r/demo/signed:latest")
        $referrers.Count | Should -Be 1
        $referrers[0] | Should -BeOfType ContentPS.DescriptorInfo
        $referrers[0].Digest | Should -Be $artifact.digest
        $referrers[0].Size | Should -Be $artifact.size
        $referrers[0].MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $referrers[0].ArtifactType | Should -Be 'application/vnd.example.sbom.v1+json'
        $referrers[0].Annotations['org.opencontainers.image.created'] | Should -Not -BeNullOrEmpty
        $referrers[0].Reference | Should -Be "$r/demo/signed@$($artifact.digest)"
    }

    It 'takes a digest reference (no resolve needed) and references from the pipeline' {
        (Get-ImageReferrer "$r/demo/signed@$($subject.digest)").Digest | Should -Be $artifact.digest
        @(Get-ImageTag "$r/demo/signed" | Where-Object Tag -EQ 'latest' | Get-ImageReferrer).Digest | Should -Be $artifact.digest
    }

    It 'filters by -ArtifactType' {
        @(Get-ImageReferrer "$r/demo/signed:latest" -ArtifactType 'application/vnd.example.sbom.v1+json').Count | Should -Be 1
        @(Get-ImageReferrer "$r/demo/signed:latest" -ArtifactType 'application/vnd.other+json', 'application/vnd.example.sbom.v1+json').Count | Should -Be 1
        @(Get-ImageReferrer "$r/demo/signed:latest" -ArtifactType 'application/vnd.dev.sigstore.bundle.v0.3+json').Count | Should -Be 0
        @(Get-ImageReferrer "$r/demo/signed:latest" -ArtifactType 'application/vnd.other+json', 'application/vnd.another+json').Count | Should -Be 0
    }

    It 'writes nothing, and no error, for an image without referrers' {
        Get-ImageReferrer "$r/demo/multi:latest" -ErrorVariable failed | Should -BeNullOrEmpty
        $failed.Count | Should -Be 0
    }

    It 'pipes into Get-ImageManifest, which shows the subject' {
        $manifest = Get-ImageReferrer "$r/demo/signed:latest" | Get-ImageManifest
        $manifest.Digest | Should -Be $artifact.digest
        $manifest.Subject.Digest | Should -Be $subject.digest
        $manifest.Layers[0].MediaType | Should -Be 'application/spdx+json'
    }

    It 'writes ManifestNotFound for a tag the registry does not have, InvalidReference for a bad reference' {
        Get-ImageReferrer "$r/demo/signed:nope" -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be 'ManifestNotFound,ContentPS.Commands.GetImageReferrerCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-ImageReferrer 'Bad//Reference' -ErrorVariable bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $bad[0].FullyQualifiedErrorId | Should -Be 'InvalidReference,ContentPS.Commands.GetImageReferrerCommand'
        $bad[0].TargetObject | Should -Be 'Bad//Reference'
    }

    It 'shows referrers in a table with short media and artifact types' {
        $text = Get-ImageReferrer "$r/demo/signed:latest" | Out-String -Width 200
        $text | Should -Match "oci\.manifest\s+$([regex]::Escape($artifact.digest.Substring(0, 19)))\s+661 B\s+example\.sbom\.v1\+json"
    }
}
