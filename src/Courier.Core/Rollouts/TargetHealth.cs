using System.ComponentModel;
using System.Globalization;
using Courier.Core.Processes;
using Microsoft.Extensions.Logging;

namespace Courier.Core.Rollouts;

/// <summary>
/// A rollout's health gate for one target: the HTTP answer at the gate's URL (with <c>{host}</c> replaced), or the
/// gate's command run on the target over ssh, each with its deadline and attempts; then the destination's own check
/// (an Armada agent's status). Answers null when healthy, else why not.
/// </summary>
internal sealed partial class TargetHealth(IHttpClientFactory httpClients, ISshCommandBuilder ssh, ProcessRunner processes, TimeProvider time, ILogger<TargetHealth> logger)
{
    private static readonly TimeSpan BetweenAttempts = TimeSpan.FromSeconds(1);

    public async Task<string?> CheckAsync(IDeliveryTarget target, HealthGate? gate, CancellationToken cancellationToken)
    {
        var answer = gate switch
        {
            null => null,
            { Url: { } url } => await AttemptAsync(gate, ct => AskAsync(target, url, gate, ct), cancellationToken).ConfigureAwait(false),
            { Command: { } command } => await AttemptAsync(gate, ct => RunAsync(target, command, gate, ct), cancellationToken).ConfigureAwait(false),
            _ => null,
        };
        if (answer is null)
        {
            try
            {
                answer = await target.CheckAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                answer = $"its destination's check failed: {e.Message}";
            }
        }

        if (answer is not null)
        {
            LogUnhealthy(target.Name, answer);
        }

        return answer;
    }

    private async Task<string?> AttemptAsync(HealthGate gate, Func<CancellationToken, Task<string?>> attempt, CancellationToken cancellationToken)
    {
        string? answer = null;
        for (var tried = 1; tried <= gate.Attempts; tried++)
        {
            answer = await attempt(cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return null;
            }

            if (tried < gate.Attempts)
            {
                await Task.Delay(BetweenAttempts, time, cancellationToken).ConfigureAwait(false);
            }
        }

        return gate.Attempts == 1 ? answer : string.Create(CultureInfo.InvariantCulture, $"{answer} ({gate.Attempts} attempts)");
    }

    private async Task<string?> AskAsync(IDeliveryTarget target, string template, HealthGate gate, CancellationToken cancellationToken)
    {
        if (target.Host is not { } host)
        {
            return "the target has no host for the health URL's {host}";
        }

        var url = template.Replace("{host}", host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host, StringComparison.Ordinal);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(gate.Timeout);
        try
        {
            // Only the status is read: the body is never downloaded.
            using var response = await httpClients.CreateClient(nameof(TargetHealth)).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return (int)response.StatusCode == gate.Expect ? null : string.Create(CultureInfo.InvariantCulture, $"GET {url} answered {(int)response.StatusCode}, expected {gate.Expect}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return string.Create(CultureInfo.InvariantCulture, $"GET {url} did not answer within {gate.Timeout:c}");
        }
        catch (HttpRequestException e)
        {
            return $"GET {url} failed: {e.Message}";
        }
    }

    private async Task<string?> RunAsync(IDeliveryTarget target, IReadOnlyList<string> command, HealthGate gate, CancellationToken cancellationToken)
    {
        if (target.Ssh is not { } endpoint)
        {
            return "no ssh address is known for the target, so the health command cannot run there";
        }

        if (endpoint.Gateway is not null)
        {
            return "a health command through an ssh gateway is not supported; use \"http\"";
        }

        var words = string.Join(' ', command.Select(ShellQuoting.ForPosixShell));
        var arguments = new List<string>(ssh.CommonArguments(endpoint.Login.KeyPath, endpoint.Login.KnownHostsFile))
        {
            "-p", endpoint.Address.Port.ToString(CultureInfo.InvariantCulture), "-l", endpoint.Login.User, "--", endpoint.Address.Host, words,
        };
        try
        {
            var outcome = await processes.RunAsync(ssh.SshExecutable, arguments, gate.Timeout, "the health gate's timeout", cancellationToken).ConfigureAwait(false);
            if (outcome.ExitCode == 0)
            {
                return null;
            }

            var said = (outcome.StandardError + "\n" + outcome.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return string.Create(CultureInfo.InvariantCulture, $"{string.Join(' ', command)} exited {outcome.ExitCode}: {(said.Length == 0 ? "it printed nothing" : string.Join(" | ", said.TakeLast(3)))}");
        }
        catch (ProcessDeadlineException e)
        {
            return $"{string.Join(' ', command)}: {e.Message}";
        }
        catch (Win32Exception e)
        {
            return $"could not run ssh: {e.Message}";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health gate: {Target} is not healthy: {Answer}")]
    private partial void LogUnhealthy(string target, string answer);
}
