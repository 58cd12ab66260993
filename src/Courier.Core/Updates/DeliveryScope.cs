namespace Courier.Core.Updates;

/// <summary>
/// What an update of a source delivers where. Requests for one source fold into its pending update only when their
/// scopes are equal: a push to the configured destinations never joins an agent's <c>/update_hermes</c>, nor a dry run.
/// </summary>
internal abstract record DeliveryScope
{
    /// <summary>The source's configured destinations: the only deliveries that count as delivered, and shared by the cluster.</summary>
    public static DeliveryScope ConfiguredDestinations { get; } = new Configured();

    /// <summary>A requested rollback (<c>POST /rollback</c>): a revision of its own to the configured destinations.</summary>
    public static DeliveryScope Rollback { get; } = new RollingBack();

    /// <summary>A dry run to the configured destinations: nothing is written.</summary>
    public static DeliveryScope DryRun { get; } = new Dry();

    /// <summary>One hermes address, with the host's login (<c>POST /update_hermes</c>, an agent starting).</summary>
    public static DeliveryScope HermesAddress(HermesAddress target) => new OneHermesAddress(target);

    private sealed record Configured : DeliveryScope;

    private sealed record RollingBack : DeliveryScope;

    private sealed record Dry : DeliveryScope;

    private sealed record OneHermesAddress(HermesAddress Target) : DeliveryScope;
}
