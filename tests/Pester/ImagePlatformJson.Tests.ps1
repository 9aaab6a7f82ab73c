#Requires -Version 7.4
# ImagePlatformInfo as JSON. ConvertTo-Json cannot give it the OCI field names (see the remarks on
# ImagePlatformInfo and JSON AND OCI FIELD NAMES in about_ContentPS); ToOciJson() writes them.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../ContentPS.psd1) -Force
}

Describe 'ImagePlatformInfo.ToOciJson()' {
    It 'writes <Platform> as <Json>' -ForEach @(
        @{ Platform = 'linux/arm/v7'; Json = '{"architecture":"arm","os":"linux","variant":"v7"}' }
        @{ Platform = 'aarch64'; Json = '{"architecture":"arm64","os":"linux"}' }
        @{ Platform = 'windows(10.0.17763)/amd64'; Json = '{"architecture":"amd64","os":"windows","os.version":"10.0.17763"}' }
        @{ Platform = 'windows(10.0.17763+win32k)/amd64'; Json = '{"architecture":"amd64","os":"windows","os.version":"10.0.17763","os.features":["win32k"]}' }
    ) {
        (ConvertTo-ImagePlatform $Platform).ToOciJson() | Should -BeExactly $Json
    }

    It 'reads back through ConvertFrom-Json into the same platform' {
        $info = ConvertTo-ImagePlatform 'linux/arm/v6'
        $oci = $info.ToOciJson() | ConvertFrom-Json
        "$($oci.os)/$($oci.architecture)/$($oci.variant)" | Should -BeExactly $info.Platform
    }
}

Describe 'ConvertTo-Json of ImagePlatformInfo' {
    It 'uses the .NET property names, as documented' {
        $json = ConvertTo-ImagePlatform linux/arm/v7 | ConvertTo-Json -Compress
        $json | Should -BeExactly '{"Platform":"linux/arm/v7","OS":"linux","Architecture":"arm","Variant":"v7","OSVersion":null,"OSFeatures":[]}'
    }
}
