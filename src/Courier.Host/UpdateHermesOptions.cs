namespace Courier.Host;

/// <summary>Limits on what <c>POST /update_hermes</c> may name as its target (section <c>Courier:UpdateHermes</c>).</summary>
internal sealed class UpdateHermesOptions
{
    /// <summary>Loopback and private ranges: where Armada agents of the cluster listen.</summary>
    public static IReadOnlyList<string> DefaultAllowedTargets { get; } =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "169.254.0.0/16", "fe80::/10"];

    /// <summary>Armada's hermes path and Courier's own default hermes directory.</summary>
    public static IReadOnlyList<string> DefaultAllowedPaths { get; } = ["/etc/opt", "/tmp/hermes-directory"];

    /// <summary>CIDR networks (or addresses) a caller may name in <c>"ssh"</c>; <see langword="null"/> means <see cref="DefaultAllowedTargets"/>.</summary>
    public IList<string>? AllowedTargets { get; set; }

    /// <summary>Directories a caller may name in <c>"path"</c> (the path itself or below); <see langword="null"/> means <see cref="DefaultAllowedPaths"/>.</summary>
    public IList<string>? AllowedPaths { get; set; }

    /// <summary>Seconds a host name in <c>"ssh"</c> may take to resolve.</summary>
    public int ResolveTimeoutSeconds { get; set; } = 5;

    /// <summary>The targets in effect.</summary>
    public IReadOnlyList<string> EffectiveAllowedTargets =>
        AllowedTargets is { Count: > 0 } configured ? [.. configured] : DefaultAllowedTargets;

    /// <summary>The paths in effect.</summary>
    public IReadOnlyList<string> EffectiveAllowedPaths =>
        AllowedPaths is { Count: > 0 } configured ? [.. configured] : DefaultAllowedPaths;
}
