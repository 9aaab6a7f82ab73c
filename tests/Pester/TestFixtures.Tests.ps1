BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Fixtures/TestFixtures.psm1') -Force
    $script:Accept = @{
        Accept = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, ' +
            'application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json'
    }
    $script:Plain = Start-TestRegistry
    $script:Secured = Start-TestRegistry -Flavor Htpasswd
}

AfterAll {
    @($script:Plain, $script:Secured) | Where-Object { $_ } | Stop-TestRegistry
}

Describe 'Start-TestRegistry' {
    It 'starts a plain registry that answers /v2/ without credentials' {
        $response = Invoke-WebRequest -Uri "$($Plain.BaseUri)v2/"
        $response.StatusCode | Should -Be 200
        $Plain.Host | Should -Match '^127\.0\.0\.1:\d+$'
        $Plain.Credential | Should -BeNullOrEmpty
    }

    It 'starts an htpasswd registry that refuses requests without credentials' {
        $response = Invoke-WebRequest -Uri "$($Secured.BaseUri)v2/" -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 401
        "$($response.Headers['WWW-Authenticate'])" | Should -BeLike 'Basic realm=*'
    }

    It 'accepts the generated credential' {
        $Secured.Credential | Should -BeOfType [pscredential]
        $Secured.Credential.UserName | Should -Be $Secured.Username
        $response = Invoke-WebRequest -Uri "$($Secured.BaseUri)v2/" -Credential $Secured.Credential -Authentication Basic -AllowUnencryptedAuthentication
        $response.StatusCode | Should -Be 200
    }

    It 'gives each registry its own port' {
        $Plain.Host | Should -Not -Be $Secured.Host
    }
}

Describe 'New-TestImageLayout and Publish-TestImageLayout' {
    It 'pushes a multi-platform layout that the registry serves under the same digest' {
        $path = Join-Path $TestDrive 'multi'
        $layout = New-TestImageLayout -Scenario MultiPlatform -Path $path
        Test-Path (Join-Path $path 'index.json') | Should -BeTrue
        $layout.blobs.Count | Should -BeGreaterThan 10

        $pushed = Publish-TestImageLayout -Path $path -Registry $Plain -Repository 'pester/multi' -Tag 'v1'
        $pushed.digest | Should -Be $layout.top.digest

        $response = Invoke-WebRequest -Uri "$($Plain.BaseUri)v2/pester/multi/manifests/v1" -Headers $Accept
        "$($response.Headers['Docker-Content-Digest'])" | Should -Be $layout.top.digest
        "$($response.Headers['Content-Type'])" | Should -Be 'application/vnd.oci.image.index.v1+json'
    }

    It 'pushes a Docker manifest list to the htpasswd registry, which answers 401 without credentials' {
        $path = Join-Path $TestDrive 'docker'
        $layout = New-TestImageLayout -Scenario DockerMultiPlatform -Path $path -LayerCount 1 -LayerSize 512 -Seed 3
        Publish-TestImageLayout -Path $path -Registry $Secured -Repository 'pester/docker' -Tag 'v1' | Out-Null

        $uri = "$($Secured.BaseUri)v2/pester/docker/manifests/v1"
        (Invoke-WebRequest -Uri $uri -Headers $Accept -SkipHttpErrorCheck).StatusCode | Should -Be 401
        $response = Invoke-WebRequest -Uri $uri -Headers $Accept -Credential $Secured.Credential -Authentication Basic -AllowUnencryptedAuthentication
        "$($response.Headers['Docker-Content-Digest'])" | Should -Be $layout.top.digest
        "$($response.Headers['Content-Type'])" | Should -Be 'application/vnd.docker.distribution.manifest.list.v2+json'
    }
}

Describe 'Stop-TestRegistry' {
    It 'stops the registry process and deletes its root' {
        $registry = Start-TestRegistry
        $registryPid = $registry.RegistryPid
        $root = $registry.Root
        $fixturePid = $registry.Process.Id
        Get-Process -Id $registryPid -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty

        $registry | Stop-TestRegistry

        Get-Process -Id $fixturePid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Process -Id $registryPid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path $root | Should -BeFalse
    }
}
