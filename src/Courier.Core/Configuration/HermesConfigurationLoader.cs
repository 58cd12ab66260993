using System.Text.Json;
using Courier.Core.Rollouts;
using Courier.Core.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.Configuration;

/// <summary>
/// Reads Hermes configuration afresh on every update (a changed file needs no restart). One bad file or entry
/// is an error for itself only: the others still load.
/// </summary>
internal sealed partial class HermesConfigurationLoader(
    HermesSearchPath searchPath,
    PluginCatalog catalog,
    IOptions<CourierOptions> options,
    ILogger<HermesConfigurationLoader> logger)
{
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads every regular file of the first <c>sources</c> directory on the search path.</summary>
    public LoadedSources LoadSources()
    {
        var sources = new List<ISource>();
        var errors = new List<string>();
        var validations = new Dictionary<ISource, ValidationPlan>(ReferenceEqualityComparer.Instance);
        var destinationPaths = new Dictionary<ISource, string>(ReferenceEqualityComparer.Instance);
        var rollouts = new Dictionary<ISource, RolloutPlan>(ReferenceEqualityComparer.Instance);
        var directory = searchPath.Find("sources");
        if (directory is null || !Directory.Exists(directory))
        {
            LogNoSources(searchPath.Describe());
            return new LoadedSources(sources, errors);
        }

        var files = new DirectoryInfo(directory).EnumerateFiles()
            .Where(file => !file.Name.StartsWith('.'))
            .OrderBy(file => file.Name, StringComparer.Ordinal);
        foreach (var file in files)
        {
            LoadSourcesFile(file.FullName, new SourcesBeingLoaded(sources, validations, destinationPaths, rollouts), errors);
        }

        return new LoadedSources(sources, errors) { Validations = validations, DestinationPaths = destinationPaths, Rollouts = rollouts };
    }

    /// <summary>Reads <c>destinations.json</c> from the search path.</summary>
    public LoadedDestinations LoadDestinations()
    {
        var destinations = new Dictionary<string, IReadOnlyList<IDestination>>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = searchPath.Find("destinations.json");
        if (file is null)
        {
            return new LoadedDestinations(null, destinations, errors);
        }

        JsonElement root;
        try
        {
            root = ReadJson(file);
        }
        catch (CourierConfigurationException e)
        {
            errors[string.Empty] = e.Message;
            return new LoadedDestinations(file, destinations, errors);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            errors[string.Empty] = $"{file}: expected a JSON object of destination aliases, found {ConfigEntry.Describe(root.ValueKind)}.";
            return new LoadedDestinations(file, destinations, errors);
        }

        var defaultLogin = DefaultSshLogin();
        var publishing = new Dictionary<IDestination, PublishOptions>(ReferenceEqualityComparer.Instance);
        foreach (var alias in root.EnumerateObject())
        {
            try
            {
                var entries = alias.Value.ValueKind == JsonValueKind.Array ? alias.Value.EnumerateArray().ToList() : [alias.Value];
                if (entries.Count == 0)
                {
                    throw new CourierConfigurationException($"{file} destination \"{alias.Name}\": the list of destinations is empty.");
                }

                var created = entries.Select(entry => CreateDestination(new DestinationDefinition(alias.Name, entry, file, defaultLogin))).ToList();
                destinations[alias.Name] = created.Select(pair => pair.Destination).ToList();
                foreach (var (destination, publish) in created)
                {
                    publishing[destination] = publish;
                }
            }
            catch (CourierConfigurationException e)
            {
                errors[alias.Name] = e.Message;
                LogEntryError(e.Message);
            }
        }

        return new LoadedDestinations(file, destinations, errors) { Publishing = publishing };
    }

    /// <summary>The SSH login of the host settings (<c>Courier:Ssh</c>), its key looked up on the search path.</summary>
    public SshLogin DefaultSshLogin()
    {
        var ssh = options.Value.Ssh;
        return new SshLogin(ssh.User, searchPath.ResolveKey(ssh.Key), ssh.Sudo);
    }

    private void LoadSourcesFile(string file, SourcesBeingLoaded loaded, List<string> errors)
    {
        JsonElement root;
        try
        {
            root = ReadJson(file);
        }
        catch (CourierConfigurationException e)
        {
            errors.Add(e.Message);
            LogEntryError(e.Message);
            return;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            var message = $"{file}: a sources file must hold a JSON list of sources, found {ConfigEntry.Describe(root.ValueKind)}.";
            errors.Add(message);
            LogEntryError(message);
            return;
        }

        var index = 0;
        foreach (var entry in root.EnumerateArray())
        {
            try
            {
                var definition = new SourceDefinition(entry, file, index);
                var (created, validation, rollout) = CreateSources(definition);
                var destinationPath = ConfiguredDestinationPath(definition);
                foreach (var source in created)
                {
                    loaded.Sources.Add(source);
                    loaded.Validations[source] = validation;
                    if (rollout is not null)
                    {
                        loaded.Rollouts[source] = rollout;
                    }

                    if (destinationPath is not null)
                    {
                        loaded.DestinationPaths[source] = destinationPath;
                    }
                }
            }
            catch (CourierConfigurationException e)
            {
                errors.Add(e.Message);
                LogEntryError(e.Message);
            }

            index++;
        }
    }

    /// <summary>The entry's sources, its <c>"validate"</c> checks and its <c>"rollout"</c>: every source type may have them, so they are read here.</summary>
    private (IReadOnlyList<ISource> Sources, ValidationPlan Validation, RolloutPlan? Rollout) CreateSources(SourceDefinition definition)
    {
        var type = definition.Type;
        if (!catalog.TryGetSourceFactory(type, out var factory))
        {
            throw definition.Error($"unknown source type \"{type}\". Known source types: {string.Join(", ", catalog.SourceTypes)}.");
        }

        var validation = ValidationConfig.Read(definition);
        var rollout = RolloutConfig.Read(definition);
        return (Guard(definition, () => factory.Create(definition)), validation, rollout);
    }

    /// <summary>The entry's <c>"destination_path"</c>, else its <c>"subdirectory"</c>; null when it has neither, or one its source would refuse.</summary>
    private static string? ConfiguredDestinationPath(SourceDefinition definition)
    {
        try
        {
            return definition.GetRelativePath("destination_path") ?? definition.GetRelativePath("subdirectory");
        }
        catch (CourierConfigurationException)
        {
            return null;
        }
    }

    /// <summary>The entry's destination, and how it publishes: every destination type may say, so that is read here.</summary>
    private (IDestination Destination, PublishOptions Publish) CreateDestination(DestinationDefinition definition)
    {
        var type = definition.Type;
        if (!catalog.TryGetDestinationFactory(type, out var factory))
        {
            throw definition.Error($"unknown destination type \"{type}\". Known destination types: {string.Join(", ", catalog.DestinationTypes)}.");
        }

        var publish = PublishConfig.Read(definition);
        return (Guard(definition, () => factory.Create(definition)), publish);
    }

    /// <summary>A plugin that throws something else than a configuration error still only spoils its own entry.</summary>
    private static T Guard<T>(ConfigEntry definition, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception e) when (e is not CourierConfigurationException)
        {
            throw definition.Error($"{e.GetType().Name}: {e.Message}");
        }
    }

    private static JsonElement ReadJson(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var document = JsonDocument.Parse(stream, JsonOptions);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CourierConfigurationException($"{file}: not valid JSON: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new CourierConfigurationException($"{file}: cannot be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CourierConfigurationException($"{file}: cannot be read: {e.Message}", e);
        }
    }

    /// <summary>What <see cref="LoadSources"/> gathers over the files.</summary>
    private sealed record SourcesBeingLoaded(List<ISource> Sources, Dictionary<ISource, ValidationPlan> Validations, Dictionary<ISource, string> DestinationPaths, Dictionary<ISource, RolloutPlan> Rollouts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No sources directory found ({SearchPath}): there is nothing to deliver")]
    private partial void LogNoSources(string searchPath);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration error: {Error}")]
    private partial void LogEntryError(string error);
}
