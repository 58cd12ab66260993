using System.Reflection;

namespace Courier.Samples.Tests;

/// <summary>Where the samples were built, as the test project's build recorded it.</summary>
internal static class SampleBuild
{
    /// <summary>The configuration the tests (and so the samples) were built in.</summary>
    public static string Configuration => Metadata("Configuration");

    public static string TarballSourceProject => Metadata("TarballSourceProject");

    public static string LocalDirectoryProject => Metadata("LocalDirectoryProject");

    /// <summary>The embedding sample's build output folder.</summary>
    public static string EmbeddingOutput => Metadata("EmbeddingOutput");

    private static string Metadata(string key) =>
        typeof(SampleBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
