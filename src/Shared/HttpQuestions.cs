using System.Net;
using System.Text;

namespace Courier;

/// <summary>An answer to an HTTP question: its status and its body (at most the size cap).</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The body as text.</param>
internal sealed record HttpAnswer(HttpStatusCode StatusCode, string Body)
{
    /// <summary>Whether the status is 2xx.</summary>
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
}

/// <summary>
/// Questions to peers over HTTP (the Armada API, agents, remote Couriers) with a deadline and a cap on the answer's
/// size, so that a hung or flooding peer costs its own destination only.
/// </summary>
internal static class HttpQuestions
{
    /// <summary>The default cap on an answer: 1 MiB.</summary>
    public const int DefaultMaxAnswerBytes = 1024 * 1024;

    /// <summary>
    /// Sends <paramref name="request"/> and reads the answer. Throws <see cref="TimeoutException"/> naming
    /// <paramref name="deadlineName"/> when the whole exchange takes longer than <paramref name="deadline"/>, and
    /// <see cref="HttpRequestException"/> when the peer cannot be reached or its answer is larger than
    /// <paramref name="maxAnswerBytes"/> (reading stops there).
    /// </summary>
    public static async Task<HttpAnswer> AskAsync(
        HttpClient client,
        HttpRequestMessage request,
        TimeSpan deadline,
        string deadlineName,
        CancellationToken cancellationToken,
        int maxAnswerBytes = DefaultMaxAnswerBytes)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var tooLarge = $"{request.Method} {request.RequestUri?.AbsolutePath} answered more than {maxAnswerBytes} bytes; the answer was refused.";
            if (response.Content.Headers.ContentLength > maxAnswerBytes)
            {
                throw new HttpRequestException(tooLarge);
            }

            var body = await ReadCappedAsync(response.Content, maxAnswerBytes, tooLarge, timeout.Token).ConfigureAwait(false);
            return new HttpAnswer(response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{request.Method} {request.RequestUri?.AbsolutePath} did not answer within {deadlineName}.");
        }
    }

    private static async Task<string> ReadCappedAsync(HttpContent content, int maxBytes, string tooLarge, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new HttpRequestException(tooLarge);
                }

                buffer.Write(chunk, 0, read);
            }

            var charset = content.Headers.ContentType?.CharSet;
            var encoding = charset is null ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
            return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }
}
