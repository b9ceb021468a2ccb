using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SavedViewsAndCapabilities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "capabilities",
                table: "identity_roles",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                defaultValueSql: "'[]'");

            migrationBuilder.CreateTable(
                name: "kernel_saved_views",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    entity_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    shared = table.Column<bool>(type: "boolean", nullable: false),
                    filter = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    filter_version = table.Column<int>(type: "integer", nullable: false),
                    sort = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    columns = table.Column<List<string>>(type: "text[]", nullable: false),
                    layout = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    group_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_saved_views", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_kernel_saved_views_kernel_memberships_workspace_id_owner_id",
                        columns: x => new { x.workspace_id, x.owner_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_kernel_saved_views_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_saved_views_workspace_id_entity_type_owner_id_name",
                table: "kernel_saved_views",
                columns: new[] { "workspace_id", "entity_type", "owner_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_kernel_saved_views_workspace_id_entity_type_shared",
                table: "kernel_saved_views",
                columns: new[] { "workspace_id", "entity_type", "shared" });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_saved_views_workspace_id_owner_id",
                table: "kernel_saved_views",
                columns: new[] { "workspace_id", "owner_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "kernel_saved_views");

            migrationBuilder.DropColumn(
                name: "capabilities",
                table: "identity_roles");
        }
    }
}
