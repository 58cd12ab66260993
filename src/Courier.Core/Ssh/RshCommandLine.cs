namespace Courier.Core.Ssh;

/// <summary>
/// rsync takes its remote shell as one string (<c>--rsh</c>) that it splits itself, honouring single quotes.
/// Arguments are quoted here one by one, so a path with spaces stays one argument and nothing is interpreted.
/// </summary>
internal static class RshCommandLine
{
    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Contains('\'', StringComparison.Ordinal) || argument.Contains('\n', StringComparison.Ordinal) || argument.Contains('\0', StringComparison.Ordinal))
        {
            throw new CourierConfigurationException($"An ssh argument cannot contain a quote, a newline or a NUL character: \"{argument}\".");
        }

        return argument.Length > 0 && argument.All(IsPlain) ? argument : $"'{argument}'";
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '@' or '%' or '+' or '=' or ':' or ',' or '.' or '/' or '_' or '-';
}
