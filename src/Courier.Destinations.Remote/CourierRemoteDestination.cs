using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Courier.Destinations.Remote;

/// <summary>
/// Another Courier, reached over HTTP (through an SSH gateway when one is set): its hermes address is asked, the
/// snapshot is pushed there with rsync, and the remote is told to update all its sources so it forwards them.
/// </summary>
internal sealed partial class CourierRemoteDestination(
    string alias,
    string address,
    SshGateway? gateway,
    SshLogin login,
    IFileTransfer transfer,
    ISshTunnelFactory tunnels,
    IHttpClientFactory httpClients,
    CourierTimeouts timeouts,
    ILogger<CourierRemoteDestination> logger) : IDestination
{
    internal const string HttpClientName = "Courier.Destinations.Remote";
    private static readonly TimeSpan QuestionTimeout = TimeSpan.FromSeconds(30);

    public string Alias { get; } = alias;

    public string Type => CourierRemoteDestinationFactory.TypeName;

    private string Name => gateway is null ? $"courier {address}" : $"courier {address} via {gateway}";

    public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        ISshTunnel? tunnel = null;
        try
        {
            if (gateway is not null)
            {
                var (host, port) = CourierRemoteDestinationFactory.SplitHttpAddress(address);
                tunnel = await tunnels.OpenAsync(
                    new SshTunnelRequest(gateway, host, port) { ReadinessProbe = (localPort, ct) => AnswersHealthAsync(localPort, ct) },
                    cancellationToken).ConfigureAwait(false);
            }

            var baseUri = new Uri($"http://{tunnel?.LocalEndpoint ?? address}");
            HermesAddress hermes;
            try
            {
                hermes = await AskHermesAddressAsync(baseUri, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or FormatException or TimeoutException)
            {
                return [DeliveryResult.Failure(Name, $"could not get the hermes address of {Name}: {e.Message}", started.Elapsed)];
            }

            var push = await transfer.PushAsync(snapshot, hermes, login, gateway, cancellationToken).ConfigureAwait(false);
            if (!push.Succeeded)
            {
                return [push.ToDeliveryResult()];
            }

            var forwardStarted = Stopwatch.StartNew();
            var forward = await AskToForwardAsync(baseUri, cancellationToken).ConfigureAwait(false);
            LogForwarded(snapshot.SourceId, Name, forward is null, forwardStarted.Elapsed.TotalMilliseconds);
            return
            [
                push.ToDeliveryResult(),
                forward is null
                    ? DeliveryResult.Success($"{Name} /update_all", 0, forwardStarted.Elapsed)
                    : DeliveryResult.Failure($"{Name} /update_all", forward, forwardStarted.Elapsed),
            ];
        }
        finally
        {
            if (tunnel is not null)
            {
                await tunnel.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> AnswersHealthAsync(int localPort, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Get, new Uri($"http://127.0.0.1:{localPort}/health"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var response = await Client().SendAsync(request, timeout.Token).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    private async Task<HermesAddress> AskHermesAddressAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Get, new Uri(baseUri, "/hermes_address"));
        var answer = await HttpQuestions.AskAsync(Client(), request, QuestionTimeout, $"{QuestionTimeout.TotalSeconds:0} s", cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            throw new HttpRequestException($"GET /hermes_address answered {(int)answer.StatusCode}: {PeerAnswer.Excerpt(answer.Body)}");
        }

        return HermesAddress.FromAnswer(answer.Body, Name);
    }

    /// <summary>Asks the remote to update all its sources; returns null when it answered ok, else what went wrong.</summary>
    private async Task<string?> AskToForwardAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Post, new Uri(baseUri, "/update_all"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain", 0.5));
        var limit = timeouts.RemoteForward;
        try
        {
            var answer = await HttpQuestions.AskAsync(Client(), request, limit, CourierTimeouts.Describe(nameof(CourierTimeouts.RemoteForward), limit), cancellationToken).ConfigureAwait(false);
            return answer.IsSuccess
                ? null
                : $"the remote Courier's /update_all answered {(int)answer.StatusCode}: {DescribeFailure(answer.Body)}";
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            return $"the remote Courier's /update_all failed: {e.Message}";
        }
    }

    /// <summary>The remote's own errors when it sent its JSON report (a Courier for .NET does), else its text.</summary>
    private static string DescribeFailure(string body)
    {
        try
        {
            using var report = JsonDocument.Parse(body);
            var errors = new List<string>();
            CollectErrors(report.RootElement, null, errors);
            return errors.Count > 0 ? string.Join("; ", errors.Distinct()) : PeerAnswer.Excerpt(body);
        }
        catch (JsonException)
        {
            return PeerAnswer.Excerpt(body);
        }
    }

    private static void CollectErrors(JsonElement element, string? target, List<string> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var here = element.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : target;
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("error") && property.Value.ValueKind == JsonValueKind.String)
                    {
                        errors.Add(here is null ? property.Value.GetString()! : $"{here}: {property.Value.GetString()}");
                    }
                    else if (property.NameEquals("configuration_errors") && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        errors.AddRange(property.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
                    }
                    else
                    {
                        CollectErrors(property.Value, here, errors);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectErrors(item, target, errors);
                }

                break;
        }
    }

    private HttpRequestMessage NewRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);

        // Through a tunnel, the remote still sees the address it is known by.
        request.Headers.Host = address;
        return request;
    }

    private HttpClient Client() => httpClients.CreateClient(HttpClientName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked {Remote} to forward {Source}: succeeded {Succeeded} in {DurationMs:0} ms")]
    private partial void LogForwarded(string source, string remote, bool succeeded, double durationMs);
}

/// <summary>Reads <c>courier-remote</c> entries of destinations.json.</summary>
internal sealed class CourierRemoteDestinationFactory(
    IFileTransfer transfer,
    ISshTunnelFactory tunnels,
    IHttpClientFactory httpClients,
    ICourierEnvironment environment,
    ILoggerFactory loggers) : IDestinationFactory
{
    public const string TypeName = "courier-remote";

    public string Type => TypeName;

    public IDestination Create(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var address = definition.GetRequiredString("address");
        address = address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? address["http://".Length..].TrimEnd('/') : address;
        try
        {
            SplitHttpAddress(address);
        }
        catch (ArgumentException e)
        {
            throw definition.Error($"\"address\" must be the remote Courier's HOST or HOST:PORT: {e.Message}");
        }

        var login = definition.ReadSshLogin();
        return new CourierRemoteDestination(
            definition.Alias,
            address,
            ReadGateway(definition, login),
            login,
            transfer,
            tunnels,
            httpClients,
            environment.Timeouts,
            loggers.CreateLogger<CourierRemoteDestination>());
    }

    /// <summary>The host and port of an HTTP address written as HOST or HOST:PORT (port 80 when none is given).</summary>
    internal static (string Host, int Port) SplitHttpAddress(string address)
    {
        var (host, port) = HermesAddress.SplitEndpoint(address);
        var portGiven = address.StartsWith('[') ? address.Contains("]:", StringComparison.Ordinal) : address.Contains(':', StringComparison.Ordinal);
        return (host, portGiven ? port : 80);
    }

    private static SshGateway? ReadGateway(DestinationDefinition definition, SshLogin login)
    {
        if (definition.GetObject("ssh-tunnel") is not { } tunnel)
        {
            return null;
        }

        var host = definition.GetString(tunnel, "host");
        if (string.IsNullOrWhiteSpace(host) || host.StartsWith('-') || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw definition.Error("\"ssh-tunnel\" needs \"host\", the SSH gateway's host name or address.");
        }

        var key = definition.GetString(tunnel, "key");
        var knownHosts = definition.GetString(tunnel, "known_hosts");
        return new SshGateway(
            host,
            definition.GetPort(tunnel, "port", 22),
            definition.GetString(tunnel, "user") ?? login.User,
            key is null ? login.KeyPath : definition.ResolvePath(key))
        {
            // The gateway's keys may sit in the destination's pinned file or in a file of its own.
            KnownHostsFile = knownHosts is null ? login.KnownHostsFile : definition.ResolvePath(knownHosts),
        };
    }
}
