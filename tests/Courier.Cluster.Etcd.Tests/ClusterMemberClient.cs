using Courier.Core.Cluster;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>One Courier's view of the cluster, without a host: the services AddEtcdCluster registers, its lease kept alive.</summary>
public sealed class ClusterMemberClient : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly EtcdLeaseKeeper _keeper;

    private ClusterMemberClient(ServiceProvider services)
    {
        _services = services;
        _keeper = services.GetRequiredService<EtcdLeaseKeeper>();
    }

    public IClusterMembership Membership => _services.GetRequiredService<IClusterMembership>();

    public ISourceLocks Locks => _services.GetRequiredService<ISourceLocks>();

    public IPendingTriggers Pending => _services.GetRequiredService<IPendingTriggers>();

    internal EtcdSession Session => _services.GetRequiredService<EtcdSession>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Starts a member on <paramref name="etcd"/> and waits until it holds its lease.</summary>
    public static async Task<ClusterMemberClient> StartAsync(EtcdCluster etcd, string name, string clusterName, int leaseTtlSeconds = 3, Action<EtcdClusterOptions>? configure = null, bool waitForLease = true)
    {
        var services = new ServiceCollection();
        services.AddCourier().AddEtcdCluster(options =>
        {
            foreach (var endpoint in etcd.Endpoints)
            {
                options.Etcd.Endpoints.Add(endpoint);
            }

            options.Name = clusterName;
            options.MemberName = name;
            options.ApiAddress = $"http://{name}.test:8080";
            options.LeaseTtl = TimeSpan.FromSeconds(leaseTtlSeconds);
            options.Etcd.Timeout = TimeSpan.FromSeconds(1.5);
            configure?.Invoke(options);
        });
        var client = new ClusterMemberClient(services.BuildServiceProvider());
        await client._keeper.StartAsync(CancellationToken.None);
        if (waitForLease)
        {
            await Eventually.TrueAsync(() => client.Membership.HasLease, $"{name} has its lease", TimeSpan.FromSeconds(10));
        }

        return client;
    }

    /// <summary>Stops renewing the lease without revoking it, as a member that died.</summary>
    public void Die() => _keeper.Abandon();

    public async ValueTask DisposeAsync()
    {
        await _keeper.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}

/// <summary>Waits for a condition with a deadline.</summary>
public static class Eventually
{
    public static async Task<TimeSpan> TrueAsync(Func<bool> condition, string what, TimeSpan within)
    {
        var started = DateTime.UtcNow;
        while (!condition())
        {
            if (DateTime.UtcNow - started > within)
            {
                throw new TimeoutException($"not true within {within.TotalSeconds} s: {what}");
            }

            await Task.Delay(50);
        }

        return DateTime.UtcNow - started;
    }

    public static async Task<TimeSpan> TrueAsync(Func<Task<bool>> condition, string what, TimeSpan within)
    {
        var started = DateTime.UtcNow;
        while (!await condition())
        {
            if (DateTime.UtcNow - started > within)
            {
                throw new TimeoutException($"not true within {within.TotalSeconds} s: {what}");
            }

            await Task.Delay(100);
        }

        return DateTime.UtcNow - started;
    }
}
