using LibGit2Sharp;

namespace Courier.Sources.Git;

/// <summary>
/// Branch names checked with git's rules for reference names (libgit2's <see cref="Reference.IsValidName"/> on
/// <c>refs/heads/NAME</c>), plus what <c>git check-ref-format --branch</c> refuses beyond them.
/// </summary>
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

        // A valid ref name, but git would read it as an option.
        if (branch.StartsWith('-'))
        {
            return "it starts with \"-\"";
        }

        if (branch is "@" or "HEAD")
        {
            return $"\"{branch}\" is not a branch";
        }

        return Reference.IsValidName("refs/heads/" + branch)
            ? null
            : "git's rules for reference names refuse it (no spaces, control characters or ~ ^ : ? * [ \\; no \"..\", \"@{\" or \"//\"; "
              + "no part starting with \".\" or ending with \".lock\"; not ending with \"/\" or \".\")";
    }
}
