using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Courier.Samples.Tests;

/// <summary>Makes .tar.gz archives for tests, including ones no honest tool would make.</summary>
internal static class Tarballs
{
    /// <summary>An archive of <paramref name="files"/> (relative path to content), written the way tar -C dir -czf . does: with "./" entries.</summary>
    public static byte[] Of(IReadOnlyDictionary<string, string> files) =>
        Write(writer =>
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "./"));
            foreach (var (path, content) in files)
            {
                writer.WriteEntry(File("./" + path, content));
            }
        });

    /// <summary>An archive made of exactly these entries.</summary>
    public static byte[] Write(Action<TarWriter> entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            entries(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>An archive without entries, as <c>tar -czf empty.tar.gz -T /dev/null</c> makes it: only the end-of-archive blocks.</summary>
    public static byte[] Empty()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(new byte[10240]);
        }

        return buffer.ToArray();
    }

    public static PaxTarEntry File(string name, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead) =>
        new(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            Mode = mode,
        };

    public static PaxTarEntry Directory(string name) => new(TarEntryType.Directory, name);

    public static PaxTarEntry SymbolicLink(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target };

    public static PaxTarEntry HardLink(string name, string target) => new(TarEntryType.HardLink, name) { LinkName = target };

    public static string Sha256(byte[] archive) => Convert.ToHexStringLower(SHA256.HashData(archive));
}
