using System.Diagnostics;

namespace Courier.Sources.Git;

/// <summary>
/// One <c>ssh HOST git-upload-pack 'PATH'</c> process of a fetch. Reads wait at most
/// <c>Courier:Timeouts:GitInactivity</c> for bytes and never past <c>Courier:Timeouts:GitFetch</c>; on either, or on
/// cancellation, the process tree is killed (the blocked read then ends). Through a shared connection the master
/// holds the session's pipes too: when they stay open <see cref="HeldOutput.Grace"/> after the kill, the shared
/// connection is ended as well. Disposing always waits for the process, and for its standard error boundedly.
/// </summary>
internal sealed class GitSshProcess : IDisposable
{
    private const int StandardErrorLimit = 8 * 1024;

    private readonly Process _process;
    private readonly GitSshFetch _fetch;
    private readonly Stopwatch _started = Stopwatch.StartNew();
    private readonly OutputTail _standardError = new(StandardErrorLimit);
    private readonly CancellationTokenRegistration _cancellation;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private Task _standardErrorRead = Task.CompletedTask;
    private string? _killedBecause;
    private int _disposed;

    private GitSshProcess(Process process, GitSshFetch fetch)
    {
        _process = process;
        _fetch = fetch;
        _cancellation = fetch.CancellationToken.Register(() => Kill("the update was cancelled"));
    }

    /// <summary>Why the process was ended, or what ssh said on standard error; <see langword="null"/> when neither.</summary>
    public string? Failure
    {
        get
        {
            var said = string.Join(" | ", _standardError.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(5));

            return _killedBecause is { } reason ? (said.Length > 0 ? $"{reason} (ssh said: {said})" : reason) : (said.Length > 0 ? said : null);
        }
    }

    public static GitSshProcess Start(GitSshFetch fetch, string service)
    {
        var url = fetch.Url;
        var startInfo = new ProcessStartInfo(fetch.SshCommand[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in fetch.SshCommand.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (url.Port is { } port)
        {
            startInfo.ArgumentList.Add("-p");
            startInfo.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (url.User.Length > 0)
        {
            startInfo.ArgumentList.Add("-l");
            startInfo.ArgumentList.Add(url.User);
        }

        // ssh joins the remote command into one string for the remote shell: the path is quoted as git quotes it.
        startInfo.ArgumentList.Add("--");
        startInfo.ArgumentList.Add(url.Host);
        startInfo.ArgumentList.Add($"{service} {ShellQuoting.ForPosixShell(RemotePath(url))}");

        var process = new Process { StartInfo = startInfo };
        var started = new GitSshProcess(process, fetch);
        process.Start();
        // Read here rather than with BeginErrorReadLine, whose end Process.WaitForExit() waits for without a bound.
        started._standardErrorRead = started._standardError.ReadToEndAsync(process.StandardError);
        return started;
    }

    /// <summary>Copies at most <paramref name="length"/> bytes of ssh's output into <paramref name="destination"/>; 0 at the end.</summary>
    public long Read(Stream destination, long length)
    {
        using var watchdog = Watch();
        var read = _process.StandardOutput.BaseStream.Read(_buffer, 0, (int)Math.Min(length, _buffer.Length));
        if (read == 0 && (_killedBecause is not null || _process.HasExited))
        {
            throw new IOException(Failure ?? "ssh ended before git had all it asked for.");
        }

        destination.Write(_buffer, 0, read);
        return read;
    }

    /// <summary>Sends <paramref name="length"/> bytes of <paramref name="source"/> to ssh.</summary>
    public void Write(Stream source, long length)
    {
        using var watchdog = Watch();
        try
        {
            var input = _process.StandardInput.BaseStream;
            CopyExactly(source, input, length);
            input.Flush();
        }
        catch (IOException e)
        {
            throw new IOException(Failure ?? $"ssh stopped reading: {e.Message}", e);
        }
    }

    /// <summary>Ends ssh (gently when it is done, killing its tree otherwise) and reaps it. Safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // ssh is gone already.
        }

        if (!_process.WaitForExit(TimeSpan.FromSeconds(1)))
        {
            Kill(null);
        }

        _process.WaitForExit();
        if (!_standardErrorRead.Wait(_killedBecause is null ? HeldOutput.GraceAfterSuccess : HeldOutput.Grace))
        {
            // ssh has ended, yet its standard error is open: the shared connection's master holds it for a session
            // the server never ended (its command hangs).
            _fetch.AbandonConnection();
            _standardErrorRead.Wait(HeldOutput.Limit);
        }

        _cancellation.Dispose();
        _process.Dispose();
    }

    /// <summary>
    /// Bounds one read or write: at the deadline ssh is killed; when the blocked call still has not returned
    /// <see cref="HeldOutput.Grace"/> later, the shared connection holding the pipes is ended too.
    /// </summary>
    private GitSshWatchdog Watch()
    {
        var wait = Wait();
        var watchdog = new GitSshWatchdog(_fetch.CancellationToken);
        watchdog.Start(wait.Limit, () => Kill(wait.Reason), HeldOutput.Grace, _fetch.AbandonConnection);
        return watchdog;
    }

    private (TimeSpan Limit, string Reason) Wait()
    {
        var remaining = _fetch.Total - _started.Elapsed;
        if (remaining <= TimeSpan.Zero)
        {
            Kill(TotalReason);
            throw new IOException(Failure);
        }

        return remaining < _fetch.Inactivity
            ? (remaining, TotalReason)
            : (_fetch.Inactivity, $"git fetch received nothing within {CourierTimeouts.Describe(nameof(CourierTimeouts.GitInactivity), _fetch.Inactivity)}; ssh was ended");
    }

    private string TotalReason => $"git fetch did not finish within {CourierTimeouts.Describe(nameof(CourierTimeouts.GitFetch), _fetch.Total)}; ssh was ended";

    private void Kill(string? reason)
    {
        if (reason is not null)
        {
            Interlocked.CompareExchange(ref _killedBecause, reason, null);
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited already (or never started): nothing to kill.
        }
    }

    private void CopyExactly(Stream source, Stream destination, long length)
    {
        while (length > 0)
        {
            var read = source.Read(_buffer, 0, (int)Math.Min(length, _buffer.Length));
            if (read == 0)
            {
                break;
            }

            destination.Write(_buffer, 0, read);
            length -= read;
        }
    }

    /// <summary>An scp-like path is relative to the login's home; <c>ssh://host/~/x</c> means <c>~/x</c>, as git reads it.</summary>
    private static string RemotePath(GitRepositoryUrl url) => url.Path.StartsWith("/~", StringComparison.Ordinal) ? url.Path[1..] : url.Path;
}
