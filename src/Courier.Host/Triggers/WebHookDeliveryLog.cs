using System.Collections.Concurrent;

namespace Courier.Host.Triggers;

/// <summary>
/// Delivery ids seen in the last hour, so a provider's retry (or a replayed call) is acknowledged without
/// queueing the same delivery again. Bounded: past <see cref="Capacity"/> ids the oldest are forgotten.
/// </summary>
internal sealed class WebHookDeliveryLog(TimeProvider time)
{
    /// <summary>How many ids are remembered at most.</summary>
    public const int Capacity = 10_000;

    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>Records a delivery; false when it was seen in the last hour (a duplicate).</summary>
    public bool TryRecord(string provider, string deliveryId)
    {
        var now = time.GetUtcNow();
        if (_seen.Count >= Capacity)
        {
            Prune(now);
        }

        var key = $"{provider}\n{deliveryId}";
        while (true)
        {
            if (_seen.TryAdd(key, now))
            {
                return true;
            }

            if (_seen.TryGetValue(key, out var seenAt) && now - seenAt < Window)
            {
                return false;
            }

            // Seen more than an hour ago: a new delivery that happens to reuse the id.
            if (_seen.TryUpdate(key, now, seenAt))
            {
                return true;
            }
        }
    }

    /// <summary>Forgets a delivery that could not be queued, so the provider's retry is taken.</summary>
    public void Forget(string provider, string deliveryId) => _seen.TryRemove($"{provider}\n{deliveryId}", out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, seenAt) in _seen)
        {
            if (now - seenAt >= Window)
            {
                _seen.TryRemove(key, out _);
            }
        }

        if (_seen.Count >= Capacity)
        {
            foreach (var (key, _) in _seen.OrderBy(pair => pair.Value).Take(_seen.Count - Capacity + 1).ToList())
            {
                _seen.TryRemove(key, out _);
            }
        }
    }
}
