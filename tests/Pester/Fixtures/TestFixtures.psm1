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

function Start-TestRegistry {
    <#
    .SYNOPSIS
        Starts a docker-registry (CNCF distribution 2.8) on a free 127.0.0.1 port with a temporary root.
    .DESCRIPTION
        Returns Host, BaseUri, Username, Password, Credential (null for Plain), Root, RegistryPid and
        the fixture Process. The registry runs until Stop-TestRegistry (or until this PowerShell exits).
    .EXAMPLE
        $registry = Start-TestRegistry -Flavor Htpasswd
        Invoke-WebRequest "$($registry.BaseUri)v2/" -Credential $registry.Credential -Authentication Basic -AllowUnencryptedAuthentication
    #>
    [CmdletBinding()]
    [OutputType('ContentPS.TestRegistry')]
    param(
        [ValidateSet('Plain', 'Htpasswd')]
        [string] $Flavor = 'Plain',

        [ValidateRange(1, 600)]
        [int] $TimeoutSec = 60
    )
    $process = New-TestFixturesProcess -Arguments @('registry', '--flavor', $Flavor.ToLowerInvariant())
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait([TimeSpan]::FromSeconds($TimeoutSec)) -or -not $line.Result) {
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.WaitForExit()
        $message = $process.StandardError.ReadToEnd().Trim()
        $process.Dispose()
        throw "The $Flavor test registry did not start within $TimeoutSec s: $message"
    }
    # Keep draining stderr so the fixture can never block on a full pipe.
    $null = $process.StandardError.ReadToEndAsync()
    $info = $line.Result | ConvertFrom-Json
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
    process {
        $process = $Registry.Process
        try {
            if (-not $process.HasExited) {
                $process.StandardInput.Close()
                if (-not $process.WaitForExit($TimeoutSec * 1000)) {
                    $process.Kill($true)
                    $process.WaitForExit()
                    Write-Warning "The test registry on $($Registry.Host) did not stop within $TimeoutSec s and was killed."
                }
            }
        }
        finally {
            $process.Dispose()
        }
    }
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
        [ValidateSet('SinglePlatform', 'MultiPlatform', 'DockerMultiPlatform', 'NestedIndex', 'Artifact', 'Layers')]
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
