using LibGit2Sharp;

namespace Courier.Sources.Git;

/// <summary>
/// libgit2's transport for <c>ssh://</c> and scp-like addresses, replaced so that Courier owns the ssh process:
/// started with .NET's process API, ended on deadline or cancellation, always reaped. Registration is global to
/// libgit2, so the settings of a fetch travel on its thread (libgit2 calls back on the thread that fetches).
/// </summary>
internal sealed class GitSshSubtransport : SmartSubtransport
{
    [ThreadStatic]
    private static GitSshFetch? s_current;

    private static readonly Lazy<bool> Registration = new(() =>
    {
        GlobalSettings.RegisterSmartSubtransport<GitSshSubtransport>("ssh");
        GlobalSettings.RegisterSmartSubtransport<GitSshSubtransport>("ssh+git");
        GlobalSettings.RegisterSmartSubtransport<GitSshSubtransport>("git+ssh");
        return true;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private GitSshStream? _stream;

    /// <summary>Routes the ssh fetches libgit2 makes on this thread to <paramref name="fetch"/> until disposed.</summary>
    public static IDisposable Use(GitSshFetch fetch)
    {
        _ = Registration.Value;
        s_current = fetch;
        return new Scope();
    }

    protected override SmartSubtransportStream Action(string url, GitSmartSubtransportAction action)
    {
        var fetch = s_current ?? throw new InvalidOperationException("ssh git transport used outside a Courier git fetch.");
        switch (action)
        {
            case GitSmartSubtransportAction.UploadPackList:
                _stream?.Process.Dispose();
                _stream = new GitSshStream(this, fetch.Start("git-upload-pack"));
                return _stream;
            case GitSmartSubtransportAction.UploadPack when _stream is not null:
                // A single-connection transport: libgit2 requires the very stream of the listing back.
                return _stream;
            default:
                throw new InvalidOperationException($"Courier's git source only fetches; {action} over ssh is not supported.");
        }
    }

    protected override void Close()
    {
        base.Close();
        _stream?.Process.Dispose();
        _stream = null;
    }

    protected override void Dispose()
    {
        Close();
        base.Dispose();
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => s_current = null;
    }

    /// <summary>The ssh process's pipes as libgit2 sees them; freeing the stream ends and reaps the process.</summary>
    private sealed class GitSshStream(SmartSubtransport subtransport, GitSshProcess process) : SmartSubtransportStream(subtransport)
    {
        public GitSshProcess Process => process;

        protected override void Free()
        {
            process.Dispose();
            base.Free();
        }

        public override int Read(Stream dataStream, long length, out long bytesRead)
        {
            bytesRead = process.Read(dataStream, length);
            return 0;
        }

        public override int Write(Stream dataStream, long length)
        {
            process.Write(dataStream, length);
            return 0;
        }
    }
}
