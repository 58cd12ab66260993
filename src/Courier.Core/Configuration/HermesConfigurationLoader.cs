using System.Text.Json;
using Courier.Core.Rollouts;
using Courier.Core.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.Configuration;

/// <summary>The sources read from <c>sources/*</c>, with the entries that could not be read.</summary>
/// <param name="Sources">Every source that could be made.</param>
/// <param name="Errors">One message per file or entry skipped.</param>
internal sealed record LoadedSources(IReadOnlyList<ISource> Sources, IReadOnlyList<string> Errors)
{
    /// <summary>The <c>"validate"</c> checks of the entry each source came from, by source object.</summary>
    public IReadOnlyDictionary<ISource, ValidationPlan> Validations { get; init; } = new Dictionary<ISource, ValidationPlan>();

    /// <summary>The checks of <paramref name="source"/>'s entry; none for a source not loaded here.</summary>
    public ValidationPlan ValidationOf(ISource source) => Validations.TryGetValue(source, out var plan) ? plan : ValidationPlan.None;

    /// <summary>The <c>"rollout"</c> of the entry each source came from, by source object (sources without one are absent).</summary>
    public IReadOnlyDictionary<ISource, RolloutPlan> Rollouts { get; init; } = new Dictionary<ISource, RolloutPlan>();

    /// <summary>The rollout of <paramref name="source"/>'s entry, or null: every target at once.</summary>
    public RolloutPlan? RolloutOf(ISource source) => Rollouts.GetValueOrDefault(source);
}

/// <summary>The destinations of <c>destinations.json</c> by alias, with the aliases that could not be read.</summary>
/// <param name="FilePath">The file read, or <see langword="null"/> when none was found.</param>
/// <param name="Destinations">The destinations by alias (an alias holding a list fans out).</param>
/// <param name="Errors">Why an alias (or the whole file, under the key <c>""</c>) could not be read.</param>
internal sealed record LoadedDestinations(string? FilePath, IReadOnlyDictionary<string, IReadOnlyList<IDestination>> Destinations, IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>The <c>"publish"</c>, <c>"keep_releases"</c> and <c>"verify"</c> of the entry each destination came from, by destination object.</summary>
    public IReadOnlyDictionary<IDestination, PublishOptions> Publishing { get; init; } = new Dictionary<IDestination, PublishOptions>();

    /// <summary>How <paramref name="destination"/> publishes; in place for one not loaded here.</summary>
    public PublishOptions PublishingOf(IDestination destination) => Publishing.TryGetValue(destination, out var publish) ? publish : PublishOptions.InPlace;
}

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
            LoadSourcesFile(file.FullName, sources, validations, rollouts, errors);
        }

        return new LoadedSources(sources, errors) { Validations = validations, Rollouts = rollouts };
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

    private void LoadSourcesFile(string file, List<ISource> sources, Dictionary<ISource, ValidationPlan> validations, Dictionary<ISource, RolloutPlan> rollouts, List<string> errors)
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
                var (created, validation, rollout) = CreateSources(new SourceDefinition(entry, file, index));
                foreach (var source in created)
                {
                    sources.Add(source);
                    validations[source] = validation;
                    if (rollout is not null)
                    {
                        rollouts[source] = rollout;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "No sources directory found ({SearchPath}): there is nothing to deliver")]
    private partial void LogNoSources(string searchPath);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration error: {Error}")]
    private partial void LogEntryError(string error);
}
