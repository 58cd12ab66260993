using Courier.Core.Cluster;
using Courier.Testing;
using Etcdserverpb;
using Google.Protobuf;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// etcd with authentication on: a member with a user allowed only its cluster's prefix gets its lease (the renewals
/// carry its token too), takes locks and writes pending triggers; a wrong password gets no lease and says why.
/// </summary>
public sealed class AuthenticationTests(SecuredEtcd secured) : IClassFixture<SecuredEtcd>
{
    private const string Cluster = SecuredEtcd.Cluster;
    private const string Password = SecuredEtcd.Password;
    private readonly EtcdCluster _etcd = secured.Etcd;

    [Fact]
    public async Task A_member_with_a_user_for_its_prefix_keeps_its_lease_and_takes_locks()
    {
        await using var a = await ClusterMemberClient.StartAsync(_etcd, "a", Cluster, configure: Login(Password));
        await using var b = await ClusterMemberClient.StartAsync(_etcd, "b", Cluster, configure: Login(Password));

        var held = await a.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(held);
        Assert.Null(await b.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None));
        await b.Pending.AddAsync(new PendingTrigger("src", "b", DateTimeOffset.UtcNow, "hook"), CancellationToken.None);
        Assert.Single(await a.Pending.TakeAsync("src", CancellationToken.None));

        // Past a whole lease and several token lifetimes: the renewals were authenticated too, again when a token expired.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.True(a.Membership.HasLease, a.Membership.LeaseProblem);
        Assert.Equal(["a", "b"], (await a.Membership.MembersAsync(CancellationToken.None)).Select(m => m.Name));
        Assert.False(held.Lost.IsCancellationRequested);
        Assert.False(await b.Pending.AnyAsync("src", CancellationToken.None));
        await held.DisposeAsync();
        Assert.NotNull(await b.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task A_member_with_a_wrong_password_gets_no_lease_and_says_why()
    {
        await using var intruder = await ClusterMemberClient.StartAsync(_etcd, "intruder", Cluster, configure: Login("wrong"), waitForLease: false);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.False(intruder.Membership.HasLease);
        Assert.Contains("etcd", intruder.Membership.LeaseProblem, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", intruder.Membership.LeaseProblem, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ClusterUnavailableException>(() => intruder.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None));
    }

    private static Action<EtcdClusterOptions> Login(string password) => options =>
    {
        options.Etcd.Username = "courier";
        options.Etcd.Password = password;
    };
}

/// <summary>
/// An etcd cluster of its own with authentication on: a root user, and a user <c>courier</c> allowed only
/// <c>/secured/</c>. Its tokens live 1 s, so a member keeps its lease only if it authenticates again when one expires.
/// </summary>
public sealed class SecuredEtcd : IAsyncLifetime
{
    public const string Cluster = "secured";
    public const string Password = "s3cret-courier";

    public EtcdCluster Etcd { get; } = EtcdCluster.WithArguments(["--auth-token-ttl", "1"]);

    public async Task InitializeAsync()
    {
        await Etcd.InitializeAsync();
        using var admin = new dotnet_etcd.EtcdClient(string.Join(",", Etcd.Endpoints), configureChannelOptions: o => o.Credentials = Grpc.Core.ChannelCredentials.Insecure);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        await admin.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "root-password" }, null, deadline, CancellationToken.None);
        await admin.RoleAddAsync(new AuthRoleAddRequest { Name = "root" }, null, deadline, CancellationToken.None);
        await admin.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" }, null, deadline, CancellationToken.None);
        await admin.RoleAddAsync(new AuthRoleAddRequest { Name = "courier" }, null, deadline, CancellationToken.None);
        var prefix = $"/{Cluster}/";
        await admin.RoleGrantPermissionAsync(
            new AuthRoleGrantPermissionRequest
            {
                Name = "courier",
                Perm = new Authpb.Permission { PermType = Authpb.Permission.Types.Type.Readwrite, Key = ByteString.CopyFromUtf8(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix) },
            },
            null,
            deadline,
            CancellationToken.None);
        await admin.UserAddAsync(new AuthUserAddRequest { Name = "courier", Password = Password }, null, deadline, CancellationToken.None);
        await admin.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "courier", Role = "courier" }, null, deadline, CancellationToken.None);
        await admin.AuthEnableAsync(new AuthEnableRequest(), null, deadline, CancellationToken.None);
    }

    public Task DisposeAsync() => Etcd.DisposeAsync();
}
