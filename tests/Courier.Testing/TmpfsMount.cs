using CliWrap;
using CliWrap.Buffered;

namespace Courier.Testing;

/// <summary>A small tmpfs mounted by a test (as root) on a fresh directory, to fill a disk; unmounted when disposed.</summary>
public sealed class TmpfsMount : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private TmpfsMount(TempDirectory directory) => _directory = directory;

    /// <summary>The mount point.</summary>
    public string Path => _directory.Path;

    /// <summary>Mounts a tmpfs of <paramref name="sizeKilobytes"/> KiB.</summary>
    public static async Task<TmpfsMount> MountAsync(int sizeKilobytes)
    {
        var directory = TempDirectory.Create("courier-tmpfs");
        var result = await Cli.Wrap("mount")
            .WithArguments(["-t", "tmpfs", "-o", $"size={sizeKilobytes}k", "tmpfs", directory.Path])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            directory.Dispose();
            throw new InvalidOperationException($"mount tmpfs failed (tests run as root): {result.StandardError}");
        }

        return new TmpfsMount(directory);
    }

    /// <summary>Fills the disk up with one file, leaving about <paramref name="leaveKilobytes"/> KiB free; returns its path.</summary>
    public string Fill(int leaveKilobytes)
    {
        var path = System.IO.Path.Combine(Path, "filler");
        var free = new DriveInfo(Path).AvailableFreeSpace - (leaveKilobytes * 1024L);
        using var file = File.Create(path);
        var chunk = new byte[64 * 1024];
        for (long written = 0; written + chunk.Length <= free; written += chunk.Length)
        {
            file.Write(chunk);
        }

        return path;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Cli.Wrap("umount").WithArguments(["-l", Path]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        _directory.Dispose();
    }
}
