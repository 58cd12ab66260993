using System.Text.Json;
using System.Text.Unicode;

namespace Courier.Host.Api;

/// <summary>A request the API cannot act on; answered with <see cref="StatusCode"/> (400 unless said) and the message.</summary>
internal sealed class BadRequestException(string message, int statusCode = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>The JSON body of an API request, read with messages that say what is wrong.</summary>
internal sealed class RequestBody
{
    private readonly JsonElement _root;

    private RequestBody(JsonElement root) => _root = root;

    public JsonElement Root => _root;

    /// <summary>Reads the body; an empty body is <see langword="null"/> (or a 400 when <paramref name="required"/>).</summary>
    public static async Task<RequestBody?> ReadAsync(HttpRequest request, bool required, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(request, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, required);
    }

    /// <summary>Parses bytes already read (a web hook reads them first to verify their signature).</summary>
    public static RequestBody? Parse(ReadOnlyMemory<byte> bytes, bool required)
    {
        if (bytes.Span.IndexOfAnyExcept(" \n\r\t"u8) < 0)
        {
            return required ? throw new BadRequestException("The request needs a JSON body.") : null;
        }

        if (!Utf8.IsValid(bytes.Span))
        {
            throw new BadRequestException("The request body is not valid UTF-8: send JSON encoded as UTF-8.");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            RequireReadableStrings(document.RootElement);
            return new RequestBody(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"The request body is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            throw new BadRequestException("The request body holds a string that is not valid Unicode (such as a lone \\ud800 escape).");
        }
    }

    /// <summary>Reads every string once, so one that cannot be text (a lone surrogate escape) is a 400 here, not an exception later.</summary>
    private static void RequireReadableStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    RequireReadableStrings(item);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    RequireReadableStrings(property.Value);
                }

                break;
        }
    }

    /// <summary>
    /// Reads the whole body, never more than the endpoint's limit (Kestrel enforces it on chunked bodies too;
    /// the count here covers servers that do not): over it, 413.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 64 * 1024;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw TooLarge(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limit);
        }
        catch (BadHttpRequestException e)
        {
            throw new BadRequestException($"The request body could not be read: {e.Message}");
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
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

    private static BadRequestException TooLarge(long limit) =>
        new($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
}
