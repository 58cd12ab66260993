using System.Text.Json;

namespace Courier.Destinations.Remote;

/// <summary>What a remote Courier's failed <c>/update_all</c> answer says went wrong.</summary>
internal static class RemoteFailure
{
    /// <summary>The remote's own errors when it sent its JSON report (a Courier for .NET does), else its text.</summary>
    public static string Describe(string body)
    {
        try
        {
            using var report = JsonDocument.Parse(body);
            var errors = new List<string>();
            CollectErrors(report.RootElement, null, errors);
            return errors.Count > 0 ? string.Join("; ", errors.Distinct()) : PeerAnswer.Excerpt(body);
        }
        catch (JsonException)
        {
            return PeerAnswer.Excerpt(body);
        }
    }

    private static void CollectErrors(JsonElement element, string? target, List<string> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var here = element.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : target;
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("error") && property.Value.ValueKind == JsonValueKind.String)
                    {
                        errors.Add(here is null ? property.Value.GetString()! : $"{here}: {property.Value.GetString()}");
                    }
                    else if (property.NameEquals("configuration_errors") && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        errors.AddRange(property.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
                    }
                    else
                    {
                        CollectErrors(property.Value, here, errors);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectErrors(item, target, errors);
                }

                break;
        }
    }
}
