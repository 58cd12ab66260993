namespace Courier.Host.Plugins.Install;

/// <summary>The deadline and size caps of <c>plugins install</c>.</summary>
/// <param name="Timeout">For the whole install: resolving, downloading and extracting.</param>
/// <param name="MaxPackageBytes">The largest .nupkg downloaded.</param>
/// <param name="MaxExtractedFileBytes">The largest single file extracted from a package.</param>
internal sealed record PluginInstallLimits(TimeSpan Timeout, long MaxPackageBytes, long MaxExtractedFileBytes)
{
    public static PluginInstallLimits Default { get; } = new(TimeSpan.FromMinutes(5), 256L * 1024 * 1024, 256L * 1024 * 1024);
}

/// <summary>A write-only stream that passes bytes through until <c>cap</c> is exceeded, then throws.</summary>
internal sealed class SizeCappedWriteStream(Stream inner, long cap, string what) : Stream
{
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Count(count);
        inner.Write(buffer, offset, count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count(buffer.Length);
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Count(int count)
    {
        _written += count;
        if (_written > cap)
        {
            throw new InvalidOperationException($"{what} is larger than the {cap / (1024 * 1024)} MB allowed.");
        }
    }
}
