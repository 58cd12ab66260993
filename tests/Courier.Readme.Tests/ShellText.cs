using System.Text;

namespace Courier.Readme.Tests;

/// <summary>
/// Splits shell text (a README block or a script) into simple commands, each a list of words with the quotes
/// removed. Enough of bash for this repository's scripts: line continuations, comments, single and double quotes,
/// <c>$(...)</c> substitutions (whose commands are returned too, as <c>answer=$(curl ...)</c> runs curl), heredoc
/// bodies (skipped: they are printed, not run), redirections (dropped), and <c>&amp;&amp; || | ; &amp;</c> and
/// newlines between commands. Shell keywords that open a compound command (<c>if</c>, <c>then</c>, <c>do</c>, ...)
/// are dropped from the front of a command.
/// </summary>
internal static class ShellText
{
    private static readonly HashSet<string> Keywords = ["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "!", "{", "}"];

    public static IReadOnlyList<IReadOnlyList<string>> Commands(string text, bool includeSubstitutions = true)
    {
        var commands = new List<IReadOnlyList<string>>();
        Parse(WithoutHeredocBodies(text).Replace("\\\n", " ", StringComparison.Ordinal), includeSubstitutions, commands);
        return commands;
    }

    private static string WithoutHeredocBodies(string text)
    {
        var kept = new StringBuilder();
        string? terminator = null;
        foreach (var line in text.Split('\n'))
        {
            if (terminator is not null)
            {
                if (line.Trim() == terminator)
                {
                    terminator = null;
                }

                continue;
            }

            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            if (heredoc >= 0 && !line.Contains("<<<", StringComparison.Ordinal))
            {
                terminator = new string(line[(heredoc + 2)..].TrimStart('-').Trim().Trim('\'', '"').TakeWhile(c => char.IsLetterOrDigit(c) || c == '_').ToArray());
                kept.AppendLine(line[..heredoc]);
                continue;
            }

            kept.AppendLine(line);
        }

        return kept.ToString();
    }

    private static void Parse(string text, bool includeSubstitutions, List<IReadOnlyList<string>> commands)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '#' && !inWord)
            {
                while (i + 1 < text.Length && text[i + 1] != '\n')
                {
                    i++;
                }
            }
            else if (c == '\'')
            {
                var end = text.IndexOf('\'', i + 1);
                word.Append(text, i + 1, end - i - 1);
                inWord = true;
                i = end;
            }
            else if (c == '"')
            {
                for (i++; text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        word.Append(text[++i]);
                    }
                    else if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '(')
                    {
                        word.Append(Substitution(text, ref i, includeSubstitutions, commands));
                    }
                    else
                    {
                        word.Append(text[i]);
                    }
                }

                inWord = true;
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '(')
            {
                word.Append(Substitution(text, ref i, includeSubstitutions, commands));
                inWord = true;
            }
            else if (c == '&' && word.Length > 0 && word[^1] == '>')
            {
                word.Append(c);
            }
            else if (c is '\n' or ';' or '&' or '|')
            {
                EndWord(words, word, ref inWord);
                EndCommand(words, commands);
            }
            else if (char.IsWhiteSpace(c))
            {
                EndWord(words, word, ref inWord);
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        EndWord(words, word, ref inWord);
        EndCommand(words, commands);
    }

    /// <summary>Reads <c>$( ... )</c> from <paramref name="i"/> (on the <c>$</c>) to its closing parenthesis.</summary>
    private static string Substitution(string text, ref int i, bool includeSubstitutions, List<IReadOnlyList<string>> commands)
    {
        var start = i;
        i = ClosingParenthesis(text, i + 1);
        if (includeSubstitutions)
        {
            Parse(text[(start + 2)..i], includeSubstitutions, commands);
        }

        return text[start..(i + 1)];
    }

    /// <summary>The index of the parenthesis closing the one at <paramref name="open"/>, through quotes and nested substitutions.</summary>
    private static int ClosingParenthesis(string text, int open)
    {
        var depth = 0;
        char? quote = null;
        for (var i = open + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                quote = c == '\'' ? null : quote;
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '(')
            {
                i = ClosingParenthesis(text, i + 1);
            }
            else if (quote == '"')
            {
                quote = c == '"' ? null : quote;
                i += c == '\\' ? 1 : 0;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && depth-- == 0)
            {
                return i;
            }
        }

        throw new FormatException($"No closing parenthesis for the one at {open} in: {text}");
    }

    private static void EndWord(List<string> words, StringBuilder word, ref bool inWord)
    {
        if (inWord && !IsRedirection(word))
        {
            words.Add(word.ToString());
        }

        word.Clear();
        inWord = false;
    }

    private static bool IsRedirection(StringBuilder word)
    {
        var text = word.ToString().TrimStart('0', '1', '2', '&');
        return text.StartsWith('>') || text.StartsWith('<');
    }

    private static void EndCommand(List<string> words, List<IReadOnlyList<string>> commands)
    {
        var start = 0;
        while (start < words.Count && Keywords.Contains(words[start]))
        {
            start++;
        }

        if (start < words.Count)
        {
            commands.Add(words[start..]);
        }

        words.Clear();
    }
}
