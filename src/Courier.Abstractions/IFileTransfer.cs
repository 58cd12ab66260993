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
    /// that changes nothing and reports in <see cref="TransferResult.Changes"/> what a push would change. A transfer
    /// built before dry runs existed answers a dry run with a failure and changes nothing.
    /// </summary>
    Task<TransferResult> PushAsync(Snapshot snapshot, HermesAddress target, SshLogin login, SshGateway? gateway, DeliveryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(target);
        return options.DryRun
            ? Task.FromResult(new TransferResult(target.ToString(), false, -1, $"{GetType().Name} cannot do a dry run; nothing was done.", 0, TimeSpan.Zero))
            : PushAsync(snapshot, target, login, gateway, cancellationToken);
    }
}
