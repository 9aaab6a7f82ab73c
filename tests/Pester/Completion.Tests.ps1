#Requires -Version 7.4
# Argument completers, driven through TabExpansion2 as the console drives them on Tab.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force

    # What Tab offers at the end of $Line: the completion texts, in order.
    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }

    $known = @('linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6', 'linux/386', 'linux/ppc64le', 'linux/s390x',
        'linux/riscv64', 'linux/mips64le', 'linux/loong64', 'linux/arm/v5', 'linux/amd64/v2', 'linux/amd64/v3',
        'windows/amd64', 'windows/arm64', 'darwin/arm64', 'darwin/amd64', 'freebsd/amd64')
}

Describe 'Platform completion' {
    It 'offers every known platform, most used first, for an empty word' {
        Get-Completion 'ConvertTo-ImagePlatform ' | Should -Be $known
    }

    It 'completes a prefix of the specifier: <Line>' -ForEach @(
        @{ Line = 'ConvertTo-ImagePlatform linux/ar'; Expected = @('linux/arm64', 'linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5') }
        @{ Line = 'ConvertTo-ImagePlatform -Platform win'; Expected = @('windows/amd64', 'windows/arm64') }
        @{ Line = 'ConvertTo-ImagePlatform LINUX/ARM/'; Expected = @('linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5') }
        @{ Line = 'ConvertTo-ImagePlatform Darwin'; Expected = @('darwin/arm64', 'darwin/amd64') }
        @{ Line = 'ConvertTo-ImagePlatform linux/s'; Expected = @('linux/s390x') }
        @{ Line = "ConvertTo-ImagePlatform 'linux/riscv"; Expected = @('linux/riscv64') }
    ) {
        Get-Completion $Line | Should -Be $Expected
    }

    It 'completes an architecture without os, whole-specifier matches first' {
        Get-Completion 'ConvertTo-ImagePlatform arm6' | Should -Be @('linux/arm64', 'windows/arm64', 'darwin/arm64')
        Get-Completion 'ConvertTo-ImagePlatform 38' | Should -Be @('linux/386')
    }

    It 'offers nothing for a word no platform starts' {
        Get-Completion 'ConvertTo-ImagePlatform plan9/' | Should -BeNullOrEmpty
    }

    It 'completes Test-ImagePlatform -Platform and -Candidate' {
        Get-Completion 'Test-ImagePlatform linux/arm6' | Should -Be @('linux/arm64')
        Get-Completion 'Test-ImagePlatform -Platform linux/arm64 -Candidate linux/arm/v' | Should -Be @('linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5')
        Get-Completion 'Test-ImagePlatform linux/arm64 linux/pp' | Should -Be @('linux/ppc64le')
    }

    It 'describes each platform in the tooltip' {
        $match = (TabExpansion2 -inputScript 'ConvertTo-ImagePlatform linux/arm/v7' -cursorColumn 36).CompletionMatches
        $match.Count | Should -Be 1
        $match[0].ResultType | Should -Be 'ParameterValue'
        $match[0].ToolTip | Should -Be '32-bit ARMv7 Linux (armhf)'
    }

    It 'offers only platforms that ConvertTo-ImagePlatform parses' {
        $parsed = @(ConvertTo-ImagePlatform -Platform $known -ErrorAction Stop)
        $parsed.Count | Should -Be $known.Count
    }
}
