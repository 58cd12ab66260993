namespace Courier.Host.Background;

/// <summary>The triggers of one queued update, compared by value and in order: queued updates of equal sets fold into one.</summary>
internal sealed record TriggerSet(IReadOnlyList<UpdateTrigger> Triggers)
{
    public bool Equals(TriggerSet? other) => other is not null && Triggers.SequenceEqual(other.Triggers);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var trigger in Triggers)
        {
            hash.Add(trigger);
        }

        return hash.ToHashCode();
    }
}
