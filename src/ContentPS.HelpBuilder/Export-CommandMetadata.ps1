#requires -Version 7.4
<#
.SYNOPSIS
    Writes the parameter metadata of every cmdlet a module exports as JSON, for ContentPS.HelpBuilder.
.DESCRIPTION
    Imports the module in this (fresh) process and records, per exported cmdlet: name, verb, noun,
    output types, default parameter set, ShouldProcess/paging support, and every parameter set with
    its syntax line (as Get-Command -Syntax prints it) and its parameters. Common parameters are left
    out; HasCommonParameters records that they exist. -WhatIf and -Confirm are kept, as platyPS does.
.EXAMPLE
    dotnet pwsh -NoProfile -File Export-CommandMetadata.ps1 -ModulePath ./ContentPS.psd1 -OutFile commands.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ModulePath,

    [Parameter(Mandatory)]
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$module = Import-Module $ModulePath -PassThru -Force -DisableNameChecking
$common = [System.Management.Automation.Cmdlet]::CommonParameters

function Get-ParameterRecord {
    param([System.Management.Automation.CommandParameterInfo] $Parameter)
    $validateSet = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
    [ordered]@{
        name                            = $Parameter.Name
        type                            = $Parameter.ParameterType.FullName
        typeName                        = $Parameter.ParameterType.Name
        isSwitch                        = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
        mandatory                       = $Parameter.IsMandatory
        position                        = if ($Parameter.Position -eq [int]::MinValue) { $null } else { $Parameter.Position }
        valueFromPipeline               = $Parameter.ValueFromPipeline
        valueFromPipelineByPropertyName = $Parameter.ValueFromPipelineByPropertyName
        valueFromRemainingArguments     = $Parameter.ValueFromRemainingArguments
        aliases                         = @($Parameter.Aliases)
        supportsWildcards               = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0
        acceptedValues                  = @($validateSet | ForEach-Object { $_.ValidValues })
    }
}

function Get-CmdletRecord {
    param([System.Management.Automation.CommandInfo] $Command)
    $binding = $null
    if ($Command -is [System.Management.Automation.CmdletInfo]) {
        $binding = $Command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true) | Select-Object -First 1
    }
    elseif ($Command.ScriptBlock) {
        $binding = $Command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] } | Select-Object -First 1
    }
    $sets = foreach ($set in $Command.ParameterSets) {
        [ordered]@{
            name       = $set.Name
            isDefault  = $set.IsDefault
            syntax     = "$($Command.Name) $set".Trim()
            parameters = @($set.Parameters | Where-Object { $_.Name -notin $common } | ForEach-Object { Get-ParameterRecord $_ })
        }
    }
    [ordered]@{
        name                  = $Command.Name
        verb                  = $Command.Verb
        noun                  = $Command.Noun
        outputTypes           = @($Command.OutputType | ForEach-Object { $_.Name })
        defaultParameterSet   = $Command.DefaultParameterSet
        supportsShouldProcess = [bool]($binding -and $binding.SupportsShouldProcess)
        supportsPaging        = [bool]($binding -and $binding.SupportsPaging)
        hasCommonParameters   = [bool]($Command.Parameters -and $Command.Parameters.ContainsKey('Verbose'))
        parameterSets         = @($sets)
    }
}

$commands = @($module.ExportedCmdlets.Values) + @($module.ExportedFunctions.Values) | Sort-Object Name
$document = [ordered]@{
    module   = $module.Name
    version  = "$($module.Version)"
    commands = @($commands | ForEach-Object { Get-CmdletRecord $_ })
}
$directory = Split-Path -Parent ([IO.Path]::GetFullPath($OutFile))
if (-not (Test-Path $directory)) { New-Item -ItemType Directory -Force $directory | Out-Null }
$document | ConvertTo-Json -Depth 8 | Set-Content -Path $OutFile -Encoding utf8NoBOM
Write-Verbose "Wrote metadata of $($document.commands.Count) command(s) to $OutFile"
