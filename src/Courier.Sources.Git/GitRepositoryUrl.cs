namespace Courier.Sources.Git;

/// <summary>How a repository address reaches its repository.</summary>
internal enum GitTransport
{
    /// <summary><c>ssh://user@host:port/path.git</c> or scp-like <c>user@host:path.git</c>: OpenSSH runs.</summary>
    Ssh,

    /// <summary><c>https://</c> or <c>http://</c>.</summary>
    Http,

    /// <summary><c>file://</c> or a local path.</summary>
    Local,
}

/// <summary>
/// A repository address as users write it (scp-like <c>ci@git.initech.com:chess/chess.git</c>,
/// <c>ssh://ci@host:2222/chess/chess.git</c>, <c>https://host/chess/chess.git</c>, <c>file:///srv/chess.git</c> or a
/// local path), checked so that nothing in it can be read as an ssh option, and compared by host, port and path.
/// </summary>
internal sealed record GitRepositoryUrl
{
    // Characters that never belong in a host or user name and that a shell or ssh would read specially.
    private static readonly System.Buffers.SearchValues<char> NotInHostOrUser = System.Buffers.SearchValues.Create("@/\\'\"`$;");

    private GitRepositoryUrl(string original, GitTransport transport, string host, int? port, string path, string user = "")
    {
        User = user;
        Original = original;
        Transport = transport;
        Host = host;
        Port = port;
        Path = path;
    }

    /// <summary>The address exactly as configured: what git is given.</summary>
    public string Original { get; }

    public GitTransport Transport { get; }

    /// <summary>The login user the address names; empty when it names none (ssh's default applies).</summary>
    public string User { get; }

    /// <summary>The host, lower case; empty for local repositories.</summary>
    public string Host { get; }

    /// <summary>The port when the address names one.</summary>
    public int? Port { get; }

    /// <summary>The repository path as written (without the scheme, user and host).</summary>
    public string Path { get; }

    /// <summary>The repository's name: the last path segment without <c>.git</c> (<c>chess-config</c> for <c>.../chess-config.git</c>).</summary>
    public string Name
    {
        get
        {
            var last = Path.TrimEnd('/').Split('/').LastOrDefault(segment => segment.Length > 0) ?? string.Empty;
            return WithoutGitSuffix(last);
        }
    }

    /// <summary>Parses an address; the message of the <see cref="FormatException"/> says what is wrong.</summary>
    public static GitRepositoryUrl Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Length == 0 || address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new FormatException($"repository address \"{address}\" is empty or holds white space or control characters.");
        }

        if (address.StartsWith('-'))
        {
            throw new FormatException($"repository address \"{address}\" starts with \"-\".");
        }

        var url = address.Contains("://", StringComparison.Ordinal) ? ParseUrl(address) : ParseScpLikeOrPath(address);
        if (url.Name.Length == 0)
        {
            throw new FormatException($"repository address \"{address}\" names no repository path.");
        }

        return url;
    }

    /// <summary>
    /// Whether two addresses name one repository: same host, same path (ignoring a trailing <c>.git</c> or <c>/</c>,
    /// a leading <c>/</c> or <c>~/</c>, and the user), and the same port where both name an SSH port. GitLab names a
    /// project by its SSH and its HTTP address; both match a source configured with either.
    /// </summary>
    public bool SameRepository(GitRepositoryUrl other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if ((Transport == GitTransport.Local) != (other.Transport == GitTransport.Local))
        {
            return false;
        }

        if (!string.Equals(Host, other.Host, StringComparison.Ordinal) || !string.Equals(ComparablePath(Path), ComparablePath(other.Path), StringComparison.Ordinal))
        {
            return false;
        }

        return Transport != other.Transport || EffectivePort == other.EffectivePort;
    }

    /// <inheritdoc />
    public override string ToString() => Original;

    private int? EffectivePort => Port ?? (Transport == GitTransport.Ssh ? 22 : null);

    private static string ComparablePath(string path)
    {
        var trimmed = path.Trim('/');
        if (trimmed.StartsWith("~/", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }

        return WithoutGitSuffix(trimmed).TrimEnd('/');
    }

    private static string WithoutGitSuffix(string path) => path.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? path[..^4] : path;

    private static GitRepositoryUrl ParseUrl(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            throw new FormatException($"repository address \"{address}\" is not a valid URL.");
        }

        var transport = uri.Scheme switch
        {
            "ssh" or "git+ssh" or "ssh+git" => GitTransport.Ssh,
            "https" or "http" => GitTransport.Http,
            "file" => GitTransport.Local,
            _ => throw new FormatException($"repository address \"{address}\" has the scheme \"{uri.Scheme}\"; use ssh://, https://, http://, file://, user@host:path or a local path."),
        };

        if (transport == GitTransport.Local)
        {
            return new GitRepositoryUrl(address, transport, string.Empty, null, Uri.UnescapeDataString(uri.AbsolutePath));
        }

        CheckHostAndUser(address, uri.Host, Uri.UnescapeDataString(uri.UserInfo));
        var port = uri.IsDefaultPort || uri.Port < 0 ? (int?)null : uri.Port;
        return new GitRepositoryUrl(address, transport, uri.Host.ToLowerInvariant(), port, Uri.UnescapeDataString(uri.AbsolutePath), Uri.UnescapeDataString(uri.UserInfo));
    }

    private static GitRepositoryUrl ParseScpLikeOrPath(string address)
    {
        var colon = address.IndexOf(':', StringComparison.Ordinal);
        var slash = address.IndexOf('/', StringComparison.Ordinal);
        if (colon <= 0 || (slash >= 0 && slash < colon))
        {
            // No "host:" before the first slash: a local path, as git reads it.
            return new GitRepositoryUrl(address, GitTransport.Local, string.Empty, null, address);
        }

        var userAndHost = address[..colon];
        var at = userAndHost.LastIndexOf('@');
        var user = at < 0 ? string.Empty : userAndHost[..at];
        var host = at < 0 ? userAndHost : userAndHost[(at + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        CheckHostAndUser(address, host, user);
        var path = address[(colon + 1)..];
        if (path.Length == 0)
        {
            throw new FormatException($"repository address \"{address}\" has no path after \"{userAndHost}:\".");
        }

        return new GitRepositoryUrl(address, GitTransport.Ssh, host.ToLowerInvariant(), null, path, user);
    }

    /// <summary>ssh reads a host or user starting with "-" as an option (CVE-2017-1000117): refuse them.</summary>
    private static void CheckHostAndUser(string address, string host, string user)
    {
        if (host.Length == 0 || host.StartsWith('-') || host.AsSpan().ContainsAny(NotInHostOrUser))
        {
            throw new FormatException($"repository address \"{address}\" has an invalid host \"{host}\".");
        }

        if (user.StartsWith('-') || user.Contains(':', StringComparison.Ordinal) || user.AsSpan().ContainsAny(NotInHostOrUser))
        {
            throw new FormatException($"repository address \"{address}\" has an invalid user \"{user}\".");
        }
    }
}
