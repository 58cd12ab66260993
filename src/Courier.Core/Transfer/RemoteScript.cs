namespace Courier.Core.Transfer;

/// <summary>A fixed POSIX shell script run on a target, its values as positional arguments, each quoted by Courier.</summary>
internal static class RemoteScript
{
    /// <summary>The remote command line <c>[sudo -n] sh -c SCRIPT NAME ARGS...</c>, every word quoted.</summary>
    public static string Command(bool sudo, string script, string name, IEnumerable<string> arguments)
    {
        IEnumerable<string> words = ["sh", "-c", script, name, .. arguments];
        return string.Join(' ', (sudo ? ["sudo", "-n", .. words] : words).Select(ShellQuoting.ForPosixShell));
    }

    /// <summary>What a target script said after <paramref name="marker"/> on <paramref name="standardError"/> when it refused a step; null when it did not.</summary>
    public static string? RefusalIn(string standardError, string marker) =>
        standardError.Split('\n').FirstOrDefault(line => line.Contains(marker, StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim()
            : null;
}
