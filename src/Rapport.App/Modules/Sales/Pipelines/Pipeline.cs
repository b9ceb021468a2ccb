using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Sales.Pipelines;

/// <summary>
/// A sales process: ordered stages a deal moves through, and why deals are lost. Workspace configuration, not a record
/// people own (so the <see cref="IOwnedRecord"/> owner and team are always empty: only level "all" reaches it).
/// </summary>
[EntityName(TypeName)]
public sealed class Pipeline : WorkspaceEntity, IOwnedRecord
{
    public const string TypeName = "pipeline";
    public const int NameMaxLength = 100;
    public const int MaxStages = 30;
    public const int MaxLostReasons = 30;

    private Pipeline() { }

    private Pipeline(Guid workspaceId) : base(workspaceId) { }

    public string Name { get; private set; } = "";
    /// <summary>The name in Chinese, when it differs.</summary>
    public string? NameZh { get; private set; }
    /// <summary>Order among the workspace's pipelines; the first is where new deals go unless told otherwise.</summary>
    public int Position { get; private set; }
    /// <summary>Every stage ever in the pipeline, retired ones included (their deals' history still names them).</summary>
    public List<PipelineStage> Stages { get; private set; } = [];
    public List<LostReason> LostReasons { get; private set; } = [];
    /// <summary>Concurrency token; the data layer raises it on every change.</summary>
    public int Version { get; private set; } = 1;

    Guid? IOwnedRecord.OwnerId => null;
    Guid? IOwnedRecord.TeamId => null;

    /// <summary>The stages deals may be in, in board order.</summary>
    public IEnumerable<PipelineStage> CurrentStages => Stages.Where(s => s.RetiredAt is null).OrderBy(s => s.Position);

    /// <summary>Where a deal starts: the first open stage.</summary>
    public PipelineStage FirstOpenStage => CurrentStages.First(s => s.Kind == StageKinds.Open);

    /// <summary>The name in the user's language.</summary>
    public string NameIn(bool chinese) => Bilingual.Pick(chinese, Name, NameZh);

    public static Pipeline Create(Guid workspaceId, string name, string? nameZh, int position) =>
        new(workspaceId) { Name = name.Trim(), NameZh = Blank(nameZh), Position = position };

    public void Rename(string name, string? nameZh)
    {
        Name = name.Trim();
        NameZh = Blank(nameZh);
    }

    public void ChangeLostReasons(IEnumerable<LostReason> reasons) =>
        LostReasons = [.. reasons.Select(r => new LostReason(r.Key.Trim(), r.Label.Trim(), Blank(r.LabelZh)))];

    /// <summary>Adds a stage at the end (positions are set by <see cref="Order"/>).</summary>
    public PipelineStage AddStage(string key)
    {
        var stage = new PipelineStage(WorkspaceId, Id, key);
        Stages.Add(stage);
        return stage;
    }

    /// <summary>Puts the current stages in this order; stages left out are retired (or removed by the caller when nothing points at them).</summary>
    public void Order(IReadOnlyList<PipelineStage> stages, DateTimeOffset now)
    {
        for (var i = 0; i < stages.Count; i++)
        {
            stages[i].Place(i);
        }

        foreach (var left in CurrentStages.Except(stages).ToList())
        {
            left.Retire(now);
        }
    }

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Names kept in English and, when they differ, Chinese.</summary>
public static class Bilingual
{
    /// <summary>The Chinese name for a Chinese reader when there is one, else the English.</summary>
    public static string Pick(bool chinese, string english, string? chineseName) => chinese && chineseName is { Length: > 0 } zh ? zh : english;
}

/// <summary>Whether a stage is still being worked on, or the deal is won or lost there.</summary>
public static class StageKinds
{
    public const string Open = "open";
    public const string Won = "won";
    public const string Lost = "lost";
    public static readonly IReadOnlyList<string> All = [Open, Won, Lost];
}

/// <summary>A step of a pipeline. Its key never changes; its label, order, probability, kind and required fields may.</summary>
[EntityName("pipeline-stage")]
public sealed class PipelineStage : WorkspaceEntity
{
    public const int KeyMaxLength = 50;
    public const int LabelMaxLength = 100;
    public const int MaxRequiredFields = 20;

    private PipelineStage() { }

    internal PipelineStage(Guid workspaceId, Guid pipelineId, string key) : base(workspaceId)
    {
        PipelineId = pipelineId;
        Key = key;
    }

    public Guid PipelineId { get; private init; }
    /// <summary>Stable within the pipeline: reports and integrations may rely on it.</summary>
    public string Key { get; private init; } = "";
    public string Label { get; private set; } = "";
    public string? LabelZh { get; private set; }
    public int Position { get; private set; }
    /// <summary>Chance of winning a deal in this stage, 0–100 (100 for won stages, 0 for lost ones).</summary>
    public int Probability { get; private set; }
    /// <summary>One of <see cref="StageKinds"/>.</summary>
    public string Kind { get; private set; } = StageKinds.Open;
    /// <summary>Deal fields (API names, <c>custom.key</c> for custom fields) that must have a value for a deal to enter this stage.</summary>
    public List<string> RequiredFields { get; private set; } = [];
    /// <summary>Set when the stage was taken out of its pipeline while deals' stage history still names it.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }

    public void Change(string label, string? labelZh, int probability, string kind, IEnumerable<string> requiredFields)
    {
        Label = label.Trim();
        LabelZh = Pipeline.Blank(labelZh);
        Probability = probability;
        Kind = kind;
        RequiredFields = [.. requiredFields.Select(f => f.Trim()).Distinct(StringComparer.Ordinal)];
    }

    internal void Place(int position)
    {
        Position = position;
        RetiredAt = null;
    }

    internal void Retire(DateTimeOffset now) => RetiredAt ??= now;

    /// <summary>The label in the user's language.</summary>
    public string LabelIn(bool chinese) => Bilingual.Pick(chinese, Label, LabelZh);
}

/// <summary>Why a deal was lost: a stable key and a label in English and Chinese.</summary>
public sealed record LostReason(string Key, string Label, string? LabelZh = null)
{
    public const int KeyMaxLength = 50;
    public const int LabelMaxLength = 100;

    public string LabelIn(bool chinese) => Bilingual.Pick(chinese, Label, LabelZh);
}

internal sealed class PipelineConfiguration : IEntityTypeConfiguration<Pipeline>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<Pipeline> b)
    {
        b.ToTable("sales_pipelines");
        b.HasKey(p => new { p.WorkspaceId, p.Id });
        b.Property(p => p.Name).HasMaxLength(Pipeline.NameMaxLength);
        b.Property(p => p.NameZh).HasMaxLength(Pipeline.NameMaxLength);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.Property(p => p.LostReasons).HasConversion(
                r => JsonSerializer.Serialize(r, Json),
                s => JsonSerializer.Deserialize<List<LostReason>>(s, Json) ?? new List<LostReason>(),
                new ValueComparer<List<LostReason>>((a, c) => a!.SequenceEqual(c!), r => r.Count, r => r.ToList()))
            .HasDefaultValueSql("'[]'");
        b.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(p => p.CurrentStages);
        b.Ignore(p => p.FirstOpenStage);
        b.HasMany(p => p.Stages).WithOne().HasForeignKey(s => new { s.WorkspaceId, s.PipelineId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => new { p.WorkspaceId, p.Position });
    }
}

internal sealed class PipelineStageConfiguration : IEntityTypeConfiguration<PipelineStage>
{
    public void Configure(EntityTypeBuilder<PipelineStage> b)
    {
        b.ToTable("sales_pipeline_stages");
        b.HasKey(s => new { s.WorkspaceId, s.Id });
        b.Property(s => s.Key).HasMaxLength(PipelineStage.KeyMaxLength);
        b.Property(s => s.Label).HasMaxLength(PipelineStage.LabelMaxLength);
        b.Property(s => s.LabelZh).HasMaxLength(PipelineStage.LabelMaxLength);
        b.Property(s => s.Kind).HasMaxLength(10);
        b.PrimitiveCollection(s => s.RequiredFields);
        b.HasIndex(s => new { s.WorkspaceId, s.PipelineId, s.Position });
    }
}
