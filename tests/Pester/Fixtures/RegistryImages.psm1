# Shared setup of the registry cmdlet tests: a set of images pushed to a test registry, and a way to
# run a ContentPS command in a background job and get its errors back deserialized.

function Publish-TestImageSet {
    <#
    .SYNOPSIS
        Pushes the images the registry cmdlet tests read and returns their layouts by name:
        multi (demo/multi:latest and :v2, OCI index: amd64, arm64/v8, arm/v7 + attestation), docker
        (demo/docker:latest, Docker list), single (demo/single:1.0, one manifest), nested
        (demo/nested:latest, index of indexes) and signed (demo/signed:latest with an SBOM referrer).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [PSTypeName('ContentPS.TestRegistry')]
        [object] $Registry,

        [Parameter(Mandatory)]
        [string] $Path
    )
    $set = @{}
    foreach ($image in @(
            @{ Name = 'multi'; Scenario = 'MultiPlatform'; Repository = 'demo/multi'; Tags = @('latest', 'v2') }
            @{ Name = 'docker'; Scenario = 'DockerMultiPlatform'; Repository = 'demo/docker'; Tags = @('latest') }
            @{ Name = 'single'; Scenario = 'SinglePlatform'; Repository = 'demo/single'; Tags = @('1.0') }
            @{ Name = 'nested'; Scenario = 'NestedIndex'; Repository = 'demo/nested'; Tags = @('latest') })) {
        $directory = Join-Path $Path $image.Name
        $set[$image.Name] = New-TestImageLayout -Scenario $image.Scenario -Path $directory
        foreach ($tag in $image.Tags) {
            Publish-TestImageLayout -Path $directory -Registry $Registry -Repository $image.Repository -Tag $tag | Out-Null
        }
    }
    $set['signed'] = Publish-TestReferrerImage -Registry $Registry -Repository demo/signed -Tag latest -Path (Join-Path $Path 'signed')
    $set
}

function Get-TestLayoutManifest {
    <# .SYNOPSIS The manifest blob of a layout for a platform (linux/arm64/v8), from the layout's blob list. #>
    param(
        [Parameter(Mandatory)] [object] $Layout,
        [Parameter(Mandatory)] [string] $Platform
    )
    @($Layout.blobs | Where-Object { $_.kind -eq 'Manifest' -and $_.platform -eq $Platform })[0]
}

function Receive-TestJobError {
    <#
    .SYNOPSIS
        Runs a script block with the built module imported in a background job (Start-Job) and returns the
        errors it wrote, as Receive-Job hands them back (deserialized: the exception type is lost).
    #>
    param(
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        # Named arguments of the script block (a hashtable survives the job's serialization for splatting).
        [hashtable] $Parameters = @{}
    )
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../../ContentPS.psd1')).Path
    $job = Start-Job -ScriptBlock {
        param($Manifest, $Code, $Parameters)
        Import-Module $Manifest -ErrorAction Stop
        & ([scriptblock]::Create($Code)) @Parameters
    } -ArgumentList $manifest, $ScriptBlock.ToString(), $Parameters
    try {
        if (-not (Wait-Job $job -Timeout 300)) { throw 'the job did not finish within 300 s' }
        $errors = $null
        $null = Receive-Job $job -ErrorAction SilentlyContinue -ErrorVariable errors
        @($errors)
    }
    finally {
        Remove-Job $job -Force
    }
}

Export-ModuleMember -Function Publish-TestImageSet, Get-TestLayoutManifest, Receive-TestJobError
