using Microsoft.Extensions.Options;

namespace Courier.Cluster.Etcd;

/// <summary>Checks the cluster settings when the host starts: a bad one stops the start with every problem named.</summary>
internal sealed class EtcdClusterOptionsValidator : IValidateOptions<EtcdClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, EtcdClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var etcd = options.Etcd;
        if (etcd.Endpoints.Count == 0)
        {
            errors.Add("Courier:Cluster:Etcd:Endpoints is empty: list the etcd client URLs (http://HOST:2379 or https://HOST:2379).");
        }

        foreach (var endpoint in etcd.Endpoints)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Port <= 0 || uri.AbsolutePath != "/")
            {
                errors.Add($"Courier:Cluster:Etcd:Endpoints has \"{endpoint}\": each must be http://HOST:PORT or https://HOST:PORT.");
            }
        }

        if (etcd.Endpoints.Select(e => e.StartsWith("https://", StringComparison.OrdinalIgnoreCase)).Distinct().Count() > 1)
        {
            errors.Add("Courier:Cluster:Etcd:Endpoints mixes http:// and https://: use one scheme for every endpoint.");
        }

        if (string.IsNullOrWhiteSpace(options.Name) || options.Name.Contains('/', StringComparison.Ordinal))
        {
            errors.Add($"Courier:Cluster:Name must be a non-empty name without '/', got \"{options.Name}\".");
        }

        if (options.MemberName is { } member && (string.IsNullOrWhiteSpace(member) || member.Contains('/', StringComparison.Ordinal)))
        {
            errors.Add($"Courier:Cluster:MemberName must be a non-empty name without '/', got \"{member}\".");
        }

        if (options.LeaseTtl < TimeSpan.FromSeconds(2) || options.LeaseTtl > TimeSpan.FromHours(1) || options.LeaseTtl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add($"Courier:Cluster:LeaseTtl must be whole seconds from 2 s to 1 h, got {options.LeaseTtl}.");
        }

        if (etcd.Timeout <= TimeSpan.Zero || etcd.Timeout >= options.LeaseTtl)
        {
            errors.Add($"Courier:Cluster:Etcd:Timeout must be above zero and below Courier:Cluster:LeaseTtl ({options.LeaseTtl}), got {etcd.Timeout}.");
        }

        if (string.IsNullOrEmpty(etcd.Username) != string.IsNullOrEmpty(etcd.Password))
        {
            errors.Add("Courier:Cluster:Etcd:Username and Courier:Cluster:Etcd:Password go together: set both or neither.");
        }

        if (string.IsNullOrEmpty(etcd.ClientCertificate) != string.IsNullOrEmpty(etcd.ClientKey))
        {
            errors.Add("Courier:Cluster:Etcd:ClientCertificate and Courier:Cluster:Etcd:ClientKey go together: set both or neither.");
        }

        foreach (var (setting, path) in new[] { ("CaCertificate", etcd.CaCertificate), ("ClientCertificate", etcd.ClientCertificate), ("ClientKey", etcd.ClientKey) })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
            {
                errors.Add($"Courier:Cluster:Etcd:{setting} names {path}, which does not exist.");
            }
        }

        if (options.FanOut.MinTargets < 2)
        {
            errors.Add($"Courier:Cluster:FanOut:MinTargets must be at least 2, got {options.FanOut.MinTargets}.");
        }

        if (options.FanOut.PollInterval < TimeSpan.FromMilliseconds(10) || options.FanOut.PollInterval > TimeSpan.FromSeconds(10))
        {
            errors.Add($"Courier:Cluster:FanOut:PollInterval must be from 10 ms to 10 s, got {options.FanOut.PollInterval}.");
        }

        var tls = etcd.Endpoints.Any(e => e.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (!tls && (!string.IsNullOrEmpty(etcd.CaCertificate) || !string.IsNullOrEmpty(etcd.ClientCertificate)))
        {
            errors.Add("Courier:Cluster:Etcd:CaCertificate and ClientCertificate need https:// endpoints.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
