namespace Courier.Core.Transfer;

/// <summary>
/// Keeps an in-place delivery out of an atomic target. Where <c>PATH/NAME</c> is the link of atomic releases,
/// rsync in place would write through it into the live release: readers would see a mix, and the release would
/// name a revision it no longer holds. The check is a few words in front of the remote rsync, on the same login,
/// so it costs no round trip; such a target is refused and keeps what it has.
/// </summary>
internal static class InPlaceGuard
{
    /// <summary>What the target prints, on standard error, when it refuses.</summary>
    public const string Marker = "courier-published-atomically:";

    /// <summary>The remote shell's exit code for a refusal.</summary>
    public const int ExitCode = 5;

    /// <summary>The start of the remote command line; empty for a whole hermes directory, which has no release link.</summary>
    public static string Prefix(string root, string? name, string target)
    {
        if (name is null)
        {
            return string.Empty;
        }

        var live = ShellQuoting.ForPosixShell($"{root}/{name}");
        var releases = ShellQuoting.ForPosixShell(AtomicRelease.ReleasesDirectory(root, name));
        var refusal = ShellQuoting.ForPosixShell($"{Marker} {target} is published atomically (its path is a link to a release of {AtomicRelease.ReleasesDirectory(root, name)}); " +
            "an in-place delivery would write into the live release, so nothing was changed. Deliver to it with \"publish\": \"atomic\".");
        return $"{{ [ -L {live} ] && [ -d {releases} ]; }} && {{ echo {refusal} >&2; exit {ExitCode}; }}; ";
    }

    /// <summary>Why the target refused, as it said on <paramref name="standardError"/>; null when it did not.</summary>
    public static string? RefusalIn(string standardError) => RemoteScript.RefusalIn(standardError, Marker);
}
