#Requires -Version 7.4
# Every ErrorId a user can meet is in one documented table: the '## ERROR IDS' section of
# docs/about_ContentPS.md (ErrorId | Class | Category | Meaning | What to do). The catalog
# [ContentPS.Engine.Errdefs.ErrorIds] and every ErrorId the source passes to an exception or an
# ErrorRecord must have a row, and the row's class and category must be the ones the catalog and
# ErrorCategoryMap give. Failure messages spell out the row or constant to add.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    $catalogCases = @([ContentPS.Engine.Errdefs.ErrorIds].GetFields('Public, Static') |
            Where-Object { $_.IsLiteral -and $_.FieldType -eq [string] } |
            ForEach-Object { @{ Id = [string]$_.GetRawConstantValue() } } | Sort-Object { $_.Id })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    $root = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $aboutPath = Join-Path $root docs/about_ContentPS.md
    $catalogPath = 'src/ContentPS.Engine/Errdefs/ErrorIds.cs'
    $expectedHeader = @('ErrorId', 'Class', 'Category', 'Meaning', 'What to do')

    $catalog = @([ContentPS.Engine.Errdefs.ErrorIds].GetFields('Public, Static') |
            Where-Object { $_.IsLiteral -and $_.FieldType -eq [string] } |
            ForEach-Object { [string]$_.GetRawConstantValue() })

    # The exception types of the errdefs classes: their constructors take (message, errorId, inner).
    $exceptionTypes = @([ContentPS.ClassifiedException].Assembly.GetTypes() |
            Where-Object { $_.IsPublic -and -not $_.IsAbstract -and $_.IsSubclassOf([ContentPS.ClassifiedException]) } |
            ForEach-Object Name)

    # Reads the ERROR IDS table: one object per row, with the line it is on.
    function Get-ErrorIdTable([string] $Path) {
        $lines = Get-Content -LiteralPath $Path
        $start = [array]::IndexOf($lines, '## ERROR IDS')
        if ($start -lt 0) { throw "$Path has no '## ERROR IDS' section" }
        $rows = [System.Collections.Generic.List[object]]::new()
        $header = $null
        for ($i = $start + 1; $i -lt $lines.Count -and -not $lines[$i].StartsWith('## '); $i++) {
            $line = $lines[$i].Trim()
            if (-not $line.StartsWith('|')) { continue }
            $cells = @($line.Trim('|').Split('|') | ForEach-Object Trim)
            if ($null -eq $header) { $header = $cells; continue }
            if ($cells[0] -match '^-+$') { continue }
            $rows.Add([pscustomobject]@{
                    Line = $i + 1; ErrorId = $cells[0]; Class = $cells[1]; Category = $cells[2]
                    Meaning = $cells[3]; Action = $cells[4]; CellCount = $cells.Count
                })
        }
        [pscustomobject]@{ Header = $header; Rows = $rows.ToArray() }
    }

    # The top-level arguments of the call whose '(' is at $Open, as source text (strings, nested
    # calls and lambdas kept whole).
    function Split-Arguments([string] $Text, [int] $Open) {
        $arguments = [System.Collections.Generic.List[string]]::new()
        $depth = 0; $start = $Open + 1; $quote = $false
        for ($i = $Open; $i -lt $Text.Length; $i++) {
            $c = $Text[$i]
            if ($quote) {
                if ($c -eq '\') { $i++ } elseif ($c -eq '"') { $quote = $false }
                continue
            }
            switch ($c) {
                '"' { $quote = $true }
                { $_ -in '(', '[', '{' } { $depth++ }
                { $_ -in ')', ']', '}' } {
                    $depth--
                    if ($depth -eq 0) { $arguments.Add($Text.Substring($start, $i - $start).Trim()); return $arguments.ToArray() }
                }
                ',' { if ($depth -eq 1) { $arguments.Add($Text.Substring($start, $i - $start).Trim()); $start = $i + 1 } }
            }
        }
        $arguments.ToArray()
    }

    # ErrorIds used in C# source text: ErrorIds.X, errorId: "X", and a string literal in the
    # errorId position of an errdefs exception constructor (message, errorId), Errors.New
    # (class, message, errorId), Errors.Wrap (exception, context, errorId),
    # ErrorRecordFactory.Create (exception, target, errorId) or new ErrorRecord (exception, errorId, ...).
    function Find-ErrorIdUse([string] $Text, [string] $File, [string[]] $ExceptionTypes) {
        $lineOf = { param($index) ($Text.Substring(0, $index) -split "`n").Count }
        $methods = @('ClassOf', 'DefaultFor')
        foreach ($m in [regex]::Matches($Text, '\bErrorIds\.([A-Z][A-Za-z0-9]*)\b')) {
            if ($methods -notcontains $m.Groups[1].Value) {
                [pscustomobject]@{ Id = $m.Groups[1].Value; File = $File; Line = & $lineOf $m.Index; How = $m.Value }
            }
        }
        foreach ($m in [regex]::Matches($Text, '\berrorId\s*:\s*"([^"]*)"')) {
            [pscustomobject]@{ Id = $m.Groups[1].Value; File = $File; Line = & $lineOf $m.Index; How = $m.Value }
        }
        $calls = @(
            @{ Pattern = '\bnew\s+(?:ContentPS\.)?(?:' + ($ExceptionTypes -join '|') + ')\s*\('; Position = 1 }
            @{ Pattern = '\bErrors\.(?:New|Wrap)\s*\('; Position = 2 }
            @{ Pattern = '\bErrorRecordFactory\.Create\s*\('; Position = 2 }
            @{ Pattern = '\bnew\s+(?:System\.Management\.Automation\.)?ErrorRecord\s*\('; Position = 1 }
        )
        foreach ($call in $calls) {
            foreach ($m in [regex]::Matches($Text, $call.Pattern)) {
                $arguments = @(Split-Arguments $Text ($m.Index + $m.Length - 1))
                if ($arguments.Count -gt $call.Position -and $arguments[$call.Position] -match '^"([^"]*)"$') {
                    [pscustomobject]@{ Id = $Matches[1]; File = $File; Line = & $lineOf $m.Index; How = "$($m.Value)... $($arguments[$call.Position])" }
                }
            }
        }
    }

    function Get-ExpectedCells([string] $Id) {
        $class = [ContentPS.Engine.Errdefs.ErrorIds]::ClassOf($Id)
        if ($null -eq $class) { return @('varies', 'varies') }
        @([string]$class, [ContentPS.Engine.Errdefs.ErrorCategoryMap]::ToCategoryName($class))
    }

    function Get-RowToAdd([string] $Id) {
        $class, $category = Get-ExpectedCells $Id
        "| $Id | $class | $category | <what happened> | <what the user should do> |"
    }

    $table = Get-ErrorIdTable $aboutPath
    $rows = $table.Rows
    $documented = @($rows | ForEach-Object ErrorId)

    $sourceFiles = @(Get-ChildItem (Join-Path $root src) -Recurse -Filter *.cs -File |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' })
    $uses = @(foreach ($file in $sourceFiles) {
            $relative = [IO.Path]::GetRelativePath($root, $file.FullName)
            Find-ErrorIdUse (Get-Content -Raw -LiteralPath $file.FullName) $relative $exceptionTypes
        })
}

Describe 'The ERROR IDS table in about_ContentPS' {
    It 'has the columns ErrorId | Class | Category | Meaning | What to do' {
        $table.Header -join ' | ' | Should -BeExactly ($expectedHeader -join ' | ')
    }

    It 'documents <Id>' -ForEach $catalogCases {
        $documented | Should -Contain $Id -Because "ErrorIds.$Id is in the catalog; add this row to the '## ERROR IDS' table in docs/about_ContentPS.md: $(Get-RowToAdd $Id)"
    }

    It 'has five filled cells in every row' {
        $bad = @($rows | Where-Object { $_.CellCount -ne 5 -or @($_.ErrorId, $_.Class, $_.Category, $_.Meaning, $_.Action) -contains '' } |
                ForEach-Object { "docs/about_ContentPS.md:$($_.Line) ($($_.ErrorId))" })
        $bad | Should -BeNullOrEmpty -Because 'every row needs ErrorId, Class, Category, Meaning and What to do'
    }

    It 'has one row per ErrorId' {
        $duplicates = @($rows | Group-Object ErrorId | Where-Object Count -GT 1 | ForEach-Object { "$($_.Name) (lines $(@($_.Group.Line) -join ', '))" })
        $duplicates | Should -BeNullOrEmpty -Because 'each ErrorId has exactly one row; remove the extra ones'
    }

    It 'documents no ErrorId the catalog does not have' {
        $stale = @($rows | Where-Object { $catalog -cnotcontains $_.ErrorId } | ForEach-Object { "docs/about_ContentPS.md:$($_.Line) $($_.ErrorId)" })
        $stale | Should -BeNullOrEmpty -Because "a documented ErrorId is a constant in $catalogPath; add it there (with its class) or remove the row"
    }

    It 'gives each row the class ErrorIds.ClassOf returns and that class''s category' {
        $wrong = @(foreach ($row in $rows | Where-Object { $catalog -ccontains $_.ErrorId }) {
                $class, $category = Get-ExpectedCells $row.ErrorId
                if ($row.Class -cne $class -or $row.Category -cne $category) {
                    "docs/about_ContentPS.md:$($row.Line) reads '| $($row.ErrorId) | $($row.Class) | $($row.Category) |', should be '| $($row.ErrorId) | $class | $category |'"
                }
            })
        $wrong | Should -BeNullOrEmpty
    }
}

Describe 'ErrorIds used in the source' {
    It 'finds ErrorIds in every form the scanner knows' {
        $sample = @'
throw new NotFoundException($"no {Describe(name, "x")}, sorry", "ProbeGone") { Target = name };
throw new ContentPS.InvalidArgumentException("bad", ErrorIds.InvalidPlatform, inner);
var e = Errors.New(ErrorClass.Unavailable, "Busy", "ProbeBusy");
var w = Errors.Wrap(inner, $"reading {Path.Combine(a, "b")}, then", "ProbeWrapped");
throw new InvalidArgumentException(error!, errorId: "ProbeNamed");
WriteError(ErrorRecordFactory.Create(exception, target, "ProbeRecord"));
var r = new ErrorRecord(exception, "ProbeRaw", ErrorCategory.NotSpecified, null);
throw new ArgumentException("not one of ours", "paramName");
var id = ErrorIds.ClassOf(text);
'@
        $found = @(Find-ErrorIdUse $sample 'sample.cs' $exceptionTypes | Sort-Object Line | ForEach-Object { "$($_.Line):$($_.Id)" })
        $found | Should -Be @('1:ProbeGone', '2:InvalidPlatform', '3:ProbeBusy', '4:ProbeWrapped', '5:ProbeNamed', '6:ProbeRecord', '7:ProbeRaw')
    }

    It 'sees the ErrorIds the engine raises' {
        # A scanner that finds nothing would make the next tests pass vacuously.
        $ids = @($uses | ForEach-Object Id | Sort-Object -Unique)
        $ids | Should -Contain 'InvalidPlatform'
        $ids | Should -Contain 'InvalidReference'
        $ids | Should -Contain 'ManifestNotFound'
    }

    It 'uses only ErrorIds from the catalog' {
        $unknown = @($uses | Where-Object { $catalog -cnotcontains $_.Id } | ForEach-Object {
                "$($_.File):$($_.Line) uses '$($_.How)': add ``public const string $($_.Id) = nameof($($_.Id));`` and its class to $catalogPath, then this row to the ERROR IDS table: $(Get-RowToAdd $_.Id)"
            })
        $unknown | Should -BeNullOrEmpty
    }

    It 'uses only ErrorIds the table documents' {
        $undocumented = @($uses | Where-Object { $documented -cnotcontains $_.Id } | ForEach-Object {
                "$($_.File):$($_.Line) uses '$($_.How)'; add this row to the '## ERROR IDS' table in docs/about_ContentPS.md: $(Get-RowToAdd $_.Id)"
            })
        $undocumented | Should -BeNullOrEmpty
    }
}
