using System.Globalization;
using System.Text;

namespace Courier.Core.Transfer;

/// <summary>What the target's live path is before an atomic delivery: a release link, a real directory, or nothing yet.</summary>
internal enum LiveKind
{
    Missing,
    Link,
    Directory,
}

/// <summary>The state of a target's live path, as <see cref="AtomicRelease.Script"/>'s <c>inspect</c> prints it.</summary>
/// <param name="Kind">What <c>PATH/NAME</c> is.</param>
/// <param name="Current">The release the link names (its directory name), or null.</param>
/// <param name="Since">When the link was last switched, or null.</param>
/// <param name="Next">The number the next release gets (one more than any release there).</param>
internal sealed record LiveRelease(LiveKind Kind, string? Current, DateTimeOffset? Since, long Next)
{
    /// <summary>The releases kept on the target, oldest first.</summary>
    public IReadOnlyList<string> Kept { get; init; } = [];

    /// <summary>The fencing token of the delivery that last switched the link; 0 when none recorded one.</summary>
    public long Fence { get; init; }

    /// <summary>The next release, made by <c>inspect</c> as hard links to the live one for rsync to update; null when none was.</summary>
    public string? Prepared { get; init; }

    /// <summary>The newest kept release of <paramref name="revision"/> (a release directory name), or null.</summary>
    public string? KeptReleaseOf(string revision) =>
        Kept.LastOrDefault(name => name.LastIndexOf('-') is var dash and > 0 && name[..dash] == revision);

    /// <summary>The revision part of <see cref="Current"/>: <c>&lt;revision&gt;-&lt;n&gt;</c> without its number.</summary>
    public string? CurrentRevision => Current is { } name && name.LastIndexOf('-') is var dash and > 0 ? name[..dash] : null;

    /// <summary>The <c>since=</c> line <c>switch</c> prints: when the new link was made, by the target's clock.</summary>
    public static DateTimeOffset? SwitchedAt(string output) =>
        output.Split('\n', StringSplitOptions.TrimEntries).LastOrDefault(line => line.StartsWith("since=", StringComparison.Ordinal)) is { } line &&
        long.TryParse(line["since=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Reads the <c>key=value</c> lines of <c>inspect</c>.</summary>
    /// <exception cref="FormatException">The output is not what the script prints.</exception>
    public static LiveRelease Parse(string output)
    {
        var pairs = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToList();
        var fields = pairs
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.Ordinal);
        var kind = fields.GetValueOrDefault("kind") switch
        {
            "link" => LiveKind.Link,
            "dir" => LiveKind.Directory,
            "missing" => LiveKind.Missing,
            var other => throw new FormatException($"the target's release check printed kind \"{other}\"."),
        };
        // The releases as numbered directories, in their order: sorted here, so the target runs no sort, tail or cut.
        var kept = pairs.Where(parts => parts[0] == "release").Select(parts => parts[1])
            .Select(release => (Release: release, Number: NumberOf(release)))
            .Where(numbered => numbered.Number is not null)
            .OrderBy(numbered => numbered.Number)
            .Select(numbered => numbered.Release)
            .ToList();
        var next = kept.Count == 0 ? 1 : NumberOf(kept[^1])!.Value + 1;

        var since = long.TryParse(fields.GetValueOrDefault("since"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        return new LiveRelease(kind, fields.GetValueOrDefault("current") is { Length: > 0 } current ? current : null, kind == LiveKind.Link ? since : null, next)
        {
            Kept = kept,
            Fence = long.TryParse(fields.GetValueOrDefault("fence"), NumberStyles.None, CultureInfo.InvariantCulture, out var fence) ? fence : 0,
            Prepared = fields.GetValueOrDefault("prepared") is { Length: > 0 } prepared ? prepared : null,
        };
    }

    /// <summary>The number of a release directory named <c>&lt;revision&gt;-&lt;n&gt;</c>, or null when it has none.</summary>
    private static long? NumberOf(string release) =>
        release.LastIndexOf('-') is var dash and >= 0 && long.TryParse(release.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
}

/// <summary>
/// The target side of atomic publish: <c>PATH/NAME</c> is a relative link to <c>PATH/.courier/releases/NAME/&lt;revision&gt;-&lt;n&gt;</c>.
/// One fixed POSIX shell script does every remote step (<c>inspect</c>, <c>switch</c>, <c>discard</c>); the values
/// travel as its positional arguments, each quoted by Courier, so nothing from configuration becomes shell code.
/// </summary>
internal static class AtomicRelease
{
    /// <summary>The directory beside the live paths that holds the releases; never delivered by any source.</summary>
    public const string StateDirectory = ".courier";

    // set -u and -e: a missing argument or a failed step ends the script with the tool's own message on stderr.
    // The switch is `mv -T` of a fresh link over the live one: rename(2), so readers see one tree or the other. A real
    // directory in its place (the first atomic delivery) is renamed into the releases first: two renames, nothing copied.
    public const string Script = TargetFence.Functions + """
        op=$1; root=$2; name=$3
        live="$root/$name"
        releases="$root/.courier/releases/$name"
        numbered() {
          [ -d "$releases" ] || return 0
          for entry in "$releases"/*-*; do
            [ -d "$entry" ] || continue
            n=${entry##*-}
            case $n in ''|*[!0-9]*) continue ;; esac
            echo "$n ${entry##*/}"
          done
        }
        current() {
          if [ -L "$live" ]; then target=$(readlink -- "$live"); echo "${target##*/}"; fi
        }
        case $op in
        inspect)
          parent=${live%/*}
          if [ "$4" = create ] && { [ ! -d "$releases" ] || [ ! -d "${parent:-/}" ]; }; then mkdir -p -- "$releases" "${parent:-/}"; fi
          kind=missing; since=; current=
          if [ -L "$live" ]; then
            kind=link; since=$(stat -c %Y -- "$live" 2>/dev/null || true); target=$(readlink -- "$live"); current=${target##*/}
          elif [ -d "$live" ]; then kind=dir
          elif [ -e "$live" ]; then echo "$live is neither a directory nor a link: not replaced" >&2; exit 3
          fi
          fence_held "$releases/fence"
          printf 'kind=%s\ncurrent=%s\nsince=%s\nfence=%s\n' "$kind" "$current" "$since" "$held"
          max=0
          if [ -d "$releases" ]; then
            for entry in "$releases"/*-*; do
              if [ -d "$entry" ]; then
                printf 'release=%s\n' "${entry##*/}"
                n=${entry##*-}
                case $n in ''|*[!0-9]*) ;; *) if [ "$n" -gt "$max" ]; then max=$n; fi ;; esac
              fi
            done
          fi
          # The next release of another revision starts as hard links to the live one (cp -al is cheaper than
          # rsync's --link-dest); rsync then replaces what changed by new files, so the live release is not touched.
          prepare=${5:-}; token=${6:-}
          if [ -n "$prepare" ] && [ "$kind" = link ] && [ "${current%-*}" != "$prepare" ] && [ -d "$releases/$current" ] && { [ -z "$token" ] || [ "$held" -le "$token" ]; }; then
            release="$prepare-$((max + 1))"
            if cp -al -- "$releases/$current" "$releases/$release" 2>/dev/null; then printf 'prepared=%s\n' "$release"; else rm -rf -- "${releases:?}/$release"; fi
          fi
          ;;
        switch)
          release=$4; link=$5; keep=$6; converted=$7; token=${8:-}
          [ -d "$releases/$release" ] || { echo "release $release is missing" >&2; exit 3; }
          fence_lock "$releases/fence" "$token"
          fence_check "$releases/fence" "$token" "$live"
          tmp="$live.courier-switch-$$"
          rm -f -- "$tmp"
          ln -s -- "$link" "$tmp"
          if [ -d "$live" ] && [ ! -L "$live" ]; then mv -T -- "$live" "$releases/$converted"; fi
          mv -T -- "$tmp" "$live"
          fence_record "$releases/fence" "$token"
          live_release=$(current); kept=1
          for entry in $(numbered | sort -rn | cut -d ' ' -f 2); do
            [ "$entry" = "$live_release" ] && continue
            if [ "$kept" -lt "$keep" ]; then kept=$((kept + 1)); else rm -rf -- "${releases:?}/$entry"; fi
          done
          printf 'since=%s\n' "$(stat -c %Y -- "$live" 2>/dev/null || true)"
          ;;
        discard)
          release=$4
          [ "$release" = "$(current)" ] || rm -rf -- "${releases:?}/$release"
          ;;
        *) echo "unknown step $op" >&2; exit 2 ;;
        esac
        """;

    /// <summary>The remote command line for one step: <c>[sudo -n] sh -c SCRIPT courier-publish STEP ROOT NAME ARGS...</c>, every word quoted.</summary>
    public static string Command(bool sudo, string step, string root, string name, params string[] arguments) =>
        RemoteScript.Command(sudo, Script, "courier-publish", [step, root, name, .. arguments]);

    /// <summary>
    /// A revision as a release directory's name: letters, digits, <c>.</c> and <c>_</c> (anything else becomes
    /// <c>_</c>; no <c>-</c>, which separates the number), at most 64 characters.
    /// </summary>
    public static string NameOf(string revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var name = new StringBuilder(Math.Min(revision.Length, 64));
        foreach (var c in revision.Take(64))
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '_');
        }

        return name.Length == 0 || name.ToString().All(c => c == '.') ? "unknown" : name.ToString();
    }

    /// <summary>The release directory, absolute on the target.</summary>
    public static string ReleasesDirectory(string root, string name) => $"{root}/{StateDirectory}/releases/{name}";

    /// <summary>The link's text: relative from the live path's directory, so the tree can be moved or mounted elsewhere.</summary>
    public static string LinkText(string name, string release)
    {
        var up = string.Concat(Enumerable.Repeat("../", name.Count(c => c == '/')));
        return $"{up}{StateDirectory}/releases/{name}/{release}";
    }
}
