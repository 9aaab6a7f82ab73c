using System.Text;

namespace ContentPS.TestFixtures;

/// <summary>Keeps the last few kilobytes of a process's output, thread-safe, so failures can quote it.</summary>
internal sealed class OutputTail
{
    private const int Capacity = 64 * 1024;
    private readonly StringBuilder _text = new();
    private readonly object _gate = new();

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _text.AppendLine(line);
            if (_text.Length > Capacity)
            {
                _text.Remove(0, _text.Length - Capacity);
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
