using System.Text.Json;
using Courier.Core.Configuration;
using Courier.Core.Rollouts;
using Courier.Core.Updates;

namespace Courier.Host.Api;

/// <summary>
/// <c>POST /rollback</c> with <c>{"source": "...", "revision": "..."}</c>: a kept revision of a source (by default the
/// one before the current) delivered to every target, through the source's waves when it has a rollout, and the
/// source held. Mapped into the update routes' group: the same callers, body limit and answers to bad requests.
/// </summary>
internal static partial class RollbackApi
{
    private const int MaxRevisionLength = 100;

    public static RouteGroupBuilder MapRollbackApi(this RouteGroupBuilder updates)
    {
        updates.MapPost("/rollback", RollBackAsync);
        return updates;
    }

    private static async Task<IResult> RollBackAsync(HttpContext context, HermesConfigurationLoader configuration, CourierUpdater updater, ILoggerFactory loggers)
    {
        if (CourierApi.IsDryRun(context))
        {
            throw new BadRequestException("/rollback has no dry run; use /update_all?dry_run=true to see what the targets hold.");
        }

        var body = (await RequestBody.ReadAsync(context.Request, required: true, context.RequestAborted).ConfigureAwait(false))!;
        if (body.Root.ValueKind != JsonValueKind.Object)
        {
            throw new BadRequestException($"The request body must be a JSON object with \"source\" and an optional \"revision\", found {ConfigEntry.Describe(body.Root.ValueKind)}.");
        }

        var name = body.GetString("source", required: true)!;
        var revision = body.GetString("revision", required: false)?.Trim();
        if (revision is not null && (revision.Length is 0 or > MaxRevisionLength || revision.Any(char.IsControl)))
        {
            throw new BadRequestException($"\"revision\" must be a revision (a commit SHA, or a prefix of at least 7 characters, or a hermes fingerprint) of at most {MaxRevisionLength} characters on one line.");
        }

        var sources = SourceSelection.Select(configuration.LoadSources(), name);
        var source = sources.Count switch
        {
            0 => throw new BadRequestException($"\"source\": no source has the id or destination path \"{name}\"."),
            1 => sources[0],
            _ => throw new BadRequestException($"\"source\": \"{name}\" names {sources.Count} sources ({string.Join(", ", sources.Select(s => s.Id))}); give one source id."),
        };

        LogRollback(loggers.CreateLogger(typeof(RollbackApi).FullName!), source.Id, revision ?? "the one before the current", HoldApi.Caller(context));
        try
        {
            return CourierApi.Answer(context, await updater.RollBackAsync(source.Id, revision, context.RequestAborted).ConfigureAwait(false));
        }
        catch (RollbackRefusedException e)
        {
            throw new BadRequestException($"\"revision\": {e.Message}", StatusCodes.Status409Conflict);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollback of {Source} to {Revision} at the request of {Caller}; the source is held")]
    private static partial void LogRollback(ILogger logger, string source, string revision, string caller);
}
