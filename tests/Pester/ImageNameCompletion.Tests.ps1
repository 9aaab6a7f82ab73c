#Requires -Version 7.4
# The image-name completer of -Reference (Resolve-ImageReference, Get-ImageManifest, Get-ImageReferrer),
# driven through TabExpansion2 as the console drives it on Tab: names from the image records of the
# store's index.json (the default store, $env:CONTENTPS_STORE), by prefix of the name or of its
# familiar form, nothing for a store without records.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }

    # A store whose index.json holds image records (and one entry without a name, which is no record).
    function New-ImageStore([string] $Path, [string[]] $Names) {
        New-Item -ItemType Directory -Path $Path -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $Path 'oci-layout') -Value '{"imageLayoutVersion":"1.0.0"}' -NoNewline
        $i = 0
        $manifests = @(foreach ($name in $Names) {
                $i++
                [ordered]@{
                    mediaType   = 'application/vnd.oci.image.index.v1+json'
                    digest      = 'sha256:' + ('{0:x2}' -f $i) * 32
                    size        = 1000 + $i
                    annotations = @{ 'org.opencontainers.image.ref.name' = $name }
                }
            }
            [ordered]@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = 'sha256:' + 'ff' * 32; size = 1 })
        $index = [ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.index.v1+json'; manifests = $manifests }
        Set-Content -LiteralPath (Join-Path $Path 'index.json') -Value ($index | ConvertTo-Json -Depth 5) -NoNewline
    }

    $savedStore = $env:CONTENTPS_STORE
    $env:CONTENTPS_STORE = Join-Path $TestDrive 'store'
    New-ImageStore $env:CONTENTPS_STORE @('docker.io/library/alpine:3.20', 'docker.io/library/alpine:3.19', 'ghcr.io/acme/app:v1', ('localhost:5000/demo/app@sha256:' + 'ab' * 32))
}

AfterAll {
    $env:CONTENTPS_STORE = $savedStore
}

Describe 'Image name completion' {
    It 'offers every image name of the store, sorted, for an empty word' {
        @((Get-Completion 'Resolve-ImageReference ').CompletionText) | Should -Be @(
            'docker.io/library/alpine:3.19', 'docker.io/library/alpine:3.20', 'ghcr.io/acme/app:v1', "localhost:5000/demo/app@sha256:$('ab' * 32)")
    }

    It 'completes a prefix of the name or of its familiar form: <Line>' -ForEach @(
        @{ Line = 'Get-ImageManifest ghcr'; Expected = @('ghcr.io/acme/app:v1') }
        @{ Line = 'Get-ImageManifest -Reference docker.io/library/alpine:3.2'; Expected = @('docker.io/library/alpine:3.20') }
        @{ Line = 'Get-ImageManifest alp'; Expected = @('docker.io/library/alpine:3.19', 'docker.io/library/alpine:3.20') }
        @{ Line = 'Get-ImageReferrer ALPINE:3.19'; Expected = @('docker.io/library/alpine:3.19') }
        @{ Line = "Resolve-ImageReference 'localhost:5000/"; Expected = @("localhost:5000/demo/app@sha256:$('ab' * 32)") }
        @{ Line = 'Resolve-ImageReference -Name gh'; Expected = @('ghcr.io/acme/app:v1') }
    ) {
        @((Get-Completion $Line).CompletionText) | Should -Be $Expected
    }

    It 'offers nothing for a word no name starts' {
        Get-Completion 'Get-ImageManifest quay.io/' | Should -BeNullOrEmpty
    }

    It 'describes the target in the tooltip' {
        $match = Get-Completion 'Get-ImageManifest ghcr.io/acme'
        $match.Count | Should -Be 1
        $match[0].ResultType | Should -Be 'ParameterValue'
        $match[0].ToolTip | Should -BeLike "ghcr.io/acme/app:v1*application/vnd.oci.image.index.v1+json*sha256:$('03' * 32) (1003 B)"
    }

    It 'offers nothing when the store has no index.json, and creates no store' {
        $empty = Join-Path $TestDrive 'nothing-here'
        $saved = $env:CONTENTPS_STORE
        try {
            $env:CONTENTPS_STORE = $empty
            Get-Completion 'Get-ImageManifest ' | Should -BeNullOrEmpty
            $empty | Should -Not -Exist
        }
        finally { $env:CONTENTPS_STORE = $saved }
    }

    It 'completes Get-ImageTag -Repository with registries and repositories (the registry-host completer)' {
        $saved = $env:DOCKER_CONFIG, $env:CONTENTPS_HOSTS_DIR, $env:REGISTRY_AUTH_FILE
        try {
            # No hosts folders or credential files: only the store's image records name registries.
            $env:DOCKER_CONFIG = Join-Path $TestDrive 'no-docker'
            $env:CONTENTPS_HOSTS_DIR = Join-Path $TestDrive 'no-hosts'
            $env:REGISTRY_AUTH_FILE = Join-Path $TestDrive 'no-auth.json'
            @((Get-Completion 'Get-ImageTag ghcr').CompletionText) | Should -Be @('ghcr.io/', 'ghcr.io/acme/app')
            @((Get-Completion 'Get-ImageTag -Repository docker.io/library/').CompletionText) | Should -Be @('docker.io/library/alpine')
        }
        finally { $env:DOCKER_CONFIG, $env:CONTENTPS_HOSTS_DIR, $env:REGISTRY_AUTH_FILE = $saved }
    }

    It 'offers nothing for an index.json that does not parse' {
        $broken = Join-Path $TestDrive 'broken'
        New-Item -ItemType Directory -Path $broken | Out-Null
        Set-Content -LiteralPath (Join-Path $broken 'index.json') -Value '{ not json'
        $saved = $env:CONTENTPS_STORE
        try {
            $env:CONTENTPS_STORE = $broken
            Get-Completion 'Get-ImageManifest ' | Should -BeNullOrEmpty
        }
        finally { $env:CONTENTPS_STORE = $saved }
    }
}
