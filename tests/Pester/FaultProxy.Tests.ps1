BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Fixtures/TestFixtures.psm1') -Force
    $script:Registry = Start-TestRegistry
    $script:Proxy = Start-TestFaultProxy -Upstream $Registry.BaseUri
}

AfterAll {
    if ($script:Proxy) { $script:Proxy | Stop-TestFaultProxy }
    if ($script:Registry) { $script:Registry | Stop-TestRegistry }
}

Describe 'Start-TestFaultProxy' {
    BeforeEach {
        Clear-TestFaultProxy -Proxy $Proxy
    }

    It 'forwards to the registry and logs the request' {
        $response = Invoke-WebRequest -Uri "$($Proxy.BaseUri)v2/"
        $response.StatusCode | Should -Be 200
        "$($response.Headers['Docker-Distribution-API-Version'])" | Should -Be 'registry/2.0'
        $Proxy.Host | Should -Match '^127\.0\.0\.1:\d+$'
        $Proxy.Host | Should -Not -Be $Registry.Host

        $log = @(Get-TestFaultRequests -Proxy $Proxy)
        $log.Count | Should -Be 1
        $log[0].method | Should -Be 'GET'
        $log[0].target | Should -Be '/v2/'
        $log[0].status | Should -Be 200
    }

    It 'answers the first matching requests with the status of a rule, then forwards again' {
        $id = Add-TestFaultRule -Proxy $Proxy -Fault Status -StatusCode 503 -Path '^/v2/$' -Method GET -Times 2 `
            -ContentType 'text/html' -Body '<html>busy</html>' -Headers @{ 'Retry-After' = '1' }

        $first = Invoke-WebRequest -Uri "$($Proxy.BaseUri)v2/" -SkipHttpErrorCheck
        $second = Invoke-WebRequest -Uri "$($Proxy.BaseUri)v2/" -SkipHttpErrorCheck
        $third = Invoke-WebRequest -Uri "$($Proxy.BaseUri)v2/" -SkipHttpErrorCheck

        $first.StatusCode | Should -Be 503
        "$($first.Headers['Retry-After'])" | Should -Be '1'
        $first.Content | Should -Be '<html>busy</html>'
        $second.StatusCode | Should -Be 503
        $third.StatusCode | Should -Be 200
        $log = @(Get-TestFaultRequests -Proxy $Proxy)
        $log.status | Should -Be @(503, 503, 200)
        @($log | Where-Object ruleId -EQ $id).Count | Should -Be 2
    }

    It 'refuses a rule it cannot apply' {
        { Add-TestFaultRule -Proxy $Proxy -Fault RedirectTo } | Should -Throw '*redirectTo*'
    }

    It 'resets the connection for a Disconnect rule' {
        $null = Add-TestFaultRule -Proxy $Proxy -Fault Disconnect -Path '^/v2/$' -Times 1
        { Invoke-WebRequest -Uri "$($Proxy.BaseUri)v2/" } | Should -Throw
        (Invoke-WebRequest -Uri "$($Proxy.BaseUri)v2/").StatusCode | Should -Be 200
        (@(Get-TestFaultRequests -Proxy $Proxy)).status | Should -Be @(0, 200)
    }
}

Describe 'Stop-TestFaultProxy' {
    It 'stops the proxy process' {
        $extra = Start-TestFaultProxy -Upstream $Registry.BaseUri -Address 127.0.0.2
        $extra.Host | Should -Match '^127\.0\.0\.2:\d+$'
        (Invoke-WebRequest -Uri "$($extra.BaseUri)v2/").StatusCode | Should -Be 200
        $process = $extra.Process
        $extra | Stop-TestFaultProxy
        { Invoke-WebRequest -Uri "$($extra.BaseUri)v2/" -TimeoutSec 5 } | Should -Throw
        { Get-Process -Id $extra.ProxyPid -ErrorAction Stop } | Should -Throw
    }
}
