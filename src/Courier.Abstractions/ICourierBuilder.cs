using Microsoft.Extensions.DependencyInjection;

namespace Courier;

/// <summary>Registers Courier parts into a service collection; returned by <c>services.AddCourier()</c>.</summary>
public interface ICourierBuilder
{
    /// <summary>The services being configured.</summary>
    IServiceCollection Services { get; }
}
