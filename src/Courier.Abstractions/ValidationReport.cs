namespace Courier;

/// <summary>
/// What the checks of a source's <c>"validate"</c> list found in its snapshot, before anything was delivered. A check
/// that fails stops the update of that source: nothing is delivered, and every target keeps the revision it had.
/// </summary>
/// <param name="Check">
/// The check that failed (<c>json</c>, <c>yaml</c>, or the command as configured: <c>nginx -t -p {snapshot}</c>); when
/// every check passed, all of them, separated by <c>; </c>.
/// </param>
/// <param name="Passed">Whether every check passed.</param>
/// <param name="ExitCode">The failing command's exit code; null when every check passed, for a built-in check, and when the command never ended by itself (its deadline) or never started.</param>
/// <param name="Output">
/// Why the check failed: the end of the command's output (standard output, then standard error) or the built-in
/// check's findings, at most <see cref="OutputLimit"/> characters; null when every check passed.
/// </param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record ValidationReport(string Check, bool Passed, int? ExitCode, string? Output)
{
    /// <summary>The most characters of a failing check's output a report keeps (its last ones).</summary>
    public const int OutputLimit = 4096;
}
