namespace Courier;

/// <summary>
/// Quoting of arguments for the two command-line parsers Courier's ssh runs meet (process arguments themselves
/// are always lists): the remote POSIX shell that ssh hands its command to, and rsync's own splitting of its
/// <c>--rsh</c> string. One source file compiled into each assembly that needs it (linked from src/Shared).
/// </summary>
internal static class ShellQuoting
{
    /// <summary>POSIX shell single quoting: everything between the quotes is taken literally; a quote is written <c>'\''</c>.</summary>
    public static string ForPosixShell(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// Arguments joined into one <c>--rsh</c> string. rsync splits it on spaces, honouring single quotes (no
    /// backslash escapes), so an argument with spaces stays one argument and nothing is interpreted.
    /// </summary>
    public static string JoinForRsyncRsh(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(ForRsyncRsh));

    /// <summary>One argument of an <c>--rsh</c> string: plain, or single-quoted; a quote, newline or NUL is refused.</summary>
    public static string ForRsyncRsh(string argument)
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
