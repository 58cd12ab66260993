using System.Text.Json;
using Courier.Core.Configuration;

namespace Courier.Host;

/// <summary>
/// The Hermes <c>config.json</c> of the original Courier (optional): its <c>log_level</c> (Python names: DEBUG,
/// INFO, WARNING, ERROR, CRITICAL) sets the minimum log level, unless the standard Logging settings say otherwise.
/// </summary>
internal static class HermesHostConfiguration
{
    public static void Apply(WebApplicationBuilder builder)
    {
        var configPath = builder.Configuration["Courier:ConfigPath"] ?? Environment.GetEnvironmentVariable("CONFIG_PATH");
        var file = HermesSearchPath.Parse(configPath)
            .Select(directory => Path.Combine(directory, "config.json"))
            .FirstOrDefault(File.Exists);
        if (file is null || builder.Configuration["Logging:LogLevel:Default"] is not null)
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("log_level", out var level)
                && level.ValueKind == JsonValueKind.String
                && ToLogLevel(level.GetString()) is { } logLevel)
            {
                builder.Logging.SetMinimumLevel(logLevel);
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{file}: cannot be read as Hermes config.json: {e.Message}", e);
        }
    }

    private static LogLevel? ToLogLevel(string? name) => name?.ToUpperInvariant() switch
    {
        "DEBUG" => LogLevel.Debug,
        "INFO" => LogLevel.Information,
        "WARNING" or "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" or "FATAL" => LogLevel.Critical,
        _ => null,
    };
}
