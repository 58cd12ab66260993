using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Courier;

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
