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
}
