#Requires -Version 7.4
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    $digest = 'sha256:' + ('0123456789abcdef' * 4)
}

Describe 'ConvertTo-ImageReference' {
    Context 'normalization' {
        It 'normalizes <Inp> to <Reference>' -ForEach @(
            @{ Inp = 'ubuntu'; Reference = 'docker.io/library/ubuntu:latest'; Domain = 'docker.io'; Path = 'library/ubuntu'; Tag = 'latest'; FamiliarName = 'ubuntu'; Familiar = 'ubuntu:latest' }
            @{ Inp = 'ubuntu:22.04'; Reference = 'docker.io/library/ubuntu:22.04'; Domain = 'docker.io'; Path = 'library/ubuntu'; Tag = '22.04'; FamiliarName = 'ubuntu'; Familiar = 'ubuntu:22.04' }
            @{ Inp = 'bitnami/redis'; Reference = 'docker.io/bitnami/redis:latest'; Domain = 'docker.io'; Path = 'bitnami/redis'; Tag = 'latest'; FamiliarName = 'bitnami/redis'; Familiar = 'bitnami/redis:latest' }
            @{ Inp = 'index.docker.io/library/alpine:3'; Reference = 'docker.io/library/alpine:3'; Domain = 'docker.io'; Path = 'library/alpine'; Tag = '3'; FamiliarName = 'alpine'; Familiar = 'alpine:3' }
            @{ Inp = 'ghcr.io/org/app'; Reference = 'ghcr.io/org/app:latest'; Domain = 'ghcr.io'; Path = 'org/app'; Tag = 'latest'; FamiliarName = 'ghcr.io/org/app'; Familiar = 'ghcr.io/org/app:latest' }
            @{ Inp = 'localhost:5000/team/tool:v1'; Reference = 'localhost:5000/team/tool:v1'; Domain = 'localhost:5000'; Path = 'team/tool'; Tag = 'v1'; FamiliarName = 'localhost:5000/team/tool'; Familiar = 'localhost:5000/team/tool:v1' }
        ) {
            $result = ConvertTo-ImageReference -Reference $Inp
            $result | Should -BeOfType ([ContentPS.ImageReferenceInfo])
            $result.Reference | Should -BeExactly $Reference
            $result.FullName | Should -BeExactly "$Domain/$Path"
            $result.Domain | Should -BeExactly $Domain
            $result.Path | Should -BeExactly $Path
            $result.Tag | Should -BeExactly $Tag
            $result.Digest | Should -BeNullOrEmpty
            $result.FamiliarName | Should -BeExactly $FamiliarName
            $result.Familiar | Should -BeExactly $Familiar
            "$result" | Should -BeExactly $Reference
        }

        It 'keeps a digest and adds no tag to a digested reference' {
            $result = ConvertTo-ImageReference "alpine@$digest"
            $result.Digest | Should -BeExactly $digest
            $result.Tag | Should -BeNullOrEmpty
            $result.Reference | Should -BeExactly "docker.io/library/alpine@$digest"
        }

        It 'keeps tag and digest together' {
            $result = ConvertTo-ImageReference "ghcr.io/org/app:1.2@$digest"
            $result.Tag | Should -BeExactly '1.2'
            $result.Digest | Should -BeExactly $digest
            $result.Reference | Should -BeExactly "ghcr.io/org/app:1.2@$digest"
        }

        It 'adds no tag with -NoDefaultTag' {
            $result = ConvertTo-ImageReference ubuntu -NoDefaultTag
            $result.Reference | Should -BeExactly 'docker.io/library/ubuntu'
            $result.Tag | Should -BeNullOrEmpty
        }

        It 'declares its output type' {
            (Get-Command ConvertTo-ImageReference).OutputType.Type | Should -Be ([ContentPS.ImageReferenceInfo])
        }
    }

    Context 'pipeline input' {
        It 'takes strings by value, in order' {
            $result = 'alpine', 'busybox:1.36' | ConvertTo-ImageReference
            $result.Reference | Should -Be @('docker.io/library/alpine:latest', 'docker.io/library/busybox:1.36')
        }

        It 'takes several references in one argument' {
            (ConvertTo-ImageReference alpine, nginx).FamiliarName | Should -Be @('alpine', 'nginx')
        }

        It 'takes the Reference property by name' {
            $result = [pscustomobject]@{ Reference = 'quay.io/prometheus/node-exporter:v1' } | ConvertTo-ImageReference
            $result.Domain | Should -BeExactly 'quay.io'
            $result.Path | Should -BeExactly 'prometheus/node-exporter'
        }

        It 'takes the Name property by name (alias)' {
            ([pscustomobject]@{ Name = 'redis' } | ConvertTo-ImageReference).Reference | Should -BeExactly 'docker.io/library/redis:latest'
        }

        It 'accepts its own output again' {
            $first = ConvertTo-ImageReference mcr.microsoft.com/dotnet/runtime:8.0
            ($first | ConvertTo-ImageReference).Reference | Should -BeExactly $first.Reference
        }
    }

    Context 'invalid input' {
        BeforeAll {
            $inputs = 'alpine', 'Invalid:Upper:Case', 'busybox'
            $output = $inputs | ConvertTo-ImageReference -ErrorAction SilentlyContinue -ErrorVariable failures
            $record = $failures | Select-Object -First 1
        }

        It 'writes one non-terminating error and goes on with the next input' {
            $failures.Count | Should -Be 1
            $output.FamiliarName | Should -Be @('alpine', 'busybox')
        }

        It 'has ErrorId InvalidReference' {
            $record.FullyQualifiedErrorId | Should -BeExactly 'InvalidReference,ContentPS.Commands.ConvertToImageReferenceCommand'
        }

        It 'has category InvalidArgument and Reason InvalidArgumentException' {
            $record.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
            $record.CategoryInfo.Reason | Should -BeExactly 'InvalidArgumentException'
            $record.Exception | Should -BeOfType ([ContentPS.InvalidArgumentException])
        }

        It 'targets the failing input, not the cmdlet' {
            $record.TargetObject | Should -BeExactly 'Invalid:Upper:Case'
            $record.CategoryInfo.TargetName | Should -BeExactly 'Invalid:Upper:Case'
        }

        It 'carries the engine message' {
            $expected = try { [ContentPS.Engine.Oci.ImageReference]::Parse('Invalid:Upper:Case') } catch { $_.Exception.InnerException.Message }
            $expected | Should -Not -BeNullOrEmpty
            $record.Exception.Message | Should -BeExactly $expected
        }

        It 'resolves to InvalidArgument' {
            [ContentPS.Errdefs]::Resolve($record) | Should -Be ([ContentPS.ErrorClass]::InvalidArgument)
        }

        It 'rejects an empty reference through parameter binding' {
            { ConvertTo-ImageReference -Reference '' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyStringNotAllowed,ContentPS.Commands.ConvertToImageReferenceCommand'
        }

        It 'gives a catchable error with -ErrorAction Stop whose class resolves' {
            $caught = $null
            try {
                ConvertTo-ImageReference 'a//b' -ErrorAction Stop
            }
            catch {
                $caught = $_
            }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeExactly 'InvalidReference,ContentPS.Commands.ConvertToImageReferenceCommand'
            [ContentPS.Errdefs]::Resolve($caught) | Should -Be 'InvalidArgument'
            [ContentPS.Errdefs]::Resolve($caught.Exception) | Should -Be 'InvalidArgument'
        }

        It 'stops at the first invalid input with -ErrorAction Stop' {
            $seen = [System.Collections.Generic.List[object]]::new()
            { 'alpine', 'NOPE', 'busybox' | ConvertTo-ImageReference -ErrorAction Stop | ForEach-Object { $seen.Add($_) } } |
                Should -Throw -ErrorId 'InvalidReference,ContentPS.Commands.ConvertToImageReferenceCommand'
            $seen.FamiliarName | Should -Be @('alpine')
        }
    }

    Context 'format' {
        It 'renders a table with Domain, Path, Tag and a short Digest' {
            $text = ConvertTo-ImageReference "alpine:3@$digest", 'ghcr.io/org/app' | Format-Table | Out-String -Width 200
            $header = ($text -split "`r?`n" | Where-Object { $_ -match '\S' } | Select-Object -First 1) -split '\s+' | Where-Object { $_ }
            $header | Should -Be @('Domain', 'Path', 'Tag', 'Digest')
            $text | Should -Match 'library/alpine\s+3\s+sha256:0123456789ab\s'
            $text | Should -Not -Match ([regex]::Escape($digest))
            $text | Should -Match 'ghcr\.io\s+org/app\s+latest'
        }
    }
}
