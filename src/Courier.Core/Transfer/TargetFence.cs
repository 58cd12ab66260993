namespace Courier.Core.Transfer;

/// <summary>
/// Fencing on the target: a file beside the delivered tree holds the fencing token of the delivery that last changed
/// it, and a delivery with a lower token changes nothing (<see cref="DeliveryOptions.FencingToken"/>). With atomic
/// publish the check and the switch are one step of <see cref="AtomicRelease.Script"/>, under <c>flock</c> where the
/// target has it, so a run frozen past its lease cannot switch back over a newer one. In place, the check runs just
/// before rsync starts: it refuses a stale run that starts late, not one already writing.
/// </summary>
internal static class TargetFence
{
    /// <summary>What the target prints, on standard error, when it refuses a delivery.</summary>
    public const string Marker = "courier-fenced:";

    /// <summary>The exit code of a refused step.</summary>
    public const int ExitCode = 4;

    /// <summary>Shell functions shared by the target scripts: read, check (exit 4) and record a fence file.</summary>
    public const string Functions = """
        set -eu
        held=0
        fence_held() {
          held=0
          if [ -f "$1" ]; then read -r held < "$1" || true; fi
          case $held in ''|*[!0-9]*) held=0 ;; esac
        }
        fence_lock() {
          if [ -n "$2" ] && command -v flock >/dev/null 2>&1; then
            exec 9>>"$1.lock"
            flock -w 30 9 || { echo "could not lock $1.lock within 30 s" >&2; exit 3; }
          fi
        }
        fence_check() {
          [ -n "$2" ] || return 0
          fence_held "$1"
          if [ "$held" -gt "$2" ]; then
            echo "courier-fenced: $3 was changed by a newer run of its source (fencing token $held; this run's is $2): left as it is" >&2
            exit 4
          fi
        }
        fence_record() {
          [ -n "$2" ] || return 0
          fence_held "$1"
          if [ "$held" -le "$2" ]; then printf '%s\n' "$2" > "$1.new.$$"; mv -f -- "$1.new.$$" "$1"; fi
        }

        """;

    // Run before the remote rsync of an in-place delivery: $1 the fence file, $2 the token, $3 the path as people read it.
    private const string InPlaceScript = Functions + """
        mkdir -p -- "${1%/*}"
        fence_check "$1" "$2" "$3"
        fence_record "$1" "$2"
        """;

    /// <summary>The fence file of an in-place delivery into <paramref name="root"/> (the whole of it when <paramref name="name"/> is null).</summary>
    public static string InPlaceFile(string root, string? name) =>
        name is null ? $"{root}/{AtomicRelease.StateDirectory}/in-place.fence" : $"{root}/{AtomicRelease.StateDirectory}/in-place/{name}.fence";

    /// <summary>
    /// The start of an in-place delivery's remote rsync command: the fence check, after which rsync runs unless it
    /// refused (exit 4). A check that could not run at all (a sudoers entry allowing only rsync) does not stop the
    /// delivery: in place, fencing is a safeguard, and the original's setups must keep working.
    /// </summary>
    public static string InPlacePrefix(bool sudo, string file, long token, string target) =>
        $"{RemoteScript.Command(sudo, InPlaceScript, "courier-fence", [file, Argument(token), target])}; [ $? -ne {ExitCode} ] && ";

    /// <summary>A token as the target scripts take it: digits, or empty for none.</summary>
    public static string Argument(long? token) => token?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>Why the target refused, as it said on <paramref name="standardError"/>; null when it did not refuse.</summary>
    public static string? RefusalIn(string standardError) => RemoteScript.RefusalIn(standardError, Marker);

    /// <summary>What the target says when it refuses, as Courier says it when it finds that out first.</summary>
    public static string Refusal(string path, long held, long token) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path} was changed by a newer run of its source (fencing token {held}; this run's is {token}): left as it is");
}
