namespace Courier.Core.Validation;

/// <summary>Keeps the end of a check's output, at most <see cref="ValidationReport.OutputLimit"/> characters.</summary>
internal static class OutputCap
{
    private const string Cut = "…";

    /// <summary>The last characters of <paramref name="output"/>, marked with <c>…</c> at the start when cut.</summary>
    public static string Tail(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var trimmed = output.TrimEnd();
        if (trimmed.Length <= ValidationReport.OutputLimit)
        {
            return trimmed;
        }

        var tail = trimmed[^(ValidationReport.OutputLimit - Cut.Length)..];
        return Cut + (char.IsLowSurrogate(tail[0]) ? tail[1..] : tail);
    }

    /// <summary>A command's standard output, then its standard error (each may be empty).</summary>
    public static string Combine(string standardOutput, string standardError)
    {
        var output = standardOutput.TrimEnd();
        var error = standardError.TrimEnd();
        return output.Length == 0 ? error : error.Length == 0 ? output : $"{output}\n{error}";
    }
}
