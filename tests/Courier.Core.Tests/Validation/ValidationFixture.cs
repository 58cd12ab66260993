using Courier.Core.Validation;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Validation;

/// <summary>A snapshot directory and the engine's validator, with <c>Courier:Timeouts:Validate</c> as a test sets it.</summary>
internal sealed class ValidationFixture : IDisposable
{
    private readonly ServiceProvider _services;

    public ValidationFixture(TimeSpan? validateTimeout = null)
    {
        Temp = TempDirectory.Create("courier-validate");
        Directory.CreateDirectory(SnapshotDirectory);
        _services = new ServiceCollection()
            .AddCourier(o =>
            {
                o.ConfigPath = Temp.Combine("config");
                o.StateDirectory = Temp.Combine("state");
                o.Timeouts.Validate = validateTimeout ?? TimeSpan.FromSeconds(30);
            })
            .Services.BuildServiceProvider();
        Validator = _services.GetRequiredService<SnapshotValidator>();
    }

    public TempDirectory Temp { get; }

    public string SnapshotDirectory => Temp.Combine("snapshot");

    public SnapshotValidator Validator { get; }

    public Snapshot Snapshot => new("test-directory:/x", SnapshotDirectory, "x", "0123456789abcdef0123456789abcdef01234567");

    public void WriteSnapshotFile(string relativePath, string content) => Temp.WriteFile(Path.Combine("snapshot", relativePath), content);

    /// <summary>Writes an executable shell script into the snapshot.</summary>
    public void WriteScript(string relativePath, string body)
    {
        WriteSnapshotFile(relativePath, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(Path.Combine(SnapshotDirectory, relativePath), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Reads <paramref name="validate"/> as a source entry's field and runs it on the snapshot.</summary>
    public async Task<ValidationReport> ValidateAsync(string validate, CancellationToken cancellationToken = default)
    {
        var plan = ValidationConfig.Read(new SourceDefinition(Json.Parse($$"""{"type": "test-directory", "validate": {{validate}}}"""), Temp.Combine("s.json"), 0));
        var report = await Validator.ValidateAsync(Snapshot.SourceId, Snapshot, plan, cancellationToken);
        return Assert.IsType<ValidationReport>(report);
    }

    public void Dispose()
    {
        _services.Dispose();
        Temp.Dispose();
    }
}
