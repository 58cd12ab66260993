using System.Diagnostics;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Sources.Git.Tests;

/// <summary>The <c>"branch"</c> of a git entry is accepted exactly when git itself takes it as a branch name.</summary>
public sealed class GitBranchNameTests : IDisposable
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-git-branch");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("dev")]
    [InlineData("feature/x")]
    [InlineData("release-1.0")]
    [InlineData("a.b")]
    [InlineData("a@b")]
    [InlineData("ü-branch")]
    [InlineData("a..b")]
    [InlineData("x.lock")]
    [InlineData("a/.b")]
    [InlineData(".a")]
    [InlineData("a b")]
    [InlineData("a@{b")]
    [InlineData("a/")]
    [InlineData("/a")]
    [InlineData("a.")]
    [InlineData("a//b")]
    [InlineData("a:b")]
    [InlineData("a~1")]
    [InlineData("a^")]
    [InlineData("a?b")]
    [InlineData("a*")]
    [InlineData("a[b")]
    [InlineData("a\\b")]
    [InlineData("a\tb")]
    public async Task A_branch_is_accepted_exactly_when_git_check_ref_format_accepts_it(string branch)
    {
        var gitAccepts = await GitAcceptsAsync(branch);

        var error = Record.Exception(() => Create(branch));

        if (gitAccepts)
        {
            Assert.Null(error);
        }
        else
        {
            var configurationError = Assert.IsType<CourierConfigurationException>(error);
            Assert.Contains("is not a valid git branch name", configurationError.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("@")]
    [InlineData("-b")]
    [InlineData("")]
    public void Names_git_would_not_read_as_a_branch_are_refused(string branch)
    {
        var error = Assert.Throws<CourierConfigurationException>(() => Create(branch));

        Assert.Contains("is not a valid git branch name", error.Message, StringComparison.Ordinal);
    }

    private void Create(string branch)
    {
        var json = JsonSerializer.Serialize(new { type = "git", repositories = new[] { "ci@host:a.git" }, branch });
        var file = _temp.WriteFile("config/sources/games.json", $"[{json}]");
        using var document = JsonDocument.Parse(json);
        GitSourceConfigurationTests.Factory(_temp.Combine("state")).Create(new SourceDefinition(document.RootElement.Clone(), file, 0));
    }

    private static async Task<bool> GitAcceptsAsync(string branch)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "check-ref-format", "--branch", branch })
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        _ = git.StandardOutput.ReadToEndAsync(timeout.Token);
        _ = git.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await git.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            git.Kill(entireProcessTree: true);
            throw;
        }

        return git.ExitCode == 0;
    }
}
