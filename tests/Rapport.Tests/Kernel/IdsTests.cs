using System.Collections.Concurrent;
using Rapport.Kernel.Entities;

namespace Rapport.Tests.Kernel;

/// <summary>Row ids: UUID version 7 with the time of their making first, unique across threads and refills of the random buffer.</summary>
public sealed class IdsTests
{
    [Fact]
    public void An_id_is_a_version_7_uuid_that_starts_with_the_time_it_was_made()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = Ids.NewV7();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2); // RFC 9562's variant: the bits 10
        var bytes = id.ToByteArray(bigEndian: true);
        var millis = 0L;
        for (var i = 0; i < 6; i++)
        {
            millis = (millis << 8) | bytes[i];
        }

        Assert.InRange(millis, before, after);
    }

    [Fact]
    public void Ids_made_on_many_threads_past_several_refills_are_all_different_and_sort_by_their_millisecond()
    {
        var ids = new ConcurrentBag<Guid>();
        Parallel.For(0, 4, _ =>
        {
            var earlier = Guid.Empty;
            for (var i = 0; i < 5_000; i++) // 4 KB of random bytes gives 409 ids: a dozen refills a thread
            {
                var id = Ids.NewV7();
                Assert.True(earlier.ToByteArray(bigEndian: true).AsSpan(0, 6).SequenceCompareTo(id.ToByteArray(bigEndian: true).AsSpan(0, 6)) <= 0);
                earlier = id;
                ids.Add(id);
            }
        });

        Assert.Equal(20_000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
    }
}
