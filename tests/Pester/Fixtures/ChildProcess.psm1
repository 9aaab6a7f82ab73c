# Real child processes for multi-process tests: a pwsh that imports the built module (the running pwsh: under
# `dotnet pwsh`, dotnet + pwsh.dll), waiting for it with a hang guard, and polling a condition with one.

function Start-ChildPwsh {
    <#
    .SYNOPSIS
        Starts a pwsh child that imports -Module, then runs -Script with $ErrorActionPreference Stop; stdout and stderr are collected.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Script,
        [Parameter(Mandatory)] [string] $Module,
        [switch] $NoProgress
    )
    $info = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ([IO.Path]::GetFileNameWithoutExtension($info.FileName) -eq 'dotnet') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    $prelude = "`$ErrorActionPreference = 'Stop'; " + $(if ($NoProgress) { "`$ProgressPreference = 'SilentlyContinue'; " }) + "Import-Module '$Module'"
    foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', "$prelude; $Script") { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    [pscustomobject]@{ Process = $process; Stdout = $process.StandardOutput.ReadToEndAsync(); Stderr = $process.StandardError.ReadToEndAsync() }
}

function Wait-ChildPwsh {
    <#
    .SYNOPSIS
        Waits for a child from Start-ChildPwsh (killing it after -TimeoutSeconds, a hang guard) and returns ExitCode, Stdout, Stderr.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Child,
        [int] $TimeoutSeconds = 120
    )
    if (-not $Child.Process.WaitForExit($TimeoutSeconds * 1000)) {
        $Child.Process.Kill($true)
        throw "child $($Child.Process.Id) did not finish in $TimeoutSeconds s"
    }
    $Child.Process.WaitForExit()
    [pscustomobject]@{ ExitCode = $Child.Process.ExitCode; Stdout = $Child.Stdout.GetAwaiter().GetResult(); Stderr = $Child.Stderr.GetAwaiter().GetResult() }
}

function Wait-Until {
    <#
    .SYNOPSIS
        Polls -Condition until it is true; throws after -TimeoutSeconds. A hang guard, not a timed assertion.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [scriptblock] $Condition,
        [int] $TimeoutSeconds = 60,
        [string] $Because
    )
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "timed out after $TimeoutSeconds s waiting until $Because" }
        Start-Sleep -Milliseconds 20
    }
}

Export-ModuleMember -Function Start-ChildPwsh, Wait-ChildPwsh, Wait-Until
