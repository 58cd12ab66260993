using System.Globalization;

namespace Courier.Bench;

/// <summary>The resident memory (VmRSS from /proc) of the Courier host process: idle after start, and the peak while deliveries run.</summary>
internal sealed class MemorySampler(int processId)
{
    private long _peakKiB;

    public double IdleMiB { get; private set; }

    public double PeakMiB => _peakKiB / 1024.0;

    /// <summary>What the peak was made of: anonymous memory (heaps, stacks), file-backed pages (mapped code), threads.</summary>
    public string PeakBreakdown { get; private set; } = string.Empty;

    /// <summary>The process listening on <paramref name="address"/> (<c>IP:PORT</c>) with Courier.Host.dll, found by its command line.</summary>
    public static MemorySampler ForListener(string address)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("Courier.Host.dll", StringComparison.Ordinal) && commandLine.Contains($"http://{address}", StringComparison.Ordinal))
                {
                    var sampler = new MemorySampler(pid);
                    sampler.IdleMiB = sampler.ReadRssKiB() / 1024.0;
                    return sampler;
                }
            }
            catch (IOException)
            {
            }
        }

        throw new InvalidOperationException($"No Courier host process listens on {address}.");
    }

    /// <summary>Re-reads the idle figure (call when nothing runs).</summary>
    public void MarkIdle() => IdleMiB = Math.Min(IdleMiB, ReadRssKiB() / 1024.0);

    /// <summary>Samples every 10 ms until disposed, keeping the peak.</summary>
    public IDisposable Sample()
    {
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                SampleOnce();
                await Task.Delay(10).ConfigureAwait(false);
            }
        });
        return new Stopper(stop, loop, this);
    }

    private void SampleOnce()
    {
        var status = ReadStatus();
        var rss = status.GetValueOrDefault("VmRSS");
        if (rss > _peakKiB)
        {
            _peakKiB = rss;
            PeakBreakdown = $"anon {status.GetValueOrDefault("RssAnon") / 1024.0:0} + file {status.GetValueOrDefault("RssFile") / 1024.0:0} MiB, {status.GetValueOrDefault("Threads")} threads";
        }
    }

    private long ReadRssKiB() => ReadStatus().GetValueOrDefault("VmRSS");

    /// <summary>The numeric fields of /proc/PID/status (kB figures in KiB).</summary>
    private Dictionary<string, long> ReadStatus()
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var value = colon < 0 ? [] : line[(colon + 1)..].Trim().Split(' ');
            if (value.Length > 0 && long.TryParse(value[0], CultureInfo.InvariantCulture, out var number))
            {
                fields[line[..colon]] = number;
            }
        }

        return fields;
    }

    private sealed class Stopper(CancellationTokenSource stop, Task loop, MemorySampler sampler) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            loop.GetAwaiter().GetResult();
            sampler.SampleOnce();
            stop.Dispose();
        }
    }
}
