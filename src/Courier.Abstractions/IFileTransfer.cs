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
}
