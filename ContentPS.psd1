@{
    RootModule           = 'module/ContentPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f3d0c8e-3a51-4c1e-9b57-2d7f1c0e8a44'
    Author               = 'ContentPS developers'
    CompanyName          = 'ContentPS'
    Copyright            = '(c) ContentPS developers. MIT License.'
    Description          = 'A content-addressable store and handler engine that pulls, copies, checks and publishes container image content (OCI and Docker images, indexes, artifacts).'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    # Loaded at import so engine types ([ContentPS.Engine.Errdefs.ErrorClass], …) resolve by name in scripts.
    RequiredAssemblies   = @('module/ContentPS.Engine.dll')
    TypesToProcess       = @('module/ContentPS.Types.ps1xml')
    FormatsToProcess     = @('module/ContentPS.Format.ps1xml')
    CmdletsToExport      = @(
        'ConvertTo-ImagePlatform'
        'ConvertTo-ImageReference'
        'Copy-Blob'
        'Copy-Image'
        'Expand-Image'
        'Export-Image'
        'Get-Blob'
        'Get-BlobContent'
        'Get-BlobIngest'
        'Get-Image'
        'Get-ImageDescriptor'
        'Get-ImageManifest'
        'Get-ImageReferrer'
        'Get-ImageTag'
        'Import-Blob'
        'Import-Image'
        'Invoke-ImageHandler'
        'Publish-Image'
        'Remove-Blob'
        'Remove-BlobIngest'
        'Remove-Image'
        'Remove-UnreferencedContent'
        'Resolve-ImageReference'
        'Save-ImageContent'
        'Set-BlobLabel'
        'Test-Blob'
        'Test-ImageContent'
        'Test-ImagePlatform'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('OCI', 'containers', 'registry', 'containerd', 'images')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
