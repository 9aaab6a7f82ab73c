#Requires -Version 7.4
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
    $classNames = [Enum]::GetNames([ContentPS.ErrorClass])
}

BeforeAll {
    $manifest = Join-Path $PSScriptRoot ../../ContentPS.psd1
    Import-Module $manifest -Force

    # Errors.New cannot be called as [Errors]::New(...) from PowerShell: ::New means "constructor".
    function New-ClassException([ContentPS.ErrorClass] $Class, [string] $Message, [string] $ErrorId, $Target, [string] $Details) {
        [ContentPS.Engine.Errdefs.Errors].GetMethod('New').Invoke($null, @($Class, $Message, $ErrorId, $null, $Target, $Details))
    }

    function New-ClassRecord([ContentPS.ErrorClass] $Class, [string] $ErrorId) {
        $exception = New-ClassException $Class "failed with $Class"
        [ContentPS.ErrorRecordFactory]::Create($exception, "target-$Class", $ErrorId)
    }

    function Copy-ThroughSerializer($Value) {
        [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Value))
    }
}

Describe 'ErrorRecordFactory' {
    It 'builds <_> records with the class exception, its category, its default ErrorId and the target' -ForEach $classNames {
        $class = [ContentPS.ErrorClass]$_
        $record = New-ClassRecord $class $null
        $record.Exception.Class | Should -Be $class
        $record.Exception.Message | Should -BeExactly "failed with $class"
        $record.CategoryInfo.Category.ToString() | Should -BeExactly ([ContentPS.Engine.Errdefs.ErrorCategoryMap]::ToCategoryName($class))
        $record.CategoryInfo.Reason | Should -BeExactly $record.Exception.GetType().Name
        $record.FullyQualifiedErrorId | Should -BeExactly ([ContentPS.Engine.Errdefs.ErrorIds]::DefaultFor($class))
        $record.TargetObject | Should -BeExactly "target-$class"
        $record.ErrorDetails | Should -BeNullOrEmpty
    }

    It 'keeps the exception ErrorId, Target and Details' {
        $exception = New-ClassException NotFound 'manifest unknown' ManifestNotFound 'docker.io/library/nope:1' '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'
        $record = [ContentPS.ErrorRecordFactory]::Create($exception, 'caller-target', $null)
        $record.FullyQualifiedErrorId | Should -BeExactly 'ManifestNotFound'
        $record.TargetObject | Should -BeExactly 'docker.io/library/nope:1'
        $record.ErrorDetails.Message | Should -BeExactly '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'
        $record.Exception | Should -Be $exception
    }

    It 'uses the caller target when the exception has none' {
        $record = [ContentPS.ErrorRecordFactory]::Create([ContentPS.NotFoundException]::new('gone', $null, $null), 'sha256:abc', $null)
        $record.TargetObject | Should -BeExactly 'sha256:abc'
    }

    It 'classifies a system exception first, keeping its message' {
        $inner = [System.IO.FileNotFoundException]::new('no such blob')
        $record = [ContentPS.ErrorRecordFactory]::Create($inner, '/tmp/x', $null)
        $record.Exception | Should -BeOfType ([ContentPS.NotFoundException])
        $record.Exception.Message | Should -BeExactly 'no such blob'
        $record.Exception.InnerException | Should -Be $inner
        $record.CategoryInfo.Reason | Should -BeExactly 'NotFoundException'
        $record.FullyQualifiedErrorId | Should -BeExactly 'NotFound'
    }

    It 'makes an unknown exception Unknown with category NotSpecified' {
        $record = [ContentPS.ErrorRecordFactory]::Create([System.Exception]::new('mystery'), $null, $null)
        $record.Exception | Should -BeOfType ([ContentPS.UnknownException])
        $record.Exception.Message | Should -BeExactly 'mystery'
        $record.CategoryInfo.Category | Should -Be 'NotSpecified'
        $record.FullyQualifiedErrorId | Should -BeExactly 'Unknown'
    }
}

Describe '[ContentPS.Errdefs]' {
    Context 'categories' {
        It 'maps <_> to its category and the category back to a class' -ForEach $classNames {
            $class = [ContentPS.ErrorClass]$_
            $category = [ContentPS.Errdefs]::ToCategory($class)
            $category | Should -BeOfType ([System.Management.Automation.ErrorCategory])
            $category.ToString() | Should -BeExactly ([ContentPS.Engine.Errdefs.ErrorCategoryMap]::ToCategoryName($class))
            [ContentPS.Errdefs]::FromCategory($category) | Should -Be ([ContentPS.Engine.Errdefs.ErrorCategoryMap]::FromCategoryName($category.ToString()))
        }
    }

    Context 'exceptions' {
        It 'resolves a plain classified exception' {
            [ContentPS.Errdefs]::Resolve([ContentPS.ConflictException]::new('busy', $null, $null)) | Should -Be 'Conflict'
        }

        It 'resolves a class wrapped in an unclassified exception' {
            $wrapped = [System.InvalidOperationException]::new('outer', [ContentPS.DataLossException]::new('inner', $null, $null))
            [ContentPS.Errdefs]::Resolve($wrapped) | Should -Be 'DataLoss'
        }

        It 'resolves an exception of no class to Unknown' {
            [ContentPS.Errdefs]::Resolve([System.Exception]::new('x')) | Should -Be 'Unknown'
        }

        It 'rejects a value that is neither a record nor an exception' {
            { [ContentPS.Errdefs]::Resolve(42) } | Should -Throw -ExceptionType ([System.Management.Automation.MethodInvocationException])
        }
    }

    Context 'records built elsewhere' {
        It 'uses the ErrorId table when the exception is not ours' {
            $record = [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('x'), 'ManifestNotFound,Some.Command', 'NotSpecified', $null)
            [ContentPS.Errdefs]::Resolve($record) | Should -Be 'NotFound'
        }

        It 'prefers the ErrorId table to a guess from a system exception' {
            $record = [System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new('x'), 'ManifestNotFound', 'NotSpecified', $null)
            [ContentPS.Errdefs]::Resolve($record) | Should -Be 'NotFound'
        }

        It 'falls back to a well-known system exception when the record says nothing' {
            $record = [System.Management.Automation.ErrorRecord]::new([System.IO.FileNotFoundException]::new('x'), 'Other', 'NotSpecified', $null)
            [ContentPS.Errdefs]::Resolve($record) | Should -Be 'NotFound'
        }

        It 'finds a class inside an AggregateException' {
            $aggregate = [System.AggregateException]::new([System.Exception[]]@([System.Exception]::new('a'), [ContentPS.AbortedException]::new('b', $null, $null)))
            [ContentPS.Errdefs]::Resolve($aggregate) | Should -Be 'Aborted'
        }

        It 'uses the category as the last resort' {
            $record = [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('x'), 'SomethingElse', 'AuthenticationError', $null)
            [ContentPS.Errdefs]::Resolve($record) | Should -Be 'Unauthenticated'
        }
    }

    Context 'Reason survives serialization' {
        # An ErrorId outside the table and the exception removed: only Reason can tell classes that
        # share a category (InvalidArgument/OutOfRange, NotModified/Internal) apart.
        It 'resolves <_> from Reason alone after PSSerializer' -ForEach $classNames {
            $class = [ContentPS.ErrorClass]$_
            $copy = Copy-ThroughSerializer (New-ClassRecord $class 'SomethingHappened')
            $copy.pstypenames | Should -Contain 'Deserialized.System.Management.Automation.ErrorRecord'
            $copy.psobject.Properties.Remove('Exception')
            $copy.ErrorCategory_Reason | Should -BeExactly (New-ClassRecord $class $null).Exception.GetType().Name
            [ContentPS.Errdefs]::Resolve($copy) | Should -Be $class
        }

        It 'resolves <_> from a whole deserialized record' -ForEach $classNames {
            $class = [ContentPS.ErrorClass]$_
            [ContentPS.Errdefs]::Resolve((Copy-ThroughSerializer (New-ClassRecord $class $null))) | Should -Be $class
        }

        It 'resolves a deserialized exception from its type names' {
            $copy = Copy-ThroughSerializer ([ContentPS.NotModifiedException]::new('same', $null, $null))
            $copy.pstypenames[0] | Should -BeExactly 'Deserialized.ContentPS.NotModifiedException'
            [ContentPS.Errdefs]::Resolve($copy) | Should -Be 'NotModified'
        }
    }

    Context 'records that crossed a job or runspace' {
        BeforeAll {
            # Classes that share a category with another class, so only Reason or the exception tells.
            $jobScript = {
                param($Manifest)
                Import-Module $Manifest
                foreach ($class in 'NotModified', 'OutOfRange') {
                    $exception = [ContentPS.Engine.Errdefs.Errors].GetMethod('New').Invoke($null, @([ContentPS.ErrorClass]$class, "job $class", $null, $null, $null, $null))
                    Write-Error -ErrorRecord ([ContentPS.ErrorRecordFactory]::Create($exception, $class, 'SomethingHappened'))
                }
                ConvertTo-ImageReference 'Not/A:Reference:' -ErrorAction Continue
                # A record sent as output, not as an error: it arrives as a deserialized property bag.
                try { ConvertTo-ImageReference 'UPPER' -ErrorAction Stop } catch { $_ }
            }
        }

        It 'resolves records from Start-Job (Receive-Job -ErrorVariable)' {
            $job = Start-Job -ScriptBlock $jobScript -ArgumentList (Resolve-Path $manifest).Path
            try {
                $null = $job | Wait-Job -Timeout 120
                $job.State | Should -Be 'Completed'
                $output = Receive-Job $job -ErrorVariable jobErrors -ErrorAction SilentlyContinue
            }
            finally { $job | Remove-Job -Force }

            $jobErrors.Count | Should -Be 3
            $jobErrors[0].Exception | Should -BeOfType ([System.Management.Automation.RemoteException])
            $jobErrors | ForEach-Object { [ContentPS.Errdefs]::Resolve($_) } | Should -Be @('NotModified', 'OutOfRange', 'InvalidArgument')
            $jobErrors | ForEach-Object { [ContentPS.Errdefs]::Resolve($_.Exception) } | Should -Be @('NotModified', 'OutOfRange', 'InvalidArgument')
            $jobErrors[2].FullyQualifiedErrorId | Should -BeExactly 'InvalidReference,ContentPS.Commands.ConvertToImageReferenceCommand'
            $jobErrors[2].TargetObject | Should -BeExactly 'Not/A:Reference:'

            @($output).Count | Should -Be 1
            $output.pstypenames | Should -Contain 'Deserialized.System.Management.Automation.ErrorRecord'
            [ContentPS.Errdefs]::Resolve($output) | Should -Be 'InvalidArgument'
        }

        It 'resolves records from Start-ThreadJob' {
            if (-not (Get-Command Start-ThreadJob -ErrorAction SilentlyContinue)) {
                Set-ItResult -Skipped -Because 'Start-ThreadJob is not installed (module ThreadJob / Microsoft.PowerShell.ThreadJob)'
                return
            }
            $job = Start-ThreadJob -ScriptBlock $jobScript -ArgumentList (Resolve-Path $manifest).Path
            try {
                $null = $job | Wait-Job -Timeout 60
                $job.State | Should -Be 'Completed'
                $output = Receive-Job $job -ErrorVariable jobErrors -ErrorAction SilentlyContinue
            }
            finally { $job | Remove-Job -Force }

            $jobErrors.Count | Should -Be 3
            $jobErrors | ForEach-Object { [ContentPS.Errdefs]::Resolve($_) } | Should -Be @('NotModified', 'OutOfRange', 'InvalidArgument')
            [ContentPS.Errdefs]::Resolve($output) | Should -Be 'InvalidArgument'
        }

        It 'resolves records from ForEach-Object -Parallel' {
            # Errors forwarded from parallel runspaces obey the caller's preference; a caller's Stop would end the call.
            $ErrorActionPreference = 'Continue'
            $path = (Resolve-Path $manifest).Path
            $records = 'NotModified', 'OutOfRange', 'Aborted' | ForEach-Object -ThrottleLimit 3 -Parallel {
                Import-Module $using:path
                $exception = [ContentPS.Engine.Errdefs.Errors].GetMethod('New').Invoke($null, @([ContentPS.ErrorClass]$_, "parallel $_", $null, $null, $null, $null))
                Write-Error -ErrorRecord ([ContentPS.ErrorRecordFactory]::Create($exception, $_, 'SomethingHappened'))
            } 2>&1
            $records.Count | Should -Be 3
            $records | ForEach-Object { [ContentPS.Errdefs]::Resolve($_).ToString() } | Sort-Object | Should -Be @('Aborted', 'NotModified', 'OutOfRange')
        }
    }
}
