using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Courier.Core.Validation;

/// <summary>
/// The built-in check <c>"yaml"</c>: every <c>*.yml</c> and <c>*.yaml</c> file of the snapshot parses as YAML
/// (YamlDotNet; every document of a multi-document file; a duplicate key is an error). An empty file is valid YAML.
/// </summary>
internal sealed class YamlFilesCheck(TimeSpan? timeout) : FileParseCheck(CheckName, timeout)
{
    public const string CheckName = "yaml";

    protected override IReadOnlyList<string> Extensions { get; } = [".yml", ".yaml"];

    protected override async Task<string?> ProblemAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            new YamlStream().Load(new StringReader(text));
            return null;
        }
        catch (YamlException e)
        {
            return OneLine(e.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) ? $"{e.Message} ({inner.Message})" : e.Message);
        }
        catch (ArgumentException e)
        {
            // YamlDotNet's mapping nodes refuse a key they already hold this way.
            return OneLine(e.Message);
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
