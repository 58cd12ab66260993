using System.Net;
using System.Text;

namespace Courier.Security.Tests;

/// <summary>Bodies too large, not UTF-8, not JSON, or random: a clear 4xx, never an unhandled exception.</summary>
[Collection(SecuredSiteCollection.Name)]
public sealed class InputLimitTests(SecuredSite site)
{
    // /update_all reads no body.
    private static readonly string[] Endpoints =
        ["/update_hermes", "/update_from_git", "/update_from_hermes_directory", "/gitlab_web_hook", "/web_hook/gitlab", "/web_hook/github", "/web_hook/gitea", "/hold", "/release"];

    [Theory]
    [InlineData("/update_from_git", 20 * 1024 * 1024)]
    [InlineData("/update_hermes", 70 * 1024)]
    [InlineData("/web_hook/github", 26 * 1024 * 1024)]
    public async Task A_chunked_body_over_the_limit_is_refused_with_413_without_reading_it_whole(string path, int size)
    {
        var (written, writeFailed, statusLine) = await RawChunkedPostAsync(path, size);

        // Either the 413 arrives, or Courier closed the connection long before the body was sent (kernel buffers hold
        // a few MiB at most): in both cases it stopped reading at its limit.
        Assert.True(
            statusLine.StartsWith("HTTP/1.1 413", StringComparison.Ordinal) || (writeFailed && written < size / 2),
            $"wrote {written} of {size} bytes, write failed {writeFailed}, answer \"{statusLine}\"");
    }

    [Fact]
    public async Task A_body_over_the_limit_with_its_length_is_refused_with_413()
    {
        using var client = site.AgentClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/update_from_git") { Content = new ByteArrayContent(new byte[65 * 1024]) };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("/update_from_git")]
    [InlineData("/update_hermes")]
    [InlineData("/update_from_hermes_directory")]
    public async Task A_body_that_is_not_utf8_is_refused_with_400_saying_so(string path)
    {
        using var client = site.AgentClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent([0x7b, 0x22, 0x75, 0x72, 0x6c, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_and_mutated_bodies_on_every_endpoint_never_cause_an_unhandled_exception()
    {
        using var client = site.AgentClient();
        var random = new Random(9);
        string[] seeds =
        [
            """{"ssh": "127.0.0.1:22", "path": "/etc/opt"}""", """{"url": "a", "branch": "b"}""", """{"subdirectory": "x"}""",
            """{"object_kind": "push", "ref": "refs/heads/m", "repository": {"url": "u"}}""", """{"ref": "refs/heads/m", "repository": {"clone_url": "u"}}""",
            "[]", "null", "1e999", "\"\\ud800\"", new string('[', 100) + new string(']', 100), """{"ssh": {"a": [1, 2]}, "path": null}""",
        ];
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 300; i++)
        {
            var body = Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]);
            for (var mutation = random.Next(4); mutation > 0 && body.Length > 0; mutation--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            if (random.Next(5) == 0)
            {
                body = new byte[random.Next(200)];
                random.NextBytes(body);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, Endpoints[i % Endpoints.Length]) { Content = new ByteArrayContent(body) };
            request.Headers.TryAddWithoutValidation(random.Next(2) == 0 ? "X-Gitlab-Event" : "X-GitHub-Event", random.Next(2) == 0 ? "push" : "Push Hook");
            request.Headers.TryAddWithoutValidation("X-Gitea-Event", "push");
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, status => Assert.True((int)status < 500, $"answered {status}"));
        Assert.Contains(HttpStatusCode.BadRequest, statuses);
        Assert.DoesNotContain("Unhandled exception", site.Host.Logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("An unhandled exception", site.Host.Logs, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Sends a chunked POST over a raw socket from the agent network, as far as Courier reads it, then reads the status line.</summary>
    private async Task<(long Written, bool WriteFailed, string StatusLine)> RawChunkedPostAsync(string path, int size)
    {
        using var socket = site.AgentNet.CreateSocket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Parse(SecuredSite.HostPrivateAddress), 8080);
        await using var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: courier\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
        var chunk = new byte[64 * 1024];
        var framed = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n").Concat(chunk).Concat("\r\n"u8.ToArray()).ToArray();
        long written = 0;
        var writeFailed = false;
        try
        {
            while (written < size)
            {
                await stream.WriteAsync(framed);
                written += chunk.Length;
            }

            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            writeFailed = true;
        }

        var answer = new byte[256];
        var read = 0;
        try
        {
            read = await stream.ReadAsync(answer);
        }
        catch (IOException)
        {
        }

        var text = Encoding.ASCII.GetString(answer, 0, read);
        return (written, writeFailed, text.Split("\r\n")[0]);
    }
}
