using System.Text.Json;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Sources.Git.Tests;

/// <summary>The <c>"git"</c> entries of a sources file: what they make, and the errors of wrong ones.</summary>
public sealed class GitSourceConfigurationTests : IDisposable
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-git-config");

    public void Dispose() => _temp.Dispose();

    internal static ISourceFactory Factory(string stateDirectory, string? sshConfigFile = null) =>
        new ServiceCollection()
            .AddCourier(o =>
            {
                o.StateDirectory = stateDirectory;
                o.Ssh.StrictHostKeyChecking = "no";
                o.Ssh.ConfigFile = sshConfigFile;
            })
            .AddGitSource()
            .Services.BuildServiceProvider()
            .GetServices<ISourceFactory>()
            .Single(f => f.Type == "git");

    private IReadOnlyList<ISource> Create(string json)
    {
        var file = _temp.WriteFile("config/sources/games.json", $"[{json}]");
        using var document = JsonDocument.Parse(json);
        return Factory(_temp.Combine("state")).Create(new SourceDefinition(document.RootElement.Clone(), file, 0));
    }

    [Fact]
    public void Registers_under_the_git_type() => Assert.Equal("git", Factory(_temp.Combine("state")).Type);

    [Fact]
    public void The_readme_example_with_two_repositories_makes_one_source_each()
    {
        var sources = Create("""
            {
                "type": "git",
                "repositories": ["ci@git.initech.com:checkers/checkers-config.git", "ci@git.initech.com:go/go-config.git"],
                "branch": "dev",
                "ssh_key": "../keys/ci@git.initech.com.key",
                "destinations": ["courier@sandbox"]
            }
            """);

        Assert.Equal(["git:ci@git.initech.com:checkers/checkers-config.git#dev->checkers-config", "git:ci@git.initech.com:go/go-config.git#dev->go-config"], sources.Select(s => s.Id));
        Assert.All(sources, source => Assert.Equal(["courier@sandbox"], source.Destinations));
        Assert.All(sources, source => Assert.Equal("git", source.Type));
    }

    [Fact]
    public void The_readme_example_with_a_subdirectory_names_it_by_its_destination_path()
    {
        var source = Assert.Single(Create("""
            {
                "type": "git",
                "repositories": ["ci@git.initech.com:chess/chess.git"],
                "subdirectory": "config",
                "destination_path": "chess-config",
                "branch": "dev",
                "ssh_key": "../keys/ci@git.initech.com.key",
                "destinations": ["courier@sandbox"]
            }
            """));

        Assert.Equal("git:ci@git.initech.com:chess/chess.git#dev:config->chess-config", source.Id);
    }

    [Fact]
    public void The_branch_defaults_to_master()
    {
        var source = Assert.Single(Create("""{"type": "git", "repositories": ["ci@git.initech.com:chess/chess.git"]}"""));

        Assert.True(source.Matches(UpdateTrigger.GitPush("ci@git.initech.com:chess/chess.git", "master")));
        Assert.False(source.Matches(UpdateTrigger.GitPush("ci@git.initech.com:chess/chess.git", "dev")));
    }

    [Theory]
    [InlineData("ci@git.initech.com:chess/chess.git")]
    [InlineData("git@git.initech.com:chess/chess.git")]
    [InlineData("git.initech.com:chess/chess")]
    [InlineData("ssh://ci@git.initech.com/chess/chess.git")]
    [InlineData("ssh://git@GIT.initech.com:22/chess/chess.git/")]
    [InlineData("https://git.initech.com/chess/chess.git")]
    [InlineData("http://git.initech.com/chess/chess")]
    public void A_push_matches_the_repository_in_every_form_it_is_written(string pushedUrl)
    {
        var source = Assert.Single(Create("""{"type": "git", "repositories": ["ci@git.initech.com:chess/chess.git"], "branch": "dev"}"""));

        Assert.True(source.Matches(UpdateTrigger.GitPush(pushedUrl, "dev")));
    }

    [Theory]
    [InlineData("ci@git.initech.com:chess/checkers.git")]
    [InlineData("ci@git.other.com:chess/chess.git")]
    [InlineData("ssh://ci@git.initech.com:2222/chess/chess.git")]
    [InlineData("ci@git.initech.com:other/chess/chess.git")]
    [InlineData("/chess/chess.git")]
    [InlineData("not a url")]
    public void A_push_of_another_repository_does_not_match(string pushedUrl)
    {
        var source = Assert.Single(Create("""{"type": "git", "repositories": ["ci@git.initech.com:chess/chess.git"], "branch": "dev"}"""));

        Assert.False(source.Matches(UpdateTrigger.GitPush(pushedUrl, "dev")));
        Assert.False(source.Matches(UpdateTrigger.HermesDirectory("chess")));
        Assert.True(source.Matches(UpdateTrigger.All));
    }

    [Fact]
    public void Local_paths_and_file_urls_name_the_same_repository()
    {
        var source = Assert.Single(Create("""{"type": "git", "repositories": ["/srv/git/chess.git"]}"""));

        Assert.True(source.Matches(UpdateTrigger.GitPush("file:///srv/git/chess.git", "master")));
        Assert.True(source.Matches(UpdateTrigger.GitPush("/srv/git/chess", "master")));
        Assert.False(source.Matches(UpdateTrigger.GitPush("srv:/srv/git/chess.git", "master")));
    }

    [Theory]
    [InlineData("""{"type": "git"}""", "\"repositories\" is required")]
    [InlineData("""{"type": "git", "repositories": []}""", "\"repositories\" is required")]
    [InlineData("""{"type": "git", "repositories": "ci@host:a.git"}""", "\"repositories\" must be a list")]
    [InlineData("""{"type": "git", "repositories": [42]}""", "must be a list of non-empty strings")]
    [InlineData("""{"type": "git", "repositories": ["ci@host:a.git", "ci@host:b.git"], "destination_path": "x"}""", "only be set with exactly one repository")]
    [InlineData("""{"type": "git", "repositories": ["ci@host:a.git"], "branch": 7}""", "\"branch\" must be a string")]
    [InlineData("""{"type": "git", "repositories": ["ci@host:a.git"], "branch": "dev; rm -rf /"}""", "not a valid git branch name")]
    [InlineData("""{"type": "git", "repositories": ["ci@host:a.git"], "branch": "../../etc"}""", "not a valid git branch name")]
    [InlineData("""{"type": "git", "repositories": ["ci@host:a.git"], "branch": "-upload-pack=touch"}""", "not a valid git branch name")]
    [InlineData("""{"type": "git", "repositories": ["ci@host:a.git"], "subdirectory": "../etc"}""", "\"subdirectory\" must be a relative path")]
    [InlineData("""{"type": "git", "repositories": ["ci@host:a.git"], "subdirectory": "/etc"}""", "\"subdirectory\" must be a relative path")]
    [InlineData("""{"type": "git", "repositories": ["ci@host:a.git"], "destination_path": "a/../../b"}""", "\"destination_path\" must be a relative path")]
    [InlineData("""{"type": "git", "repositories": ["ssh://-oProxyCommand=touch%20x/a.git"]}""", "is not a valid URL")]
    [InlineData("""{"type": "git", "repositories": ["-oProxyCommand=x@host:a.git"]}""", "starts with \"-\"")]
    [InlineData("""{"type": "git", "repositories": ["ci@-oProxyCommand=x:a.git"]}""", "invalid host")]
    [InlineData("""{"type": "git", "repositories": ["-oProxyCommand=x:a.git"]}""", "starts with \"-\"")]
    [InlineData("""{"type": "git", "repositories": ["ftp://host/a.git"]}""", "scheme \"ftp\"")]
    [InlineData("""{"type": "git", "repositories": ["ci@host:a.git", "ci@host:a.git"]}""", "listed twice")]
    [InlineData("""{"type": "git", "repositories": ["ci@host:a.git"], "ssh_key": ["k"]}""", "\"ssh_key\" must be a string")]
    public void A_wrong_entry_is_an_error_naming_the_file_the_entry_and_the_field(string json, string expected)
    {
        var error = Assert.Throws<CourierConfigurationException>(() => Create(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(_temp.Combine("config", "sources", "games.json") + " entry #1", error.Message, StringComparison.Ordinal);
    }
}
