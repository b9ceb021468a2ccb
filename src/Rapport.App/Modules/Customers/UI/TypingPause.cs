namespace Rapport.Modules.Customers.UI;

/// <summary>Waits for a pause in typing: each keystroke restarts the wait, and only the last one goes on (a debounce for server checks).</summary>
public sealed class TypingPause(int milliseconds = 400) : IDisposable
{
    private CancellationTokenSource? _pending;

    /// <summary>True once the user stopped typing; false when another keystroke came first.</summary>
    public async Task<bool> WaitAsync()
    {
        if (_pending is { } previous)
        {
            await previous.CancelAsync();
        }

        var pending = _pending = new CancellationTokenSource();
        try
        {
            await Task.Delay(milliseconds, pending.Token);
            return true;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _pending?.Cancel();
}
