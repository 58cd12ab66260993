using System.Text.Json;
using Courier.Core.Configuration;
using Courier.Core.History;
using Courier.Core.Rollouts;
using Courier.Core.Updates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Courier.Host.Api;

/// <summary>
/// <c>POST /hold</c> and <c>POST /release</c>: an operator stops the deliveries of a source (its updates still pull and
/// validate, and report the revision they held back) and lets them go on again, delivering the newest revision at once.
/// Mapped into the update routes' group: the same callers, body limit and answers to bad requests.
/// </summary>
internal static partial class HoldApi
{
    /// <summary>The longest <c>reason</c> a hold keeps.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The most source ids an "unknown source" answer lists.</summary>
    private const int ListedSources = 10;

    public static RouteGroupBuilder MapHoldApi(this RouteGroupBuilder updates)
    {
        updates.MapPost("/hold", HoldAsync)
            .WithSummary("Holds a source: its updates still pull and validate, and deliver nothing until /release")
            .WithDescription("source: a source id, or a destination path (every source landing there). Holding a held source changes its reason and keeps since when it is held. The holds are kept in StateDirectory/holds.json, across restarts.")
            .Accepts<HoldRequest>("application/json")
            .Produces<HoldAnswer>(StatusCodes.Status200OK, "application/json")
            .Produces<string>(StatusCodes.Status400BadRequest, "text/plain")
            .Produces<string>(StatusCodes.Status500InternalServerError, "text/plain");
        updates.MapPost("/release", ReleaseAsync);
        return updates;
    }

    private static async Task<JsonHttpResult<HoldAnswer>> HoldAsync(
        HttpContext context, HermesConfigurationLoader configuration, ISourceHolds holds, ILoggerFactory loggers)
    {
        var body = await ReadAsync(context).ConfigureAwait(false);
        var name = body.GetString("source", required: true)!;
        var reason = ReadReason(body);
        var loaded = configuration.LoadSources();
        var sources = SourceSelection.Select(loaded, name);
        if (sources.Count == 0)
        {
            throw UnknownSource(name, loaded);
        }

        var logger = loggers.CreateLogger(typeof(HoldApi).FullName!);
        var held = new List<SourceHold>();
        foreach (var source in sources)
        {
            var (hold, wasHeld) = await KeepingAsync(() => holds.HoldAsync(source.Id, reason, context.RequestAborted)).ConfigureAwait(false);
            if (wasHeld)
            {
                LogReasonChanged(logger, hold.Source, hold.Since, hold.Reason ?? "no reason given", Caller(context));
            }
            else
            {
                LogHeld(logger, hold.Source, hold.Reason ?? "no reason given", Caller(context));
            }

            held.Add(hold);
        }

        return TypedResults.Json(new HoldAnswer(held), UpdateReportJson.Options);
    }

    private static async Task<IResult> ReleaseAsync(
        HttpContext context, HermesConfigurationLoader configuration, ISourceHolds holds, CourierUpdater updater, ILoggerFactory loggers)
    {
        if (CourierApi.IsDryRun(context))
        {
            // Never a real delivery for a caller who asked for none.
            throw new BadRequestException("/release has no dry run; use /update_all?dry_run=true to see what the held sources would deliver.");
        }

        var body = await ReadAsync(context).ConfigureAwait(false);
        var name = body.GetString("source", required: true)!;

        // A held id is released even when its source is gone from the configuration (its update then matches nothing).
        var current = await KeepingAsync(() => holds.AllAsync(context.RequestAborted)).ConfigureAwait(false);
        var loaded = new Lazy<LoadedSources>(configuration.LoadSources);
        IReadOnlyList<string> ids = current.Any(hold => hold.Source == name)
            ? [name]
            : [.. SourceSelection.Select(loaded.Value, name).Select(source => source.Id)];
        if (ids.Count == 0)
        {
            throw UnknownSource(name, loaded.Value);
        }

        var logger = loggers.CreateLogger(typeof(HoldApi).FullName!);
        var released = new List<SourceHold>();
        foreach (var id in ids)
        {
            if (await KeepingAsync(() => holds.ReleaseAsync(id, context.RequestAborted)).ConfigureAwait(false) is { } hold)
            {
                LogReleased(logger, hold.Source, hold.Since, Caller(context));
                released.Add(hold);
            }
        }

        if (released.Count == 0)
        {
            throw new BadRequestException(
                $"\"source\" \"{name}\" is not held ({string.Join(", ", ids)}): there is nothing to release. POST /hold holds it; GET /status lists the holds.",
                StatusCodes.Status409Conflict);
        }

        // One update of exactly the released sources, now: it delivers their newest revision.
        var report = await updater.UpdateAsync([.. released.Select(hold => UpdateTrigger.ForSource(hold.Source))], context.RequestAborted).ConfigureAwait(false);
        return CourierApi.Answer(context, report);
    }

    private static async Task<RequestBody> ReadAsync(HttpContext context)
    {
        var body = (await RequestBody.ReadAsync(context.Request, required: true, context.RequestAborted).ConfigureAwait(false))!;
        return body.Root.ValueKind == JsonValueKind.Object
            ? body
            : throw new BadRequestException($"The request body must be a JSON object with \"source\", found {ConfigEntry.Describe(body.Root.ValueKind)}.");
    }

    /// <summary>The optional <c>reason</c>: one line of text, at most <see cref="MaxReasonLength"/> characters; blank is none.</summary>
    private static string? ReadReason(RequestBody body)
    {
        var reason = body.GetString("reason", required: false)?.Trim();
        if (reason is { Length: > MaxReasonLength })
        {
            throw new BadRequestException($"\"reason\" must be at most {MaxReasonLength} characters, got {reason.Length}.");
        }

        if (reason is not null && reason.Any(char.IsControl))
        {
            // It is logged and shown: one line, as people read it.
            throw new BadRequestException("\"reason\" must be one line of text, without control characters (such as line breaks).");
        }

        return string.IsNullOrEmpty(reason) ? null : reason;
    }

    private static BadRequestException UnknownSource(string name, LoadedSources loaded)
    {
        var ids = loaded.Sources.Select(source => source.Id).Distinct(StringComparer.Ordinal).ToList();
        var known = ids.Count == 0
            ? "No source is configured."
            : $"Sources: {string.Join(", ", ids.Take(ListedSources))}{(ids.Count > ListedSources ? $" and {ids.Count - ListedSources} more" : string.Empty)}.";
        var skipped = loaded.Errors.Count == 0 ? string.Empty : $" ({loaded.Errors.Count} configuration entries could not be read: see the log.)";
        return new BadRequestException($"\"source\": no source has the id or destination path \"{name}\". {known}{skipped}");
    }

    /// <summary>An unreadable holds file answers 500 with what is wrong with it.</summary>
    private static async Task<T> KeepingAsync<T>(Func<ValueTask<T>> change)
    {
        try
        {
            return await change().ConfigureAwait(false);
        }
        catch (HoldStateException e)
        {
            throw new BadRequestException(e.Message, StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>Who asked: the token's name, or the caller's address (never a token).</summary>
    internal static string Caller(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } token } ? $"token {token}" : context.Connection.RemoteIpAddress?.ToString() ?? "an unknown caller";

    [LoggerMessage(Level = LogLevel.Information, Message = "Held {Source} at the request of {Caller}: {Reason}; its updates deliver nothing until it is released")]
    private static partial void LogHeld(ILogger logger, string source, string reason, string caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold of {Source} (since {Since}) changed at the request of {Caller}: {Reason}")]
    private static partial void LogReasonChanged(ILogger logger, string source, DateTimeOffset since, string reason, string caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Source}, held since {Since}, at the request of {Caller}; updating it now")]
    private static partial void LogReleased(ILogger logger, string source, DateTimeOffset since, string caller);
}

/// <summary>The body of <c>POST /hold</c>.</summary>
/// <param name="Source">A source id (<c>hermes-directory:app</c>), or a destination path: every source landing there.</param>
/// <param name="Reason">Why, in one line (at most 500 characters); shown with the hold.</param>
internal sealed record HoldRequest(string Source, string? Reason);

/// <summary>The answer of <c>POST /hold</c>: every source now held by the call.</summary>
/// <param name="Held">Each source's hold: its id, the reason and since when.</param>
internal sealed record HoldAnswer(IReadOnlyList<SourceHold> Held);
