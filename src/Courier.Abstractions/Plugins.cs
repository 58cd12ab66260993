using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Courier;

/// <summary>Registers Courier parts into a service collection; returned by <c>services.AddCourier()</c>.</summary>
public interface ICourierBuilder
{
    /// <summary>The services being configured.</summary>
    IServiceCollection Services { get; }
}

/// <summary>
/// The one entry point of a plugin assembly: the host creates it (public, parameterless) and calls
/// <see cref="Configure"/>. It should call the same <c>AddX()</c> extension method an embedding app calls.
/// </summary>
public interface ICourierPlugin
{
    /// <summary>Registers the plugin's factories and services.</summary>
    void Configure(ICourierBuilder builder);
}

/// <summary>Registration helpers for plugin authors.</summary>
public static class CourierBuilderExtensions
{
    /// <summary>Registers a source factory (a singleton); registering the same class twice is harmless.</summary>
    public static ICourierBuilder AddSourceFactory<TFactory>(this ICourierBuilder builder)
        where TFactory : class, ISourceFactory
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ISourceFactory, TFactory>());
        return builder;
    }

    /// <summary>Registers a destination factory (a singleton); registering the same class twice is harmless.</summary>
    public static ICourierBuilder AddDestinationFactory<TFactory>(this ICourierBuilder builder)
        where TFactory : class, IDestinationFactory
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDestinationFactory, TFactory>());
        return builder;
    }
}
