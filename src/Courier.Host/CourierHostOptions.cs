namespace Courier.Host;

/// <summary>
/// The reference host's own settings, read from the engine's section <c>Courier</c>: who may call the API, what web
/// hooks it accepts, which agents <c>/update_hermes</c> may name, and its queue. The engine knows none of them.
/// </summary>
internal sealed class CourierHostOptions
{
    /// <summary>The secret GitLab sends in <c>X-Gitlab-Token</c>; when set, web hook calls without it are refused. Never logged.</summary>
    public string? GitLabToken { get; set; }

    /// <summary>
    /// How many queued updates (web hooks, start-up, polling) may be running or waiting at once. Updates with the
    /// same triggers fold into one waiting update, so this is the number of different things waiting; when it is
    /// reached, a hook is answered 503 with Retry-After and its sender tries again.
    /// </summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Who may call the API (section <c>Courier:Api</c>).</summary>
    public CourierApiOptions Api { get; set; } = new();

    /// <summary>Limits of <c>/update_hermes</c> (section <c>Courier:UpdateHermes</c>).</summary>
    public UpdateHermesOptions UpdateHermes { get; set; } = new();

    /// <summary>Web hook secrets (section <c>Courier:WebHooks</c>).</summary>
    public WebHookOptions WebHooks { get; set; } = new();
}
