using System.ComponentModel;
using System.Diagnostics;
using Courier.Core.Processes;
using Microsoft.Extensions.Logging;

namespace Courier.Core.Transfer;

/// <summary>
/// Atomic publish (<c>"publish": "atomic"</c>): read the target's release link, build a new release beside it with
/// unchanged files hard-linked to the current one, then switch the link in one rename and remove the oldest releases.
/// Three ssh runs over the same connection: <c>inspect</c>, rsync, <c>switch</c>; only <c>inspect</c> when the
/// target already holds the revision. A failure before the switch leaves the live release as it was.
/// </summary>
internal sealed partial class RsyncTransfer
{
    private async Task<TransferResult> PublishAtomicallyAsync(Snapshot snapshot, HermesAddress target, SshLogin login, SshRoute route, DeliveryOptions options, Stopwatch started, CancellationToken cancellationToken)
    {
        var root = target.Path.TrimEnd('/');
        var name = snapshot.DestinationPath!;
        var live = $"{root}/{name}";
        var releases = AtomicRelease.ReleasesDirectory(root, name);
        var revision = AtomicRelease.NameOf(snapshot.Revision);

        // A rollback (a kept release reused) makes no next release: it mostly switches to one the target keeps.
        var prepare = options.DryRun || options.ReuseKeptRelease || options.OnlyKeptRelease ? string.Empty : revision;
        var inspected = await RunStepAsync(route, login, AtomicRelease.Command(login.Sudo, "inspect", root, name, options.DryRun ? "look" : "create", prepare, TargetFence.Argument(options.FencingToken)), cancellationToken).ConfigureAwait(false);
        if (inspected.Error is { } inspectError)
        {
            return Failed(snapshot.SourceId, route.TargetName, $"could not read the release of {route.TargetName}: {inspectError}", started, inspected.ExitCode);
        }

        LiveRelease state;
        try
        {
            state = LiveRelease.Parse(inspected.Output);
        }
        catch (FormatException e)
        {
            return Failed(snapshot.SourceId, route.TargetName, $"could not read the release of {route.TargetName}: {e.Message}", started);
        }

        var held = state.CurrentRevision;
        if (!options.DryRun && options.FencingToken is { } token && state.Fence > token)
        {
            // Found before any transfer; the switch checks again, under the target's lock.
            return Fenced(snapshot.SourceId, route.TargetName, TargetFence.Refusal(live, state.Fence, token), started) with
            {
                Revision = held,
                RevisionSince = state.Since,
                CurrentRevision = held,
            };
        }

        if (options.DryRun)
        {
            // The live path follows the link: the comparison is with the current release, as the real delivery's.
            var dry = await RunRsyncAsync(snapshot, login, route, new RsyncCall($"{live}/", RemoteRsync(login), DryRun: true, []), started, cancellationToken).ConfigureAwait(false);
            return dry with { CurrentRevision = held, Revision = held, RevisionSince = state.Since };
        }

        if (options.Publish.Verify == VerifyMode.Revision && state.Kind == LiveKind.Link && held == revision)
        {
            LogUnchanged(snapshot.SourceId, route.TargetName, revision);
            return new TransferResult(route.TargetName, true, 0, null, 0, started.Elapsed) { Unchanged = true, Revision = held, RevisionSince = state.Since, CurrentRevision = held };
        }

        if (options.ReuseKeptRelease && state.KeptReleaseOf(revision) is { } kept && kept != state.Current)
        {
            // A rollback to a release still on the target: one rename, nothing transferred.
            return await SwitchAsync(snapshot, route, login, root, name, kept, options, state, started, pushed: null, cancellationToken).ConfigureAwait(false);
        }

        if (options.OnlyKeptRelease)
        {
            return Failed(snapshot.SourceId, route.TargetName, $"{route.TargetName} keeps no release of {revision} to switch back to (keep_releases); nothing was changed.", started) with { Revision = held, RevisionSince = state.Since, CurrentRevision = held };
        }

        var number = state.Next;
        if (state.Kind == LiveKind.Directory)
        {
            number++;
        }

        var release = state.Prepared ?? $"{revision}-{number}";
        string[] linkDest = state switch
        {
            { Prepared: not null } => [],
            { Kind: LiveKind.Link, Current: { } current } => [$"--link-dest={releases}/{current}"],
            { Kind: LiveKind.Directory } => [$"--link-dest={live}"],
            _ => [],
        };
        // The release is not live yet: rsync writes into it directly (no --delay-updates, which renames every file again).
        var pushed = await RunRsyncAsync(snapshot, login, route, new RsyncCall($"{releases}/{release}/", RemoteRsync(login), DryRun: false, linkDest), started, cancellationToken).ConfigureAwait(false);
        if (!pushed.Succeeded)
        {
            await DiscardAsync(route, login, root, name, release, cancellationToken).ConfigureAwait(false);
            return pushed with { Revision = held, RevisionSince = state.Since, CurrentRevision = held };
        }

        return await SwitchAsync(snapshot, route, login, root, name, release, options, state, started, pushed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Switches the live link to <paramref name="release"/>; on failure removes it unless it was already kept (<paramref name="pushed"/> null).</summary>
    private async Task<TransferResult> SwitchAsync(Snapshot snapshot, SshRoute route, SshLogin login, string root, string name, string release, DeliveryOptions options, LiveRelease state, Stopwatch started, TransferResult? pushed, CancellationToken cancellationToken)
    {
        var held = state.CurrentRevision;
        var keep = options.Publish.KeepReleases.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var converted = $"in-place-{state.Next}";
        var switched = await RunStepAsync(route, login, AtomicRelease.Command(login.Sudo, "switch", root, name, release, AtomicRelease.LinkText(name, release), keep, converted, TargetFence.Argument(options.FencingToken)), cancellationToken).ConfigureAwait(false);
        if (switched.Error is { } switchError)
        {
            if (pushed is not null)
            {
                await DiscardAsync(route, login, root, name, release, cancellationToken).ConfigureAwait(false);
            }

            if (switched.ExitCode == TargetFence.ExitCode && TargetFence.RefusalIn(switched.StandardError) is { } refusal)
            {
                return Fenced(snapshot.SourceId, route.TargetName, refusal, started) with { Revision = held, RevisionSince = state.Since, CurrentRevision = held };
            }

            return Failed(snapshot.SourceId, route.TargetName, $"the release {release} is on {route.TargetName} but was not switched to: {switchError}", started, switched.ExitCode) with
            {
                Revision = held,
                RevisionSince = state.Since,
                CurrentRevision = held,
            };
        }

        LogSwitched(snapshot.SourceId, route.TargetName, release, held ?? "none");
        var result = pushed ?? new TransferResult(route.TargetName, true, 0, null, 0, started.Elapsed);
        return result with
        {
            Revision = AtomicRelease.NameOf(snapshot.Revision),
            RevisionSince = LiveRelease.SwitchedAt(switched.Output) ?? time.GetUtcNow(),
            CurrentRevision = held,
            Duration = started.Elapsed,
        };
    }

    /// <summary>Removes a release that did not go live (never the live one: the script checks), best effort.</summary>
    private async Task DiscardAsync(SshRoute route, SshLogin login, string root, string name, string release, CancellationToken cancellationToken)
    {
        var discarded = await RunStepAsync(route, login, AtomicRelease.Command(login.Sudo, "discard", root, name, release), cancellationToken).ConfigureAwait(false);
        if (discarded.Error is { } error)
        {
            LogDiscardFailed(route.TargetName, release, error);
        }
    }

    /// <summary>One remote step over the route's connection, within <c>Courier:Timeouts:Publish</c>.</summary>
    private async Task<StepOutcome> RunStepAsync(SshRoute route, SshLogin login, string command, CancellationToken cancellationToken)
    {
        var deadline = settings.Value.Timeouts.Publish;
        var run = new ProcessRun(ssh.SshExecutable, [.. route.SshArguments, "-l", login.User, "--", route.Host, command])
        {
            Deadline = deadline,
            DeadlineName = CourierTimeouts.Describe(nameof(CourierTimeouts.Publish), deadline),
            OutputHeld = route.SessionHung,
        };
        try
        {
            var outcome = await processes.RunAsync(run, cancellationToken).ConfigureAwait(false);
            if (outcome.ExitCode == 0)
            {
                return new StepOutcome(outcome.StandardOutput, null, 0);
            }

            var lines = outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var said = lines.Length == 0 ? "it printed nothing" : string.Join(" | ", lines.TakeLast(5));
            return new StepOutcome(outcome.StandardOutput, $"exit code {outcome.ExitCode}: {said}", outcome.ExitCode, outcome.StandardError);
        }
        catch (ProcessDeadlineException e)
        {
            // rsync's code for a timeout: transient, so the attempt may be tried again.
            return new StepOutcome(string.Empty, e.Message, 30);
        }
        catch (Win32Exception e)
        {
            return new StepOutcome(string.Empty, $"could not run ssh ({ssh.SshExecutable}): {e.Message}", -1);
        }
    }

    private sealed record StepOutcome(string Output, string? Error, int ExitCode, string StandardError = "");

    [LoggerMessage(Level = LogLevel.Information, Message = "{Target} already holds {Revision} of {Source}: nothing transferred")]
    private partial void LogUnchanged(string source, string target, string revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Switched {Target} to release {Release} of {Source} (it had {Previous})")]
    private partial void LogSwitched(string source, string target, string release, string previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the release {Release} that did not go live on {Target}: {Error}")]
    private partial void LogDiscardFailed(string target, string release, string error);
}
