#Requires -Version 7.4
# $PSDefaultParameterValues gives ContentPS cmdlets module-wide defaults, as about_ContentPS
# (MODULE-WIDE DEFAULTS) documents: exact and wildcard keys apply, a typed value wins, and
# 'Disabled' switches the defaults off.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
}

Describe '$PSDefaultParameterValues with ContentPS cmdlets' {
    It 'leaves a cmdlet alone without a default' {
        $PSDefaultParameterValues = @{}
        Test-ImagePlatform linux/arm64 linux/arm/v7 | Should -BeExactly $true
    }

    It 'applies a default for one cmdlet' {
        $PSDefaultParameterValues = @{ 'Test-ImagePlatform:Strict' = $true }
        Test-ImagePlatform linux/arm64 linux/arm/v7 | Should -BeExactly $false
        Test-ImagePlatform linux/arm64 linux/arm64/v8 | Should -BeExactly $true
    }

    It 'applies a wildcard key to every cmdlet it names' {
        $PSDefaultParameterValues = @{ '*-Image*:Strict' = $true; '*-ImageReference:NoDefaultTag' = $true }
        Test-ImagePlatform linux/amd64 linux/386 | Should -BeExactly $false
        $reference = ConvertTo-ImageReference ubuntu
        $reference.Reference | Should -BeExactly 'docker.io/library/ubuntu'
        $reference.Tag | Should -BeNullOrEmpty
    }

    It 'lets a typed value win over the default' {
        $PSDefaultParameterValues = @{ 'Test-ImagePlatform:Strict' = $true }
        Test-ImagePlatform linux/arm64 linux/arm/v7 -Strict:$false | Should -BeExactly $true
    }

    It 'ignores the defaults while Disabled is set' {
        $PSDefaultParameterValues = @{ 'Test-ImagePlatform:Strict' = $true; 'Disabled' = $true }
        Test-ImagePlatform linux/arm64 linux/arm/v7 | Should -BeExactly $true
    }

    It 'documents the defaults it tests in about_ContentPS' {
        $about = Get-Content -Raw (Join-Path $PSScriptRoot ../../docs/about_ContentPS.md)
        $about | Should -Match '(?m)^## MODULE-WIDE DEFAULTS$'
        $about | Should -Match ([regex]::Escape("`$PSDefaultParameterValues['*-Blob*:Store'] = '/data/store'"))
        $about | Should -Match ([regex]::Escape("`$PSDefaultParameterValues['Disabled'] = `$true"))
    }
}
