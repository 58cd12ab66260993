namespace Courier.Core.History;

/// <summary>What a source's report says beyond its fields, read the same way by the status and the metrics.</summary>
internal static class SourceReportFacts
{
    /// <summary>Whether the pull itself failed: an error that is not a failed validation (that snapshot was pulled).</summary>
    public static bool PullFailed(this SourceReport source) =>
        source.Error is not null && source.Validation is not { Passed: false };
}
