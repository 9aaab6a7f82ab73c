#Requires -Version 7.4
# The registry-host completer: host/ prefixes from the hosts directories and credential files, repositories from the store.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force

    $script:SavedEnvironment = @{}
    foreach ($name in 'DOCKER_CONFIG', 'CONTENTPS_HOSTS_DIR', 'REGISTRY_AUTH_FILE', 'CONTENTPS_STORE') {
        $script:SavedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
    }

    $docker = New-Item -ItemType Directory (Join-Path $TestDrive 'docker')
    Set-Content -Path (Join-Path $docker 'config.json') -Value (@{
            auths       = @{ 'https://index.docker.io/v1/' = @{ auth = 'eDp5' }; 'ghcr.io' = @{} }
            credHelpers = @{ '123456789012.dkr.ecr.eu-west-1.amazonaws.com' = 'ecr-login' }
        } | ConvertTo-Json)
    $env:DOCKER_CONFIG = $docker.FullName

    $hostsRoot = Join-Path $TestDrive 'certs.d'
    foreach ($folder in '127.0.0.1_5000_', 'mirror.example', '_default') {
        New-Item -ItemType Directory (Join-Path $hostsRoot $folder) | Out-Null
        Set-Content -Path (Join-Path $hostsRoot $folder 'hosts.toml') -Value ''
    }
    New-Item -ItemType Directory (Join-Path $hostsRoot 'certs-only.example') | Out-Null
    $env:CONTENTPS_HOSTS_DIR = $hostsRoot

    $authFile = Join-Path $TestDrive 'auth.json'
    Set-Content -Path $authFile -Value '{"auths": {"quay.io/org": {"auth": "eDp5"}}}'
    $env:REGISTRY_AUTH_FILE = $authFile

    # A store whose image records name two registries; one record's name is not a reference.
    function New-RecordStore([string] $Path, [string[]] $Names) {
        New-Item -ItemType Directory $Path | Out-Null
        Set-Content -Path (Join-Path $Path 'oci-layout') -Value '{"imageLayoutVersion":"1.0.0"}'
        $manifests = @($Names | ForEach-Object {
                @{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = 'sha256:' + ('a' * 64); size = 2
                    annotations = @{ 'org.opencontainers.image.ref.name' = $_ } }
            })
        Set-Content -Path (Join-Path $Path 'index.json') -Value (@{ schemaVersion = 2; manifests = $manifests } | ConvertTo-Json -Depth 5)
    }
    $script:Store = Join-Path $TestDrive 'store'
    New-RecordStore $script:Store @('docker.io/library/alpine:3.19', 'registry.internal:5000/team/app:v1', 'docker.io/library/alpine:3.20', 'NotAReference')
    $env:CONTENTPS_STORE = $script:Store
    $script:OtherStore = Join-Path $TestDrive 'other-store'
    New-RecordStore $script:OtherStore @('other.example/only/here:v1')

    function Get-Completion([string] $Word, [hashtable] $Bound = @{}) {
        @([ContentPS.Completion.RegistryHostCompleter]::new().CompleteArgument('Copy-Image', 'Destination', $Word, $null, $Bound))
    }

    $script:AllHosts = @('123456789012.dkr.ecr.eu-west-1.amazonaws.com/', '127.0.0.1:5000/', 'docker.io/', 'ghcr.io/',
        'mirror.example/', 'quay.io/', 'registry.internal:5000/')
}

AfterAll {
    # [Environment]::SetEnvironmentVariable would get "" for $null and leave the variable set (docker-registry reads REGISTRY_AUTH_FILE).
    foreach ($name in $script:SavedEnvironment.Keys) {
        if ($null -eq $script:SavedEnvironment[$name]) { Remove-Item "env:$name" -ErrorAction Ignore }
        else { Set-Item "env:$name" $script:SavedEnvironment[$name] }
    }
}

Describe 'RegistryHostCompleter' {
    It 'offers every known registry as host/, then the store''s repositories, for an empty word' {
        (Get-Completion '').CompletionText | Should -Be ($AllHosts + @('docker.io/library/alpine', 'registry.internal:5000/team/app'))
    }

    It 'completes a prefix, case-insensitively: <Word>' -ForEach @(
        @{ Word = 'gh'; Expected = @('ghcr.io/') }
        @{ Word = 'DOCK'; Expected = @('docker.io/', 'docker.io/library/alpine') }
        @{ Word = '127'; Expected = @('127.0.0.1:5000/') }
        @{ Word = 'docker.io/lib'; Expected = @('docker.io/library/alpine') }
        @{ Word = "'quay"; Expected = @('quay.io/') }
        @{ Word = 'registry.internal:5000/'; Expected = @('registry.internal:5000/', 'registry.internal:5000/team/app') }
    ) {
        (Get-Completion $Word).CompletionText | Should -Be $Expected
    }

    It 'offers nothing for a word nothing starts with' {
        Get-Completion 'nowhere.example' | Should -BeNullOrEmpty
    }

    It 'leaves out _default, folders without hosts.toml and names that are not references' {
        $texts = (Get-Completion '').CompletionText
        $texts | Should -Not -Contain '_default/'
        $texts | Should -Not -Contain 'certs-only.example/'
        $texts | Where-Object { $_ -like '*NotAReference*' } | Should -BeNullOrEmpty
    }

    It 'reads the store bound to -Store instead of the default one' {
        (Get-Completion 'other' @{ Store = $OtherStore }).CompletionText | Should -Be @('other.example/', 'other.example/only/here')
        (Get-Completion 'registry.internal' @{ Store = $OtherStore }).CompletionText | Should -BeNullOrEmpty
    }

    It 'describes hosts and repositories in the tooltip' {
        $completions = Get-Completion 'docker.io'
        $completions[0].ToolTip | Should -Be 'registry docker.io'
        $completions[1].ToolTip | Should -Be 'repository docker.io/library/alpine (in the local store)'
        $completions | ForEach-Object { $_.ResultType | Should -Be 'ParameterValue' }
    }

    It 'still completes when a credentials file is broken and the store is missing' {
        Set-Content -Path (Join-Path $env:DOCKER_CONFIG 'config.json') -Value '{"auths": '
        try {
            (Get-Completion '' @{ Store = (Join-Path $TestDrive 'no-store') }).CompletionText |
                Should -Be @('127.0.0.1:5000/', 'mirror.example/', 'quay.io/')
        }
        finally {
            Set-Content -Path (Join-Path $env:DOCKER_CONFIG 'config.json') -Value '{"auths": {"ghcr.io": {}}}'
        }
    }
}
