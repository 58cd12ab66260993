namespace Courier.Sources.Git;

/// <summary>
/// Makes <c>"git"</c> sources, one per repository: <c>{"type": "git", "repositories": ["ci@git.initech.com:chess/chess.git"],
/// "branch": "dev", "subdirectory": "config", "destination_path": "chess-config", "ssh_key": "../keys/ci.key",
/// "poll_interval": "00:05:00", "destinations": ["courier@sandbox"]}</c>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class GitSourceFactory(GitRepositoryCache cache) : ISourceFactory
{
    public const string TypeName = "git";

    public string Type => TypeName;

    public IReadOnlyList<ISource> Create(SourceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var repositories = definition.GetStringList("repositories");
        if (repositories.Count == 0)
        {
            throw definition.Error("\"repositories\" is required: a list of git repository addresses (e.g. \"ci@git.initech.com:chess/chess.git\").");
        }

        var urls = repositories.Select(address =>
        {
            try
            {
                return GitRepositoryUrl.Parse(address);
            }
            catch (FormatException e)
            {
                throw definition.Error(e.Message);
            }
        }).ToList();

        var branch = definition.GetString("branch") ?? "master";
        if (GitBranchName.Problem(branch) is { } problem)
        {
            throw definition.Error($"\"branch\" \"{branch}\" is not a valid git branch name: {problem}.");
        }

        var subdirectory = definition.GetRelativePath("subdirectory");
        var destinationPath = definition.GetRelativePath("destination_path");
        if (destinationPath is not null && urls.Count > 1)
        {
            throw definition.Error($"\"destination_path\" can only be set with exactly one repository; this entry has {urls.Count}.");
        }

        var key = definition.GetString("ssh_key") is { Length: > 0 } keyPath ? definition.ResolvePath(keyPath) : null;
        var destinations = definition.GetStringList("destinations");
        var pollInterval = PollIntervals.Read(definition);
        var duplicate = urls.GroupBy(url => url.Original, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw definition.Error($"repository \"{duplicate.Key}\" is listed twice.");
        }

        return [.. urls.Select(url => new GitSource(url, branch, key, subdirectory, destinationPath ?? CheckedName(definition, url), destinations, cache) { PollInterval = pollInterval })];
    }

    private static string CheckedName(SourceDefinition definition, GitRepositoryUrl url) =>
        url.Name is "." or ".." || url.Name.Any(char.IsControl)
            ? throw definition.Error($"repository \"{url}\" gives no usable directory name; set \"destination_path\".")
            : url.Name;
}
