# Test fixtures for the Pester tests: a real docker-registry and OCI image layouts, driven through the
# ContentPS.TestFixtures CLI (tests/ContentPS.TestFixtures) so both test suites share one implementation.
Set-StrictMode -Version Latest

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
$script:Scenarios = @('SinglePlatform', 'MultiPlatform', 'DockerMultiPlatform', 'NestedIndex', 'Artifact', 'Layers')

function Get-TestFixturesAssembly {
    <#
    .SYNOPSIS
        Path of the built ContentPS.TestFixtures.dll for $env:CONTENTPS_CONFIGURATION (default Release).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $configuration = if ($env:CONTENTPS_CONFIGURATION) { $env:CONTENTPS_CONFIGURATION } else { 'Release' }
    $path = Join-Path $script:RepositoryRoot "tests/ContentPS.TestFixtures/bin/$configuration/net10.0/ContentPS.TestFixtures.dll"
    if (-not (Test-Path -LiteralPath $path)) {
        throw "The test fixtures are not built: '$path' is missing. Build them: dotnet build tests/ContentPS.TestFixtures -c $configuration (build.ps1 Build does it), or set CONTENTPS_CONFIGURATION."
    }
    $path
}

function New-TestFixturesProcess {
    param([string[]] $Arguments)
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $startInfo.ArgumentList.Add((Get-TestFixturesAssembly))
    foreach ($argument in $Arguments) { $startInfo.ArgumentList.Add($argument) }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    [System.Diagnostics.Process]::Start($startInfo)
}

function Invoke-TestFixturesCli {
    # Runs one CLI command to completion and returns its JSON output as an object.
    param([string[]] $Arguments)
    $process = New-TestFixturesProcess -Arguments $Arguments
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        if ($process.ExitCode -ne 0) {
            throw "ContentPS.TestFixtures $($Arguments[0]) failed with exit code $($process.ExitCode): $($stderr.Result.Trim())"
        }
        $stdout.Result | ConvertFrom-Json
    }
    finally {
        $process.Dispose()
    }
}

function Start-TestFixturesService {
    # Starts a long-running CLI command (registry, mirror, fault-proxy), waits for the one JSON line it
    # prints when ready and returns @{ Process; Info }. The service runs until its stdin closes.
    param([string[]] $Arguments, [string] $Description, [int] $TimeoutSec)
    $process = New-TestFixturesProcess -Arguments $Arguments
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait([TimeSpan]::FromSeconds($TimeoutSec)) -or -not $line.Result) {
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.WaitForExit()
        $message = $process.StandardError.ReadToEnd().Trim()
        $process.Dispose()
        throw "$Description did not start within $TimeoutSec s: $message"
    }
    # Keep draining stderr so the fixture can never block on a full pipe.
    $null = $process.StandardError.ReadToEndAsync()
    @{ Process = $process; Info = ($line.Result | ConvertFrom-Json) }
}

function Stop-TestFixturesService {
    # Closes a service's stdin (it then stops and deletes its files), waits, and kills it after TimeoutSec.
    param([System.Diagnostics.Process] $Process, [string] $Description, [int] $TimeoutSec)
    try {
        if (-not $Process.HasExited) {
            $Process.StandardInput.Close()
            if (-not $Process.WaitForExit($TimeoutSec * 1000)) {
                $Process.Kill($true)
                $Process.WaitForExit()
                Write-Warning "$Description did not stop within $TimeoutSec s and was killed."
            }
        }
    }
    finally {
        $Process.Dispose()
    }
}

function Start-TestRegistry {
    <#
    .SYNOPSIS
        Starts a docker-registry (CNCF distribution 2.8) on a free 127.0.0.1 port with a temporary root.
    .DESCRIPTION
        Returns Host, BaseUri, Username, Password, Credential (null for Plain), Root, RegistryPid, the
        fixture Process, and TokenRealm/TokenService (Token flavour; null otherwise). The registry runs until Stop-TestRegistry (or until this PowerShell exits).
    .EXAMPLE
        $registry = Start-TestRegistry -Flavor Htpasswd
        Invoke-WebRequest "$($registry.BaseUri)v2/" -Credential $registry.Credential -Authentication Basic -AllowUnencryptedAuthentication
    #>
    [CmdletBinding()]
    [OutputType('ContentPS.TestRegistry')]
    param(
        [ValidateSet('Plain', 'Htpasswd', 'Token')]
        [string] $Flavor = 'Plain',

        [ValidateRange(1, 600)]
        [int] $TimeoutSec = 60
    )
    $service = Start-TestFixturesService -Arguments @('registry', '--flavor', $Flavor.ToLowerInvariant()) -Description "The $Flavor test registry" -TimeoutSec $TimeoutSec
    $process = $service.Process
    $info = $service.Info
    $credential = $null
    if ($info.username) {
        $credential = [pscredential]::new($info.username, (ConvertTo-SecureString -String $info.password -AsPlainText -Force))
    }
    [pscustomobject]@{
        PSTypeName  = 'ContentPS.TestRegistry'
        Flavor      = $Flavor
        Host        = $info.host
        BaseUri     = [uri]$info.baseUri
        Username    = $info.username
        Password    = $info.password
        Credential  = $credential
        Root        = $info.root
        RegistryPid = [int]$info.pid
        Process     = $process
        # The token flavour's token server (null for the others).
        TokenRealm  = if ($info.tokenRealm) { [uri]$info.tokenRealm } else { $null }
        TokenService = $info.tokenService
    }
}

function Stop-TestRegistry {
    <#
    .SYNOPSIS
        Stops a registry from Start-TestRegistry and deletes its files (closes the fixture's stdin, then waits).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipeline)]
        [PSTypeName('ContentPS.TestRegistry')]
        [object] $Registry,

        [ValidateRange(1, 600)]
        [int] $TimeoutSec = 30
    )
    process { Stop-TestFixturesService -Process $Registry.Process -Description "The test registry on $($Registry.Host)" -TimeoutSec $TimeoutSec }
}

function New-TestImageLayout {
    <#
    .SYNOPSIS
        Writes an OCI image layout for a test scenario and returns what was written (top descriptor and every blob).
    .EXAMPLE
        $layout = New-TestImageLayout -Scenario MultiPlatform -Path (Join-Path $TestDrive 'layout')
        $layout.top.digest
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [ValidateSet('SinglePlatform', 'MultiPlatform', 'DockerMultiPlatform', 'NestedIndex', 'Artifact', 'Layers', 'ForeignLayer',
            'UnpackWhiteouts', 'UnpackHardLinks', 'UnpackSymlinks', 'UnpackZstd', 'UnpackDockerGzipDiffTar', 'UnpackDevices',
            'UnpackEscapeEntry', 'UnpackAbsoluteSymlinkWrite', 'UnpackBadDiffId', 'UnpackTruncated')]
        [string] $Scenario,

        [Parameter(Mandatory)]
        [string] $Path,

        [string] $RefName = 'latest',

        [ValidateRange(0, 1000)]
        [int] $LayerCount,

        [ValidateRange(0, [long]::MaxValue)]
        [long] $LayerSize,

        [long] $Seed = 1
    )
    $arguments = @('layout', $Scenario, '--out', $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path), '--ref', $RefName, '--seed', "$Seed")
    if ($PSBoundParameters.ContainsKey('LayerCount')) { $arguments += @('--layers', "$LayerCount") }
    if ($PSBoundParameters.ContainsKey('LayerSize')) { $arguments += @('--layer-size', "$LayerSize") }
    Invoke-TestFixturesCli -Arguments $arguments
}

function Publish-TestImageLayout {
    <#
    .SYNOPSIS
        Pushes a layout entry to a test registry with skopeo (digests and media types kept) and checks the digest.
    .EXAMPLE
        New-TestImageLayout -Scenario SinglePlatform -Path $dir | Out-Null
        Publish-TestImageLayout -Path $dir -Registry $registry -Repository demo/app -Tag v1
    #>
    [CmdletBinding(DefaultParameterSetName = 'Registry')]
    param(
        [Parameter(Mandatory)]
        [string] $Path,

        [string] $RefName = 'latest',

        [Parameter(Mandatory, ParameterSetName = 'Registry')]
        [PSTypeName('ContentPS.TestRegistry')]
        [object] $Registry,

        [Parameter(Mandatory, ParameterSetName = 'Host')]
        [string] $RegistryHost,

        [Parameter(ParameterSetName = 'Host')]
        [pscredential] $Credential,

        [Parameter(Mandatory)]
        [string] $Repository,

        [string] $Tag = 'latest'
    )
    if ($PSCmdlet.ParameterSetName -eq 'Registry') {
        $RegistryHost = $Registry.Host
        $Credential = $Registry.Credential
    }
    $arguments = @('push', '--layout', $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path), '--ref', $RefName,
        '--host', $RegistryHost, '--repository', $Repository, '--tag', $Tag)
    if ($Credential) {
        $arguments += @('--username', $Credential.UserName, '--password', $Credential.GetNetworkCredential().Password)
    }
    Invoke-TestFixturesCli -Arguments $arguments
}

Export-ModuleMember -Function Get-TestFixturesAssembly, Start-TestRegistry, Stop-TestRegistry, New-TestImageLayout, Publish-TestImageLayout

function Publish-TestReferrerImage {
    <#
    .SYNOPSIS
        Pushes the Artifact scenario to a test registry: the subject image as <Repository>:<Tag>, its SBOM
        artifact as <Repository>:<Tag>-sbom, and the referrers tag-schema index (<Repository>:sha256-<hex of the
        subject>) that lists the artifact, as referrers-aware tools write it on a registry without the
        referrers API (distribution 2.8). Returns the layout (top = the artifact, tags.'<ref>-subject' = the subject).
    .EXAMPLE
        $layout = Publish-TestReferrerImage -Registry $registry -Repository demo/signed -Path (Join-Path $TestDrive 'artifact')
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [PSTypeName('ContentPS.TestRegistry')]
        [object] $Registry,

        [Parameter(Mandatory)]
        [string] $Repository,

        [string] $Tag = 'latest',

        [Parameter(Mandatory)]
        [string] $Path
    )
    $layout = New-TestImageLayout -Scenario Artifact -Path $Path -RefName 'artifact'
    Publish-TestImageLayout -Path $Path -RefName 'artifact-subject' -Registry $Registry -Repository $Repository -Tag $Tag | Out-Null
    Publish-TestImageLayout -Path $Path -RefName 'artifact' -Registry $Registry -Repository $Repository -Tag "$Tag-sbom" | Out-Null
    $artifact = $layout.top
    $subject = $layout.tags.'artifact-subject'
    $manifest = Get-Content -Raw -LiteralPath (Join-Path $layout.directory $artifact.relativePath) | ConvertFrom-Json
    $entry = [ordered]@{ mediaType = $artifact.mediaType; digest = $artifact.digest; size = $artifact.size; artifactType = $artifact.artifactType }
    if ($manifest.annotations) { $entry.annotations = $manifest.annotations }
    $index = [ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.index.v1+json'; manifests = @($entry) } |
        ConvertTo-Json -Depth 10 -Compress
    $request = @{
        Method      = 'Put'
        Uri         = "$($Registry.BaseUri)v2/$Repository/manifests/sha256-$($subject.encoded)"
        ContentType = 'application/vnd.oci.image.index.v1+json'
        Body        = [Text.Encoding]::UTF8.GetBytes($index)
    }
    if ($Registry.Credential) {
        $request += @{ Credential = $Registry.Credential; Authentication = 'Basic'; AllowUnencryptedAuthentication = $true }
    }
    Invoke-WebRequest @request | Out-Null
    $layout
}

Export-ModuleMember -Function Publish-TestReferrerImage

# --- Fault proxy: a fault-injecting HTTP proxy in front of a test registry (tests/ContentPS.TestFixtures/Faults) ---

function Start-TestFaultProxy {
    <#
    .SYNOPSIS
        Starts the fixtures' fault proxy in front of a test registry on a free port and returns Host, BaseUri, ProxyPid and the fixture Process.
    .DESCRIPTION
        The proxy forwards everything to Upstream until a rule (Add-TestFaultRule) says otherwise and logs
        every request (Get-TestFaultRequests). Use -Address 127.0.0.2 for a second host with another authority.
    .EXAMPLE
        $proxy = Start-TestFaultProxy -Upstream $registry.BaseUri
        Add-TestFaultRule -Proxy $proxy -Fault Status -StatusCode 503 -Path '^/v2/$' -Times 2
    #>
    [CmdletBinding()]
    [OutputType('ContentPS.TestFaultProxy')]
    param(
        [Parameter(Mandatory)]
        [uri] $Upstream,

        [string] $Address,

        [ValidateRange(1, 600)]
        [int] $TimeoutSec = 60
    )
    $arguments = @('fault-proxy', '--upstream', $Upstream.AbsoluteUri)
    if ($Address) { $arguments += @('--address', $Address) }
    $service = Start-TestFixturesService -Arguments $arguments -Description 'The fault proxy' -TimeoutSec $TimeoutSec
    $process = $service.Process
    $info = $service.Info
    [pscustomobject]@{
        PSTypeName = 'ContentPS.TestFaultProxy'
        Host       = $info.host
        BaseUri    = [uri]$info.baseUri
        Upstream   = $Upstream
        ProxyPid   = [int]$info.pid
        Process    = $process
    }
}

function Add-TestFaultRule {
    <#
    .SYNOPSIS
        Adds a fault rule to a proxy from Start-TestFaultProxy (POST /_fault/rules) and returns the rule id.
    .DESCRIPTION
        Fault: Forward, Status, DropAfterBytes, Disconnect, Trickle, CorruptBody, RedirectTo, IgnoreRange, AddHeaders.
        Path is a regular expression searched in the request's path and query; Times limits the rule to the
        first N matching requests. See tests/ContentPS.TestFixtures/README.md.
    .EXAMPLE
        Add-TestFaultRule -Proxy $proxy -Fault Status -StatusCode 429 -Headers @{ 'Retry-After' = '1' } -Path '/manifests/' -Times 1
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory)]
        [PSTypeName('ContentPS.TestFaultProxy')]
        [object] $Proxy,

        [Parameter(Mandatory)]
        [ValidateSet('Forward', 'Status', 'DropAfterBytes', 'Disconnect', 'Trickle', 'CorruptBody', 'RedirectTo', 'IgnoreRange', 'AddHeaders')]
        [string] $Fault,

        [string] $Path = '',

        [string] $Method,

        [ValidateRange(0, [int]::MaxValue)]
        [int] $Times,

        [ValidateRange(0, [int]::MaxValue)]
        [int] $DelayMilliseconds,

        [int] $StatusCode,

        [string] $ContentType,

        [string] $Body,

        [hashtable] $Headers,

        [long] $Bytes,

        [int] $BytesPerSecond,

        [uri] $RedirectTo
    )
    $rule = [ordered]@{ fault = $Fault; path = $Path }
    $names = @{
        Method = 'method'; Times = 'times'; DelayMilliseconds = 'delayMilliseconds'; StatusCode = 'statusCode'; ContentType = 'contentType'
        Body = 'body'; Headers = 'headers'; Bytes = 'bytes'; BytesPerSecond = 'bytesPerSecond'
    }
    foreach ($name in $names.Keys) {
        if ($PSBoundParameters.ContainsKey($name)) { $rule[$names[$name]] = $PSBoundParameters[$name] }
    }
    if ($RedirectTo) { $rule.redirectTo = $RedirectTo.AbsoluteUri }
    $json = ConvertTo-Json -InputObject @($rule) -Depth 5 -Compress
    $response = Invoke-WebRequest -Method Post -Uri "$($Proxy.BaseUri)_fault/rules" -Body $json -ContentType 'application/json' -SkipHttpErrorCheck
    $answer = ConvertFrom-Json -InputObject $response.Content
    if ($response.StatusCode -ne 200) {
        throw "The fault proxy refused the rule $json ($($response.StatusCode)): $($answer.error)"
    }
    [int]$answer.ids[0]
}

function Get-TestFaultRequests {
    <#
    .SYNOPSIS
        The requests a fault proxy received, oldest first (GET /_fault/requests): Sequence, ElapsedMilliseconds,
        Method, Target, Headers, HasAuthorization, Range, RuleId, Fault, Status.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [PSTypeName('ContentPS.TestFaultProxy')]
        [object] $Proxy
    )
    $response = Invoke-WebRequest -Uri "$($Proxy.BaseUri)_fault/requests"
    ConvertFrom-Json -InputObject $response.Content | ForEach-Object { $_ }
}

function Clear-TestFaultProxy {
    <#
    .SYNOPSIS
        Removes every rule of a fault proxy and empties its request log.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [PSTypeName('ContentPS.TestFaultProxy')]
        [object] $Proxy
    )
    $null = Invoke-RestMethod -Method Delete -Uri "$($Proxy.BaseUri)_fault/rules"
    $null = Invoke-RestMethod -Method Delete -Uri "$($Proxy.BaseUri)_fault/requests"
}

function Stop-TestFaultProxy {
    <#
    .SYNOPSIS
        Stops a proxy from Start-TestFaultProxy (closes the fixture's stdin, then waits; kills it after TimeoutSec).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipeline)]
        [PSTypeName('ContentPS.TestFaultProxy')]
        [object] $Proxy,

        [ValidateRange(1, 600)]
        [int] $TimeoutSec = 30
    )
    process { Stop-TestFixturesService -Process $Proxy.Process -Description "The fault proxy on $($Proxy.Host)" -TimeoutSec $TimeoutSec }
}

Export-ModuleMember -Function Start-TestFaultProxy, Add-TestFaultRule, Get-TestFaultRequests, Clear-TestFaultProxy, Stop-TestFaultProxy

function Get-TestBlobUploadRequests {
    <#
    .SYNOPSIS
        The blob upload requests (PATCH or PUT under /blobs/uploads/) a fault proxy received: none means every
        blob was mounted or already there.
    #>
    param([Parameter(Mandatory)] [object] $Proxy)
    @(Get-TestFaultRequests -Proxy $Proxy | Where-Object { $_.Method -in 'PATCH', 'PUT' -and $_.Target -like '*/blobs/uploads/*' })
}

function Get-TestClosedPort {
    <#
    .SYNOPSIS
        A loopback port nothing listens on: bound, noted and let go.
    #>
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

Export-ModuleMember -Function Get-TestBlobUploadRequests, Get-TestClosedPort

function Start-TestMirrorRegistry {
    <#
    .SYNOPSIS
        Starts a docker-registry in proxy mode: a pull-through mirror of a registry from Start-TestRegistry.
    .DESCRIPTION
        The mirror gets its own free port and temporary root, serves pulls anonymously (logging in upstream
        with the upstream's credentials) and refuses pushes with 405 UNSUPPORTED. docker-registry 2.8 logs in
        only to a bearer-token upstream, so an Htpasswd upstream is refused. Returns the same shape as
        Start-TestRegistry (Flavor 'Mirror', plus Upstream); stop it with Stop-TestRegistry, before its upstream.
    .EXAMPLE
        $registry = Start-TestRegistry
        $mirror = Start-TestMirrorRegistry -Upstream $registry
        Invoke-WebRequest "$($mirror.BaseUri)v2/demo/app/manifests/v1"
    #>
    [CmdletBinding()]
    [OutputType('ContentPS.TestRegistry')]
    param(
        [Parameter(Mandatory)]
        [PSTypeName('ContentPS.TestRegistry')]
        [object] $Upstream,

        [ValidateRange(1, 600)]
        [int] $TimeoutSec = 60
    )
    $arguments = @('mirror', '--upstream', "$($Upstream.BaseUri)")
    if ($Upstream.Username) { $arguments += @('--username', $Upstream.Username, '--password', $Upstream.Password) }
    $service = Start-TestFixturesService -Arguments $arguments -Description "The mirror of $($Upstream.Host)" -TimeoutSec $TimeoutSec
    $process = $service.Process
    $info = $service.Info
    [pscustomobject]@{
        PSTypeName  = 'ContentPS.TestRegistry'
        Flavor      = 'Mirror'
        Host        = $info.host
        BaseUri     = [uri]$info.baseUri
        Username    = $null
        Password    = $null
        Credential  = $null
        Root        = $info.root
        RegistryPid = [int]$info.pid
        Process     = $process
        Upstream    = [uri]$info.upstream
    }
}

Export-ModuleMember -Function Start-TestMirrorRegistry
