using Rapport.Kernel.Data;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Sales.Pipelines;

/// <summary>
/// The pipeline every workspace starts with (Qualification, Needs analysis, Proposal, Negotiation, Won, Lost — in English
/// and Chinese), written with the new workspace; workspaces made before sales existed get it from <see cref="DefaultPipelineBackfill"/>.
/// </summary>
public sealed class DefaultPipeline : IWorkspaceDefaults
{
    private static readonly (string Key, string Label, string LabelZh, int Probability, string Kind, string[] Required)[] Stages =
    [
        ("qualification", "Qualification", "资格审查", 10, StageKinds.Open, []),
        ("needs-analysis", "Needs analysis", "需求分析", 20, StageKinds.Open, []),
        ("proposal", "Proposal", "方案报价", 50, StageKinds.Open, ["amount"]),
        ("negotiation", "Negotiation", "商务谈判", 80, StageKinds.Open, ["amount", "closeDate"]),
        ("won", "Won", "赢单", 100, StageKinds.Won, ["amount", "closeDate"]),
        ("lost", "Lost", "输单", 0, StageKinds.Lost, []),
    ];

    public static readonly IReadOnlyList<LostReason> LostReasons =
    [
        new("price", "Price too high", "价格过高"),
        new("competitor", "Went with a competitor", "选择了竞争对手"),
        new("no-budget", "No budget", "没有预算"),
        new("no-decision", "No decision", "未做决定"),
        new("timing", "Bad timing", "时机不对"),
        new("other", "Other", "其他"),
    ];

    public void AddTo(RapportDbContext db, Workspace workspace) => db.Add(Create(workspace.Id));

    public static Pipeline Create(Guid workspaceId)
    {
        var pipeline = Pipeline.Create(workspaceId, "Sales pipeline", "销售管道", 0);
        pipeline.ChangeLostReasons(LostReasons);
        var stages = Stages.Select(s =>
        {
            var stage = pipeline.AddStage(s.Key);
            stage.Change(s.Label, s.LabelZh, s.Probability, s.Kind, s.Required);
            return stage;
        }).ToList();
        pipeline.Order(stages, DateTimeOffset.UnixEpoch);
        return pipeline;
    }
}
