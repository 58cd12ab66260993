namespace Courier.Sources.Git;

/// <summary>Branch names checked with git's own rules for ref names (<c>git check-ref-format --branch</c>).</summary>
internal static class GitBranchName
{
    /// <summary>Why <paramref name="branch"/> is not a valid branch name, or <see langword="null"/> when it is.</summary>
    public static string? Problem(string branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        if (branch.Length == 0)
        {
            return "it is empty";
        }

        if (branch.StartsWith('-'))
        {
            return "it starts with \"-\"";
        }

        if (branch == "@" || branch == "HEAD")
        {
            return $"\"{branch}\" is not a branch";
        }

        if (branch.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\'))
        {
            return "it holds a space, a control character or one of ~ ^ : ? * [ \\";
        }

        if (branch.Contains("..", StringComparison.Ordinal) || branch.Contains("@{", StringComparison.Ordinal) || branch.Contains("//", StringComparison.Ordinal))
        {
            return "it holds \"..\", \"@{\" or \"//\"";
        }

        if (branch.StartsWith('/') || branch.EndsWith('/') || branch.EndsWith('.'))
        {
            return "it starts or ends with \"/\" or ends with \".\"";
        }

        if (branch.Split('/').Any(component => component.StartsWith('.') || component.EndsWith(".lock", StringComparison.Ordinal)))
        {
            return "a part of it starts with \".\" or ends with \".lock\"";
        }

        return null;
    }
}
