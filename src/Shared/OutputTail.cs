using System.Text;

namespace Courier;

/// <summary>
/// Reads a process's output stream to its end, keeping only its last characters, readable while it runs. One source file
/// compiled into each assembly that runs processes (linked from src/Shared).
/// </summary>
internal sealed class OutputTail(int limit)
{
    private readonly StringBuilder _text = new();

    /// <summary>Reads <paramref name="reader"/> until its end (or until the pipe goes away).</summary>
    public async Task ReadToEndAsync(StreamReader reader)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe was closed from this side: the output was given up.
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }

    private void Append(ReadOnlySpan<char> text)
    {
        lock (_text)
        {
            _text.Append(text);
            if (_text.Length > limit)
            {
                _text.Remove(0, _text.Length - limit);
            }
        }
    }
}
