using Courier.Core.Cluster;

namespace Courier.Core.Tests.Cluster;

/// <summary>How targets are split across members: evenly, the same everywhere, and moving only what a change of members must move.</summary>
public sealed class RendezvousTests
{
    private static readonly string[] Keys = [.. Enumerable.Range(1, 600).Select(n => TargetSharing.KeyOf("app", $"ships-{n % 7}", $"10.0.{n / 250}.{n % 250}:22:/var/hermes"))];

    [Fact]
    public void Every_member_gets_a_fair_share_and_the_owner_does_not_depend_on_the_order_of_the_member_list()
    {
        string[] members = ["courier-a:8080", "courier-b:8080", "courier-c:8080"];
        var owners = Keys.Select(key => Rendezvous.OwnerOf(key, members)).ToList();

        Assert.Equal(owners, Keys.Select(key => Rendezvous.OwnerOf(key, [.. members.Reverse()])));
        Assert.All(members, member => Assert.InRange(owners.Count(o => o == member), 600 / 3 * 0.8, 600 / 3 * 1.2));
    }

    [Fact]
    public void A_member_that_joins_takes_keys_only_for_itself_and_one_that_leaves_hands_on_only_its_own()
    {
        string[] three = ["a", "b", "c"];
        string[] four = ["a", "b", "c", "d"];
        var before = Keys.ToDictionary(key => key, key => Rendezvous.OwnerOf(key, three));
        var joined = Keys.ToDictionary(key => key, key => Rendezvous.OwnerOf(key, four));
        var left = Keys.ToDictionary(key => key, key => Rendezvous.OwnerOf(key, ["a", "c"]));

        var moved = Keys.Where(key => before[key] != joined[key]).ToList();
        Assert.All(moved, key => Assert.Equal("d", joined[key]));
        Assert.InRange(moved.Count, 600 / 4 * 0.8, 600 / 4 * 1.2);
        Assert.All(Keys.Where(key => before[key] != "b"), key => Assert.Equal(before[key], left[key]));
        Assert.All(Keys.Where(key => before[key] == "b"), key => Assert.NotEqual("b", left[key]));
        Assert.Contains(Keys, key => before[key] == "b" && left[key] == "a");
        Assert.Contains(Keys, key => before[key] == "b" && left[key] == "c");
    }
}
