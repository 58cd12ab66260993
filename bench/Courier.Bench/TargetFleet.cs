using Courier.Testing;

namespace Courier.Bench;

/// <summary>
/// N loopback sshd targets, each its own process on its own port, started in parallel batches (key generation and
/// sshd start-up dominate: one at a time, 200 targets take minutes on 2 cores). A target whose start fails (its port
/// taken between the probe and sshd's bind) is started again on another port.
/// </summary>
internal static class TargetFleet
{
    private const int Batch = 8;
    private const int Attempts = 3;

    /// <summary>Starts <paramref name="count"/> targets; <paramref name="authorizedKey"/> gives target i's authorized_keys line for the bench's key.</summary>
    public static async Task<List<SshServer>> StartAsync(int count, Func<int, string> authorizedKey)
    {
        var servers = new SshServer[count];
        try
        {
            for (var first = 0; first < count; first += Batch)
            {
                var batch = Enumerable.Range(first, Math.Min(Batch, count - first));
                await Task.WhenAll(batch.Select(async i => servers[i] = await StartOneAsync(authorizedKey(i))));
            }

            return [.. servers];
        }
        catch
        {
            await StopAsync(servers.Where(server => server is not null));
            throw;
        }
    }

    public static async Task StopAsync(IEnumerable<SshServer> servers)
    {
        foreach (var chunk in servers.Chunk(Batch * 4))
        {
            await Task.WhenAll(chunk.Select(server => server.DisposeAsync().AsTask()));
        }
    }

    private static async Task<SshServer> StartOneAsync(string authorizedKey)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SshServer.StartAsync(new SshServerOptions
                {
                    ExtraAuthorizedKeys = [authorizedKey],
                    // Many targets share one machine and the floor connects to all of them at once.
                    ExtraConfigLines = ["MaxStartups 400:30:800", "LogLevel INFO"],
                });
            }
            catch (Exception e) when (attempt < Attempts && e is InvalidOperationException or TimeoutException)
            {
                Console.Error.WriteLine($"sshd target failed to start (attempt {attempt}), trying another port: {e.Message.Split('\n')[0]}");
            }
        }
    }
}
