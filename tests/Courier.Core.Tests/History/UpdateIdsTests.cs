using Courier.Core.History;

namespace Courier.Core.Tests.History;

public sealed class UpdateIdsTests
{
    [Fact]
    public void An_id_says_when_its_update_started_to_the_millisecond()
    {
        var startedAt = new DateTimeOffset(2026, 12, 2, 13, 4, 10, 123, TimeSpan.Zero);

        Assert.Equal(startedAt, UpdateIds.StartedAt(UpdateIds.New(startedAt)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("20261202T130410123Z")]
    [InlineData("../../etc/passwd")]
    public void What_is_not_an_id_has_no_start(string? id) => Assert.Null(UpdateIds.StartedAt(id));
}
