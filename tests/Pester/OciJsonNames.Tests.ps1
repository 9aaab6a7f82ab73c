#Requires -Version 7.4
# ConvertTo-Json of the objects that stand for OCI content (descriptors, indexes, manifests, platforms,
# resolved references, image records, imported blobs) writes their OCI fields under the OCI names, with
# the values the OCI JSON has; ToOciJson() still gives the exact OCI document. See "JSON AND OCI FIELD
# NAMES" in about_ContentPS and module/ContentPS.Types.ps1xml.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $registry = Start-TestRegistry
    $images = Publish-TestImageSet -Registry $registry -Path (Join-Path $TestDrive 'images')
    $r = $registry.Host

    function ConvertTo-JsonTable([object] $InputObject) {
        # Round trip through ConvertFrom-Json without -AsHashtable first: it refuses keys that differ only in case.
        $json = $InputObject | ConvertTo-Json -Depth 10 -Compress
        $null = $json | ConvertFrom-Json
        $json | ConvertFrom-Json -AsHashtable
    }

    # Every field of the OCI JSON is in ours under the same (case-sensitive) name with the same value.
    function Assert-OciFields([object] $Ours, [object] $Oci, [string] $Path = '$') {
        if ($Oci -is [System.Collections.IDictionary]) {
            $Ours | Should -BeOfType System.Collections.IDictionary -Because "$Path is an object"
            foreach ($key in $Oci.Keys) {
                @($Ours.Keys) -ccontains $key | Should -BeTrue -Because "$Path has the OCI field $key"
                Assert-OciFields $Ours[$key] $Oci[$key] "$Path.$key"
            }
        }
        elseif ($Oci -is [System.Collections.IList]) {
            @($Ours).Count | Should -Be @($Oci).Count -Because "$Path has as many entries"
            for ($i = 0; $i -lt @($Oci).Count; $i++) { Assert-OciFields @($Ours)[$i] @($Oci)[$i] "$Path[$i]" }
        }
        else {
            $Ours | Should -BeExactly $Oci -Because "$Path keeps its value"
        }
    }
}

AfterAll {
    if ($registry) { Stop-TestRegistry $registry }
}

Describe 'ConvertTo-Json of ContentPS objects' {
    It 'writes an index with the OCI fields of the index and of every manifest descriptor' {
        $index = Get-ImageManifest "$r/demo/multi:latest"
        $ours = ConvertTo-JsonTable $index
        Assert-OciFields $ours ($index.ToOciJson() | ConvertFrom-Json -AsHashtable)
        $ours.manifests[1].platform.architecture | Should -BeExactly 'arm64'
        $ours.Reference | Should -BeExactly "$r/demo/multi:latest"
        $ours.Digest | Should -BeExactly $index.Digest
    }

    It 'writes a manifest with its config and layers as OCI descriptors' {
        $manifest = Get-ImageManifest "$r/demo/multi:latest" -Platform linux/arm/v7
        $ours = ConvertTo-JsonTable $manifest
        Assert-OciFields $ours ($manifest.ToOciJson() | ConvertFrom-Json -AsHashtable)
        @($ours.Keys) -ccontains 'layers' | Should -BeTrue
        @($ours.Keys) -ccontains 'Layers' | Should -BeFalse
        $ours.Platform.os | Should -BeExactly 'linux'
        $ours.Platform.variant | Should -BeExactly 'v7'
    }

    It 'writes a Docker manifest list and a nested index the same way' -ForEach @(
        @{ Reference = 'demo/docker:latest' }
        @{ Reference = 'demo/nested:latest' }
    ) {
        $document = Get-ImageManifest "$r/$Reference"
        Assert-OciFields (ConvertTo-JsonTable $document) ($document.ToOciJson() | ConvertFrom-Json -AsHashtable)
    }

    It 'writes a referrer with its subject and artifact type' {
        $referrer = @(Get-ImageReferrer "$r/demo/signed:latest")[0]
        Assert-OciFields (ConvertTo-JsonTable $referrer) ($referrer.ToOciJson() | ConvertFrom-Json -AsHashtable)
        $sbom = Get-ImageManifest $referrer.Reference
        $ours = ConvertTo-JsonTable $sbom
        Assert-OciFields $ours ($sbom.ToOciJson() | ConvertFrom-Json -AsHashtable)
        $ours.subject.digest | Should -BeExactly $sbom.Subject.Digest
    }

    It 'writes a descriptor alone as its OCI JSON fields' {
        $descriptor = (Get-ImageManifest "$r/demo/multi:latest").Manifests[0]
        $ours = ConvertTo-JsonTable $descriptor
        Assert-OciFields $ours ($descriptor.ToOciJson() | ConvertFrom-Json -AsHashtable)
        $ours.Reference | Should -BeExactly $descriptor.Reference
    }

    It 'writes a platform with os, architecture, variant, os.version and os.features' {
        ConvertTo-ImagePlatform 'linux/arm/v7' | ConvertTo-Json -Compress |
            Should -BeExactly '{"Platform":"linux/arm/v7","architecture":"arm","os":"linux","os.version":null,"os.features":[],"variant":"v7"}'
        $windows = ConvertTo-ImagePlatform 'windows(10.0.17763+win32k)/amd64'
        Assert-OciFields (ConvertTo-JsonTable $windows) ($windows.ToOciJson() | ConvertFrom-Json -AsHashtable)
    }

    It 'writes a resolved reference with the mediaType, digest and size of its root' {
        $resolved = Resolve-ImageReference "$r/demo/single:1.0"
        $ours = ConvertTo-JsonTable $resolved
        $manifest = Get-ImageManifest "$r/demo/single:1.0"
        $ours.mediaType | Should -BeExactly $manifest.MediaType
        $ours.digest | Should -BeExactly $manifest.Digest
        $ours.size | Should -Be $manifest.Size
        $ours.DigestReference | Should -BeExactly $resolved.DigestReference
    }

    It 'writes an image record as the descriptor its index.json entry is' {
        $store = Join-Path $TestDrive 'store'
        New-Item -ItemType Directory $store | Out-Null
        Set-Content -LiteralPath (Join-Path $store 'oci-layout') -Value '{"imageLayoutVersion":"1.0.0"}'
        $entry = [ordered]@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = 'sha256:' + ('c' * 64); size = 321
            annotations = [ordered]@{ 'org.opencontainers.image.ref.name' = 'example.com/app:v1'; 'org.example.note' = 'kept' } }
        Set-Content -LiteralPath (Join-Path $store 'index.json') -Value (@{ schemaVersion = 2; manifests = @($entry) } | ConvertTo-Json -Depth 5)
        $ours = ConvertTo-JsonTable (Get-Image -Store $store)
        $ours.mediaType | Should -BeExactly $entry.mediaType
        $ours.digest | Should -BeExactly $entry.digest
        $ours.size | Should -Be 321
        $ours.annotations['org.example.note'] | Should -BeExactly 'kept'
        $ours.Name | Should -BeExactly 'example.com/app:v1'
    }

    It 'writes an imported blob with mediaType, digest and size' {
        $file = Join-Path $TestDrive 'blob.txt'
        Set-Content -LiteralPath $file -Value 'hello' -NoNewline
        $ours = ConvertTo-JsonTable (Import-Blob -Path $file -Store (Join-Path $TestDrive 'blobstore') -MediaType text/plain)
        $ours.mediaType | Should -BeExactly 'text/plain'
        $ours.digest | Should -BeExactly 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'
        $ours.size | Should -Be 5
    }
}

Describe 'The .NET names still read the same values' {
    It 'reads <Name> by its .NET name and its OCI name' -ForEach @(
        @{ Name = 'MediaType'; Oci = 'mediaType' }
        @{ Name = 'Digest'; Oci = 'digest' }
        @{ Name = 'Size'; Oci = 'size' }
    ) {
        $descriptor = (Get-ImageManifest "$r/demo/multi:latest").Manifests[0]
        $descriptor.$Name | Should -Not -BeNullOrEmpty
        $descriptor.$Name | Should -Be $descriptor.$Oci
        $descriptor.$Name | Should -Be $descriptor.psobject.BaseObject.GetType().GetProperty($Name).GetValue($descriptor.psobject.BaseObject)
    }

    It 'keeps OSVersion and OSFeatures readable on a platform' {
        $windows = ConvertTo-ImagePlatform 'windows(10.0.17763+win32k)/amd64'
        $windows.OSVersion | Should -BeExactly '10.0.17763'
        $windows.OSFeatures | Should -Be @('win32k')
        $windows.'os.version' | Should -BeExactly '10.0.17763'
    }
}

Describe 'ContentPS.Types.ps1xml' {
    It 'gives every property hidden from ConvertTo-Json an OCI-named replacement on <Type>' -ForEach @(
        [ContentPS.DescriptorInfo].Assembly.GetExportedTypes() |
            Where-Object { $_.GetProperties() | Where-Object { $_.IsDefined([Newtonsoft.Json.JsonIgnoreAttribute], $true) } } |
            ForEach-Object { @{ Type = $_.FullName; Clr = $_ } }
    ) {
        $getters = @(for ($t = $Clr; $t; $t = $t.BaseType) {
                (Get-TypeData $t.FullName).Members.Values | Where-Object { $_ -is [System.Management.Automation.Runspaces.CodePropertyData] } |
                    ForEach-Object { $_.GetCodeReference.Name }
            })
        $ignored = @($Clr.GetProperties() | Where-Object { $_.IsDefined([Newtonsoft.Json.JsonIgnoreAttribute], $true) } | ForEach-Object Name)
        $ignored.Count | Should -BeGreaterThan 0
        foreach ($name in $ignored) { $getters | Should -Contain $name -Because "$Type.$name is hidden from ConvertTo-Json" }
    }
}
