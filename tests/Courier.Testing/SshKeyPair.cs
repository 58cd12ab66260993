using CliWrap;
using CliWrap.Buffered;

namespace Courier.Testing;

/// <summary>An ed25519 key pair made with ssh-keygen, without a passphrase.</summary>
public sealed record SshKeyPair(string PrivateKeyPath, string PublicKeyPath, string PublicKey)
{
    /// <summary>Makes <c>DIRECTORY/NAME</c> and <c>DIRECTORY/NAME.pub</c> with ssh-keygen.</summary>
    public static async Task<SshKeyPair> GenerateAsync(string directory, string name, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        var result = await Cli.Wrap("ssh-keygen")
            .WithArguments(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen failed ({result.ExitCode}): {result.StandardError}");
        }

        return new SshKeyPair(path, path + ".pub", (await File.ReadAllTextAsync(path + ".pub", cancellationToken)).Trim());
    }
}
