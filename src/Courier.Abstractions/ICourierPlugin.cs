namespace Courier;

/// <summary>
/// The one entry point of a plugin assembly: the host creates it (public, parameterless) and calls
/// <see cref="Configure"/>. It should call the same <c>AddX()</c> extension method an embedding app calls.
/// </summary>
public interface ICourierPlugin
{
    /// <summary>Registers the plugin's factories and services.</summary>
    void Configure(ICourierBuilder builder);
}
