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

    /// <summary>
    /// sshd lines that give every session <c>HOME</c> = <paramref name="home"/>, an empty directory (made here), so
    /// the login shell sshd runs each command with (the bench user's, bash for root) reads no start-up file of the
    /// bench machine's user. Those files are no part of any method's cost and can dominate it: a <c>.bashrc</c> with
    /// <c>eval "$(pyenv init -)"</c> runs <c>pyenv rehash</c> on every ssh session, one at a time under a lock, so
    /// sessions started together wait in line (seconds each at 16 targets, more at 200), and a method that runs more
    /// ssh sessions per target pays more. The commands run (rsync, sh, git) need nothing from <c>HOME</c>.
    /// </summary>
    public static IReadOnlyList<string> CleanShell(string home)
    {
        Directory.CreateDirectory(home);
        return [$"SetEnv HOME={home}"];
    }

    /// <summary>
    /// Starts <paramref name="count"/> targets; <paramref name="authorizedKey"/> gives target i's authorized_keys line
    /// for the bench's key; their sessions get <paramref name="home"/> as <c>HOME</c> (see <see cref="CleanShell"/>).
    /// </summary>
    public static async Task<List<SshServer>> StartAsync(int count, Func<int, string> authorizedKey, string home)
    {
        var shell = CleanShell(home);
        var servers = new SshServer[count];
        try
        {
            for (var first = 0; first < count; first += Batch)
            {
                var batch = Enumerable.Range(first, Math.Min(Batch, count - first));
                await Task.WhenAll(batch.Select(async i => servers[i] = await StartOneAsync(authorizedKey(i), shell)));
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

    private static async Task<SshServer> StartOneAsync(string authorizedKey, IReadOnlyList<string> shell)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SshServer.StartAsync(new SshServerOptions
                {
                    ExtraAuthorizedKeys = [authorizedKey],
                    // Many targets share one machine and the floor connects to all of them at once.
                    ExtraConfigLines = ["MaxStartups 400:30:800", "LogLevel INFO", .. shell],
                });
            }
            catch (Exception e) when (attempt < Attempts && e is InvalidOperationException or TimeoutException)
            {
                Console.Error.WriteLine($"sshd target failed to start (attempt {attempt}), trying another port: {e.Message.Split('\n')[0]}");
            }
        }
    }
}
