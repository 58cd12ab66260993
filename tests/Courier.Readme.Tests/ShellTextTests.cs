namespace Courier.Readme.Tests;

/// <summary>The shell reading the check relies on: what counts as a command that runs, and what does not.</summary>
public sealed class ShellTextTests
{
    [Fact]
    public void Reads_substitutions_continuations_and_lists_and_skips_heredocs_comments_and_redirections()
    {
        const string Script = """
            answer=$(curl -sS -X POST "http://127.0.0.1:$port/update_all")   # the answer
            cat <<NEXT
              curl http://127.0.0.1:$port/printed-not-run
            NEXT
            dotnet new install "Courier.Templates::$version" \
              --add-source "$feed" >"$work/log" 2>&1
            [ -f "$x" ] && echo "a # b; c" || true
            for kind in destination source; do
              version=$(basename "$(ls "$feed"/Courier.Templates.*.nupkg)" .nupkg)
            done
            """;

        var commands = ShellText.Commands(Script).Select(words => string.Join(' ', words)).ToList();

        Assert.Contains("curl -sS -X POST http://127.0.0.1:$port/update_all", commands);
        Assert.Contains("""answer=$(curl -sS -X POST "http://127.0.0.1:$port/update_all")""", commands);
        Assert.Contains("cat", commands);
        Assert.Contains("dotnet new install Courier.Templates::$version --add-source $feed", commands);
        Assert.Contains("[ -f $x ]", commands);
        Assert.Contains("echo a # b; c", commands);
        Assert.Contains("true", commands);
        Assert.Contains("kind in destination source", commands);
        Assert.Contains("""ls $feed/Courier.Templates.*.nupkg""", commands);
        Assert.Contains("""basename $(ls "$feed"/Courier.Templates.*.nupkg) .nupkg""", commands);
        Assert.DoesNotContain(commands, command => command.Contains("printed-not-run", StringComparison.Ordinal) || command.Contains("the answer", StringComparison.Ordinal));
    }

    [Fact]
    public void A_README_block_keeps_a_substitution_as_a_value()
    {
        var commands = ShellText.Commands("TOKEN=$(cat /run/secrets/token) \\\n  /opt/courier/Courier.Host --urls http://0.0.0.0:8080", includeSubstitutions: false);

        var command = Assert.Single(commands);
        var shape = CommandShape.From(command, Repository.Root, fromReadme: true)!;
        Assert.Equal("Courier.Host", shape.Program);
        Assert.Equal(["TOKEN"], shape.Variables);
        Assert.Equal(["--urls"], shape.Options);
        Assert.Empty(shape.Words);
    }

    [Fact]
    public void Optional_parts_placeholders_and_repository_paths_are_normalised()
    {
        var shape = CommandShape.From(["sudo", "/opt/courier/Courier.Host", "plugins", "install", "Acme.Courier.Example", "[--version", "1.2.0]", "[--source", "/srv/feed]"], Repository.Root, fromReadme: true)!;
        Assert.Equal("Courier.Host", shape.Program);
        Assert.Equal(["plugins", "install", null], shape.Words);
        Assert.Equal(["--source", "--version"], shape.Options.Order());

        var script = CommandShape.From(["dotnet", "pack", "./Courier.sln", "-c", "Release", "--no-build", "-o", "artifacts/packages"], Repository.Root, fromReadme: false)!;
        Assert.Equal(["pack", "Courier.sln"], script.Words);
        Assert.True(CommandShape.From(["dotnet", "pack", "Courier.sln", "-o", "x"], Repository.Root, fromReadme: true)!.IsRunBy(script));
        Assert.False(CommandShape.From(["dotnet", "pack", "Courier.sln", "--include-source"], Repository.Root, fromReadme: true)!.IsRunBy(script));
    }
}
