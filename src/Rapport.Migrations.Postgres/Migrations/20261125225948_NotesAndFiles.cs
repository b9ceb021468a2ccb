using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class NotesAndFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "collaboration_activity_links",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    activity_id = table.Column<Guid>(type: "uuid", nullable: false),
                    activity_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    entity_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    record_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_collaboration_activity_links", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_collaboration_activity_links_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "collaboration_files",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    content_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    storage_name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    uploaded_by = table.Column<Guid>(type: "uuid", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<Guid>(type: "uuid", nullable: true),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    deleted_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_collaboration_files", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_collaboration_files_kernel_memberships_workspace_id_uploade",
                        columns: x => new { x.workspace_id, x.uploaded_by },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_collaboration_files_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "collaboration_notes",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    html = table.Column<string>(type: "character varying(50000)", maxLength: 50000, nullable: false),
                    author_id = table.Column<Guid>(type: "uuid", nullable: true),
                    mentions = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<Guid>(type: "uuid", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<Guid>(type: "uuid", nullable: true),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    deleted_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_collaboration_notes", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_collaboration_notes_kernel_memberships_workspace_id_author_",
                        columns: x => new { x.workspace_id, x.author_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_collaboration_notes_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_collaboration_activity_links_workspace_id_activity_id_entit",
                table: "collaboration_activity_links",
                columns: new[] { "workspace_id", "activity_id", "entity_type", "record_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_collaboration_activity_links_workspace_id_entity_type_recor",
                table: "collaboration_activity_links",
                columns: new[] { "workspace_id", "entity_type", "record_id", "activity_type" });

            migrationBuilder.CreateIndex(
                name: "ix_collaboration_files_workspace_id_created_at_id",
                table: "collaboration_files",
                columns: new[] { "workspace_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_collaboration_files_workspace_id_uploaded_by",
                table: "collaboration_files",
                columns: new[] { "workspace_id", "uploaded_by" });

            migrationBuilder.CreateIndex(
                name: "ix_collaboration_notes_workspace_id_author_id",
                table: "collaboration_notes",
                columns: new[] { "workspace_id", "author_id" });

            migrationBuilder.CreateIndex(
                name: "ix_collaboration_notes_workspace_id_created_at_id",
                table: "collaboration_notes",
                columns: new[] { "workspace_id", "created_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "collaboration_activity_links");

            migrationBuilder.DropTable(
                name: "collaboration_files");

            migrationBuilder.DropTable(
                name: "collaboration_notes");
        }
    }
}
