namespace Courier.Testing;

/// <summary>The settings every test site gives its Courier host, so each fixture adds only what is its own.</summary>
public static class TestHostSettings
{
    /// <summary>
    /// Logs in everywhere as <paramref name="user"/> with <c>keys/courier.key</c> of the configuration, without sudo,
    /// learning host keys on first use; <paramref name="allowedPath"/>, when given, is where <c>/update_hermes</c> may
    /// push (a test's temporary directory instead of <c>/etc/opt</c>); then <paramref name="overrides"/>, which win.
    /// </summary>
    public static Dictionary<string, string> For(string user, string? allowedPath = null, IEnumerable<KeyValuePair<string, string>>? overrides = null)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Courier:Ssh:StrictHostKeyChecking"] = "accept-new",
            ["Courier:Ssh:User"] = user,
            ["Courier:Ssh:Key"] = "keys/courier.key",
            ["Courier:Ssh:Sudo"] = "false",
        };
        if (allowedPath is not null)
        {
            all["Courier:UpdateHermes:AllowedPaths:0"] = allowedPath;
        }

        foreach (var (key, value) in overrides ?? [])
        {
            all[key] = value;
        }

        return all;
    }
}
