namespace Courier.Core.Transfer;

/// <summary>rsync's exit codes as its manual names them, and which failures are worth another try.</summary>
internal static class RsyncExitCodes
{
    private static readonly Dictionary<int, string> Meanings = new()
    {
        [1] = "syntax or usage error",
        [2] = "protocol incompatibility",
        [3] = "errors selecting input/output files, dirs",
        [4] = "requested action not supported",
        [5] = "error starting client-server protocol",
        [6] = "daemon unable to append to log-file",
        [10] = "error in socket I/O",
        [11] = "error in file I/O",
        [12] = "error in rsync protocol data stream",
        [13] = "errors with program diagnostics",
        [14] = "error in IPC code",
        [20] = "received SIGUSR1 or SIGINT",
        [21] = "some error returned by waitpid()",
        [22] = "error allocating core memory buffers",
        [23] = "partial transfer due to error",
        [24] = "partial transfer due to vanished source files",
        [25] = "the --max-delete limit stopped deletions",
        [30] = "timeout in data send/receive",
        [35] = "timeout waiting for daemon connection",
        [255] = "the ssh connection failed",
    };

    private static readonly int[] TransientCodes = [10, 12, 30, 35, 255];

    private static readonly string[] NeverRetried =
    [
        "Permission denied",
        "Host key verification failed",
        "REMOTE HOST IDENTIFICATION HAS CHANGED",
        "No matching host key",
        "Too many authentication failures",
        "Could not resolve hostname",
        "does not exist",
    ];

    private static readonly string[] TransientMessages =
    [
        "Connection refused",
        "Connection reset",
        "Connection closed",
        "Connection timed out",
        "timed out",
        "Broken pipe",
        "No route to host",
        "did not come up",
    ];

    /// <summary>The manual's meaning of <paramref name="exitCode"/>, such as "error in file I/O" for 11.</summary>
    public static string Meaning(int exitCode) => Meanings.TryGetValue(exitCode, out var meaning) ? meaning : "an exit code rsync's manual does not list";

    /// <summary>
    /// Whether a failure is transient: a dropped or refused connection, a timeout, rsync exit codes 10, 12, 30, 35
    /// or 255 — never an authentication failure, a changed host key or a configuration error.
    /// </summary>
    public static bool IsTransient(int exitCode, string? error)
    {
        error ??= string.Empty;
        if (NeverRetried.Any(text => error.Contains(text, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return TransientCodes.Contains(exitCode) || TransientMessages.Any(text => error.Contains(text, StringComparison.OrdinalIgnoreCase));
    }
}
