namespace Courier.Samples.TarballSource;

/// <summary>The archive holds something Courier will not extract or deliver.</summary>
internal sealed class UnsafeArchiveException : Exception
{
    public UnsafeArchiveException(string message)
        : base(message)
    {
    }

    public UnsafeArchiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UnsafeArchiveException()
    {
    }
}
