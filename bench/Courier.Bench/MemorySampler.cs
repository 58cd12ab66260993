using System.Globalization;

namespace Courier.Bench;

/// <summary>The resident memory (VmRSS from /proc) of the Courier host process: idle after start, and the peak while deliveries run.</summary>
internal sealed class MemorySampler(int processId)
{
    private long _peakKiB;

    public double IdleMiB { get; private set; }

    public double PeakMiB => _peakKiB / 1024.0;

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
                _peakKiB = Math.Max(_peakKiB, ReadRssKiB());
                await Task.Delay(10).ConfigureAwait(false);
            }
        });
        return new Stopper(stop, loop, this);
    }

    private long ReadRssKiB()
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private sealed class Stopper(CancellationTokenSource stop, Task loop, MemorySampler sampler) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            loop.GetAwaiter().GetResult();
            sampler._peakKiB = Math.Max(sampler._peakKiB, sampler.ReadRssKiB());
            stop.Dispose();
        }
    }
}
