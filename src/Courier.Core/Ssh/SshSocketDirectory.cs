using Microsoft.Extensions.Logging;

namespace Courier.Core.Ssh;

/// <summary>
/// Where the control sockets of shared ssh connections live: <c>StateDirectory/ssh</c>, private to this user, or a
/// private temporary directory when that path is too long for a Unix socket (about 100 bytes with ssh's suffix).
/// </summary>
internal static partial class SshSocketDirectory
{
    // A socket name is 16 characters and a generation (".1234567" at most); ssh first binds it with a 17-character temporary suffix.
    private const int MaxDirectoryLength = 100 - 1 - 16 - 8 - 17;
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const string TemporaryPrefix = "courier-ssh-";

    /// <summary>Makes the directory; null when it cannot (sharing is then off). A socket a previous run left is replaced when its connection starts again.</summary>
    public static string? Create(string stateDirectory, ILogger logger)
    {
        try
        {
            var preferred = Path.Combine(Path.GetFullPath(stateDirectory), "ssh");
            if (preferred.Length > MaxDirectoryLength || OperatingSystem.IsWindows())
            {
                return OperatingSystem.IsWindows() ? null : Directory.CreateTempSubdirectory(TemporaryPrefix).FullName;
            }

            Directory.CreateDirectory(preferred, Private);
            File.SetUnixFileMode(preferred, Private);
            return preferred;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnavailable(logger, e.Message);
            return null;
        }
    }

    /// <summary>Removes the directory when it was a temporary one (each connection removes its own socket).</summary>
    public static void Remove(string directory)
    {
        try
        {
            if (Path.GetFileName(directory).StartsWith(TemporaryPrefix, StringComparison.Ordinal))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Sockets left behind are removed at the next start.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared ssh connections are off: no private directory for their sockets ({Error})")]
    private static partial void LogUnavailable(ILogger logger, string error);
}
