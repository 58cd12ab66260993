using System.Text.Json;

namespace Courier;

/// <summary>
/// Reading what a peer answered (an Armada API or agent, a remote Courier, a web-hook sender): one source file
/// compiled into each assembly that needs it (linked from src/Shared), so the contract package gains no helper API.
/// </summary>
internal static class PeerAnswer
{
    /// <summary>The longest excerpt of an answer quoted in an error message.</summary>
    public const int ExcerptLength = 300;

    /// <summary>The answer trimmed and cut to <see cref="ExcerptLength"/> characters, for an error message.</summary>
    public static string Excerpt(string text)
    {
        text = text.Trim();
        return text.Length <= ExcerptLength ? text : text[..ExcerptLength] + "...";
    }

    /// <summary>The string property <paramref name="name"/> of <paramref name="owner"/>, or null when absent or not a string.</summary>
    public static string? ReadString(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
