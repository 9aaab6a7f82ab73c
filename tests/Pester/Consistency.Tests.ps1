#Requires -Version 7.4
# The bar every ContentPS cmdlet meets, checked over Get-Command -Module ContentPS: [OutputType],
# SupportsShouldProcess when its verb writes, approved verbs, one parameter name per meaning
# across the module (synonyms only as aliases), one type per shared parameter name, and a sealed
# class on the async base. The rules are functions over plain command descriptions, so each is
# also shown to catch a made-up offender.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    $cmdletCases = @(Get-Command -Module ContentPS -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force

    # Verbs whose cmdlets change something (a store, a registry, a file): they must support -WhatIf/-Confirm.
    $writingVerbs = @('Add', 'Clear', 'Compress', 'Copy', 'Disable', 'Enable', 'Expand', 'Export', 'Import',
        'Initialize', 'Install', 'Lock', 'Merge', 'Move', 'New', 'Publish', 'Register', 'Remove', 'Rename',
        'Reset', 'Restore', 'Save', 'Set', 'Sync', 'Uninstall', 'Unlock', 'Unregister', 'Update', 'Write')

    # Each group is one meaning. Only one name of a group may be a parameter name anywhere in the
    # module; the others may only be aliases. The first name is the one the design uses.
    $synonymGroups = @(
        , @('Store', 'StorePath', 'StoreRoot', 'StoreDirectory', 'Root', 'ContentStore')
        , @('Reference', 'Ref', 'Image', 'ImageReference', 'ImageName', 'ImageRef')
        , @('Platform', 'Platforms', 'ImagePlatform', 'TargetPlatform', 'OSArch')
        , @('AllPlatforms', 'AllPlatform', 'AnyPlatform', 'EveryPlatform')
        , @('Digest', 'Hash', 'Checksum', 'ContentDigest', 'BlobDigest')
        , @('MediaType', 'ContentType', 'MimeType', 'Mime')
        , @('Credential', 'Credentials', 'Cred', 'Auth', 'Authentication')
        , @('SkipCertificateCheck', 'Insecure', 'SkipTlsVerify', 'NoTlsVerify', 'AllowInsecure', 'SkipTls')
        , @('ThrottleLimit', 'Parallelism', 'Concurrency', 'MaxConcurrency', 'MaximumConcurrency', 'Jobs')
        , @('MaximumRetryCount', 'MaxRetryCount', 'MaxRetries', 'RetryCount', 'Retries', 'Retry')
        , @('RetryIntervalSec', 'RetryInterval', 'RetryIntervalSeconds', 'RetryDelay', 'RetryDelaySec')
        , @('Destination', 'Dest', 'Target', 'To')
        , @('PassThru', 'PassThrough')
        , @('Label', 'Labels')
        , @('Annotation', 'Annotations')
    )

    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

    # A plain description of a cmdlet: what the rules look at.
    function ConvertTo-CommandFacts([System.Management.Automation.CmdletInfo] $Command) {
        $attribute = $Command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) | Select-Object -First 1
        [pscustomobject]@{
            Name                  = $Command.Name
            Verb                  = $Command.Verb
            OutputTypes           = @($Command.OutputType | ForEach-Object Name)
            SupportsShouldProcess = [bool]$attribute.SupportsShouldProcess
            Type                  = $Command.ImplementingType
            Parameters            = @($Command.Parameters.Values | Where-Object Name -NotIn $common |
                    ForEach-Object { [pscustomobject]@{ Name = $_.Name; Type = $_.ParameterType } })
        }
    }

    function Test-OutputType($Facts) {
        if ($Facts.OutputTypes.Count -eq 0) { "$($Facts.Name) has no [OutputType]; add [OutputType(typeof(...))] to its class" }
    }

    function Test-ShouldProcess($Facts) {
        if ($writingVerbs -contains $Facts.Verb -and -not $Facts.SupportsShouldProcess) {
            "$($Facts.Name) writes (verb $($Facts.Verb)) but does not support -WhatIf/-Confirm; add SupportsShouldProcess = true to its [Cmdlet] attribute and call ShouldProcess"
        }
    }

    function Test-Verb($Facts) {
        if (-not (Get-Verb -Verb $Facts.Verb)) { "$($Facts.Name) uses the unapproved verb '$($Facts.Verb)'; pick one from Get-Verb" }
    }

    function Test-Class($Facts) {
        if (-not $Facts.Type.IsSealed) { "$($Facts.Name) is implemented by $($Facts.Type.FullName), which is not sealed" }
        if (-not $Facts.Type.IsSubclassOf([ContentPS.ContentPSCmdlet])) {
            "$($Facts.Name) is implemented by $($Facts.Type.FullName), which does not derive from ContentPS.ContentPSCmdlet"
        }
    }

    # Parameters that name one meaning in two ways, across all cmdlets.
    function Find-SynonymClash($AllFacts) {
        foreach ($group in $synonymGroups) {
            $uses = @(foreach ($facts in $AllFacts) {
                    foreach ($parameter in $facts.Parameters | Where-Object { $group -contains $_.Name }) {
                        [pscustomobject]@{ Cmdlet = $facts.Name; Parameter = $parameter.Name }
                    }
                })
            $names = @($uses | ForEach-Object Parameter | Sort-Object -Unique)
            if ($names.Count -gt 1) {
                $where = ($uses | ForEach-Object { "$($_.Cmdlet) -$($_.Parameter)" }) -join ', '
                "one meaning, $($names.Count) names ($($names -join ', ')): $where; name them all -$($group[0]) (others may be [Alias]es)"
            }
        }
    }

    # A string and a string[] parameter of one name take the same thing (one or many); anything else must match.
    function Get-ElementType([type] $Type) {
        if ($Type.IsArray) { $Type.GetElementType() } else { $Type }
    }

    function Find-TypeClash($AllFacts) {
        $byName = @{}
        foreach ($facts in $AllFacts) {
            foreach ($parameter in $facts.Parameters) {
                if (-not $byName.ContainsKey($parameter.Name)) { $byName[$parameter.Name] = [System.Collections.Generic.List[object]]::new() }
                $byName[$parameter.Name].Add([pscustomobject]@{ Cmdlet = $facts.Name; Type = $parameter.Type })
            }
        }
        foreach ($name in $byName.Keys | Sort-Object) {
            $types = @($byName[$name] | ForEach-Object { (Get-ElementType $_.Type).FullName } | Sort-Object -Unique)
            if ($types.Count -gt 1) {
                $where = ($byName[$name] | ForEach-Object { "$($_.Cmdlet) -$name [$($_.Type.Name)]" }) -join ', '
                "-$name has $($types.Count) types: $where; give it one type everywhere"
            }
        }
    }

    $allFacts = @(Get-Command -Module ContentPS -CommandType Cmdlet | ForEach-Object { ConvertTo-CommandFacts $_ })
}

Describe 'Every ContentPS cmdlet' {
    It 'finds the cmdlets to check' {
        $allFacts.Count | Should -BeGreaterThan 0
        $allFacts.Name | Should -Contain 'Test-ImagePlatform'
    }

    It '<Name> declares [OutputType]' -ForEach $cmdletCases {
        Test-OutputType ($allFacts | Where-Object Name -EQ $Name) | Should -BeNullOrEmpty
    }

    It '<Name> supports ShouldProcess if its verb writes' -ForEach $cmdletCases {
        Test-ShouldProcess ($allFacts | Where-Object Name -EQ $Name) | Should -BeNullOrEmpty
    }

    It '<Name> uses an approved verb' -ForEach $cmdletCases {
        Test-Verb ($allFacts | Where-Object Name -EQ $Name) | Should -BeNullOrEmpty
    }

    It '<Name> is sealed and derives from ContentPS.ContentPSCmdlet' -ForEach $cmdletCases {
        Test-Class ($allFacts | Where-Object Name -EQ $Name) | Should -BeNullOrEmpty
    }
}

Describe 'Parameter names across the module' {
    It 'uses one name per meaning' {
        Find-SynonymClash $allFacts | Should -BeNullOrEmpty
    }

    It 'gives a shared name one type everywhere' {
        Find-TypeClash $allFacts | Should -BeNullOrEmpty
    }

    It 'has no synonym group that shares a name with another group' {
        $synonymGroups.Count | Should -Be 15
        $names = @($synonymGroups | ForEach-Object { $_ })
        @($names | Group-Object | Where-Object Count -GT 1 | ForEach-Object Name) | Should -BeNullOrEmpty
    }
}

Describe 'The rules catch offenders' {
    BeforeAll {
        function New-Facts([string] $Name, [hashtable] $Parameters = @{}, [string[]] $OutputTypes = @('System.String'), [bool] $ShouldProcess = $false, [type] $Type = [ContentPS.Commands.TestImagePlatformCommand]) {
            [pscustomobject]@{
                Name = $Name; Verb = $Name.Split('-')[0]; OutputTypes = $OutputTypes; SupportsShouldProcess = $ShouldProcess; Type = $Type
                Parameters = @($Parameters.GetEnumerator() | ForEach-Object { [pscustomobject]@{ Name = $_.Key; Type = $_.Value } })
            }
        }
    }

    It 'names a cmdlet without [OutputType]' {
        Test-OutputType (New-Facts 'Get-Thing' -OutputTypes @()) |
            Should -Be 'Get-Thing has no [OutputType]; add [OutputType(typeof(...))] to its class'
    }

    It 'names a writing cmdlet without ShouldProcess, and lets a reading one be' {
        Test-ShouldProcess (New-Facts 'Remove-Thing') | Should -BeLike 'Remove-Thing writes (verb Remove) but does not support -WhatIf/-Confirm*'
        Test-ShouldProcess (New-Facts 'Remove-Thing' -ShouldProcess $true) | Should -BeNullOrEmpty
        Test-ShouldProcess (New-Facts 'Get-Thing') | Should -BeNullOrEmpty
    }

    It 'names an unapproved verb' {
        Test-Verb (New-Facts 'Pull-Image') | Should -Be "Pull-Image uses the unapproved verb 'Pull'; pick one from Get-Verb"
    }

    It 'names a class that is not sealed or not on the base' {
        Test-Class (New-Facts 'Get-Thing' -Type ([ContentPS.ContentPSCmdlet])) | Should -Be @(
            'Get-Thing is implemented by ContentPS.ContentPSCmdlet, which is not sealed'
            'Get-Thing is implemented by ContentPS.ContentPSCmdlet, which does not derive from ContentPS.ContentPSCmdlet')
        Test-Class (New-Facts 'Get-Thing' -Type ([Microsoft.PowerShell.Commands.GetDateCommand])) |
            Should -Be 'Get-Thing is implemented by Microsoft.PowerShell.Commands.GetDateCommand, which does not derive from ContentPS.ContentPSCmdlet'
    }

    It 'names the cmdlets and parameters that spell one meaning two ways' {
        $facts = @(
            New-Facts 'Get-Blob' @{ Store = [string] }
            New-Facts 'Remove-Blob' @{ Root = [string] }
        )
        Find-SynonymClash $facts |
            Should -Be 'one meaning, 2 names (Root, Store): Get-Blob -Store, Remove-Blob -Root; name them all -Store (others may be [Alias]es)'
    }

    It 'names the cmdlets that give one parameter two types, and accepts one-or-many of the same type' {
        $facts = @(
            New-Facts 'Get-Blob' @{ Digest = [string]; Platform = [string] }
            New-Facts 'Remove-Blob' @{ Digest = [int]; Platform = [string[]] }
        )
        Find-TypeClash $facts | Should -Be '-Digest has 2 types: Get-Blob -Digest [String], Remove-Blob -Digest [Int32]; give it one type everywhere'
    }
}
