namespace Courier;

/// <summary>A configuration entry is wrong. The message says which file, which entry and what is wrong.</summary>
public sealed class CourierConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CourierConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public CourierConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CourierConfigurationException()
    {
    }
}
