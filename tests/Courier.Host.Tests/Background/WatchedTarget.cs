using Courier.Testing;

namespace Courier.Host.Tests.Background;

/// <summary>
/// The sshd side of a target that records every command it is asked to run (so a test counts rsync runs) and can
/// hold them at a gate (a slow or jammed target): an sshd <c>ForceCommand</c> that logs, waits while the gate is
/// closed, then runs what the client asked for.
/// </summary>
internal sealed class WatchedTarget : IDisposable
{
    private readonly TempDirectory _directory = TempDirectory.Create("courier-watched-target");

    public WatchedTarget()
    {
        var script = $"""
            #!/bin/sh
            printf '%s\n' "$SSH_ORIGINAL_COMMAND" >> '{CommandLog}'
            while [ -e '{GatePath}' ]; do sleep 0.1; done
            exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"

            """;
        File.WriteAllText(ScriptPath, script);
        File.SetUnixFileMode(ScriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private string ScriptPath => _directory.Combine("force-command.sh");

    private string CommandLog => _directory.Combine("commands.log");

    private string GatePath => _directory.Combine("gate-closed");

    /// <summary>sshd options for a target watched by this object (and authorizing <paramref name="extraKeys"/>).</summary>
    public SshServerOptions SshOptions(params string[] extraKeys) => new()
    {
        ExtraConfigLines = [$"ForceCommand {ScriptPath}"],
        ExtraAuthorizedKeys = extraKeys,
    };

    /// <summary>How many rsync runs reached the target (counted when they arrive, also while the gate holds them).</summary>
    public int RsyncRuns => File.Exists(CommandLog) ? File.ReadAllLines(CommandLog).Count(line => line.Contains("rsync --server", StringComparison.Ordinal)) : 0;

    /// <summary>Holds every command that arrives from now on.</summary>
    public void CloseGate() => File.WriteAllText(GatePath, string.Empty);

    /// <summary>Lets the held commands and every later one run.</summary>
    public void OpenGate() => File.Delete(GatePath);

    public void Dispose()
    {
        OpenGate();
        _directory.Dispose();
    }
}
