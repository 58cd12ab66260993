using CliWrap;
using CliWrap.Buffered;

namespace Courier.Testing;

/// <summary>The git command line, for fixtures that make and change repositories.</summary>
public static class Git
{
    /// <summary>Runs git with <paramref name="arguments"/> in <paramref name="workingDirectory"/> (fixed author, no system config); returns its trimmed output, throwing with its error output when it fails.</summary>
    public static async Task<string> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var result = await Cli.Wrap("git")
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(new Dictionary<string, string?>
            {
                ["GIT_AUTHOR_NAME"] = "Courier Tests",
                ["GIT_AUTHOR_EMAIL"] = "tests@courier.invalid",
                ["GIT_COMMITTER_NAME"] = "Courier Tests",
                ["GIT_COMMITTER_EMAIL"] = "tests@courier.invalid",
                ["GIT_CONFIG_NOSYSTEM"] = "1",
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}");
        }

        return result.StandardOutput.Trim();
    }
}

/// <summary>
/// Bare git repositories served over a real sshd (the user's shell runs git-upload-pack, as on any git host),
/// each with a working copy the test commits to.
/// </summary>
public sealed class GitServer : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private GitServer(TempDirectory directory, SshServer ssh)
    {
        _directory = directory;
        Ssh = ssh;
    }

    /// <summary>The sshd serving the repositories (git runs over SSH as the test user).</summary>
    public SshServer Ssh { get; }

    /// <summary>Starts an sshd (with <paramref name="options"/>) that serves bare repositories made with this server.</summary>
    public static async Task<GitServer> StartAsync(SshServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var ssh = await SshServer.StartAsync(options, cancellationToken);
        return new GitServer(TempDirectory.Create("courier-git"), ssh);
    }

    /// <summary>Makes <c>NAME.git</c> (bare, default branch master) and a working copy of it.</summary>
    public async Task<GitRepository> CreateRepositoryAsync(string name, CancellationToken cancellationToken = default)
    {
        var bare = _directory.Combine("repositories", name + ".git");
        var work = _directory.Combine("work", name);
        Directory.CreateDirectory(bare);
        Directory.CreateDirectory(work);
        await Git.RunAsync(bare, ["init", "--quiet", "--bare", "--initial-branch=master"], cancellationToken);
        await Git.RunAsync(work, ["init", "--quiet", "--initial-branch=master"], cancellationToken);
        await Git.RunAsync(work, ["remote", "add", "origin", bare], cancellationToken);
        return new GitRepository(this, name, bare, work);
    }

    /// <summary>Makes <c>NAME.git</c> holding <paramref name="files"/> (path to content), committed and pushed to <paramref name="branch"/>.</summary>
    public async Task<GitRepository> CreateRepositoryAsync(string name, string branch, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken = default)
    {
        var repository = await CreateRepositoryAsync(name, cancellationToken);
        foreach (var (path, content) in files)
        {
            await repository.WriteFileAsync(path, content, cancellationToken);
        }

        await repository.CommitAndPushAsync($"{name} v1", branch, cancellationToken);
        return repository;
    }

    /// <summary>
    /// Writes an ssh_config file giving this server the name <paramref name="alias"/> (host, port, user), so that
    /// scp-like addresses such as <c>alias:/path/repo.git</c> reach it.
    /// </summary>
    public string WriteSshConfig(string path, string alias)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"Host {alias}\n  HostName {Ssh.Host}\n  Port {Ssh.Port}\n  User {Ssh.User}\n");
        return path;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Ssh.DisposeAsync();
        _directory.Dispose();
    }
}

/// <summary>A bare repository on a <see cref="GitServer"/> and the working copy tests commit from.</summary>
public sealed class GitRepository
{
    private readonly GitServer _server;

    internal GitRepository(GitServer server, string name, string barePath, string workPath)
    {
        _server = server;
        Name = name;
        BarePath = barePath;
        WorkPath = workPath;
    }

    /// <summary>The repository's name (<c>NAME.git</c> on the server).</summary>
    public string Name { get; }

    /// <summary>The bare repository's path on the server.</summary>
    public string BarePath { get; }

    /// <summary>A working copy that pushes to the repository.</summary>
    public string WorkPath { get; }

    /// <summary><c>ssh://user@host:port/path/name.git</c></summary>
    public string SshUrl => $"ssh://{_server.Ssh.User}@{_server.Ssh.Host}:{_server.Ssh.Port}{BarePath}";

    /// <summary><c>file:///path/name.git</c></summary>
    public string FileUrl => "file://" + BarePath;

    /// <summary><c>alias:/path/name.git</c>, for an alias written with <see cref="GitServer.WriteSshConfig"/>.</summary>
    public string ScpLikeUrl(string alias) => $"{alias}:{BarePath}";

    /// <summary>Writes a file into the working copy (creating its directories); commit it with <see cref="CommitAndPushAsync"/>.</summary>
    public Task WriteFileAsync(string relativePath, string content, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(WorkPath, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return File.WriteAllTextAsync(path, content, cancellationToken);
    }

    /// <summary>Deletes a file of the working copy; commit it with <see cref="CommitAndPushAsync"/>.</summary>
    public Task DeleteFileAsync(string relativePath)
    {
        File.Delete(Path.Combine(WorkPath, relativePath));
        return Task.CompletedTask;
    }

    /// <summary>Commits everything in the working copy and pushes it to <paramref name="branch"/>; returns the commit SHA.</summary>
    public async Task<string> CommitAndPushAsync(string message, string branch = "master", CancellationToken cancellationToken = default)
    {
        await Git.RunAsync(WorkPath, ["add", "--all"], cancellationToken);
        await Git.RunAsync(WorkPath, ["commit", "--quiet", "--allow-empty", "-m", message], cancellationToken);
        await Git.RunAsync(WorkPath, ["push", "--quiet", "--force", "origin", $"HEAD:refs/heads/{branch}"], cancellationToken);
        return await Git.RunAsync(WorkPath, ["rev-parse", "HEAD"], cancellationToken);
    }
}
