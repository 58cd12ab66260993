using System.Text.Json;

namespace Courier.Core.Configuration;

/// <summary>
/// Reads a destination entry's <c>"publish"</c> (<c>"in-place"</c>, the default, or <c>"atomic"</c>),
/// <c>"keep_releases"</c> (default 3) and <c>"verify"</c> (<c>"revision"</c>, the default with atomic publish, or
/// <c>"content"</c>). Every destination type may have them, so the engine reads them, not the plugins.
/// </summary>
internal static class PublishConfig
{
    public const int MaxKeptReleases = 100;

    public static PublishOptions Read(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var mode = definition.GetString("publish") switch
        {
            null or "in-place" => PublishMode.InPlace,
            "atomic" => PublishMode.Atomic,
            var other => throw definition.Error($"\"publish\" must be \"in-place\" or \"atomic\", got \"{other}\"."),
        };
        var keep = ReadKeepReleases(definition);
        var verify = definition.GetString("verify") switch
        {
            null => mode == PublishMode.Atomic ? VerifyMode.Revision : VerifyMode.Content,
            "content" => VerifyMode.Content,
            "revision" => VerifyMode.Revision,
            var other => throw definition.Error($"\"verify\" must be \"revision\" or \"content\", got \"{other}\"."),
        };

        if (mode == PublishMode.InPlace && keep is not null)
        {
            throw definition.Error("\"keep_releases\" needs \"publish\": \"atomic\": in place there are no releases to keep.");
        }

        if (mode == PublishMode.InPlace && verify == VerifyMode.Revision)
        {
            throw definition.Error("\"verify\": \"revision\" needs \"publish\": \"atomic\": only a release link tells which revision a target holds.");
        }

        return mode == PublishMode.InPlace ? PublishOptions.InPlace : new PublishOptions { Mode = mode, KeepReleases = keep ?? 3, Verify = verify };
    }

    private static int? ReadKeepReleases(DestinationDefinition definition)
    {
        if (!definition.Json.TryGetProperty("keep_releases", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var keep) && keep is >= 1 and <= MaxKeptReleases
            ? keep
            : throw definition.Error($"\"keep_releases\" must be a whole number from 1 to {MaxKeptReleases} (the live release included), got {value.GetRawText()}.");
    }
}
