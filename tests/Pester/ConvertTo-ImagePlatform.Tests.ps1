#Requires -Version 7.4
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
}

Describe 'ConvertTo-ImagePlatform' {
    Context 'normalization' {
        It 'normalizes <Inp> to <Platform>' -ForEach @(
            @{ Inp = 'linux/amd64'; Platform = 'linux/amd64'; OS = 'linux'; Architecture = 'amd64'; Variant = $null }
            @{ Inp = 'linux/x86_64'; Platform = 'linux/amd64'; OS = 'linux'; Architecture = 'amd64'; Variant = $null }
            @{ Inp = 'Linux/AMD64'; Platform = 'linux/amd64'; OS = 'linux'; Architecture = 'amd64'; Variant = $null }
            @{ Inp = 'linux/aarch64'; Platform = 'linux/arm64'; OS = 'linux'; Architecture = 'arm64'; Variant = $null }
            @{ Inp = 'linux/arm64/v8'; Platform = 'linux/arm64'; OS = 'linux'; Architecture = 'arm64'; Variant = $null }
            @{ Inp = 'linux/armhf'; Platform = 'linux/arm/v7'; OS = 'linux'; Architecture = 'arm'; Variant = 'v7' }
            @{ Inp = 'linux/arm'; Platform = 'linux/arm/v7'; OS = 'linux'; Architecture = 'arm'; Variant = 'v7' }
            @{ Inp = 'linux/armel'; Platform = 'linux/arm/v6'; OS = 'linux'; Architecture = 'arm'; Variant = 'v6' }
            @{ Inp = 'linux/i386'; Platform = 'linux/386'; OS = 'linux'; Architecture = '386'; Variant = $null }
            @{ Inp = 'macos/arm64'; Platform = 'darwin/arm64'; OS = 'darwin'; Architecture = 'arm64'; Variant = $null }
        ) {
            $result = ConvertTo-ImagePlatform -Platform $Inp
            $result | Should -BeOfType ([ContentPS.ImagePlatformInfo])
            $result.Platform | Should -BeExactly $Platform
            $result.OS | Should -BeExactly $OS
            $result.Architecture | Should -BeExactly $Architecture
            $result.Variant | Should -Be $Variant
            $result.OSVersion | Should -BeNullOrEmpty
            $result.OSFeatures.Count | Should -Be 0
            "$result" | Should -BeExactly $Platform
        }

        It 'keeps the Windows OS version and features, and formats them back' {
            $result = ConvertTo-ImagePlatform 'windows(10.0.17763+win32k)/amd64'
            $result.OS | Should -BeExactly 'windows'
            $result.OSVersion | Should -BeExactly '10.0.17763'
            $result.OSFeatures | Should -Be @('win32k')
            $result.Platform | Should -BeExactly 'windows(10.0.17763+win32k)/amd64'
            (ConvertTo-ImagePlatform $result.Platform).Platform | Should -BeExactly $result.Platform
        }

        It 'completes a lone architecture with the OS of this machine' {
            $os = (ConvertTo-ImagePlatform -Default).OS
            (ConvertTo-ImagePlatform aarch64).Platform | Should -BeExactly "$os/arm64"
        }

        It 'writes this machine''s platform with -Default' {
            $expected = [ContentPS.Engine.Oci.Platforms]::Normalize([ContentPS.Engine.Oci.Platforms]::Default())
            $result = ConvertTo-ImagePlatform -Default
            $result | Should -BeOfType ([ContentPS.ImagePlatformInfo])
            $result.OS | Should -BeExactly $expected.OS
            $result.Architecture | Should -BeExactly $expected.Architecture
            $result.Platform | Should -BeExactly ([ContentPS.Engine.Oci.Platforms]::FormatAll($expected))
            $result.OS | Should -BeExactly ($IsWindows ? 'windows' : $IsMacOS ? 'darwin' : 'linux')
        }

        It 'declares its output type' {
            (Get-Command ConvertTo-ImagePlatform).OutputType.Type | Should -Be ([ContentPS.ImagePlatformInfo])
        }

        It 'has -Platform and -Default in separate parameter sets' {
            { ConvertTo-ImagePlatform -Platform linux/amd64 -Default } | Should -Throw -ErrorId 'AmbiguousParameterSet,ContentPS.Commands.ConvertToImagePlatformCommand'
        }
    }

    Context 'pipeline input' {
        It 'takes strings by value, in order' {
            ('linux/arm64', 'windows/amd64' | ConvertTo-ImagePlatform).Platform | Should -Be @('linux/arm64', 'windows/amd64')
        }

        It 'takes the Platform property by name' {
            ([pscustomobject]@{ Platform = 'linux/aarch64' } | ConvertTo-ImagePlatform).Platform | Should -BeExactly 'linux/arm64'
        }

        It 'accepts its own output again' {
            $first = ConvertTo-ImagePlatform 'windows(10.0.20348)/amd64'
            ($first | ConvertTo-ImagePlatform).Platform | Should -BeExactly $first.Platform
        }
    }

    Context 'invalid input' {
        BeforeAll {
            $output = 'linux/amd64', 'linux/amd64/v2/extra', 'linux/arm64' | ConvertTo-ImagePlatform -ErrorAction SilentlyContinue -ErrorVariable failures
            $record = $failures | Select-Object -First 1
        }

        It 'writes one non-terminating error and goes on' {
            $failures.Count | Should -Be 1
            $output.Platform | Should -Be @('linux/amd64', 'linux/arm64')
        }

        It 'describes the failure as InvalidPlatform / InvalidArgument targeting the input' {
            $record.FullyQualifiedErrorId | Should -BeExactly 'InvalidPlatform,ContentPS.Commands.ConvertToImagePlatformCommand'
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $record.CategoryInfo.Reason | Should -BeExactly 'InvalidArgumentException'
            $record.TargetObject | Should -BeExactly 'linux/amd64/v2/extra'
            $expected = try { [ContentPS.Engine.Oci.Platforms]::Parse('linux/amd64/v2/extra') } catch { $_.Exception.InnerException.Message }
            $expected | Should -Not -BeNullOrEmpty
            $record.Exception.Message | Should -BeExactly $expected
            [ContentPS.Errdefs]::Resolve($record) | Should -Be 'InvalidArgument'
        }

        It 'gives a catchable error with -ErrorAction Stop' {
            { ConvertTo-ImagePlatform 'not a platform' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPlatform,ContentPS.Commands.ConvertToImagePlatformCommand'
        }
    }

    Context 'format' {
        It 'renders a table with Platform, OS, Architecture, Variant and OSVersion' {
            $text = ConvertTo-ImagePlatform linux/arm/v7, 'windows(10.0.17763)/amd64' | Format-Table | Out-String -Width 200
            $header = ($text -split "`r?`n" | Where-Object { $_ -match '\S' } | Select-Object -First 1) -split '\s+' | Where-Object { $_ }
            $header | Should -Be @('Platform', 'OS', 'Architecture', 'Variant', 'OSVersion')
            $text | Should -Match 'linux/arm/v7\s+linux\s+arm\s+v7'
            $text | Should -Match 'windows\(10\.0\.17763\)/amd64\s+windows\s+amd64\s+10\.0\.17763'
        }
    }
}
