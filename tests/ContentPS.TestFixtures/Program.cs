namespace ContentPS.TestFixtures;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: ContentPS.TestFixtures <command>");
        return 2;
    }
}
