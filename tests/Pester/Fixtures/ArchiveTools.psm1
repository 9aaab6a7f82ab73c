# Helpers of the Export-Image and Import-Image tests: running the peer tools (skopeo, umoci,
# oci-image-tool), digests of what they print, and tars built entry by entry for the bad-input tests.

function Invoke-PeerTool {
    <# .SYNOPSIS Runs a peer tool and returns its standard output as one string; a non-zero exit throws with its stderr (kept apart, so warnings never mix into the output). #>
    param(
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [string[]] $Arguments
    )
    $errors = New-TemporaryFile
    try {
        $output = & $Command @Arguments 2>$errors.FullName
        if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') exited with $LASTEXITCODE`: $(Get-Content -Raw $errors.FullName)" }
        $output -join "`n"
    }
    finally {
        Remove-Item $errors.FullName
    }
}

function Get-TextDigest {
    <# .SYNOPSIS The sha256 digest of a text's UTF-8 bytes (a raw manifest as `skopeo inspect --raw` prints it). #>
    param([Parameter(Mandatory)] [string] $Text)
    'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($Text))).ToLowerInvariant()
}

function New-TestTar {
    <#
    .SYNOPSIS
        Writes a tar from entries given as hashtables: @{ Name = '...'; Content = 'text' } for a file,
        @{ Name = '...'; SymbolicLink = 'target' } or @{ Name = '...'; HardLink = 'target' } for links.
    #>
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [hashtable[]] $Entries
    )
    $file = [System.IO.File]::Create($Path)
    try {
        $writer = [System.Formats.Tar.TarWriter]::new($file, [System.Formats.Tar.TarEntryFormat]::Pax, $false)
        foreach ($entry in $Entries) {
            if ($entry.ContainsKey('SymbolicLink')) {
                $item = [System.Formats.Tar.PaxTarEntry]::new([System.Formats.Tar.TarEntryType]::SymbolicLink, $entry.Name)
                $item.LinkName = $entry.SymbolicLink
            }
            elseif ($entry.ContainsKey('HardLink')) {
                $item = [System.Formats.Tar.PaxTarEntry]::new([System.Formats.Tar.TarEntryType]::HardLink, $entry.Name)
                $item.LinkName = $entry.HardLink
            }
            else {
                $item = [System.Formats.Tar.PaxTarEntry]::new([System.Formats.Tar.TarEntryType]::RegularFile, $entry.Name)
                $item.DataStream = [System.IO.MemoryStream]::new([System.Text.Encoding]::UTF8.GetBytes([string]$entry.Content))
            }
            $writer.WriteEntry($item)
        }
        $writer.Dispose()
    }
    finally {
        $file.Dispose()
    }
}

Export-ModuleMember -Function Invoke-PeerTool, Get-TextDigest, New-TestTar
