using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Collaboration.Notes;

/// <summary>
/// A note in rich text (HTML sanitized on the server by <see cref="NoteHtml"/>) by one author, linked to any number of
/// records through activity links, with the workspace members it @mentions (notified once notifications exist).
/// </summary>
[EntityName(TypeName)]
public sealed class Note : BusinessRecord
{
    public const string TypeName = "note";
    /// <summary>The sanitized HTML may be at most this long.</summary>
    public const int HtmlMaxLength = 50_000;
    public const int MaxMentions = 50;

    private Note() { }

    private Note(Guid workspaceId) : base(workspaceId) { }

    public string Html { get; private set; } = "";
    public Guid? AuthorId { get; private init; }
    public List<Guid> Mentions { get; private set; } = [];

    /// <param name="html">Already sanitized.</param>
    public static Note Write(Guid workspaceId, Guid? authorId, string html, IEnumerable<Guid> mentions)
    {
        var note = new Note(workspaceId) { AuthorId = authorId };
        note.Change(html, mentions);
        return note;
    }

    /// <param name="html">Already sanitized.</param>
    public void Change(string html, IEnumerable<Guid> mentions)
    {
        Html = html;
        Mentions = [.. mentions.Distinct()];
    }
}

internal sealed class NoteConfiguration : IEntityTypeConfiguration<Note>
{
    public void Configure(EntityTypeBuilder<Note> b)
    {
        b.ToTable("collaboration_notes");
        b.HasKey(n => new { n.WorkspaceId, n.Id });
        b.Property(n => n.Html).HasMaxLength(Note.HtmlMaxLength);
        b.PrimitiveCollection(n => n.Mentions);
        b.HasOne<Workspace>().WithMany().HasForeignKey(n => n.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Membership>().WithMany().HasForeignKey(n => new { n.WorkspaceId, n.AuthorId }).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(n => new { n.WorkspaceId, n.CreatedAt, n.Id });
        b.HasIndex(n => new { n.WorkspaceId, n.AuthorId });
    }
}
