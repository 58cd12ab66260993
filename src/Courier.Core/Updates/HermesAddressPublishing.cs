using Courier.Core.Configuration;

namespace Courier.Core.Updates;

/// <summary>
/// How <c>POST /update_hermes</c> publishes a source to the address an agent names: as the source's configured
/// destinations do when every one of them publishes atomically (an agent of an atomic <c>armada-local</c> cluster
/// gets a release and a link switch, not files written through its live link), in place otherwise, as the original
/// did. In place never writes through a release link: the transfer refuses such a target (<c>InPlaceGuard</c>).
/// </summary>
internal static class HermesAddressPublishing
{
    public static PublishOptions For(ISource source, Snapshot snapshot, LoadedDestinations loaded)
    {
        if (snapshot.DeliversContents)
        {
            return PublishOptions.InPlace;
        }

        var configured = source.Destinations
            .Where(alias => loaded.ErrorOf(source, alias) is null)
            .SelectMany(alias => loaded.Destinations[alias])
            .Select(loaded.PublishingOf)
            .ToList();
        if (configured.Count == 0 || configured.Any(publish => publish.Mode != PublishMode.Atomic))
        {
            return PublishOptions.InPlace;
        }

        // Destinations that differ in what they keep or check: the most releases kept, and the full comparison if any asks for it.
        return new PublishOptions
        {
            Mode = PublishMode.Atomic,
            KeepReleases = configured.Max(publish => publish.KeepReleases),
            Verify = configured.Any(publish => publish.Verify == VerifyMode.Content) ? VerifyMode.Content : VerifyMode.Revision,
        };
    }
}
