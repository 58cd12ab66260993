using System.Diagnostics;

namespace Courier.Bench;

/// <summary>
/// Moves a bare repository's branch, one transaction per move, through one long-lived <c>git update-ref --stdin</c>
/// (a process per move takes 50 to 200 ms on a loaded 2-core machine: more than the storm's interval).
/// </summary>
internal sealed class BranchMover : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly Process _git;
    private readonly string _branch;

    private BranchMover(Process git, string branch)
    {
        _git = git;
        _branch = branch;
    }

    public static BranchMover Start(string bareRepository, string branch)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = bareRepository,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "update-ref", "--stdin" })
        {
            start.ArgumentList.Add(argument);
        }

        return new BranchMover(Process.Start(start) ?? throw new InvalidOperationException("git update-ref did not start."), branch);
    }

    /// <summary>Moves the branch from <paramref name="from"/> to <paramref name="to"/> and waits until git committed it.</summary>
    public async Task MoveAsync(string from, string to)
    {
        await _git.StandardInput.WriteAsync($"start\nupdate refs/heads/{_branch} {to} {from}\ncommit\n");
        await _git.StandardInput.FlushAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            var line = await _git.StandardOutput.ReadLineAsync(deadline.Token)
                ?? throw new InvalidOperationException($"git update-ref ended while moving {_branch} to {to}.");
            if (line == "commit: ok")
            {
                return;
            }

            if (line != "start: ok")
            {
                throw new InvalidOperationException($"git update-ref answered \"{line}\" while moving {_branch} to {to}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _git.StandardInput.Close();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await _git.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _git.Kill();
            await _git.WaitForExitAsync(CancellationToken.None);
        }

        _git.Dispose();
    }
}
