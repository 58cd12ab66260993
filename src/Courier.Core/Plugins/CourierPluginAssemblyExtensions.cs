using System.Reflection;
using Courier;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scrutor;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the plugins an assembly holds; the host calls it for every plugin folder.</summary>
public static class CourierPluginAssemblyExtensions
{
    /// <summary>
    /// Registers what <paramref name="assembly"/> brings: its public <see cref="ICourierPlugin"/> classes configure
    /// the builder (they call the plugin's <c>AddX()</c>); an assembly without one has its public
    /// <see cref="ISourceFactory"/> and <see cref="IDestinationFactory"/> classes registered as singletons.
    /// </summary>
    /// <exception cref="InvalidOperationException">The assembly holds none of these, or a plugin class cannot be created.</exception>
    public static ICourierBuilder AddCourierPluginsFrom(this ICourierBuilder builder, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(assembly);
        var entryPoints = CreateEntryPoints(assembly);
        foreach (var entryPoint in entryPoints)
        {
            entryPoint.Configure(builder);
        }

        if (entryPoints.Count > 0)
        {
            return builder;
        }

        var before = builder.Services.Count;
        builder.Services.Scan(scan => scan.FromAssemblies(assembly)
            .AddClasses(classes => classes.AssignableToAny(typeof(ISourceFactory), typeof(IDestinationFactory)), publicOnly: true)
            .UsingRegistrationStrategy(TryAddEnumerable.Instance)
            .AsImplementedInterfaces(type => type == typeof(ISourceFactory) || type == typeof(IDestinationFactory))
            .WithSingletonLifetime());
        if (builder.Services.Count == before && !AlreadyRegistered(builder.Services, assembly))
        {
            throw new InvalidOperationException(
                $"{assembly.GetName().Name} has no public class implementing {typeof(ICourierPlugin).FullName}, {typeof(ISourceFactory).FullName} " +
                $"or {typeof(IDestinationFactory).FullName}. If it has one, it was built against another major version of Courier.Abstractions.");
        }

        return builder;
    }

    private static List<ICourierPlugin> CreateEntryPoints(Assembly assembly)
    {
        var scratch = new ServiceCollection();
        scratch.Scan(scan => scan.FromAssemblies(assembly)
            .AddClasses(classes => classes.AssignableTo<ICourierPlugin>(), publicOnly: true)
            .As<ICourierPlugin>()
            .WithTransientLifetime());
        using var provider = scratch.BuildServiceProvider();
        try
        {
            return [.. provider.GetServices<ICourierPlugin>()];
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{assembly.GetName().Name}: a public {nameof(ICourierPlugin)} class needs a public parameterless constructor. {e.Message}", e);
        }
    }

    private static bool AlreadyRegistered(IServiceCollection services, Assembly assembly) =>
        services.Any(d => (d.ServiceType == typeof(ISourceFactory) || d.ServiceType == typeof(IDestinationFactory)) && d.ImplementationType?.Assembly == assembly);

    /// <summary>A factory class registered twice is registered once, as <c>AddSourceFactory</c> does.</summary>
    private sealed class TryAddEnumerable : RegistrationStrategy
    {
        public static readonly TryAddEnumerable Instance = new();

        public override void Apply(IServiceCollection services, ServiceDescriptor descriptor) => services.TryAddEnumerable(descriptor);
    }
}
