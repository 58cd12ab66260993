using System.Text.Json;

namespace Courier.Core.Validation;

/// <summary>
/// The built-in check <c>"json"</c>: every <c>*.json</c> file of the snapshot is strict JSON (RFC 8259: no comments,
/// no trailing commas; UTF-8, a byte order mark allowed).
/// </summary>
internal sealed class JsonFilesCheck(TimeSpan? timeout) : FileParseCheck(CheckName, timeout)
{
    public const string CheckName = "json";

    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 256 };

    protected override IReadOnlyList<string> Extensions { get; } = [".json"];

    protected override async Task<string?> ProblemAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(stream, Strict, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (JsonException e)
            {
                return e.Message;
            }
        }
    }
}
