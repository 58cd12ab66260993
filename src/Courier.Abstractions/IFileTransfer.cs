namespace Courier;

/// <summary>Pushes snapshots to hermes addresses with rsync over SSH; an engine service plugins receive by injection.</summary>
public interface IFileTransfer
{
    /// <summary>
    /// Pushes <paramref name="snapshot"/> to <paramref name="target"/>: into <c>PATH/DestinationPath</c>, or into
    /// <c>PATH</c> itself when the snapshot delivers contents; files gone from the snapshot are deleted there.
    /// When <paramref name="gateway"/> is set, the SSH connection goes through a tunnel over it.
    /// Failures are returned, not thrown (cancellation excepted).
    /// </summary>
    Task<TransferResult> PushAsync(Snapshot snapshot, HermesAddress target, SshLogin login, SshGateway? gateway, CancellationToken cancellationToken);

    /// <summary>
    /// Pushes <paramref name="snapshot"/> to <paramref name="target"/> as <paramref name="options"/> say: as
    /// <see cref="PushAsync(Snapshot, HermesAddress, SshLogin, SshGateway?, CancellationToken)"/>, or as a dry run
    /// that changes nothing and reports in <see cref="TransferResult.Changes"/> what a push would change, in place or as an
    /// atomic release (<see cref="DeliveryOptions.Publish"/>). A transfer built before dry runs (or atomic publish) existed
    /// answers those with a failure and changes nothing.
    /// </summary>
    Task<TransferResult> PushAsync(Snapshot snapshot, HermesAddress target, SshLogin login, SshGateway? gateway, DeliveryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        if (options.DryRun || options.Publish.Mode != PublishMode.InPlace)
        {
            var what = options.DryRun ? "do a dry run" : "publish atomically";
            return Task.FromResult(new TransferResult(target.ToString(), false, -1, $"{GetType().Name} cannot {what}; nothing was done.", 0, TimeSpan.Zero));
        }

        return PushAsync(snapshot, target, login, gateway, cancellationToken);
    }
}
