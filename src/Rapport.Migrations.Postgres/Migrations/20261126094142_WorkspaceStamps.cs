using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class WorkspaceStamps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "kernel_workspace_stamps",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    value = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_workspace_stamps", x => x.workspace_id);
                    table.ForeignKey(
                        name: "fk_kernel_workspace_stamps_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Workspaces made before stamps existed get one (any value will do; the workspace's own id is at hand).
            migrationBuilder.Sql("INSERT INTO kernel_workspace_stamps (workspace_id, value) SELECT id, id FROM kernel_workspaces;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "kernel_workspace_stamps");
        }
    }
}
