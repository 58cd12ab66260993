using System.Text.Json;
using CliWrap;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Samples.Tests;

public sealed class TarballSourceTests : IDisposable
{
    private static readonly Dictionary<string, string> AppFiles = new()
    {
        ["app.conf"] = "port = 8080",
        ["nginx/site.conf"] = "server { listen 80; }",
    };

    private readonly TempDirectory _temp = TempDirectory.Create("courier-tarball");

    public void Dispose() => _temp.Dispose();

    private string State => _temp.Combine("state");

    private string SourcesFile => _temp.Combine("config", "sources", "tarball.json");

    private ISourceFactory Factory() =>
        new ServiceCollection()
            .AddCourier(o =>
            {
                o.HermesDirectory = _temp.Combine("hermes");
                o.StateDirectory = State;
            })
            .AddTarballSource()
            .Services.BuildServiceProvider()
            .GetServices<ISourceFactory>()
            .Single(f => f.Type == "tarball");

    private ISource Create(string json)
    {
        _temp.WriteFile(SourcesFile, $"[{json}]");
        using var document = JsonDocument.Parse(json);
        return Assert.Single(Factory().Create(new SourceDefinition(document.RootElement.Clone(), SourcesFile, 0)));
    }

    private ISource CreateForArchive(byte[] archive, string name = "app.tar.gz")
    {
        var path = _temp.Combine("archives", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, archive);
        return Create($$"""{"type": "tarball", "url": "{{path}}", "destination_path": "app-config", "destinations": ["local"]}""");
    }

    /// <summary>Every file below the state directory: a refused archive leaves none (no revision, no temporary copy).</summary>
    private IReadOnlyList<string> FilesInState() =>
        Directory.Exists(State) ? Directory.GetFiles(State, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public void Registers_under_the_tarball_type() => Assert.Equal("tarball", Factory().Type);

    [Fact]
    public async Task Extracts_the_archive_into_the_state_directory_named_by_its_sha256()
    {
        var archive = Tarballs.Of(AppFiles);
        var source = CreateForArchive(archive);

        var snapshot = await source.PullAsync(CancellationToken.None);

        Assert.Equal(Tarballs.Sha256(archive), snapshot.Revision);
        Assert.Equal("app-config", snapshot.DestinationPath);
        Assert.Equal(snapshot.Revision, Path.GetFileName(snapshot.LocalDirectory));
        Assert.StartsWith(Path.Combine(State, "tarball") + "/", snapshot.LocalDirectory, StringComparison.Ordinal);
        Assert.Equal("port = 8080", File.ReadAllText(Path.Combine(snapshot.LocalDirectory, "app.conf")));
        Assert.Equal("server { listen 80; }", File.ReadAllText(Path.Combine(snapshot.LocalDirectory, "nginx", "site.conf")));
        Assert.Equal(["local"], source.Destinations);
    }

    [Fact]
    public async Task Keeps_file_permissions_without_set_uid()
    {
        const UnixFileMode script = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        var archive = Tarballs.Write(writer =>
        {
            writer.WriteEntry(Tarballs.File("reload.sh", "#!/bin/sh", script));
            writer.WriteEntry(Tarballs.File("setuid", "x", UnixFileMode.SetUser | UnixFileMode.UserRead | UnixFileMode.UserExecute));
        });

        var snapshot = await CreateForArchive(archive).PullAsync(CancellationToken.None);

        Assert.Equal(script, File.GetUnixFileMode(Path.Combine(snapshot.LocalDirectory, "reload.sh")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(snapshot.LocalDirectory, "setuid")));
    }

    [Fact]
    public async Task The_revision_is_stable_for_one_archive_and_changes_with_its_content()
    {
        var source = CreateForArchive(Tarballs.Of(AppFiles));
        var first = await source.PullAsync(CancellationToken.None);
        var marker = Path.Combine(first.LocalDirectory, "marker-left-by-the-test");
        File.WriteAllText(marker, "the same archive is not extracted again");

        var again = await source.PullAsync(CancellationToken.None);

        Assert.Equal(first, again);
        Assert.True(File.Exists(marker), "an archive already extracted is reused");

        File.WriteAllBytes(_temp.Combine("archives", "app.tar.gz"), Tarballs.Of(new Dictionary<string, string> { ["app.conf"] = "port = 9090" }));
        var changed = await source.PullAsync(CancellationToken.None);

        Assert.NotEqual(first.Revision, changed.Revision);
        Assert.NotEqual(first.LocalDirectory, changed.LocalDirectory);
        Assert.Equal("port = 9090", File.ReadAllText(Path.Combine(changed.LocalDirectory, "app.conf")));
        Assert.False(File.Exists(Path.Combine(changed.LocalDirectory, "nginx", "site.conf")));
        Assert.False(Directory.Exists(first.LocalDirectory), "older revisions are removed");
    }

    [Fact]
    public async Task A_relative_path_and_a_file_url_name_the_same_archive()
    {
        var archive = Tarballs.Of(AppFiles);
        var path = _temp.Combine("config", "archives", "app.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, archive);

        var relative = await Create("""{"type": "tarball", "url": "../archives/app.tar.gz", "destination_path": "app-config"}""").PullAsync(CancellationToken.None);
        var fileUrl = await Create($$"""{"type": "tarball", "url": "{{new Uri(path).AbsoluteUri}}", "destination_path": "app-config"}""").PullAsync(CancellationToken.None);

        Assert.Equal(Tarballs.Sha256(archive), relative.Revision);
        Assert.Equal(relative.Revision, fileUrl.Revision);
    }

    [Fact]
    public async Task Extracts_an_archive_made_by_gnu_tar()
    {
        var longName = string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 5)) + "/app.conf";
        _temp.WriteFile(Path.Combine("tree", longName), "deep");
        _temp.WriteFile("tree/service.json", "{}");
        File.CreateSymbolicLink(_temp.Combine("tree", "current.json"), "service.json");
        var path = _temp.Combine("archives", "app.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Cli.Wrap("tar").WithArguments(["--format=gnu", "-C", _temp.Combine("tree"), "-czf", path, "."]).ExecuteAsync();

        var snapshot = await Create($$"""{"type": "tarball", "url": "{{path}}", "destination_path": "app-config"}""").PullAsync(CancellationToken.None);

        Assert.Equal(Tarballs.Sha256(File.ReadAllBytes(path)), snapshot.Revision);
        Assert.Equal("deep", File.ReadAllText(Path.Combine(snapshot.LocalDirectory, longName)));
        Assert.Equal("service.json", new FileInfo(Path.Combine(snapshot.LocalDirectory, "current.json")).LinkTarget);
    }

    [Fact]
    public async Task Links_inside_the_archive_are_kept()
    {
        var archive = Tarballs.Write(writer =>
        {
            writer.WriteEntry(Tarballs.File("releases/v2/app.conf", "v2"));
            writer.WriteEntry(Tarballs.SymbolicLink("current", "releases/v2"));
            writer.WriteEntry(Tarballs.SymbolicLink("releases/v2/self", "../v2/app.conf"));
            writer.WriteEntry(Tarballs.HardLink("app.conf", "releases/v2/app.conf"));
        });

        var snapshot = await CreateForArchive(archive).PullAsync(CancellationToken.None);

        Assert.Equal("releases/v2", new DirectoryInfo(Path.Combine(snapshot.LocalDirectory, "current")).LinkTarget);
        Assert.Equal("v2", File.ReadAllText(Path.Combine(snapshot.LocalDirectory, "current", "self")));
        Assert.Equal("v2", File.ReadAllText(Path.Combine(snapshot.LocalDirectory, "app.conf")));
    }

    [Theory]
    [InlineData("parent", "climbs out of the archive")]
    [InlineData("absolute", "has an absolute path")]
    [InlineData("parent-inside-path", "climbs out of the archive")]
    [InlineData("absolute-link", "symbolic link to \"/etc\"")]
    [InlineData("climbing-link", "outside the archive")]
    [InlineData("link-chain", "leads outside it")]
    [InlineData("link-to-the-root", "could not be extracted safely")]
    [InlineData("write-through-link", "would be written through the symbolic link")]
    [InlineData("climbing-hard-link", "climbs out of the archive")]
    [InlineData("device", "only files, directories and links are allowed")]
    [InlineData("replaced-by-link", "names a path the archive already holds")]
    [InlineData("hard-link-through-link", "would be written through the symbolic link")]
    [InlineData("link-then-directory-below", "would be written through the symbolic link")]
    public async Task An_entry_reaching_outside_is_refused_and_nothing_is_extracted(string attack, string error)
    {
        var outside = _temp.Combine("outside");
        Directory.CreateDirectory(outside);
        var archive = Tarballs.Write(writer =>
        {
            writer.WriteEntry(Tarballs.File("app.conf", "fine"));
            switch (attack)
            {
                case "parent":
                    writer.WriteEntry(Tarballs.File("../../../../outside/evil.conf", "evil"));
                    break;
                case "absolute":
                    writer.WriteEntry(Tarballs.File(Path.Combine(outside, "evil.conf"), "evil"));
                    break;
                case "parent-inside-path":
                    writer.WriteEntry(Tarballs.File("nginx/../../evil.conf", "evil"));
                    break;
                case "absolute-link":
                    writer.WriteEntry(Tarballs.SymbolicLink("etc", "/etc"));
                    break;
                case "climbing-link":
                    writer.WriteEntry(Tarballs.SymbolicLink("up", "../../../../outside"));
                    break;
                case "link-chain":
                    // Each link stays inside as written; d/e/up is really d, so d/e/up/../.. leads above the archive.
                    writer.WriteEntry(Tarballs.Directory("d/e/"));
                    writer.WriteEntry(Tarballs.SymbolicLink("d/e/up", "../../d"));
                    writer.WriteEntry(Tarballs.SymbolicLink("escape", "d/e/up/../.."));
                    break;
                case "link-to-the-root":
                    writer.WriteEntry(Tarballs.Directory("d/e/"));
                    writer.WriteEntry(Tarballs.SymbolicLink("d/e/root", "../.."));
                    writer.WriteEntry(Tarballs.SymbolicLink("escape", "d/e/root/.."));
                    break;
                case "write-through-link":
                    writer.WriteEntry(Tarballs.Directory("inside/"));
                    writer.WriteEntry(Tarballs.SymbolicLink("alias", "inside"));
                    writer.WriteEntry(Tarballs.File("alias/evil.conf", "evil"));
                    break;
                case "climbing-hard-link":
                    writer.WriteEntry(Tarballs.HardLink("passwd", "../../../../etc/passwd"));
                    break;
                case "replaced-by-link":
                    // A later entry of the same name must not turn app.conf into a link (or write through one).
                    writer.WriteEntry(Tarballs.SymbolicLink("app.conf", "d/e/root/.."));
                    break;
                case "hard-link-through-link":
                    writer.WriteEntry(Tarballs.File("inside/x.conf", "x"));
                    writer.WriteEntry(Tarballs.SymbolicLink("alias", "inside"));
                    writer.WriteEntry(Tarballs.HardLink("copy.conf", "alias/x.conf"));
                    break;
                case "link-then-directory-below":
                    writer.WriteEntry(Tarballs.SymbolicLink("alias", "."));
                    writer.WriteEntry(Tarballs.Directory("alias/sub/"));
                    break;
                case "device":
                    writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.CharacterDevice, "null") { DeviceMajor = 1, DeviceMinor = 3 });
                    break;
            }
        });
        var source = CreateForArchive(archive);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => source.PullAsync(CancellationToken.None));

        Assert.Contains(error, refused.Message, StringComparison.Ordinal);
        Assert.Contains("archive", refused.Message, StringComparison.Ordinal);
        Assert.Empty(FilesInState());
        Assert.Empty(Directory.GetFileSystemEntries(outside));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_archive_without_files_is_refused_so_delete_never_wipes_a_destination(bool withDirectories)
    {
        var archive = withDirectories
            ? Tarballs.Write(writer =>
            {
                writer.WriteEntry(Tarballs.Directory("./"));
                writer.WriteEntry(Tarballs.Directory("./empty/"));
            })
            : Tarballs.Empty();

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => CreateForArchive(archive).PullAsync(CancellationToken.None));

        Assert.Contains("holds no file", refused.Message, StringComparison.Ordinal);
        Assert.Empty(FilesInState());
        Assert.DoesNotContain(Directory.GetDirectories(State, "*", SearchOption.AllDirectories), d => Path.GetFileName(d).Length == 64);
    }

    [Fact]
    public async Task A_file_that_is_not_a_tar_gz_is_refused()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => CreateForArchive("just text"u8.ToArray()).PullAsync(CancellationToken.None));

        Assert.Contains("not a readable .tar.gz", refused.Message, StringComparison.Ordinal);
        Assert.Empty(FilesInState());
    }

    [Fact]
    public async Task A_missing_archive_is_an_error_naming_it()
    {
        var missing = _temp.Combine("archives", "nope.tar.gz");
        var source = Create($$"""{"type": "tarball", "url": "{{missing}}", "destination_path": "app-config"}""");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => source.PullAsync(CancellationToken.None));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type": "tarball", "destination_path": "app-config"}""", "\"url\" is required")]
    [InlineData("""{"type": "tarball", "url": "", "destination_path": "app-config"}""", "\"url\" is required")]
    [InlineData("""{"type": "tarball", "url": "app.tar.gz"}""", "\"destination_path\" is required")]
    [InlineData("""{"type": "tarball", "url": 42, "destination_path": "app-config"}""", "\"url\" must be a string")]
    [InlineData("""{"type": "tarball", "url": "app.tar.gz", "destination_path": "../etc"}""", "\"destination_path\" must be a relative directory name")]
    [InlineData("""{"type": "tarball", "url": "app.tar.gz", "destination_path": "/etc"}""", "\"destination_path\" must be a relative directory name")]
    [InlineData("""{"type": "tarball", "url": "ftp://files.initech.com/app.tar.gz", "destination_path": "app-config"}""", "scheme \"ftp\"")]
    public void Configuration_errors_name_the_file_and_the_field(string json, string error)
    {
        var exception = Assert.Throws<CourierConfigurationException>(() => Create(json));

        Assert.Contains(SourcesFile, exception.Message, StringComparison.Ordinal);
        Assert.Contains(error, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_an_update_of_everything_concerns_an_archive()
    {
        var source = CreateForArchive(Tarballs.Of(AppFiles));

        Assert.True(source.Matches(UpdateTrigger.All));
        Assert.False(source.Matches(UpdateTrigger.GitPush("app.tar.gz", "master")));
        Assert.False(source.Matches(UpdateTrigger.HermesDirectory(null)));
        Assert.False(source.Matches(UpdateTrigger.HermesDirectory("app-config")));
    }

    [Fact]
    public async Task Downloads_an_archive_over_http()
    {
        var archive = Tarballs.Of(AppFiles);
        await using var server = await TestWebServer.StartAsync(app =>
        {
            app.MapGet("/config/app.tar.gz", () => Results.Bytes(archive, "application/gzip"));
            app.MapGet("/config/missing.tar.gz", () => Results.NotFound());
        });

        // Credentials in the URL reach the server but never the source's id (which reports and logs show).
        var source = Create($$"""{"type": "tarball", "url": "http://deploy:s3cret@{{server.Address}}/config/app.tar.gz", "destination_path": "app-config"}""");
        var snapshot = await source.PullAsync(CancellationToken.None);

        Assert.Equal(Tarballs.Sha256(archive), snapshot.Revision);
        Assert.Equal("server { listen 80; }", File.ReadAllText(Path.Combine(snapshot.LocalDirectory, "nginx", "site.conf")));
        Assert.Contains("GET /config/app.tar.gz", server.Requests);
        Assert.DoesNotContain("s3cret", source.Id, StringComparison.Ordinal);

        var missing = Create($$"""{"type": "tarball", "url": "{{server.BaseUrl}}/config/missing.tar.gz", "destination_path": "app-config"}""");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => missing.PullAsync(CancellationToken.None));
        Assert.Contains($"{server.BaseUrl}/config/missing.tar.gz answered 404", error.Message, StringComparison.Ordinal);
    }
}
