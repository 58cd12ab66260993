using System.Text.Json;

namespace Courier.Host.Api;

/// <summary>A request the API cannot act on; answered 400 with the message.</summary>
internal sealed class BadRequestException(string message) : Exception(message);

/// <summary>The JSON body of an API request, read with messages that say what is wrong.</summary>
internal sealed class RequestBody
{
    private const int MaxBodyBytes = 1024 * 1024;
    private readonly JsonElement _root;

    private RequestBody(JsonElement root) => _root = root;

    public JsonElement Root => _root;

    /// <summary>Reads the body; an empty body is <see langword="null"/> (or a 400 when <paramref name="required"/>).</summary>
    public static async Task<RequestBody?> ReadAsync(HttpRequest request, bool required, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new BadRequestException($"The request body is larger than {MaxBodyBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return required ? throw new BadRequestException("The request needs a JSON body.") : null;
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return new RequestBody(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"The request body is not valid JSON: {e.Message}");
        }
    }

    public RequestBody RequireObject()
    {
        return _root.ValueKind == JsonValueKind.Object
            ? this
            : throw new BadRequestException($"The request body must be a JSON object, found {ConfigEntry.Describe(_root.ValueKind)}.");
    }

    public string? GetString(string name, bool required)
    {
        RequireObject();
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new BadRequestException($"The request body needs \"{name}\".") : null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new BadRequestException($"\"{name}\" must be a string, found {ConfigEntry.Describe(value.ValueKind)}.");
        }

        var text = value.GetString()!;
        return required && string.IsNullOrWhiteSpace(text) ? throw new BadRequestException($"\"{name}\" must not be empty.") : text;
    }
}
