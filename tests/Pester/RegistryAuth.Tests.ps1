#Requires -Version 7.4
# The registry cmdlets against a token-auth registry (the fixture's token server: the test user gets
# everything, anonymous clients pull on public/* only): -Credential, anonymous pulls, Docker config.json
# credentials, and no secret (password, token, Basic value, Authorization header) in any stream or error.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force

    $script:SavedEnvironment = @{}
    foreach ($name in 'DOCKER_CONFIG', 'REGISTRY_AUTH_FILE', 'XDG_RUNTIME_DIR') {
        $script:SavedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
    }
    # No credentials of this machine may leak into the anonymous cases.
    $emptyDocker = New-Item -ItemType Directory (Join-Path $TestDrive 'no-docker-config')
    $env:DOCKER_CONFIG = $emptyDocker.FullName
    $env:REGISTRY_AUTH_FILE = Join-Path $TestDrive 'no-auth.json'
    $env:XDG_RUNTIME_DIR = $null

    $registry = Start-TestRegistry -Flavor Token
    $r = $registry.Host
    $layout = Join-Path $TestDrive 'layout'
    $image = New-TestImageLayout -Scenario SinglePlatform -Path $layout
    Publish-TestImageLayout -Path $layout -Registry $registry -Repository private/app -Tag v1 | Out-Null
    Publish-TestImageLayout -Path $layout -Registry $registry -Repository public/app -Tag v1 | Out-Null

    $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($registry.Username):$($registry.Password)"))
    # A token the realm really issues to the user, to show what a leaked one would look like.
    $issued = Invoke-RestMethod -Uri "$($registry.TokenRealm)?service=$([uri]::EscapeDataString($registry.TokenService))&scope=repository:private/app:pull" `
        -Credential $registry.Credential -Authentication Basic -AllowUnencryptedAuthentication
    $script:Secrets = @($registry.Password, $basic, $issued.token)

    # Every text a user can see of a run: all streams rendered, plus each error's record, details and exception.
    function Get-VisibleText([object[]] $Records) {
        foreach ($record in $Records) {
            "$record"
            if ($record -is [System.Management.Automation.ErrorRecord]) {
                "$($record.ErrorDetails)"
                $record.Exception.ToString()
                $record | Format-List * -Force | Out-String -Width 4096
            }
        }
    }

    function Assert-NoSecret([object[]] $Records) {
        $text = (Get-VisibleText $Records) -join "`n"
        $text | Should -Not -BeNullOrEmpty
        foreach ($secret in $script:Secrets) {
            $text.Contains($secret) | Should -BeFalse -Because 'no password, Basic value or token may be shown'
        }
        $text | Should -Not -Match 'Authorization'
        # Every JWT starts with the base64 of '{"'.
        $text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}'
    }
}

AfterAll {
    if ($registry) { Stop-TestRegistry $registry }
    foreach ($name in $script:SavedEnvironment.Keys) {
        [Environment]::SetEnvironmentVariable($name, $script:SavedEnvironment[$name])
    }
}

Describe 'Registry cmdlets on a token-auth registry' {
    It 'reads a private repository with -Credential' {
        $manifest = Get-ImageManifest "$r/private/app:v1" -Credential $registry.Credential
        $manifest.Digest | Should -Be $image.top.digest
        $resolved = Resolve-ImageReference "$r/private/app:v1" -Credential $registry.Credential
        $resolved.Digest | Should -Be $image.top.digest
    }

    It 'reads public/* anonymously' {
        (Get-ImageManifest "$r/public/app:v1").Digest | Should -Be $image.top.digest
        (Resolve-ImageReference "$r/public/app:v1").Digest | Should -Be $image.top.digest
    }

    It 'refuses a private repository to an anonymous caller as Unauthenticated' {
        Get-ImageManifest "$r/private/app:v1" -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'RegistryUnauthorized,ContentPS.Commands.GetImageManifestCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        [ContentPS.Errdefs]::Resolve($failures[0]) | Should -Be 'Unauthenticated'
        $failures[0].TargetObject | Should -Be "$r/private/app:v1"
    }

    It 'takes the credential from a Docker config.json (auths with base64 auth) without -Credential' {
        $docker = New-Item -ItemType Directory (Join-Path $TestDrive 'docker-login')
        Set-Content -Path (Join-Path $docker 'config.json') -Value (@{ auths = @{ $r = @{ auth = $basic } } } | ConvertTo-Json)
        $env:DOCKER_CONFIG = $docker.FullName
        try {
            (Get-ImageManifest "$r/private/app:v1").Digest | Should -Be $image.top.digest
            (Resolve-ImageReference "$r/private/app:v1").Digest | Should -Be $image.top.digest
        }
        finally {
            $env:DOCKER_CONFIG = $emptyDocker.FullName
        }
    }

    It 'shows no secret in a verbose and debug run that logs in' {
        $records = Get-ImageManifest "$r/private/app:v1" -Credential $registry.Credential -Verbose -Debug *>&1
        @($records | Where-Object { $_ -is [ContentPS.ImageManifestInfo] }) | Should -HaveCount 1
        $log = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -or $_ -is [System.Management.Automation.DebugRecord] })
        # The log does talk about the requests that carried credentials, just not about what they carried.
        ($log.Message -join "`n") | Should -Match ([regex]::Escape("$r/v2/private/app/manifests/v1"))
        ($log.Message -join "`n") | Should -Match ([regex]::Escape($registry.TokenRealm.Authority))
        Assert-NoSecret $records
    }

    It 'shows no secret when the login fails (wrong password)' {
        $wrongPassword = 'wrong-' + [guid]::NewGuid().ToString('n')
        $wrong = [pscredential]::new($registry.Username, (ConvertTo-SecureString $wrongPassword -AsPlainText -Force))
        $wrongBasic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($registry.Username):$wrongPassword"))
        $script:Secrets += @($wrongPassword, $wrongBasic)

        $records = Get-ImageManifest "$r/private/app:v1" -Credential $wrong -MaximumRetryCount 0 -Verbose -Debug *>&1
        $failures = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $failures | Should -HaveCount 1
        [ContentPS.Errdefs]::Resolve($failures[0]) | Should -Be 'Unauthenticated'
        $failures[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        Assert-NoSecret $records
    }
}
