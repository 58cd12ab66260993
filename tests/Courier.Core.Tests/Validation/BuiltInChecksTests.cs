namespace Courier.Core.Tests.Validation;

/// <summary>The built-in checks <c>"json"</c> and <c>"yaml"</c> on real snapshot directories.</summary>
public sealed class BuiltInChecksTests : IDisposable
{
    private readonly ValidationFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Json_passes_when_every_json_file_in_every_subdirectory_parses()
    {
        _fixture.WriteSnapshotFile("app.json", """{"a": [1, 2, {"b": null}]}""");
        _fixture.WriteSnapshotFile("nested/deep/site.JSON", "\uFEFF[]");
        _fixture.WriteSnapshotFile("notes.txt", "{ not json, and not a .json file");

        var report = await _fixture.ValidateAsync("""["json"]""");

        Assert.Equal(new ValidationReport("json", true, null, null), report);
    }

    [Fact]
    public async Task Json_fails_naming_each_file_that_does_not_parse_with_its_position()
    {
        _fixture.WriteSnapshotFile("good.json", "{}");
        _fixture.WriteSnapshotFile("nested/broken.json", "{\n  \"a\": 1,\n}");
        _fixture.WriteSnapshotFile("nested/commented.json", "// a comment\n{}");
        _fixture.WriteSnapshotFile("empty.json", string.Empty);

        var report = await _fixture.ValidateAsync("""["json"]""");

        Assert.False(report.Passed);
        Assert.Equal("json", report.Check);
        Assert.Null(report.ExitCode);
        var lines = report.Output!.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("empty.json: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("nested/broken.json: ", lines[1], StringComparison.Ordinal);
        Assert.Contains("LineNumber: 2", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("nested/commented.json: ", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("good.json", report.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_rsync_never_delivers_and_symbolic_links_are_not_read()
    {
        _fixture.WriteSnapshotFile(".git/config.json", "not json");
        _fixture.WriteSnapshotFile(".gitlab-ci.yml", "a: [");
        _fixture.WriteSnapshotFile("ok.json", "{}");
        var elsewhere = Path.GetDirectoryName(_fixture.Temp.WriteFile("elsewhere/broken.json", "not json"))!;
        _fixture.Temp.WriteFile("elsewhere/broken.yml", "a: [");
        File.CreateSymbolicLink(Path.Combine(_fixture.SnapshotDirectory, "linked.json"), Path.Combine(elsewhere, "broken.json"));
        Directory.CreateDirectory(Path.Combine(_fixture.SnapshotDirectory, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(_fixture.SnapshotDirectory, "sub", "linked-dir"), elsewhere);

        Assert.True((await _fixture.ValidateAsync("""["json", "yaml"]""")).Passed);
    }

    [Fact]
    public async Task Yaml_passes_valid_yml_and_yaml_files_including_several_documents_and_empty_ones()
    {
        _fixture.WriteSnapshotFile("app.yml", "name: chess\nports:\n  - 80\n  - 443\n");
        _fixture.WriteSnapshotFile("k8s/all.yaml", "kind: A\n---\nkind: B\n");
        _fixture.WriteSnapshotFile("empty.yaml", string.Empty);

        Assert.Equal(new ValidationReport("yaml", true, null, null), await _fixture.ValidateAsync("""["yaml"]"""));
    }

    [Theory]
    [InlineData("app.yml", "name: chess\n  ports: [80\n")]
    [InlineData("k8s/all.yaml", "kind: A\n---\nkind: [B\n")]
    [InlineData("dup.yaml", "a: 1\na: 2\n")]
    [InlineData("tab.yml", "a:\n\t- b\n")]
    public async Task Yaml_fails_naming_the_file_that_does_not_parse(string file, string content)
    {
        _fixture.WriteSnapshotFile("good.yml", "a: b\n");
        _fixture.WriteSnapshotFile(file, content);

        var report = await _fixture.ValidateAsync("""["yaml"]""");

        Assert.False(report.Passed);
        Assert.Equal("yaml", report.Check);
        Assert.StartsWith($"{file}: ", report.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', report.Output!);
    }

    [Fact]
    public async Task The_first_failing_check_ends_the_validation()
    {
        _fixture.WriteSnapshotFile("app.yml", "a: [");
        _fixture.WriteScript("never.sh", "touch ran");

        var report = await _fixture.ValidateAsync("""["json", "yaml", ["./never.sh"]]""");

        Assert.Equal("yaml", report.Check);
        Assert.False(File.Exists(Path.Combine(_fixture.SnapshotDirectory, "ran")));
    }

    [Fact]
    public async Task Many_broken_files_are_counted_and_the_output_stays_within_the_limit()
    {
        for (var i = 0; i < 30; i++)
        {
            _fixture.WriteSnapshotFile($"broken-{i:00}-{new string('x', 200)}.json", "{");
        }

        var report = await _fixture.ValidateAsync("""["json"]""");

        Assert.False(report.Passed);
        Assert.InRange(report.Output!.Length, 1, ValidationReport.OutputLimit);
        Assert.EndsWith("... and 10 more files that do not parse.", report.Output, StringComparison.Ordinal);
    }
}
