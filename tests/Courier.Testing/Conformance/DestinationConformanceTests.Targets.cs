using Xunit;

namespace Courier.Testing.Conformance;

/// <summary>
/// The rollout shape of a destination: the targets it lists (<see cref="IDestination.ListTargetsAsync"/>), which a
/// rollout delivers to one wave at a time. A destination that does not list its targets is one target, and passes too.
/// </summary>
public abstract partial class DestinationConformanceTests
{
    /// <summary>
    /// The targets of a working entry are listed, named once each, in the same order every time (the same canary goes
    /// first on every update), and each delivers on its own with well-formed, successful results.
    /// </summary>
    [Fact]
    public async Task Lists_its_targets_in_a_stable_order_and_each_delivers_on_its_own()
    {
        var destination = Courier.CreateDestination(TypeName, Alias, await CreateWorkingEntryAsync(CancellationToken.None), DefaultSshLogin);

        var targets = await destination.ListTargetsAsync(CancellationToken.None);
        var again = await destination.ListTargetsAsync(CancellationToken.None);

        Assert.NotEmpty(targets);
        Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace(t.Name), "a target has a name"));
        Assert.Equal(targets.Count, targets.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(targets.Select(t => t.Name), again.Select(t => t.Name));
        foreach (var target in targets)
        {
            var results = await target.DeliverAsync(Courier.WriteSnapshot(), DeliveryOptions.Default, CancellationToken.None);

            Assert.NotEmpty(results);
            Assert.All(results, AssertWellFormed);
            Assert.All(results, r => Assert.True(r.Succeeded, $"{target.Name}: {r.Target}: {r.Error}"));
            Assert.Null(await target.CheckAsync(CancellationToken.None));
        }
    }

    /// <summary>A target of a failing entry is still listed; its delivery reports the failure in its result, never throws.</summary>
    [Fact]
    public async Task A_failing_target_is_listed_and_its_own_delivery_reports_the_failure()
    {
        var destination = Courier.CreateDestination(TypeName, Alias, await CreateFailingEntryAsync(CancellationToken.None), DefaultSshLogin);

        var targets = await destination.ListTargetsAsync(CancellationToken.None);
        var results = new List<DeliveryResult>();
        foreach (var target in targets)
        {
            results.AddRange(await target.DeliverAsync(Courier.WriteSnapshot(), DeliveryOptions.Default, CancellationToken.None));
        }

        Assert.NotEmpty(targets);
        Assert.All(results, AssertWellFormed);
        Assert.Contains(results, r => !r.Succeeded);
    }

    /// <summary>A target's delivery with a cancelled token ends in <see cref="OperationCanceledException"/>.</summary>
    [Fact]
    public async Task A_target_honours_cancellation()
    {
        var destination = Courier.CreateDestination(TypeName, Alias, await CreateWorkingEntryAsync(CancellationToken.None), DefaultSshLogin);
        var target = (await destination.ListTargetsAsync(CancellationToken.None))[0];
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => target.DeliverAsync(Courier.WriteSnapshot(), DeliveryOptions.Default, cancellation.Token));
    }
}
