namespace Courier;

/// <summary>
/// How long the output of an ssh run that has ended may stay open before the shared connection holding it is ended.
/// OpenSSH's master keeps a session's standard error until the server ends the session, which a hung remote command
/// never does. One source file compiled into each assembly that runs ssh (linked from src/Shared).
/// </summary>
internal static class HeldOutput
{
    /// <summary>After a run that failed, or was ended at a deadline.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    /// <summary>
    /// After a run that succeeded: its peer did its part, so output still open is most likely a loaded machine closing
    /// it late, and ending the shared connection (other runs use it) would cost more.
    /// </summary>
    public static readonly TimeSpan GraceAfterSuccess = TimeSpan.FromSeconds(15);

    /// <summary>How much longer the output is waited for once its holder was ended; then it is given up.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);
}
