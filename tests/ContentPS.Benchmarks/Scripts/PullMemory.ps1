# Run by PullMemoryBenchmark in a pwsh child: import the built module, say "ready <pid>", wait for a line on
# stdin, pull -Reference into -Store (Save-ImageContent, or the engine's ImagePull while the module has no
# such cmdlet), say "done <how>", wait for a line, exit. The parent reads this process's memory in between.
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [string] $Reference,
    [Parameter(Mandatory)] [string] $Store
)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
$cmdlet = [bool](Get-Command Save-ImageContent -Module ContentPS -ErrorAction SilentlyContinue)
[GC]::Collect()
[Console]::Out.WriteLine("ready $PID")
$null = [Console]::In.ReadLine()
if ($cmdlet) {
    Save-ImageContent -Reference $Reference -Store $Store | Out-Null
    $how = 'Save-ImageContent'
}
else {
    $request = [ContentPS.Engine.Transfer.PullRequest]@{
        Reference = [ContentPS.Engine.Oci.ImageReference]::Parse($Reference)
        Store     = [ContentPS.Engine.Content.LocalContentStore]::Open($Store)
        Client    = [ContentPS.Engine.Remotes.RegistryClient]::new([ContentPS.Engine.Remotes.RegistryClientOptions]::new())
    }
    $null = [ContentPS.Engine.Transfer.ImagePull]::PullAsync($request, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    $how = 'ImagePull'
}
[Console]::Out.WriteLine("done $how")
$null = [Console]::In.ReadLine()
