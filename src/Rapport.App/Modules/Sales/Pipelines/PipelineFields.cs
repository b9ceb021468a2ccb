using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Deals;

namespace Rapport.Modules.Sales.Pipelines;

/// <summary>
/// The writable fields of a pipeline: what POST creates and a PATCH (a merge patch) replaces. <c>stages</c> lists the
/// stages in board order: an item with the <c>id</c> of a current stage changes it, one without adds a stage, and a
/// current stage left out is taken out of the pipeline (refused while deals are in it).
/// </summary>
public sealed record PipelineFields(
    string Name = "", string? NameZh = null, IReadOnlyList<StageFields>? Stages = null, IReadOnlyList<LostReason>? LostReasons = null);

/// <param name="Key">Stable key; made from the label when a new stage has none, and never changed afterwards.</param>
/// <param name="RequiredFields">Deal fields that must have a value to enter the stage: amount, closeDate, companyId, contacts, nextStep, competitors, ownerId, teamId or custom.&lt;key&gt;.</param>
public sealed record StageFields(
    Guid? Id = null, string? Key = null, string Label = "", string? LabelZh = null, int Probability = 0, string Kind = StageKinds.Open,
    IReadOnlyList<string>? RequiredFields = null);

public sealed record StageDto(Guid Id, string Key, string Label, string? LabelZh, int Position, int Probability, string Kind, IReadOnlyList<string> RequiredFields)
{
    public static StageDto From(PipelineStage s) => new(s.Id, s.Key, s.Label, s.LabelZh, s.Position, s.Probability, s.Kind, s.RequiredFields);

    public string LabelIn(bool chinese) => Bilingual.Pick(chinese, Label, LabelZh);
}

/// <summary>A pipeline with its current stages in order. The first pipeline (lowest position) is where new deals go by default.</summary>
public sealed record PipelineDto(
    Guid Id, string Name, string? NameZh, int Position, IReadOnlyList<StageDto> Stages, IReadOnlyList<LostReason> LostReasons, int Version)
{
    public static PipelineDto From(Pipeline p) =>
        new(p.Id, p.Name, p.NameZh, p.Position, [.. p.CurrentStages.Select(StageDto.From)], p.LostReasons, p.Version);

    public PipelineFields Fields => new(Name, NameZh,
        [.. Stages.Select(s => new StageFields(s.Id, s.Key, s.Label, s.LabelZh, s.Probability, s.Kind, s.RequiredFields))], LostReasons);

    public string NameIn(bool chinese) => Bilingual.Pick(chinese, Name, NameZh);
}

/// <summary>Who may see and change pipelines, and what a pipeline's fields must satisfy.</summary>
internal static partial class PipelineRules
{
    /// <summary>Pipelines are read by whoever's roles read pipelines or deals (a deal names its stage).</summary>
    public static async Task<bool> CanReadAsync(IAccessControl access, CancellationToken ct) =>
        await access.LevelAsync(Pipeline.TypeName, AccessAction.Read, ct) > AccessLevel.None
        || await access.LevelAsync(Deal.TypeName, AccessAction.Read, ct) > AccessLevel.None;

    /// <summary>Pipelines have no owner: changing them needs level "all".</summary>
    public static async Task<bool> MayAsync(IAccessControl access, AccessAction action, CancellationToken ct) =>
        await access.LevelAsync(Pipeline.TypeName, action, ct) == AccessLevel.All;

    public static IQueryable<Pipeline> WithStages(RapportDbContext db) => db.Set<Pipeline>().Include(p => p.Stages);

    /// <summary>The errors of <paramref name="fields"/> for <paramref name="existing"/> (null on create), keyed by JSON path.</summary>
    public static async Task<Dictionary<string, string[]>> CheckAsync(RapportDbContext db, PipelineFields fields, Pipeline? existing, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];

        if (string.IsNullOrWhiteSpace(fields.Name))
        {
            Add("name", "Give the pipeline a name.");
        }
        else if (fields.Name.Trim().Length > Pipeline.NameMaxLength)
        {
            Add("name", $"At most {Pipeline.NameMaxLength} characters.");
        }

        if (fields.NameZh?.Trim().Length > Pipeline.NameMaxLength)
        {
            Add("nameZh", $"At most {Pipeline.NameMaxLength} characters.");
        }

        var stages = fields.Stages ?? [];
        if (stages.Count is 0 or > Pipeline.MaxStages)
        {
            Add("stages", $"A pipeline has 1 to {Pipeline.MaxStages} stages.");
        }

        var custom = await CustomFieldSet.LoadAsync(db, Deal.TypeName, ct);
        var current = existing?.CurrentStages.ToDictionary(s => s.Id) ?? [];
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            var at = $"stages[{i}]";
            if (string.IsNullOrWhiteSpace(stage.Label) || stage.Label.Trim().Length > PipelineStage.LabelMaxLength)
            {
                Add($"{at}.label", $"Give the stage a label of 1 to {PipelineStage.LabelMaxLength} characters.");
            }

            if (stage.LabelZh?.Trim().Length > PipelineStage.LabelMaxLength)
            {
                Add($"{at}.labelZh", $"At most {PipelineStage.LabelMaxLength} characters.");
            }

            if (!StageKinds.All.Contains(stage.Kind))
            {
                Add($"{at}.kind", $"Kind must be one of: {string.Join(", ", StageKinds.All)}.");
            }
            else if (stage.Probability is < 0 or > 100)
            {
                Add($"{at}.probability", "Probability is a percentage from 0 to 100.");
            }
            else if (stage.Kind == StageKinds.Won && stage.Probability != 100 || stage.Kind == StageKinds.Lost && stage.Probability != 0)
            {
                Add($"{at}.probability", "A won stage has probability 100 and a lost stage 0.");
            }

            if (stage.Id is { } id && !current.ContainsKey(id))
            {
                Add($"{at}.id", "Not a stage of this pipeline: leave the id out to add a stage.");
            }
            else if (stage.Id is { } kept && stage.Key is { } key && key != current[kept].Key)
            {
                Add($"{at}.key", "A stage's key never changes.");
            }
            else if (stage.Id is null && stage.Key is { } newKey && !KeyPattern().IsMatch(newKey))
            {
                Add($"{at}.key", "A key is 1 to 50 lower-case letters, digits, '-' or '_', starting with a letter or digit.");
            }

            var required = stage.RequiredFields ?? [];
            if (required.Count > PipelineStage.MaxRequiredFields)
            {
                Add($"{at}.requiredFields", $"At most {PipelineStage.MaxRequiredFields} required fields.");
            }

            foreach (var field in required.Where(f => !StageRequirements.Fields.ContainsKey(f)
                                                      && !(f.StartsWith(CustomFieldSet.Prefix, StringComparison.Ordinal) && custom.Find(f[CustomFieldSet.Prefix.Length..]) is not null)))
            {
                Add($"{at}.requiredFields", $"\"{field}\" is not a deal field. Use {string.Join(", ", StageRequirements.Fields.Keys)} or custom.<key> of a deal custom field.");
            }
        }

        if (stages.Where(s => s.Id is not null).GroupBy(s => s.Id).Any(g => g.Count() > 1))
        {
            Add("stages", "A stage appears twice.");
        }

        if (errors.Count == 0 && KeysOf(stages, current).GroupBy(k => k).Any(g => g.Count() > 1))
        {
            Add("stages", "Two stages have the same key.");
        }

        foreach (var kind in StageKinds.All.Where(k => stages.Count > 0 && stages.All(s => s.Kind != k)))
        {
            Add("stages", $"A pipeline needs at least one {kind} stage.");
        }

        var reasons = fields.LostReasons ?? [];
        if (reasons.Count > Pipeline.MaxLostReasons)
        {
            Add("lostReasons", $"At most {Pipeline.MaxLostReasons} lost reasons.");
        }

        for (var i = 0; i < reasons.Count; i++)
        {
            if (reasons[i].Key is not { } key || !KeyPattern().IsMatch(key))
            {
                Add($"lostReasons[{i}].key", "A key is 1 to 50 lower-case letters, digits, '-' or '_', starting with a letter or digit.");
            }

            if (string.IsNullOrWhiteSpace(reasons[i].Label) || reasons[i].Label.Trim().Length > LostReason.LabelMaxLength
                || reasons[i].LabelZh?.Trim().Length > LostReason.LabelMaxLength)
            {
                Add($"lostReasons[{i}].label", $"Give the reason a label of 1 to {LostReason.LabelMaxLength} characters.");
            }
        }

        if (reasons.GroupBy(r => r.Key).Any(g => g.Count() > 1))
        {
            Add("lostReasons", "Two lost reasons have the same key.");
        }
        else if (reasons.Count == 0 && stages.Any(s => s.Kind == StageKinds.Lost))
        {
            Add("lostReasons", "A pipeline with a lost stage needs at least one lost reason.");
        }

        return errors;
    }

    /// <summary>The key each stage of <paramref name="stages"/> has or gets: its own, or one made from its label (<c>stage-3</c> when the label has no letters a key may hold).</summary>
    public static List<string> KeysOf(IReadOnlyList<StageFields> stages, IReadOnlyDictionary<Guid, PipelineStage> current)
    {
        var keys = new List<string>();
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            if (stage.Id is { } id && current.TryGetValue(id, out var existing))
            {
                keys.Add(existing.Key);
            }
            else if (stage.Key is { } given)
            {
                keys.Add(given);
            }
            else
            {
                var slug = Slug(stage.Label);
                var taken = keys.Contains(slug) || stages.Any(s => s.Key == slug) || current.Values.Any(c => c.Key == slug);
                keys.Add(slug.Length > 0 && !taken ? slug : $"stage-{i + 1}");
            }
        }

        return keys;
    }

    private static string Slug(string label)
    {
        var slug = NotKeyCharacters().Replace(label.Trim().ToLowerInvariant(), "-").Trim('-');
        return slug.Length > PipelineStage.KeyMaxLength ? slug[..PipelineStage.KeyMaxLength].TrimEnd('-') : slug;
    }

    /// <summary>Applies checked <paramref name="fields"/> to the pipeline: names, lost reasons, and its stages (changed, added, ordered, taken out).</summary>
    public static async Task<Dictionary<string, string[]>> ApplyAsync(RapportDbContext db, Pipeline pipeline, PipelineFields fields, DateTimeOffset now, CancellationToken ct)
    {
        pipeline.Rename(fields.Name, fields.NameZh);
        pipeline.ChangeLostReasons(fields.LostReasons ?? []);
        var current = pipeline.CurrentStages.ToDictionary(s => s.Id);
        var stages = fields.Stages ?? [];
        var keys = KeysOf(stages, current);
        var ordered = new List<PipelineStage>();
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i].Id is { } id ? current[id] : pipeline.AddStage(keys[i]);
            stage.Change(stages[i].Label, stages[i].LabelZh, stages[i].Probability, stages[i].Kind, stages[i].RequiredFields ?? []);
            ordered.Add(stage);
        }

        var leaving = current.Values.Except(ordered).Select(s => s.Id).ToList();
        if (leaving.Count > 0)
        {
            var deals = db.Set<Deal>().IgnoreQueryFilters([RapportDbContext.TrashFilter]);
            var occupied = await deals.Where(d => leaving.Contains(d.StageId)).GroupBy(d => d.StageId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
            if (occupied.Count > 0)
            {
                return new Dictionary<string, string[]>
                {
                    ["stages"] = [.. occupied.Select(o => $"The stage \"{current[o.Key].Label}\" still holds {o.Count} deal(s), counting the trash: move them to another stage first.")],
                };
            }

            // Stages no deal ever entered go for good; the others stay, retired, so stage histories keep their names.
            var visited = await db.Set<DealStageVisit>().Where(v => leaving.Contains(v.StageId)).Select(v => v.StageId).Distinct().ToListAsync(ct);
            foreach (var unused in leaving.Except(visited))
            {
                pipeline.Stages.Remove(current[unused]);
                db.Remove(current[unused]);
            }
        }

        pipeline.Order(ordered, now);
        return [];
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,49}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotKeyCharacters();
}
