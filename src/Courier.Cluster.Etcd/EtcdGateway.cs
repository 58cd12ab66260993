using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Courier.Core.Cluster;
using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Courier.Cluster.Etcd;

/// <summary>
/// The one way this package calls etcd: every call with the deadline <c>Courier:Cluster:Etcd:Timeout</c>, with the
/// authentication token when etcd has users, and any failure turned into a <see cref="ClusterUnavailableException"/>.
/// </summary>
internal sealed class EtcdGateway : IDisposable
{
    private readonly EtcdConnectionOptions _options;
    private readonly SemaphoreSlim _authenticating = new(1, 1);
    private volatile Metadata? _token;

    public EtcdGateway(IOptions<EtcdClusterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Etcd;
        var endpoints = string.Join(",", _options.Endpoints);
        Client = endpoints.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? new EtcdClient(endpoints, ConfigureTls)
            : new EtcdClient(endpoints, configureChannelOptions: channel => channel.Credentials = ChannelCredentials.Insecure);
    }

    /// <summary>The client; call it through <see cref="CallAsync{T}"/>.</summary>
    public EtcdClient Client { get; }

    /// <summary>The deadline of one call.</summary>
    public TimeSpan Timeout => _options.Timeout;

    /// <summary>Runs one etcd call with its deadline and the authentication headers; <paramref name="what"/> names it in errors.</summary>
    public async Task<T> CallAsync<T>(string what, Func<Metadata?, DateTime, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var headers = await HeadersAsync(cancellationToken).ConfigureAwait(false);
                return await call(headers, DateTime.UtcNow + _options.Timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated && _options.Username is not null && attempt == 1)
            {
                // The token expired (etcd's --auth-token-ttl): authenticate again, once.
                _token = null;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ClusterUnavailableException($"etcd did not answer {what} within {_options.Timeout.TotalSeconds:0.#} s: {e.StatusCode} {e.Status.Detail}", e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ClusterUnavailableException($"etcd did not answer {what} within {_options.Timeout.TotalSeconds:0.#} s.", e);
            }
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        _authenticating.Dispose();
    }

    private async Task<Metadata?> HeadersAsync(CancellationToken cancellationToken)
    {
        if (_options.Username is null || _options.Password is null)
        {
            return null;
        }

        if (_token is { } token)
        {
            return token;
        }

        await _authenticating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is null)
            {
                var request = new AuthenticateRequest { Name = _options.Username, Password = _options.Password };
                var answer = await Client.AuthenticateAsync(request, null, DateTime.UtcNow + _options.Timeout, cancellationToken).ConfigureAwait(false);
                _token = new Metadata { { "token", answer.Token } };
            }

            return _token;
        }
        finally
        {
            _authenticating.Release();
        }
    }

    private void ConfigureTls(SslClientAuthenticationOptions ssl)
    {
        if (_options.ClientCertificate is { } certificate && _options.ClientKey is { } key)
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(certificate, key)];
        }

        if (_options.CaCertificate is { } caFile)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
            ssl.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
            {
                if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(presented));
            };
        }
    }
}
