#Requires -Version 7.4
# Every HTTP status and OCI error code a registry answers with ends in the right ErrorRecord: ErrorId,
# category, errdefs class (CategoryInfo.Reason and [ContentPS.Errdefs]::Resolve), the registry's
# message in ErrorDetails, the reference as target; the same after Start-Job. The fault proxy fixture
# answers for the real registry behind it; -MaximumRetryCount 0 makes retryable statuses final at once,
# and the retry parameters are checked by counting the requests that reach the proxy.

BeforeDiscovery {
    # Status-only answers (no body), as a proxy or a load balancer gives them.
    $statusCases = @(
        @{ Name = 's400'; Status = 400; Class = 'InvalidArgument'; ErrorId = 'RegistryError'; Category = 'InvalidArgument' }
        @{ Name = 's401'; Status = 401; Class = 'Unauthenticated'; ErrorId = 'RegistryUnauthorized'; Category = 'AuthenticationError' }
        @{ Name = 's403'; Status = 403; Class = 'PermissionDenied'; ErrorId = 'RegistryDenied'; Category = 'PermissionDenied' }
        @{ Name = 's404'; Status = 404; Class = 'NotFound'; ErrorId = 'RepositoryNotFound'; Category = 'ObjectNotFound' }
        @{ Name = 's408'; Status = 408; Class = 'DeadlineExceeded'; ErrorId = 'RegistryError'; Category = 'OperationTimeout' }
        @{ Name = 's409'; Status = 409; Class = 'Conflict'; ErrorId = 'RegistryError'; Category = 'ResourceBusy' }
        @{ Name = 's412'; Status = 412; Class = 'FailedPrecondition'; ErrorId = 'RegistryError'; Category = 'InvalidOperation' }
        @{ Name = 's429'; Status = 429; Class = 'ResourceExhausted'; ErrorId = 'RegistryRateLimited'; Category = 'LimitsExceeded' }
        @{ Name = 's500'; Status = 500; Class = 'Internal'; ErrorId = 'RegistryError'; Category = 'InvalidResult' }
        @{ Name = 's501'; Status = 501; Class = 'NotImplemented'; ErrorId = 'RegistryError'; Category = 'NotImplemented' }
        @{ Name = 's502'; Status = 502; Class = 'Unavailable'; ErrorId = 'RegistryUnavailable'; Category = 'ResourceUnavailable' }
        @{ Name = 's503'; Status = 503; Class = 'Unavailable'; ErrorId = 'RegistryUnavailable'; Category = 'ResourceUnavailable' }
        @{ Name = 's504'; Status = 504; Class = 'DeadlineExceeded'; ErrorId = 'RegistryError'; Category = 'OperationTimeout' }
    )
    # OCI distribution error bodies: the code decides the class, whatever the status says.
    $codeCases = @(
        @{ Name = 'denied'; Status = 403; Code = 'DENIED'; Class = 'PermissionDenied'; ErrorId = 'RegistryDenied'; Category = 'PermissionDenied' }
        @{ Name = 'unauthorized'; Status = 401; Code = 'UNAUTHORIZED'; Class = 'Unauthenticated'; ErrorId = 'RegistryUnauthorized'; Category = 'AuthenticationError' }
        @{ Name = 'toomanyrequests'; Status = 429; Code = 'TOOMANYREQUESTS'; Class = 'ResourceExhausted'; ErrorId = 'RegistryRateLimited'; Category = 'LimitsExceeded' }
        @{ Name = 'toomanyrequests-503'; Status = 503; Code = 'TOOMANYREQUESTS'; Class = 'ResourceExhausted'; ErrorId = 'RegistryRateLimited'; Category = 'LimitsExceeded' }
        @{ Name = 'manifest-unknown'; Status = 404; Code = 'MANIFEST_UNKNOWN'; Class = 'NotFound'; ErrorId = 'ManifestNotFound'; Category = 'ObjectNotFound' }
        @{ Name = 'name-unknown'; Status = 404; Code = 'NAME_UNKNOWN'; Class = 'NotFound'; ErrorId = 'RepositoryNotFound'; Category = 'ObjectNotFound' }
        @{ Name = 'blob-unknown'; Status = 404; Code = 'BLOB_UNKNOWN'; Class = 'NotFound'; ErrorId = 'BlobNotFound'; Category = 'ObjectNotFound' }
        @{ Name = 'unsupported'; Status = 405; Code = 'UNSUPPORTED'; Class = 'NotImplemented'; ErrorId = 'RegistryError'; Category = 'NotImplemented' }
        @{ Name = 'name-invalid'; Status = 400; Code = 'NAME_INVALID'; Class = 'InvalidArgument'; ErrorId = 'RegistryError'; Category = 'InvalidArgument' }
        @{ Name = 'tag-invalid'; Status = 400; Code = 'TAG_INVALID'; Class = 'InvalidArgument'; ErrorId = 'RegistryError'; Category = 'InvalidArgument' }
        @{ Name = 'manifest-blob-unknown'; Status = 400; Code = 'MANIFEST_BLOB_UNKNOWN'; Class = 'FailedPrecondition'; ErrorId = 'RegistryError'; Category = 'InvalidOperation' }
        @{ Name = 'unavailable'; Status = 503; Code = 'UNAVAILABLE'; Class = 'Unavailable'; ErrorId = 'RegistryUnavailable'; Category = 'ResourceUnavailable' }
        @{ Name = 'unknown'; Status = 500; Code = 'UNKNOWN'; Class = 'Internal'; ErrorId = 'RegistryError'; Category = 'InvalidResult' }
    )
    # HEAD requests carry no body: Resolve-ImageReference sees the status only.
    $headCases = @($statusCases | Where-Object { $_.Status -in 401, 403, 404, 429, 500, 502, 503, 504 } | ForEach-Object {
            $case = $_.Clone()
            $case.Name = "head-$($_.Name)"
            if ($_.Status -eq 404) { $case.ErrorId = 'ManifestNotFound' }
            $case
        })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/TestFixtures.psm1) -Force
    Import-Module (Join-Path $PSScriptRoot Fixtures/RegistryImages.psm1) -Force
    $registry = Start-TestRegistry
    $proxy = Start-TestFaultProxy -Upstream $registry.BaseUri
    $p = $proxy.Host
    $layout = New-TestImageLayout -Scenario SinglePlatform -Path (Join-Path $TestDrive 'single')
    Publish-TestImageLayout -Path (Join-Path $TestDrive 'single') -Registry $registry -Repository demo/ok -Tag v1 | Out-Null

    function Add-ErrorRule($Case) {
        $rule = @{ Proxy = $proxy; Fault = 'Status'; StatusCode = $Case.Status; Path = "^/v2/errors/$($Case.Name)/" }
        if ($Case.Code) {
            $rule.ContentType = 'application/json'
            $rule.Body = ConvertTo-Json -Compress -Depth 5 @{ errors = @(@{ code = $Case.Code; message = "registry says $($Case.Name)"; detail = @{ case = $Case.Name } }) }
        }
        $null = Add-TestFaultRule @rule
    }

    function Assert-ErrorRecord($Record, $Case, [string] $Command) {
        $Record.FullyQualifiedErrorId | Should -Be "$($Case.ErrorId),ContentPS.Commands.$Command"
        $Record.CategoryInfo.Category | Should -Be $Case.Category
        # The exception type is named after the class (NotImplemented's is UnimplementedException).
        $Record.CategoryInfo.Reason | Should -Be $(if ($Case.Class -eq 'NotImplemented') { 'UnimplementedException' } else { "$($Case.Class)Exception" })
        [ContentPS.Errdefs]::Resolve($Record) | Should -Be $Case.Class
        "$($Record.TargetObject)" | Should -BeLike "$p/errors/$($Case.Name)*"
        if ($Case.Code) { $Record.ErrorDetails.Message | Should -Match "registry says $([regex]::Escape($Case.Name))" }
    }

    function Get-RequestCount([string] $Pattern) {
        @(Get-TestFaultRequests -Proxy $proxy | Where-Object target -Match $Pattern).Count
    }
}

AfterAll {
    if ($proxy) { Stop-TestFaultProxy $proxy }
    if ($registry) { Stop-TestRegistry $registry }
}

Describe 'Registry errors through Get-ImageTag (GET)' {
    BeforeAll {
        Clear-TestFaultProxy -Proxy $proxy
        foreach ($case in $statusCases + $codeCases) { Add-ErrorRule $case }
    }

    It 'status <Status> is <ErrorId> (<Class>, <Category>)' -ForEach $statusCases {
        Get-ImageTag "$p/errors/$Name" -MaximumRetryCount 0 -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        Assert-ErrorRecord $failed[0] $_ 'GetImageTagCommand'
    }

    It 'code <Code> with status <Status> is <ErrorId> (<Class>, <Category>) with the registry message' -ForEach $codeCases {
        Get-ImageTag "$p/errors/$Name" -MaximumRetryCount 0 -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        Assert-ErrorRecord $failed[0] $_ 'GetImageTagCommand'
    }

    It 'an HTML 502 page is Unavailable' {
        $null = Add-TestFaultRule -Proxy $proxy -Fault Status -StatusCode 502 -Path '^/v2/errors/html/' -ContentType 'text/html' -Body '<html><body>Bad Gateway</body></html>'
        Get-ImageTag "$p/errors/html" -MaximumRetryCount 0 -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-ErrorRecord $failed[0] @{ Name = 'html'; ErrorId = 'RegistryUnavailable'; Class = 'Unavailable'; Category = 'ResourceUnavailable' } 'GetImageTagCommand'
    }

    It 'keeps ErrorId, category and class of every case across Start-Job' {
        $cases = @($statusCases + $codeCases)
        $errors = Receive-TestJobError -ScriptBlock {
            param($Proxy, $Names)
            foreach ($name in $Names) { Get-ImageTag "$Proxy/errors/$name" -MaximumRetryCount 0 }
        } -Parameters @{ Proxy = $p; Names = [string[]]$cases.Name }
        $errors.Count | Should -Be $cases.Count
        for ($i = 0; $i -lt $cases.Count; $i++) {
            Assert-ErrorRecord $errors[$i] $cases[$i] 'GetImageTagCommand'
        }
    }
} -ForEach @{ statusCases = $statusCases; codeCases = $codeCases }

Describe 'Registry errors through Resolve-ImageReference (HEAD)' {
    BeforeAll {
        Clear-TestFaultProxy -Proxy $proxy
        foreach ($case in $headCases) { Add-ErrorRule $case }
    }

    It 'status <Status> is <ErrorId> (<Class>, <Category>)' -ForEach $headCases {
        Resolve-ImageReference "$p/errors/$($Name):v1" -MaximumRetryCount 0 -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        Assert-ErrorRecord $failed[0] $_ 'ResolveImageReferenceCommand'
    }

    It 'keeps them across Start-Job, through Get-ImageManifest too' {
        $errors = Receive-TestJobError -ScriptBlock {
            param($Proxy, $Names)
            foreach ($name in $Names) { Get-ImageManifest "$Proxy/errors/$($name):v1" -MaximumRetryCount 0 }
        } -Parameters @{ Proxy = $p; Names = [string[]]$headCases.Name }
        $errors.Count | Should -Be $headCases.Count
        for ($i = 0; $i -lt $headCases.Count; $i++) {
            Assert-ErrorRecord $errors[$i] $headCases[$i] 'GetImageManifestCommand'
        }
    }
} -ForEach @{ headCases = $headCases }

Describe 'Retry parameters' {
    BeforeEach {
        Clear-TestFaultProxy -Proxy $proxy
    }

    It '-MaximumRetryCount 0 makes one request for a 503' {
        $null = Add-TestFaultRule -Proxy $proxy -Fault Status -StatusCode 503 -Path '^/v2/demo/ok/tags/list'
        Get-ImageTag "$p/demo/ok" -MaximumRetryCount 0 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-RequestCount '^/v2/demo/ok/tags/list' | Should -Be 1
    }

    It 'retries a 503 up to -MaximumRetryCount times and then succeeds' {
        $null = Add-TestFaultRule -Proxy $proxy -Fault Status -StatusCode 503 -Path '^/v2/demo/ok/tags/list' -Times 2
        (Get-ImageTag "$p/demo/ok" -MaximumRetryCount 2 -RetryIntervalSec 1).Tag | Should -Be 'v1'
        Get-RequestCount '^/v2/demo/ok/tags/list' | Should -Be 3
    }

    It 'gives up after -MaximumRetryCount retries with the last status' {
        $null = Add-TestFaultRule -Proxy $proxy -Fault Status -StatusCode 502 -Path '^/v2/demo/ok/manifests/v1' -Times 2
        Resolve-ImageReference "$p/demo/ok:v1" -MaximumRetryCount 1 -RetryIntervalSec 1 -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RegistryUnavailable,*'
        Get-RequestCount '^/v2/demo/ok/manifests/v1' | Should -Be 2
    }

    It 'does not retry a 404' {
        Resolve-ImageReference "$p/demo/ok:absent" -MaximumRetryCount 3 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-RequestCount '^/v2/demo/ok/manifests/absent' | Should -Be 1
    }

    It 'rejects -MaximumRetryCount <Count> and -RetryIntervalSec <Interval>' -ForEach @(
        @{ Count = -1; Interval = 1 }
        @{ Count = 101; Interval = 1 }
        @{ Count = 0; Interval = 0 }
        @{ Count = 0; Interval = 601 }
    ) {
        { Get-ImageTag "$p/demo/ok" -MaximumRetryCount $Count -RetryIntervalSec $Interval } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ContentPS.Commands.GetImageTagCommand'
    }
}
