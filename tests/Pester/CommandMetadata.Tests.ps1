#requires -Version 7.4
# Export-CommandMetadata.ps1, the help builder's view of the module, records every exported cmdlet
# with what Get-Command knows: the facts the generated help shows come from here.

BeforeAll {
    $root = Join-Path $PSScriptRoot '../..'
    $manifest = Join-Path $root 'ContentPS.psd1'
    $exporter = Join-Path $root 'src/ContentPS.HelpBuilder/Export-CommandMetadata.ps1'
    $outFile = Join-Path ([IO.Path]::GetTempPath()) "contentps-metadata-test-$PID.json"
    # A separate process, as build.ps1 runs it: the exporter imports the module itself.
    & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File $exporter -ModulePath $manifest -OutFile $outFile
    $exitCode = $LASTEXITCODE
    $metadata = Get-Content -Raw $outFile | ConvertFrom-Json
    $module = Import-Module $manifest -PassThru -Force
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
}

AfterAll {
    Remove-Item $outFile -ErrorAction SilentlyContinue
}

Describe 'Export-CommandMetadata.ps1' {
    It 'exits 0 and names the module' {
        $exitCode | Should -Be 0
        $metadata.module | Should -Be 'ContentPS'
    }

    It 'records every exported cmdlet, and at least one' {
        @($metadata.commands.name) | Should -Be @($module.ExportedCmdlets.Keys | Sort-Object)
        @($metadata.commands).Count | Should -BeGreaterThan 0
    }

    It 'records each parameter set with the syntax Get-Command prints' {
        foreach ($record in $metadata.commands) {
            $command = Get-Command $record.name -Module ContentPS
            @($record.parameterSets.name) | Should -Be @($command.ParameterSets.Name)
            foreach ($set in $record.parameterSets) {
                $set.syntax | Should -Be "$($command.Name) $($command.ParameterSets | Where-Object Name -EQ $set.name)".Trim()
            }
            $record.hasCommonParameters | Should -BeTrue
        }
    }

    It 'leaves out common parameters and keeps the rest with their facts' {
        foreach ($record in $metadata.commands) {
            $command = Get-Command $record.name -Module ContentPS
            foreach ($set in $record.parameterSets) {
                $info = $command.ParameterSets | Where-Object Name -EQ $set.name
                $expected = @($info.Parameters | Where-Object Name -NotIn $common)
                @($set.parameters.name) | Should -Be @($expected.Name)
                foreach ($parameter in $set.parameters) {
                    $actual = $expected | Where-Object Name -EQ $parameter.name
                    $parameter.type | Should -Be $actual.ParameterType.FullName
                    $parameter.mandatory | Should -Be $actual.IsMandatory
                    $parameter.valueFromPipeline | Should -Be $actual.ValueFromPipeline
                    $parameter.valueFromPipelineByPropertyName | Should -Be $actual.ValueFromPipelineByPropertyName
                    @($parameter.aliases) | Should -Be @($actual.Aliases)
                }
            }
        }
    }
}
