#Requires -Version 7.4
# hosts.toml parsing inside PowerShell (Tomlyn.dll loads from module/), and a real mirror routed by CONTENTPS_HOSTS_DIR.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot 'Fixtures/TestFixtures.psm1') -Force
    $script:SavedHostsDir = $env:CONTENTPS_HOSTS_DIR
}

AfterAll {
    $env:CONTENTPS_HOSTS_DIR = $script:SavedHostsDir
}

Describe 'HostsConfiguration in PowerShell' {
    It 'parses a hosts.toml with the Tomlyn beside the module' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'certs.d/r.example')
        Set-Content -Path (Join-Path $folder 'hosts.toml') -Value @'
server = "https://r.example"
[host."https://m.example/cache"]
  capabilities = ["pull", "resolve"]
  [host."https://m.example/cache".header]
    x-team = ["a", "b"]
'@
        $options = [ContentPS.Engine.Remotes.RegistryClientOptions]@{ HostsDirectory = (Join-Path $TestDrive 'certs.d') }

        $hosts = [ContentPS.Engine.Remotes.Hosts.HostsConfiguration]::Load($options).GetHosts('r.example')

        $hosts.Count | Should -Be 2
        $hosts[0].ToString() | Should -Be 'https://m.example/cache/v2'
        $hosts[0].IsMirror | Should -BeTrue
        "$($hosts[0].Capabilities)" | Should -Be 'Pull, Resolve'
        $hosts[0].Headers['X-Team'] | Should -Be @('a', 'b')
        $hosts[1].ToString() | Should -Be 'https://r.example/v2'
        $tomlyn = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Tomlyn' }
        $tomlyn.Location | Should -Be (Join-Path (Split-Path (Get-Module ContentPS).Path) 'Tomlyn.dll')
    }

    It 'reports a malformed file as InvalidHostsConfiguration with its path and line' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'bad/r.example')
        $file = Join-Path $folder 'hosts.toml'
        Set-Content -Path $file -Value "server = `"https://r.example`"`n[host.`"https://m.example`"]`ncapabilities = [`"pull`", `"fly`"]"
        $options = [ContentPS.Engine.Remotes.RegistryClientOptions]@{ HostsDirectory = (Join-Path $TestDrive 'bad') }

        $thrown = { [ContentPS.Engine.Remotes.Hosts.HostsConfiguration]::Load($options).GetHosts('r.example') } | Should -Throw -PassThru

        $inner = $thrown.Exception.InnerException
        $inner.ErrorId | Should -Be 'InvalidHostsConfiguration'
        "$($inner.Class)" | Should -Be 'InvalidArgument'
        $inner.Message | Should -BeLike "invalid hosts configuration $file, line 3: unknown capability `"fly`"*"
    }

    It 'reads the folders named by CONTENTPS_HOSTS_DIR in order' {
        $first = New-Item -ItemType Directory (Join-Path $TestDrive 'env-first/_default')
        $second = New-Item -ItemType Directory (Join-Path $TestDrive 'env-second/r.example')
        Set-Content -Path (Join-Path $first 'hosts.toml') -Value 'server = "https://first.example"'
        Set-Content -Path (Join-Path $second 'hosts.toml') -Value 'server = "https://second.example"'
        $env:CONTENTPS_HOSTS_DIR = @((Join-Path $TestDrive 'env-missing'), (Join-Path $TestDrive 'env-second'), (Join-Path $TestDrive 'env-first')) -join [IO.Path]::PathSeparator

        $configuration = [ContentPS.Engine.Remotes.Hosts.HostsConfiguration]::Load([ContentPS.Engine.Remotes.RegistryClientOptions]::new())

        $configuration.Directories.Count | Should -Be 3
        $configuration.GetHosts('r.example')[0].Host | Should -Be 'second.example'
        $configuration.GetHosts('s.example')[0].Host | Should -Be 'first.example'
    }
}

Describe 'A hosts.toml naming a mirror fixture' {
    BeforeAll {
        # A containers auth file in the environment must not reach docker-registry, which would read it as auth.file.
        $script:SavedAuthFile = $env:REGISTRY_AUTH_FILE
        $env:REGISTRY_AUTH_FILE = Join-Path $TestDrive 'auth.json'
        $script:Upstream = Start-TestRegistry
        $script:Mirror = Start-TestMirrorRegistry -Upstream $script:Upstream
        $layout = Join-Path $TestDrive 'layout'
        $script:Image = New-TestImageLayout -Scenario SinglePlatform -Path $layout
        Publish-TestImageLayout -Path $layout -Registry $script:Upstream -Repository 'hosts/pester' -Tag 'v1' | Out-Null
    }

    AfterAll {
        @($script:Mirror, $script:Upstream) | Where-Object { $_ } | Stop-TestRegistry
        $env:REGISTRY_AUTH_FILE = $script:SavedAuthFile
    }

    It 'puts the mirror first, and a GET through it is served and stored by the mirror' {
        $hostFolder = $Upstream.Host -replace ':(\d+)$', '_$1_'
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive "mirror-hosts/$hostFolder")
        Set-Content -Path (Join-Path $folder 'hosts.toml') -Value @"
server = "http://$($Upstream.Host)"
[host."http://$($Mirror.Host)"]
  capabilities = ["pull", "resolve"]
"@
        $env:CONTENTPS_HOSTS_DIR = Join-Path $TestDrive 'mirror-hosts'

        $hosts = [ContentPS.Engine.Remotes.Hosts.HostsConfiguration]::Load([ContentPS.Engine.Remotes.RegistryClientOptions]::new()).GetHosts($Upstream.Host)

        @($hosts.Host) | Should -Be @($Mirror.Host, $Upstream.Host)
        $Mirror.Upstream | Should -Be $Upstream.BaseUri
        $response = Invoke-WebRequest -Uri $hosts[0].Url('hosts/pester/manifests/v1') -Headers @{ Accept = $Image.top.mediaType }
        $response.StatusCode | Should -Be 200
        "$($response.Headers['Docker-Content-Digest'])" | Should -Be $Image.top.digest
        $hex = $Image.top.digest.Substring(7)
        Test-Path (Join-Path $Mirror.Root "docker/registry/v2/blobs/sha256/$($hex.Substring(0, 2))/$hex/data") | Should -BeTrue
    }

    It 'refuses a push to the mirror' {
        $response = Invoke-WebRequest -Method Post -Uri "$($Mirror.BaseUri)v2/hosts/pester/blobs/uploads/" -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 405
    }
}
