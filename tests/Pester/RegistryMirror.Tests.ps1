#Requires -Version 7.4
# Mirrors from hosts.toml (CONTENTPS_HOSTS_DIR): the registry cmdlets pull through a real pull-through
# mirror (docker-registry in proxy mode) listed for an upstream, and fall back to the upstream itself
# when a mirror does not answer.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force

    $script:SavedEnvironment = @{}
    foreach ($name in 'CONTENTPS_HOSTS_DIR', 'REGISTRY_AUTH_FILE') {
        $script:SavedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
    }
    # A containers auth file in the environment must not reach docker-registry, which would read it as auth.file.
    $env:REGISTRY_AUTH_FILE = Join-Path $TestDrive 'auth.json'

    $upstream = Start-TestRegistry
    $mirror = Start-TestMirrorRegistry -Upstream $upstream
    $layout = Join-Path $TestDrive 'layout'
    $image = New-TestImageLayout -Scenario SinglePlatform -Path $layout
    Publish-TestImageLayout -Path $layout -Registry $upstream -Repository mirrored/app -Tag v1 | Out-Null
    Publish-TestImageLayout -Path $layout -Registry $upstream -Repository direct/app -Tag v1 | Out-Null

    $closedHost = "127.0.0.1:$(Get-TestClosedPort)"

    # Writes <root>/<upstream folder>/hosts.toml listing the mirror hosts in order, and points CONTENTPS_HOSTS_DIR at root.
    function Set-TestMirrors([string] $Name, [string[]] $MirrorHosts) {
        $root = Join-Path $TestDrive $Name
        $folder = New-Item -ItemType Directory (Join-Path $root ($upstream.Host -replace ':(\d+)$', '_$1_'))
        $toml = @("server = `"http://$($upstream.Host)`"")
        foreach ($mirrorHost in $MirrorHosts) {
            $toml += "[host.`"http://$mirrorHost`"]", '  capabilities = ["pull", "resolve"]'
        }
        Set-Content -Path (Join-Path $folder 'hosts.toml') -Value $toml
        $env:CONTENTPS_HOSTS_DIR = $root
    }

    function Get-MirrorManifestPath([string] $Repository, [string] $Digest) {
        Join-Path $mirror.Root "docker/registry/v2/repositories/$Repository/_manifests/revisions/sha256/$($Digest.Substring(7))/link"
    }
}

AfterAll {
    @($mirror, $upstream) | Where-Object { $_ } | Stop-TestRegistry
    foreach ($name in $script:SavedEnvironment.Keys) {
        [Environment]::SetEnvironmentVariable($name, $script:SavedEnvironment[$name])
    }
}

Describe 'Registry cmdlets with a mirror from hosts.toml' {
    It 'gets a manifest of the upstream through the mirror, which then holds it' {
        Set-TestMirrors -Name 'through-mirror' -MirrorHosts $mirror.Host
        Test-Path (Get-MirrorManifestPath 'mirrored/app' $image.top.digest) | Should -BeFalse

        $records = Get-ImageManifest "$($upstream.Host)/mirrored/app:v1" -Verbose 4>&1
        $manifest = @($records | Where-Object { $_ -is [ContentPS.ImageManifestInfo] })

        $manifest | Should -HaveCount 1
        $manifest[0].Digest | Should -Be $image.top.digest
        $manifest[0].Reference | Should -Be "$($upstream.Host)/mirrored/app:v1"
        # The mirror fetched it from the upstream and stored it: the request went through the mirror.
        Test-Path (Get-MirrorManifestPath 'mirrored/app' $image.top.digest) | Should -BeTrue
        $verbose = ($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $verbose | Should -Match ([regex]::Escape("http://$($mirror.Host)/v2/mirrored/app/manifests/"))
        $verbose | Should -Not -Match ([regex]::Escape("http://$($upstream.Host)/v2/mirrored/app/manifests/"))
    }

    It 'resolves through the mirror too' {
        Set-TestMirrors -Name 'resolve-mirror' -MirrorHosts $mirror.Host
        $records = Resolve-ImageReference "$($upstream.Host)/mirrored/app:v1" -Verbose 4>&1
        @($records | Where-Object { $_ -is [ContentPS.ResolvedReferenceInfo] })[0].Digest | Should -Be $image.top.digest
        ($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" |
            Should -Match ([regex]::Escape("http://$($mirror.Host)/v2/mirrored/app/manifests/v1"))
    }

    It 'falls back to the upstream when the first mirror does not answer, and says so in -Verbose' {
        Set-TestMirrors -Name 'closed-mirror' -MirrorHosts $closedHost
        $records = Get-ImageManifest "$($upstream.Host)/direct/app:v1" -MaximumRetryCount 0 -Verbose 4>&1 -ErrorVariable failures

        $failures | Should -HaveCount 0
        @($records | Where-Object { $_ -is [ContentPS.ImageManifestInfo] })[0].Digest | Should -Be $image.top.digest
        $verbose = ($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $verbose | Should -Match ([regex]::Escape("http://$closedHost/v2/direct/app/manifests/v1"))
        $verbose | Should -Match ([regex]::Escape("http://$($upstream.Host)/v2/direct/app/manifests/v1"))
        # It never reached the real mirror (not listed here): nothing of direct/app is stored there.
        Test-Path (Join-Path $mirror.Root 'docker/registry/v2/repositories/direct') | Should -BeFalse
    }
}
