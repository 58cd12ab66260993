using System.Reflection;
using PublicApiGenerator;

namespace Courier.Testing.Approval;

/// <summary>
/// Approval of a package's public API, shared by every test project holding a <c>PublicApi.approved.txt</c> (linked in
/// by tests/Directory.Build.props): the generated API must equal the approved file; when it does not, it is written to
/// <c>PublicApi.received.txt</c> beside it, to be approved on purpose by copying it over.
/// </summary>
internal static class PublicApiApproval
{
    public static void AssertApproved(Assembly package, params string[] allowedNamespacePrefixes) =>
        AssertApprovedAs("PublicApi", package, allowedNamespacePrefixes);

    /// <summary>
    /// Approves a second package from the same test project under its own files, <c>{name}.approved.txt</c> and
    /// <c>{name}.received.txt</c> (for example <c>PublicApi.Courier.Testing</c>).
    /// </summary>
    public static void AssertApprovedAs(string name, Assembly package, params string[] allowedNamespacePrefixes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(package);
        var actual = package.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
            AllowNamespacePrefixes = allowedNamespacePrefixes,
        }).ReplaceLineEndings("\n");
        var approved = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, $"{name}.approved.txt")).ReplaceLineEndings("\n");
        if (approved != actual)
        {
            var directory = typeof(PublicApiApproval).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!;
            File.WriteAllText(Path.Combine(directory, $"{name}.received.txt"), actual);
        }

        Xunit.Assert.Equal(approved, actual);
    }
}
