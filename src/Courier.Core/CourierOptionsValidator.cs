using Microsoft.Extensions.Options;

namespace Courier.Core;

/// <summary>Checks the host settings at start-up, so a wrong setting stops the host before it serves.</summary>
internal sealed class CourierOptionsValidator : IValidateOptions<CourierOptions>
{
    private static readonly string[] HostKeyPolicies = ["yes", "accept-new", "no"];

    public ValidateOptionsResult Validate(string? name, CourierOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.HermesDirectory) || !Path.IsPathRooted(options.HermesDirectory))
        {
            failures.Add($"Courier:HermesDirectory must be an absolute path, got \"{options.HermesDirectory}\".");
        }

        if (string.IsNullOrWhiteSpace(options.StateDirectory))
        {
            failures.Add("Courier:StateDirectory must be set.");
        }

        if (options.SshAddress is { Length: > 0 } sshAddress)
        {
            try
            {
                HermesAddress.SplitEndpoint(sshAddress);
            }
            catch (ArgumentException e)
            {
                failures.Add($"Courier:SshAddress: {e.Message}");
            }
        }

        if (options.ArmadaApi is { Length: > 0 } armadaApi && !Uri.TryCreate(armadaApi, UriKind.Absolute, out _))
        {
            failures.Add($"Courier:ArmadaApi must be an absolute URL such as http://10.0.0.1:8900, got \"{armadaApi}\".");
        }

        if (options.MaxParallelTransfers is < 1 or > 1024)
        {
            failures.Add($"Courier:MaxParallelTransfers must be from 1 to 1024, got {options.MaxParallelTransfers}.");
        }

        if (options.MaxParallelSources is < 1 or > 64)
        {
            failures.Add($"Courier:MaxParallelSources must be from 1 to 64, got {options.MaxParallelSources}.");
        }

        if (options.Coalescing.QuietPeriod < TimeSpan.Zero || options.Coalescing.QuietPeriod > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Courier:Coalescing:QuietPeriod must be from 00:00:00 to 00:10:00, got {options.Coalescing.QuietPeriod}.");
        }

        if (options.Coalescing.MaxDelay < options.Coalescing.QuietPeriod || options.Coalescing.MaxDelay > TimeSpan.FromHours(1))
        {
            failures.Add($"Courier:Coalescing:MaxDelay must be from Courier:Coalescing:QuietPeriod ({options.Coalescing.QuietPeriod}) to 01:00:00, got {options.Coalescing.MaxDelay}.");
        }

        if (options.Ssh.KnownHostsFile is { Length: > 0 } knownHosts
            && (!Path.IsPathRooted(knownHosts) || !File.Exists(knownHosts) || knownHosts.Any(char.IsWhiteSpace)))
        {
            failures.Add($"Courier:Ssh:KnownHostsFile must be an existing file named by an absolute path without spaces, got \"{knownHosts}\".");
        }

        if (options.ShutdownGracePeriod < TimeSpan.Zero || options.ShutdownGracePeriod > TimeSpan.FromHours(1))
        {
            failures.Add($"Courier:ShutdownGracePeriod must be from 00:00:00 to 01:00:00, got {options.ShutdownGracePeriod}.");
        }

        if (options.Git.PollInterval is { } poll && (poll < PollIntervals.Minimum || poll > PollIntervals.Maximum))
        {
            failures.Add($"Courier:Git:PollInterval must be from {PollIntervals.Minimum} to {PollIntervals.Maximum}, got {poll}.");
        }

        if (options.Reports.MaxCount is < 1 or > 100_000)
        {
            failures.Add($"Courier:Reports:MaxCount must be from 1 to 100000, got {options.Reports.MaxCount}.");
        }

        if (options.Reports.MaxAge <= TimeSpan.Zero)
        {
            failures.Add($"Courier:Reports:MaxAge must be positive (e.g. 14.00:00:00 for 14 days), got {options.Reports.MaxAge}.");
        }

        var ssh = options.Ssh;
        if (ssh.ConnectionIdleTimeout < TimeSpan.FromSeconds(1) || ssh.ConnectionIdleTimeout > TimeSpan.FromHours(24))
        {
            failures.Add($"Courier:Ssh:ConnectionIdleTimeout must be from 00:00:01 to 1.00:00:00, got {ssh.ConnectionIdleTimeout}.");
        }

        if (string.IsNullOrWhiteSpace(ssh.User) || ssh.User.StartsWith('-'))
        {
            failures.Add($"Courier:Ssh:User must be a user name, got \"{ssh.User}\".");
        }

        if (!HostKeyPolicies.Contains(ssh.StrictHostKeyChecking, StringComparer.Ordinal))
        {
            failures.Add($"Courier:Ssh:StrictHostKeyChecking must be one of {string.Join(", ", HostKeyPolicies)}, got \"{ssh.StrictHostKeyChecking}\".");
        }

        if (ssh.ConnectTimeoutSeconds is < 1 or > 300)
        {
            failures.Add($"Courier:Ssh:ConnectTimeoutSeconds must be from 1 to 300, got {ssh.ConnectTimeoutSeconds}.");
        }

        if (ssh.ConfigFile is { Length: > 0 } configFile && !File.Exists(configFile))
        {
            failures.Add($"Courier:Ssh:ConfigFile \"{configFile}\" does not exist.");
        }

        ValidateTimeouts(options.Timeouts, failures);
        ValidateRetries(options.Retries, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateTimeouts(CourierTimeouts timeouts, List<string> failures)
    {
        Positive("Timeouts:GitInactivity", timeouts.GitInactivity, failures);
        Positive("Timeouts:GitFetch", timeouts.GitFetch, failures);
        Positive("Timeouts:RemoteForward", timeouts.RemoteForward, failures);
        Positive("Timeouts:Update", timeouts.Update, failures);
        Positive("Timeouts:Validate", timeouts.Validate, failures);
        Positive("Timeouts:Publish", timeouts.Publish, failures);
        if (timeouts.RsyncIo < TimeSpan.FromSeconds(1) || timeouts.RsyncIo.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            failures.Add($"Courier:Timeouts:RsyncIo must be whole seconds, at least 00:00:01 (rsync --timeout), got {timeouts.RsyncIo:c}.");
        }
    }

    private static void ValidateRetries(CourierRetryOptions retries, List<string> failures)
    {
        if (retries.Attempts is < 1 or > 20)
        {
            failures.Add($"Courier:Retries:Attempts must be from 1 to 20, got {retries.Attempts}.");
        }

        Positive("Retries:Delay", retries.Delay, failures);
        Positive("Retries:MaxDelay", retries.MaxDelay, failures);
        Positive("Retries:MaxElapsed", retries.MaxElapsed, failures);
        if (retries.MaxDelay < retries.Delay)
        {
            failures.Add($"Courier:Retries:MaxDelay ({retries.MaxDelay:c}) must not be shorter than Courier:Retries:Delay ({retries.Delay:c}).");
        }
    }

    private static void Positive(string name, TimeSpan value, List<string> failures)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            failures.Add($"Courier:{name} must be a positive duration of at most a day (such as 00:01:00), got {value:c}.");
        }
    }
}
