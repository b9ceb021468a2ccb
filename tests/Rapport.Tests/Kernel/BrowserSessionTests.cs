using Rapport.Modules.Identity.Sessions;

namespace Rapport.Tests.Kernel;

public sealed class BrowserSessionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Idle = TimeSpan.FromHours(2);
    private static readonly TimeSpan Absolute = TimeSpan.FromHours(24);

    [Fact]
    public void A_session_ends_after_the_idle_time_without_activity()
    {
        var session = BrowserSession.Start(Guid.NewGuid(), Guid.NewGuid(), Start, null, null);
        Assert.True(session.IsAliveAt(Start.AddHours(1), Idle, Absolute));
        Assert.False(session.IsAliveAt(Start.AddHours(2).AddMinutes(1), Idle, Absolute));
    }

    [Fact]
    public void Activity_keeps_a_session_alive_but_never_past_the_absolute_limit()
    {
        var session = BrowserSession.Start(Guid.NewGuid(), Guid.NewGuid(), Start, null, null);
        for (var hour = 1; hour <= 23; hour++)
        {
            Assert.True(session.Touch(Start.AddHours(hour)));
            Assert.True(session.IsAliveAt(Start.AddHours(hour).AddMinutes(30), Idle, Absolute));
        }

        session.Touch(Start.AddHours(24));
        Assert.False(session.IsAliveAt(Start.AddHours(24).AddMinutes(1), Idle, Absolute));
    }

    [Fact]
    public void An_ended_session_stays_ended()
    {
        var session = BrowserSession.Start(Guid.NewGuid(), Guid.NewGuid(), Start, null, null);
        session.End(Start.AddMinutes(5));
        Assert.False(session.IsAliveAt(Start.AddMinutes(6), Idle, Absolute));
        Assert.False(session.Touch(Start.AddSeconds(30)));
    }
}
