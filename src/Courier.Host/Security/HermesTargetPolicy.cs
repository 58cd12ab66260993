using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Courier.Host.Security;

/// <summary>Why a caller's <c>/update_hermes</c> target is refused.</summary>
internal enum HermesTargetRefusal
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>The path is malformed or outside the allowed paths (a bad request).</summary>
    BadPath,

    /// <summary>The host is outside the allowed targets or cannot be resolved (forbidden).</summary>
    ForbiddenTarget,
}

/// <summary>The outcome of checking a caller-named hermes address.</summary>
/// <param name="Address">The address to push to, its host replaced by the checked IP address; null when refused.</param>
/// <param name="Refusal">Why it is refused.</param>
/// <param name="Message">What is wrong, naming the setting that decides.</param>
internal sealed record HermesTargetCheck(HermesAddress? Address, HermesTargetRefusal Refusal, string? Message);

/// <summary>
/// Limits what a caller of <c>/update_hermes</c> can make Courier do: push only to hosts in
/// <c>Courier:UpdateHermes:AllowedTargets</c> (every address a name resolves to is checked, and the push goes to the
/// checked address, so a name cannot resolve elsewhere later) and only into <c>Courier:UpdateHermes:AllowedPaths</c>.
/// </summary>
internal sealed class HermesTargetPolicy
{
    private readonly AddressRanges _targets;
    private readonly IReadOnlyList<string> _paths;
    private readonly TimeSpan _resolveTimeout;

    /// <summary>Reads the limits from the validated options.</summary>
    public HermesTargetPolicy(IOptions<CourierHostOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value.UpdateHermes;
        _targets = AddressRanges.Parse(settings.EffectiveAllowedTargets, "Courier:UpdateHermes:AllowedTargets");
        _paths = [.. settings.EffectiveAllowedPaths.Select(p => p.TrimEnd('/'))];
        _resolveTimeout = TimeSpan.FromSeconds(settings.ResolveTimeoutSeconds);
    }

    /// <summary>Checks a target; <paramref name="address"/> has been parsed already (HOST:PORT and an absolute path).</summary>
    public async Task<HermesTargetCheck> CheckAsync(HermesAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (CheckPath(address.Path) is { } pathError)
        {
            return new HermesTargetCheck(null, HermesTargetRefusal.BadPath, pathError);
        }

        var (host, port) = HermesAddress.SplitEndpoint(address.Ssh);
        IPAddress[] resolved;
        if (IPAddress.TryParse(host, out var literal))
        {
            resolved = [literal];
        }
        else
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(_resolveTimeout);
                resolved = await Dns.GetHostAddressesAsync(host, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return Forbidden($"\"{host}\" cannot be resolved ({e.Message}); Courier:UpdateHermes:AllowedTargets is checked against resolved addresses.");
            }
        }

        if (resolved.Length == 0)
        {
            return Forbidden($"\"{host}\" resolves to no address.");
        }

        var outside = resolved.Where(a => !_targets.Contains(a)).ToList();
        if (outside.Count > 0)
        {
            return Forbidden(
                $"{host} ({string.Join(", ", outside.Select(AddressRanges.Canonical))}) is not in Courier:UpdateHermes:AllowedTargets ({_targets}); nothing was sent.");
        }

        var checkedAddress = AddressRanges.Canonical(resolved[0]);
        var endpoint = checkedAddress.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{checkedAddress}]:{port}" : $"{checkedAddress}:{port}";
        return new HermesTargetCheck(new HermesAddress(endpoint, address.Path), HermesTargetRefusal.None, null);
    }

    /// <summary>An error message when <paramref name="path"/> is not absolute and normalised, or outside the allowed paths.</summary>
    public string? CheckPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/') || path == "/")
        {
            return $"\"path\" must be an absolute directory other than /, got \"{path}\".";
        }

        if (path.Contains("//", StringComparison.Ordinal) || path.Split('/').Any(segment => segment is "." or "..")
            || path.Any(c => char.IsControl(c)))
        {
            return $"\"path\" must be normalised (no //, . or .. segments, no control characters), got \"{path}\".";
        }

        var trimmed = path.TrimEnd('/');
        return _paths.Any(allowed => trimmed == allowed || trimmed.StartsWith(allowed + "/", StringComparison.Ordinal))
            ? null
            : $"\"path\" {path} is not in or below Courier:UpdateHermes:AllowedPaths ({string.Join(", ", _paths)}).";
    }

    private static HermesTargetCheck Forbidden(string message) => new(null, HermesTargetRefusal.ForbiddenTarget, message);
}
