namespace Courier.Testing;

/// <summary>Looks at the processes running on this machine, to prove that nothing was left behind.</summary>
public static class ProcessProbe
{
    /// <summary>The command lines (arguments joined by spaces) of running processes that contain <paramref name="substring"/>.</summary>
    public static IReadOnlyList<string> Find(string substring)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                if (File.ReadAllText(Path.Combine(directory, "stat")).Split(") ", 2) is [_, var rest] && rest.StartsWith('Z'))
                {
                    continue;
                }
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (commandLine.Contains(substring, StringComparison.Ordinal))
            {
                found.Add($"{pid}: {commandLine}");
            }
        }

        return found;
    }

    /// <summary>Waits briefly for processes matching <paramref name="substring"/> to end, then returns those still running.</summary>
    public static async Task<IReadOnlyList<string>> WaitUntilGoneAsync(string substring, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var found = Find(substring);
            if (found.Count == 0 || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The direct children of <paramref name="parentPid"/> (this process by default), defunct ones included: their
    /// pid, state letter (<c>Z</c> for defunct), executable name and command line.
    /// </summary>
    public static IReadOnlyList<ChildProcess> Children(int? parentPid = null)
    {
        var parent = parentPid ?? Environment.ProcessId;
        var children = new List<ChildProcess>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) != parent)
                {
                    continue;
                }

                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                children.Add(new ChildProcess(pid, fields[0][0], stat[(open + 1)..close], commandLine));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // Ended while we looked.
            }
        }

        return children;
    }
}

/// <summary>A child process as /proc shows it.</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="State">Its state letter: <c>R</c>, <c>S</c>, ..., <c>Z</c> for defunct (ended, not reaped).</param>
/// <param name="Name">The executable's name (<c>comm</c>).</param>
/// <param name="CommandLine">Its arguments joined by spaces (empty when defunct).</param>
public sealed record ChildProcess(int Pid, char State, string Name, string CommandLine)
{
    /// <summary>Whether it ended and was never reaped.</summary>
    public bool IsDefunct => State == 'Z';

    /// <summary>
    /// Whether it is one of the ssh master connections Courier keeps open to a target between transfers
    /// (<c>Courier:Ssh:ReuseConnections</c>); they live until idle or shutdown, not just for one step.
    /// </summary>
    public bool IsSharedSshConnection => !IsDefunct && Name == "ssh" && CommandLine.Contains("ControlMaster=yes", StringComparison.Ordinal);
}
