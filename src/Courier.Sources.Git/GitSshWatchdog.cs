namespace Courier.Sources.Git;

/// <summary>
/// A deadline in two stages for one blocking call on ssh's pipes: at the deadline (or on cancellation) the first
/// action runs; when the call is still blocked a grace period later, the second. Disposing it, once the call has
/// returned, calls neither any more.
/// </summary>
internal sealed class GitSshWatchdog(CancellationToken cancellationToken) : IDisposable
{
    private readonly CancellationTokenSource _deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    private readonly CancellationTokenSource _stillBlocked = new();
    private CancellationTokenRegistration _atDeadline;
    private CancellationTokenRegistration _whenStillBlocked;

    /// <summary>Arms it: <paramref name="atDeadline"/> after <paramref name="limit"/>, <paramref name="whenStillBlocked"/> <paramref name="grace"/> after that.</summary>
    public void Start(TimeSpan limit, Action atDeadline, TimeSpan grace, Action whenStillBlocked)
    {
        _whenStillBlocked = _stillBlocked.Token.Register(whenStillBlocked);
        _atDeadline = _deadline.Token.Register(() =>
        {
            atDeadline();
            _stillBlocked.CancelAfter(grace);
        });
        _deadline.CancelAfter(limit);
    }

    public void Dispose()
    {
        // Disposing a registration waits for its callback when it is running, so nothing here is used after disposal.
        _atDeadline.Dispose();
        _deadline.Dispose();
        _whenStillBlocked.Dispose();
        _stillBlocked.Dispose();
    }
}
