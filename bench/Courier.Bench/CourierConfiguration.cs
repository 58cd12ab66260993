using System.Text.Json;
using Courier.Testing;

namespace Courier.Bench;

/// <summary>The host's configuration for the bench: one git source delivered to one destination alias holding every target.</summary>
internal static class CourierConfiguration
{
    /// <summary>Makes CONFIG with keys/bench.key (a copy of <paramref name="privateKeyPath"/>) and sources/.</summary>
    public static void Prepare(string config, string privateKeyPath)
    {
        Directory.CreateDirectory(Path.Combine(config, "keys"));
        Directory.CreateDirectory(Path.Combine(config, "sources"));
        var key = Path.Combine(config, "keys", "bench.key");
        File.Copy(privateKeyPath, key, overwrite: true);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>
    /// Writes the source (<paramref name="url"/>, branch master) and the <c>targets</c> alias: target i at
    /// <paramref name="targetPath"/>(i); with <see cref="PublishMode.Atomic"/>, every entry has <c>"publish": "atomic"</c>
    /// (so <c>"keep_releases"</c> 3 and <c>"verify"</c>: <c>"revision"</c>, their defaults).
    /// </summary>
    public static void Write(string config, string url, IReadOnlyList<SshServer> servers, Func<int, string> targetPath, PublishMode publish = PublishMode.InPlace)
    {
        var source = new[]
        {
            new Dictionary<string, object>
            {
                ["type"] = "git",
                ["repositories"] = new[] { url },
                ["ssh_key"] = "../keys/bench.key",
                ["destination_path"] = DeliveryBenchmark.Name,
                ["destinations"] = new[] { "targets" },
            },
        };
        var targets = servers.Select((server, i) =>
        {
            var entry = new Dictionary<string, object>
            {
                ["type"] = "ssh",
                ["address"] = server.Endpoint,
                ["path"] = targetPath(i),
                ["ssh"] = new Dictionary<string, object> { ["user"] = server.User, ["key"] = "keys/bench.key", ["sudo"] = false },
            };
            if (publish == PublishMode.Atomic)
            {
                entry["publish"] = "atomic";
            }

            return entry;
        });
        File.WriteAllText(Path.Combine(config, "sources", "bench.json"), JsonSerializer.Serialize(source));
        File.WriteAllText(Path.Combine(config, "destinations.json"), JsonSerializer.Serialize(new Dictionary<string, object> { ["targets"] = targets }));
    }
}
