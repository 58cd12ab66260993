using Microsoft.Extensions.Logging;

namespace Courier.Destinations.ArmadaLocal;

/// <summary>Reads <c>armada-local</c> entries of destinations.json.</summary>
internal sealed class ArmadaLocalDestinationFactory(
    ICourierEnvironment environment,
    IFileTransfer transfer,
    IHttpClientFactory httpClients,
    ILoggerFactory loggers) : IDestinationFactory
{
    public const string TypeName = "armada-local";
    private const int ArmadaApiPort = 8900;

    public string Type => TypeName;

    public IDestination Create(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var configured = definition.GetString("armada_api") ?? environment.ArmadaApi;
        Uri api;
        if (configured is null)
        {
            var gateway = DefaultGateway.Find()
                ?? throw definition.Error($"no Armada API is known: set \"armada_api\" on the destination or Courier:ArmadaApi (this machine has no default gateway, where the Armada API listens on port {ArmadaApiPort} inside a container).");
            api = new Uri($"http://{gateway}:{ArmadaApiPort}/");
        }
        else if (!TryParseApi(configured, out api))
        {
            throw definition.Error($"\"armada_api\" must be an http(s) URL or HOST:PORT, got \"{configured}\".");
        }

        return new ArmadaLocalDestination(
            definition.Alias,
            api,
            definition.ReadSshLogin(),
            ReadMaxParallel(definition) ?? Math.Max(1, environment.MaxParallelTransfers),
            transfer,
            httpClients,
            loggers.CreateLogger<ArmadaLocalDestination>());
    }

    /// <summary>
    /// <c>"max_parallel"</c>: at most this many agents of the cluster at once, where the agents' machines or the network
    /// to them need it. Without it the cluster takes what the host's transfer budget gives, like any other targets.
    /// </summary>
    private static int? ReadMaxParallel(DestinationDefinition definition)
    {
        if (!definition.Json.TryGetProperty("max_parallel", out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == System.Text.Json.JsonValueKind.Number && value.TryGetInt32(out var limit) && limit is >= 1 and <= 1024
            ? limit
            : throw definition.Error($"\"max_parallel\" must be a whole number from 1 to 1024 (agents delivered to at once), got {value.GetRawText()}.");
    }

    private static bool TryParseApi(string text, out Uri api)
    {
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (Uri.TryCreate(withScheme.TrimEnd('/') + "/", UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" && parsed.Query.Length == 0)
        {
            api = parsed;
            return true;
        }

        api = null!;
        return false;
    }
}
