using System.Text.Json;
using Courier.Testing;

namespace Courier.Sources.Git.Tests;

/// <summary>The <c>poll_interval</c> field of a git entry: seconds or a time span, checked, off when absent.</summary>
public sealed class GitSourcePollIntervalTests : IDisposable
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-git-poll");

    public void Dispose() => _temp.Dispose();

    private IReadOnlyList<ISource> Create(string pollInterval)
    {
        var json = $$"""{"type": "git", "repositories": ["ci@git.initech.com:chess/chess.git"], "branch": "dev", "destinations": ["box"]{{pollInterval}}}""";
        var file = _temp.WriteFile("config/sources/chess.json", $"[{json}]");
        using var document = JsonDocument.Parse(json);
        return GitSourceConfigurationTests.Factory(_temp.Combine("state")).Create(new SourceDefinition(document.RootElement.Clone(), file, 0));
    }

    [Theory]
    [InlineData(""", "poll_interval": 300""", 300)]
    [InlineData(""", "poll_interval": "00:05:00" """, 300)]
    [InlineData(""", "poll_interval": 1.5""", 1.5)]
    public void A_poll_interval_in_seconds_or_as_a_time_span_is_the_sources_interval(string field, double seconds)
    {
        var source = Assert.IsAssignableFrom<IPolledSource>(Assert.Single(Create(field)));

        Assert.Equal(TimeSpan.FromSeconds(seconds), source.PollInterval);
        Assert.Equal(UpdateTrigger.GitPush("ci@git.initech.com:chess/chess.git", "dev"), source.PollTrigger);
    }

    [Fact]
    public void Without_a_poll_interval_the_source_leaves_it_to_the_host_default()
    {
        var source = Assert.IsAssignableFrom<IPolledSource>(Assert.Single(Create(string.Empty)));

        Assert.Null(source.PollInterval);
    }

    [Theory]
    [InlineData(""", "poll_interval": "soon" """)]
    [InlineData(""", "poll_interval": 0""")]
    [InlineData(""", "poll_interval": -5""")]
    [InlineData(""", "poll_interval": "30.00:00:00" """)]
    [InlineData(""", "poll_interval": true""")]
    public void A_wrong_poll_interval_is_a_clear_error_naming_the_field(string field)
    {
        var error = Assert.Throws<CourierConfigurationException>(() => Create(field));

        Assert.Contains("\"poll_interval\" must be a number of seconds (300) or a time span (\"00:05:00\") from 00:00:01 to 1.00:00:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("chess.json entry #1", error.Message, StringComparison.Ordinal);
    }
}
