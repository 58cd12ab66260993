using System.Net;
using System.Text;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Bench;

/// <summary>How the storm tells the host about a push.</summary>
internal enum StormTrigger
{
    /// <summary>The GitLab hook route, <c>POST /gitlab_web_hook</c> with a push event (answered at once, queued).</summary>
    GitLab,

    /// <summary>The original API, <c>POST /update_from_git</c> (answered when the update is done).</summary>
    Api,

    /// <summary>Both, one push each in turn.</summary>
    Mixed,
}

/// <summary>
/// Sends the storm's triggers as a real sender would: a hook answered 503 is sent again (same delivery id) after
/// its Retry-After, until <see cref="GiveUpAfter"/>. Counts what the host answered.
/// </summary>
internal sealed class StormTriggers(CourierHostProcess host, string url, StormTrigger mode)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);
    private readonly List<Task> _sent = [];
    private int _accepted;
    private int _refused;
    private int _apiCalls;

    /// <summary>Hooks queued (202), or API calls answered ok.</summary>
    public int Accepted => _accepted;

    /// <summary>503 answers (each followed by a retry after Retry-After).</summary>
    public int Refused => _refused;

    public int ApiCalls => _apiCalls;

    /// <summary>Starts sending the trigger of push <paramref name="index"/> (commit <paramref name="after"/>); does not wait for the answer.</summary>
    public void Send(int index, string before, string after)
    {
        var api = mode == StormTrigger.Api || (mode == StormTrigger.Mixed && index % 2 == 1);
        _sent.Add(api ? CallApiAsync() : SendHookAsync(before, after));
    }

    /// <summary>Completes when every trigger was answered (accepted, or failed: then it throws).</summary>
    public Task WhenAnsweredAsync() => Task.WhenAll(_sent);

    public bool AllAnswered => _sent.All(task => task.IsCompleted);

    private async Task CallApiAsync()
    {
        Interlocked.Increment(ref _apiCalls);
        var (status, body) = await host.PostAsync("/update_from_git", JsonSerializer.Serialize(new { url, branch = "master" }));
        if (status != HttpStatusCode.OK || body != "ok")
        {
            throw new InvalidOperationException($"POST /update_from_git answered {(int)status} {body}");
        }

        Interlocked.Increment(ref _accepted);
    }

    private async Task SendHookAsync(string before, string after)
    {
        var deliveryId = Guid.NewGuid().ToString();
        var payload = JsonSerializer.Serialize(new
        {
            object_kind = "push",
            @ref = "refs/heads/master",
            before,
            after,
            checkout_sha = after,
            project = new { git_ssh_url = url },
            repository = new { url, git_ssh_url = url },
        });
        var giveUp = DateTime.UtcNow + GiveUpAfter;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/gitlab_web_hook")
            {
                Content = new StringContent(payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Gitlab-Event", "Push Hook");
            request.Headers.Add("X-Gitlab-Webhook-UUID", deliveryId);
            using var response = await host.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Interlocked.Increment(ref _accepted);
                return;
            }

            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > giveUp)
            {
                throw new InvalidOperationException($"POST /gitlab_web_hook answered {(int)response.StatusCode} {body}");
            }

            Interlocked.Increment(ref _refused);
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5);
            await Task.Delay(wait);
        }
    }
}
