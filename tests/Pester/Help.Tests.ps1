#requires -Version 7.4
# Every cmdlet the built module exports has complete help that Get-Help shows offline: a synopsis
# (not the syntax PowerShell makes up when there is no help), a description, at least two examples
# with code, and a description for every parameter; the documented parameters are exactly the
# cmdlet's. Run by `build.ps1 Test` after Build has generated the help from docs/*.md.

BeforeDiscovery {
    $manifest = Join-Path $PSScriptRoot '../../ContentPS.psd1'
    $module = Import-Module $manifest -PassThru -Force -ErrorAction Stop
    $cmdletCases = @($module.ExportedCmdlets.Values | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../ContentPS.psd1'
    $module = Import-Module $manifest -PassThru -Force -ErrorAction Stop
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    function Get-HelpText {
        param($Value)
        (@($Value | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n").Trim()
    }
}

Describe 'ContentPS help files' {
    It 'the module exports cmdlets (no help test may pass for an empty module)' {
        $module.ExportedCmdlets.Count | Should -BeGreaterThan 0
    }

    It 'the cmdlet help is in en-US beside ContentPS.psd1, where Get-Help looks for it' {
        $helpFile = Join-Path $module.ModuleBase 'en-US/ContentPS.dll-Help.xml'
        $helpFile | Should -Exist -Because 'Get-Help reads <folder of the imported .psd1>/en-US/ContentPS.dll-Help.xml; build.ps1 Docs must write it there'
        { [xml](Get-Content -Raw $helpFile) } | Should -Not -Throw
    }

    It 'about_ContentPS is found by Get-Help' {
        $about = Get-Help about_ContentPS -ErrorAction Stop | Out-String
        $about | Should -Match 'SHORT DESCRIPTION'
        $about | Should -Match 'LONG DESCRIPTION'
        $about | Should -Match 'ContentPS'
    }
}

Describe '<Name> help' -ForEach $cmdletCases {
    BeforeAll {
        $command = Get-Command $Name -Module ContentPS
        $help = Get-Help $Name -Full
        $actualParameters = @($command.Parameters.Keys | Where-Object { $_ -notin $commonParameters } | Sort-Object)
        $helpParameters = @($help.parameters.parameter | Where-Object { $_ } | ForEach-Object { $_.name } | Sort-Object)
    }

    It 'has a synopsis written by a person' {
        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        # Without help, Get-Help makes the synopsis up from the syntax: "<Name> [-Param] <type> ...".
        $synopsis | Should -Not -BeLike "$Name *" -Because 'the synopsis must come from docs/<Name>.md, not the generated syntax'
        $synopsis | Should -Not -Match '\{\{.*\}\}'
    }

    It 'has a description' {
        Get-HelpText $help.description | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example | Where-Object { $_ })
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs code"
            Get-HelpText $example.remarks | Should -Not -BeNullOrEmpty -Because "$($example.title) needs text that says what it does"
        }
    }

    It 'documents exactly the parameters the cmdlet has' {
        $helpParameters | Should -Be $actualParameters
    }

    It 'describes every parameter' {
        foreach ($parameter in $actualParameters) {
            $parameterHelp = Get-Help $Name -Parameter $parameter
            Get-HelpText $parameterHelp.description | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }
}
