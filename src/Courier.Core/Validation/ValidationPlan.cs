namespace Courier.Core.Validation;

/// <summary>The checks of one source entry's <c>"validate"</c> list, in their order; empty when it has none.</summary>
/// <param name="Checks">The checks.</param>
internal sealed record ValidationPlan(IReadOnlyList<ValidationCheck> Checks)
{
    /// <summary>No checks: the snapshot is delivered as pulled.</summary>
    public static ValidationPlan None { get; } = new([]);

    /// <summary>Whether there is nothing to check.</summary>
    public bool IsEmpty => Checks.Count == 0;

    /// <summary>Every check's name, separated by <c>; </c>.</summary>
    public string Describe() => string.Join("; ", Checks.Select(check => check.Name));
}
