using System.Diagnostics;
using System.Net.Http.Headers;
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

    /// <summary>The hermes address the remote gave at the last delivery, for a health command; null before.</summary>
    private HermesAddress? _hermes;

    /// <summary>One target: the remote Courier, with its <c>/update_all</c> after the push.</summary>
    public Task<IReadOnlyList<IDeliveryTarget>> ListTargetsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IDeliveryTarget>>([new Target(this, CourierRemoteDestinationFactory.SplitHttpAddress(address).Host, login, gateway)]);

    private sealed class Target(CourierRemoteDestination destination, string host, SshLogin login, SshGateway? gateway) : IDeliveryTarget
    {
        public string Name => destination.Name;

        public string? Host => host;

        public SshEndpoint? Ssh => destination._hermes is { } hermes ? new(hermes, login, gateway) : null;

        public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken) =>
            destination.DeliverAsync(snapshot, options, cancellationToken);
    }

    public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, CancellationToken cancellationToken) =>
        DeliverAsync(snapshot, DeliveryOptions.Default, cancellationToken);

    /// <summary>In a dry run, what would change in the remote's hermes directory: the remote is not asked to forward, so the answer goes no further down the chain.</summary>
    public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
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

            _hermes = hermes;
            var push = await transfer.PushAsync(snapshot, hermes, login, gateway, options, cancellationToken).ConfigureAwait(false);
            if (!push.Succeeded)
            {
                return [push.ToDeliveryResult()];
            }

            if (options.DryRun)
            {
                return [push.ToDeliveryResult() with { Note = $"dry run: what would change in the hermes directory of {Name}; its /update_all was not called, so what it would forward to its own destinations is not shown." }];
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
                : $"the remote Courier's /update_all answered {(int)answer.StatusCode}: {RemoteFailure.Describe(answer.Body)}";
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            return $"the remote Courier's /update_all failed: {e.Message}";
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
