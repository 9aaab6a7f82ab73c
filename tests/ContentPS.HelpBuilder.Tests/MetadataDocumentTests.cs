using ContentPS.HelpBuilder.Metadata;

namespace ContentPS.HelpBuilder.Tests;

public class MetadataDocumentTests
{
    [Fact]
    public void Reads_the_exporter_output()
    {
        var metadata = FixtureFiles.Metadata();
        Assert.Equal("ContentPS", metadata.Module);
        Assert.Equal(["Get-Widget", "Remove-Widget"], metadata.Commands.Select(c => c.Name));
        var get = metadata.Find("get-widget")!;
        Assert.Equal("Get", get.Verb);
        Assert.Equal("ByName", get.DefaultParameterSet);
        Assert.Equal(["System.String"], get.OutputTypes);
        Assert.True(metadata.Find("Remove-Widget")!.SupportsShouldProcess);
    }

    [Fact]
    public void Merges_parameters_across_sets_once_each()
    {
        var get = FixtureFiles.Command("Get-Widget");
        Assert.Equal(["Name", "Size", "Force", "Id"], get.Parameters.Select(p => p.Name));
        Assert.Equal(["ByName", "ById"], get.SetsOf("Size").Select(s => s.Name));
        Assert.Equal(["ById"], get.SetsOf("Id").Select(s => s.Name));
        Assert.False(get.HasSingleUnnamedSet);
        Assert.True(FixtureFiles.Command("Remove-Widget").HasSingleUnnamedSet);
    }

    [Fact]
    public void Records_parameter_facts()
    {
        var name = FixtureFiles.Command("Get-Widget").ParameterSets[0].Find("Name")!;
        Assert.True(name.Mandatory);
        Assert.Equal(0, name.Position);
        Assert.Equal("True (ByPropertyName, ByValue)", name.PipelineInput);
        Assert.Equal(["WidgetName", "N"], name.Aliases);
        Assert.True(name.SupportsWildcards);
        var size = FixtureFiles.Command("Get-Widget").ParameterSets[0].Find("Size")!;
        Assert.Equal(["Small", "Large"], size.AcceptedValues);
        Assert.Equal("named", size.PositionText);
        Assert.Equal("False", size.PipelineInput);
        Assert.True(FixtureFiles.Command("Get-Widget").ParameterSets[0].Find("Force")!.IsSwitch);
    }
}
