using System.Diagnostics;
using Courier.Testing;

namespace Courier.Host.Tests.Visibility;

/// <summary>deploy/courier.service passes systemd-analyze verify; the Dockerfile runs as a non-root user with a health check.</summary>
public sealed class ServiceFilesTests
{
    private static readonly string Repository = FindRepository();

    [Fact]
    public async Task The_systemd_unit_verifies_and_sandboxes_a_non_root_service()
    {
        var unit = await File.ReadAllTextAsync(Path.Combine(Repository, "deploy", "courier.service"));
        Assert.Contains("\nType=notify\n", unit, StringComparison.Ordinal);
        Assert.Contains("\nUser=courier\n", unit, StringComparison.Ordinal);
        Assert.Contains("\nProtectSystem=strict\n", unit, StringComparison.Ordinal);
        Assert.Contains("\nReadWritePaths=/var/lib/courier /etc/opt\n", unit, StringComparison.Ordinal);
        Assert.Contains("\nRestart=on-failure\n", unit, StringComparison.Ordinal);
        const string analyze = "/usr/bin/systemd-analyze";
        if (!File.Exists(analyze))
        {
            return; // the unit's content is checked above; verification needs systemd's tools
        }

        using var temp = TempDirectory.Create("courier-unit");
        // verify checks that ExecStart exists: point it at the host this test suite built.
        var local = unit.Replace("/opt/courier/Courier.Host", Path.Combine(CourierHostProcess.HostDirectory, "Courier.Host"), StringComparison.Ordinal)
            .Replace("WorkingDirectory=/opt/courier", $"WorkingDirectory={CourierHostProcess.HostDirectory}", StringComparison.Ordinal);
        var path = temp.WriteFile("courier.service", local);

        var start = new ProcessStartInfo(analyze) { RedirectStandardError = true, RedirectStandardOutput = true, ArgumentList = { "verify", path } };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);

        Assert.True(process.ExitCode == 0, $"systemd-analyze verify failed: {output}{await errors}");
        Assert.DoesNotContain(path, output + await errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dockerfile_builds_in_stages_and_runs_a_non_root_user_with_ssh_rsync_and_a_health_check()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Repository, "Dockerfile"));

        Assert.Contains("AS build", dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY --from=build", dockerfile, StringComparison.Ordinal);
        Assert.Contains("openssh-client rsync", dockerfile, StringComparison.Ordinal);
        Assert.Contains("\nUSER courier\n", dockerfile, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", dockerfile, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:8080/health", dockerfile, StringComparison.Ordinal);
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Courier.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Courier.sln not found above {AppContext.BaseDirectory}");
    }
}
