#Requires -Version 7.4
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
}

Describe 'Test-ImagePlatform' {
    Context 'matching' {
        It '<Platform> runs <Candidate>: <Only> (strict: <Strict>)' -ForEach @(
            @{ Platform = 'linux/arm64'; Candidate = 'linux/arm64'; Only = $true; Strict = $true }
            @{ Platform = 'linux/arm64'; Candidate = 'linux/aarch64'; Only = $true; Strict = $true }
            @{ Platform = 'linux/arm64'; Candidate = 'linux/arm/v7'; Only = $true; Strict = $false }
            @{ Platform = 'linux/arm64'; Candidate = 'linux/arm/v6'; Only = $true; Strict = $false }
            @{ Platform = 'linux/arm64'; Candidate = 'linux/amd64'; Only = $false; Strict = $false }
            @{ Platform = 'linux/arm/v7'; Candidate = 'linux/arm/v6'; Only = $true; Strict = $false }
            @{ Platform = 'linux/arm/v6'; Candidate = 'linux/arm/v7'; Only = $false; Strict = $false }
            @{ Platform = 'linux/amd64'; Candidate = 'linux/386'; Only = $true; Strict = $false }
            @{ Platform = 'linux/amd64'; Candidate = 'windows/amd64'; Only = $false; Strict = $false }
            @{ Platform = 'linux/amd64'; Candidate = 'linux/arm64'; Only = $false; Strict = $false }
        ) {
            Test-ImagePlatform -Platform $Platform -Candidate $Candidate | Should -Be $Only
            Test-ImagePlatform -Platform $Platform -Candidate $Candidate -Strict | Should -Be $Strict
        }

        It 'agrees with the engine matchers' {
            $platform = [ContentPS.Engine.Oci.Platforms]::Parse('linux/arm64')
            foreach ($candidate in 'linux/arm/v5', 'linux/arm/v8', 'linux/arm64/v8', 'linux/riscv64') {
                $parsed = [ContentPS.Engine.Oci.Platforms]::Parse($candidate)
                Test-ImagePlatform linux/arm64 $candidate | Should -Be ([ContentPS.Engine.Oci.Platforms]::Only($platform).Match($parsed))
                Test-ImagePlatform linux/arm64 $candidate -Strict | Should -Be ([ContentPS.Engine.Oci.Platforms]::OnlyStrict($platform).Match($parsed))
            }
        }

        It 'writes a [bool] per candidate and declares it' {
            $result = Test-ImagePlatform linux/amd64 linux/amd64, linux/arm64
            $result | Should -HaveCount 2
            $result[0] | Should -BeOfType ([bool])
            $result | Should -Be @($true, $false)
            (Get-Command Test-ImagePlatform).OutputType.Type | Should -Be ([bool])
        }
    }

    Context 'pipeline input' {
        It 'takes candidate strings by value' {
            'linux/arm/v7', 'linux/amd64', 'linux/arm64' | Test-ImagePlatform -Platform linux/arm64 | Should -Be @($true, $false, $true)
        }

        It 'takes the output of ConvertTo-ImagePlatform' {
            ConvertTo-ImagePlatform linux/arm/v7, windows/amd64 | Test-ImagePlatform -Platform linux/arm64 | Should -Be @($true, $false)
        }

        It 'takes the Candidate property by name' {
            [pscustomobject]@{ Candidate = 'linux/arm/v7' } | Test-ImagePlatform -Platform linux/arm64 -Strict | Should -BeFalse
        }
    }

    Context 'invalid input' {
        It 'writes a non-terminating error for an invalid candidate and goes on' {
            $output = 'linux/arm64', 'a/b/c/d', 'linux/amd64' | Test-ImagePlatform -Platform linux/arm64 -ErrorAction SilentlyContinue -ErrorVariable failures
            $output | Should -Be @($true, $false)
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidPlatform,ContentPS.Commands.TestImagePlatformCommand'
            $failures[0].CategoryInfo.Reason | Should -BeExactly 'InvalidArgumentException'
            $failures[0].TargetObject | Should -BeExactly 'a/b/c/d'
        }

        It 'ends the call with a terminating error for an invalid -Platform' {
            $seen = 0
            $caught = $null
            try {
                'linux/amd64', 'linux/arm64' | Test-ImagePlatform -Platform 'x/y/z/w' -ErrorAction SilentlyContinue | ForEach-Object { $seen++ }
            }
            catch {
                $caught = $_
            }
            $seen | Should -Be 0
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeExactly 'InvalidPlatform,ContentPS.Commands.TestImagePlatformCommand'
            $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $caught.TargetObject | Should -BeExactly 'x/y/z/w'
            [ContentPS.Errdefs]::Resolve($caught) | Should -Be 'InvalidArgument'
        }
    }
}
