using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "kernel_search_entries",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    entity_type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    record_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    field = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_search_entries", x => x.seq);
                    table.ForeignKey(
                        name: "fk_kernel_search_entries_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_search_entries_workspace_id_entity_type_record_id_field",
                table: "kernel_search_entries",
                columns: new[] { "workspace_id", "entity_type", "record_id", "field" },
                unique: true);

            // --- Raw SQL (EF cannot express it; carry it over when regenerating this migration) ---
            // FTS5 index over kernel_search_entries.text (external content keyed by the seq rowid alias),
            // kept in step by triggers. The text is tokenized by the application (Rapport.Kernel.Search.SearchText).
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE kernel_search_fts USING fts5(
                    text, content='kernel_search_entries', content_rowid='seq',
                    tokenize='unicode61 remove_diacritics 2', prefix='2 3');
                CREATE TRIGGER kernel_search_entries_ai AFTER INSERT ON kernel_search_entries BEGIN
                    INSERT INTO kernel_search_fts(rowid, text) VALUES (new.seq, new.text);
                END;
                CREATE TRIGGER kernel_search_entries_ad AFTER DELETE ON kernel_search_entries BEGIN
                    INSERT INTO kernel_search_fts(kernel_search_fts, rowid, text) VALUES ('delete', old.seq, old.text);
                END;
                CREATE TRIGGER kernel_search_entries_au AFTER UPDATE ON kernel_search_entries BEGIN
                    INSERT INTO kernel_search_fts(kernel_search_fts, rowid, text) VALUES ('delete', old.seq, old.text);
                    INSERT INTO kernel_search_fts(rowid, text) VALUES (new.seq, new.text);
                END;
                """);
            // --- end of raw SQL ---
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS kernel_search_entries_ai;
                DROP TRIGGER IF EXISTS kernel_search_entries_ad;
                DROP TRIGGER IF EXISTS kernel_search_entries_au;
                DROP TABLE IF EXISTS kernel_search_fts;
                """);

            migrationBuilder.DropTable(
                name: "kernel_search_entries");
        }
    }
}
