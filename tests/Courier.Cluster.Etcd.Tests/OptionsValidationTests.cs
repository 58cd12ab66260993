namespace Courier.Cluster.Etcd.Tests;

/// <summary>The cluster settings are checked at start-up, every problem named.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void Good_settings_pass()
    {
        var options = new EtcdClusterOptions();
        options.Etcd.Endpoints.Add("http://127.0.0.1:2379");

        Assert.True(new EtcdClusterOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Bad_settings_are_each_named()
    {
        var options = new EtcdClusterOptions { Name = "a/b", LeaseTtl = TimeSpan.FromMilliseconds(1500), FanOut = { MinTargets = 1, PollInterval = TimeSpan.Zero } };
        options.Etcd.Endpoints.Add("127.0.0.1:2379");
        options.Etcd.Username = "courier";
        options.Etcd.Timeout = TimeSpan.FromSeconds(5);

        var failures = new EtcdClusterOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("Courier:Cluster:Etcd:Endpoints has \"127.0.0.1:2379\"", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Courier:Cluster:Name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Courier:Cluster:LeaseTtl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Courier:Cluster:Etcd:Timeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Username and Courier:Cluster:Etcd:Password", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Courier:Cluster:FanOut:MinTargets must be at least 2, got 1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Courier:Cluster:FanOut:PollInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void No_endpoints_is_an_error()
    {
        var failures = new EtcdClusterOptionsValidator().Validate(null, new EtcdClusterOptions()).Failures!;

        Assert.Contains(failures, f => f.Contains("Courier:Cluster:Etcd:Endpoints is empty", StringComparison.Ordinal));
    }
}
