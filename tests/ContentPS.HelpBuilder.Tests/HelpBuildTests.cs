namespace ContentPS.HelpBuilder.Tests;

public class HelpBuildTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var options = BuildOptions.Parse(args, error);
        var exit = options is null ? HelpBuild.UsageError : new HelpBuild(options, output, error).Run();
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Writes_maml_and_about_text_into_every_out_folder()
    {
        using var temp = new TempDocs();
        var first = Path.Combine(temp.Root, "module", "en-US");
        var second = Path.Combine(temp.Root, "en-US");
        var (exit, output, error) = Run("--docs", temp.Docs, "--metadata", FixtureFiles.MetadataPath, "--out", first, "--out", second);
        Assert.True(exit == HelpBuild.Success, error);
        foreach (var folder in new[] { first, second })
        {
            Assert.True(File.Exists(Path.Combine(folder, "ContentPS.dll-Help.xml")));
            Assert.StartsWith("TOPIC", File.ReadAllText(Path.Combine(folder, "about_ContentPS.help.txt")), StringComparison.Ordinal);
        }
        Assert.Contains("2 command(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_naming_the_missing_page_and_writes_nothing()
    {
        using var temp = new TempDocs();
        File.Delete(temp.PathOf("Remove-Widget.md"));
        var outFolder = Path.Combine(temp.Root, "out");
        var (exit, _, error) = Run("--docs", temp.Docs, "--metadata", FixtureFiles.MetadataPath, "--out", outFolder);
        Assert.Equal(HelpBuild.DocsProblems, exit);
        Assert.Contains($"{temp.PathOf("Remove-Widget.md")}:1: error: Remove-Widget has no help page", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outFolder));
    }

    [Fact]
    public void Fails_on_a_page_for_a_cmdlet_the_module_does_not_export_and_on_a_missing_about_page()
    {
        using var temp = new TempDocs();
        File.Copy(temp.PathOf("Get-Widget.md"), temp.PathOf("Get-Gadget.md"));
        File.Delete(temp.PathOf("about_ContentPS.md"));
        var (exit, _, error) = Run("--docs", temp.Docs, "--metadata", FixtureFiles.MetadataPath, "--out", Path.Combine(temp.Root, "out"));
        Assert.Equal(HelpBuild.DocsProblems, exit);
        Assert.Contains("documents 'Get-Gadget', which the module does not export", error, StringComparison.Ordinal);
        Assert.Contains("about_ContentPS.md:1: error: the module needs an about page", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_creates_a_skeleton_that_fails_until_filled_in()
    {
        using var temp = new TempDocs();
        File.Delete(temp.PathOf("Remove-Widget.md"));
        var (exit, output, error) = Run("--docs", temp.Docs, "--metadata", FixtureFiles.MetadataPath, "--out", Path.Combine(temp.Root, "out"), "--update");
        Assert.Equal(HelpBuild.DocsProblems, exit);
        Assert.Contains("Created " + temp.PathOf("Remove-Widget.md"), output, StringComparison.Ordinal);
        Assert.Contains("Remove-Widget.md:", error, StringComparison.Ordinal);
        Assert.Contains("unfilled placeholder {{ Fill in the Synopsis }}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Get-Widget.md", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--docs", "d", "--metadata", "m.json")]
    [InlineData("--docs", "d", "--metadata", "m.json", "--out", "o", "--bogus")]
    [InlineData("--docs")]
    public void Bad_usage_is_exit_code_2(params string[] args)
    {
        var (exit, _, error) = Run(args);
        Assert.Equal(HelpBuild.UsageError, exit);
        Assert.Contains("usage:", error, StringComparison.Ordinal);
    }
}
