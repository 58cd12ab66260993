using System.Globalization;
using System.Text;

namespace Courier.Core.Validation;

/// <summary>
/// A built-in check: every file of the snapshot with one of <see cref="Extensions"/> must parse. Every file is read
/// (the findings list each one that does not parse, up to <see cref="MaxFindings"/>), within the check's deadline.
/// </summary>
internal abstract class FileParseCheck(string name, TimeSpan? timeout) : ValidationCheck(name, timeout)
{
    /// <summary>How many files that do not parse are named; the rest are counted.</summary>
    public const int MaxFindings = 20;

    /// <summary>The file name endings this check reads (compared case-insensitively).</summary>
    protected abstract IReadOnlyList<string> Extensions { get; }

    /// <inheritdoc />
    public override async Task<CheckOutcome> RunAsync(CheckRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(run.Deadline);
        var root = run.Snapshot.LocalDirectory;
        var findings = new StringBuilder();
        var failed = 0;
        var checkedFiles = 0;
        try
        {
            foreach (var file in SnapshotFiles.Find(root, Extensions))
            {
                deadline.Token.ThrowIfCancellationRequested();
                var problem = await ProblemAsync(file, deadline.Token).ConfigureAwait(false);
                checkedFiles++;
                if (problem is not null && ++failed <= MaxFindings)
                {
                    findings.Append(Path.GetRelativePath(root, file)).Append(": ").AppendLine(problem);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            findings.Append(CultureInfo.InvariantCulture, $"{Name} did not finish within {run.DeadlineName}: {checkedFiles} files were read.");
            return CheckOutcome.Fail(null, findings.ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            findings.Append(CultureInfo.InvariantCulture, $"the snapshot could not be read: {e.Message}");
            return CheckOutcome.Fail(null, findings.ToString());
        }

        if (failed == 0)
        {
            return CheckOutcome.Pass;
        }

        if (failed > MaxFindings)
        {
            findings.Append(CultureInfo.InvariantCulture, $"... and {failed - MaxFindings} more files that do not parse.");
        }

        return CheckOutcome.Fail(null, findings.ToString());
    }

    /// <summary>Why <paramref name="path"/> does not parse (one line), or null when it does.</summary>
    protected abstract Task<string?> ProblemAsync(string path, CancellationToken cancellationToken);
}
