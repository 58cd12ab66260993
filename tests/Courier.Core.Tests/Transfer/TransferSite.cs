using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Transfer;

/// <summary>
/// What the transfer tests share: a real sshd on loopback, a source directory, a destination directory (the target's
/// hermes path, on this machine) and the engine's <see cref="IFileTransfer"/> built with test-sized retries.
/// </summary>
public abstract class TransferSite : IAsyncLifetime
{
    private readonly List<ServiceProvider> _services = [];

    protected TransferSite(string name) => Temp = TempDirectory.Create(name);

    protected TempDirectory Temp { get; }

    protected SshServer Target { get; private set; } = null!;

    protected string Source => Temp.Combine("source");

    protected string Destination => Temp.Combine("destination");

    protected HermesAddress Address => new(Target.Endpoint, Destination);

    /// <summary>sshd's own lines before the first session; a subclass may add some (a forced command).</summary>
    protected virtual SshServerOptions ServerOptions => new();

    public virtual async Task InitializeAsync()
    {
        Target = await SshServer.StartAsync(ServerOptions);
        Directory.CreateDirectory(Source);
        Directory.CreateDirectory(Destination);
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var services in _services)
        {
            await services.DisposeAsync();
        }

        await Target.DisposeAsync();
        Temp.Dispose();
    }

    protected SshLogin Login(bool sudo = false) => new(Target.User, Target.ClientKey.PrivateKeyPath, sudo);

    protected IFileTransfer Transfer(Action<CourierOptions>? configure = null)
    {
        var services = new ServiceCollection()
            .AddCourier(o =>
            {
                o.StateDirectory = Temp.Combine("state");
                o.Ssh.StrictHostKeyChecking = "accept-new";
                o.Retries.Delay = TimeSpan.FromMilliseconds(10);
                o.Retries.MaxDelay = TimeSpan.FromMilliseconds(50);
                configure?.Invoke(o);
            })
            .Services.BuildServiceProvider();
        _services.Add(services);
        return services.GetRequiredService<IFileTransfer>();
    }

    protected string? Read(string relative) => File.Exists(Path.Combine(Destination, relative)) ? File.ReadAllText(Path.Combine(Destination, relative)) : null;
}
