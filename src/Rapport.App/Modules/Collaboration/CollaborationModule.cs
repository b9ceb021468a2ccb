using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Jobs;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Timeline;
using Rapport.Modules.Collaboration.Activities;
using Rapport.Modules.Collaboration.Files;
using Rapport.Modules.Collaboration.Notes;

namespace Rapport.Modules.Collaboration;

/// <summary>Notes and files on any record's timeline, linked through activity links (DESIGN.md "Activities").</summary>
public static class CollaborationModule
{
    public static IServiceCollection AddCollaboration(this IServiceCollection services) => services
        .AddRecordTimeline()
        .AddSingleton<FileStore>()
        .AddScoped<ActivityLinks>()
        .AddScoped<ITimelineSource, NoteTimelineSource>()
        .AddScoped<ITimelineSource, FileTimelineSource>()
        .AddScoped<IRecordMergeParticipant, ActivityLinkMerge>()
        .AddScoped<IPurgeParticipant, ActivityPurge>()
        .AddSingleton<Kernel.Demo.IDemoSeeder, Demo.SeedDemoNotes>();

    public static void MapCollaboration(this IEndpointRouteBuilder api)
    {
        var notes = api.MapGroup("/notes").WithTags("Notes");
        ListNotes.Map(notes);
        CreateNote.Map(notes);
        GetNote.Map(notes);
        UpdateNote.Map(notes);
        DeleteNote.Map(notes);

        var files = api.MapGroup("/files").WithTags("Files");
        UploadFile.Map(files);
        GetFile.Map(files);
        DownloadFile.Map(files);
        DeleteFile.Map(files);
    }
}
