using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SalesLeads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sales_lead_assignment_rules",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    filter = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    team_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    max_open_leads = table.Column<int>(type: "INTEGER", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sales_lead_assignment_rules", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sales_lead_assignment_rules_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sales_lead_scoring_rules",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    filter = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    points = table.Column<int>(type: "INTEGER", nullable: false),
                    decay_percent = table.Column<int>(type: "INTEGER", nullable: true),
                    decay_every_days = table.Column<int>(type: "INTEGER", nullable: true),
                    decay_from = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sales_lead_scoring_rules", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sales_lead_scoring_rules_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sales_leads",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    first_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    last_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    company_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    emails = table.Column<string>(type: "TEXT", nullable: false),
                    phones = table.Column<string>(type: "TEXT", nullable: false),
                    job_title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    website = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    rating = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    industry = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    size = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    territory = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    owner_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    team_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    score = table.Column<int>(type: "INTEGER", nullable: false),
                    assigned_by_rule_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    custom_fields = table.Column<string>(type: "TEXT", nullable: false),
                    converted_contact_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    converted_company_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    converted_deal_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    contact_created = table.Column<bool>(type: "INTEGER", nullable: false),
                    company_created = table.Column<bool>(type: "INTEGER", nullable: false),
                    deal_created = table.Column<bool>(type: "INTEGER", nullable: false),
                    converted_at = table.Column<long>(type: "INTEGER", nullable: true),
                    converted_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    status_before_conversion = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    deleted_at = table.Column<long>(type: "INTEGER", nullable: true),
                    deleted_by = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sales_leads", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sales_leads_kernel_memberships_workspace_id_owner_id",
                        columns: x => new { x.workspace_id, x.owner_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_leads_kernel_teams_workspace_id_team_id",
                        columns: x => new { x.workspace_id, x.team_id },
                        principalTable: "kernel_teams",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_leads_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sales_lead_assignment_rules_workspace_id_position",
                table: "sales_lead_assignment_rules",
                columns: new[] { "workspace_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_leads_workspace_id_assigned_by_rule_id_owner_id",
                table: "sales_leads",
                columns: new[] { "workspace_id", "assigned_by_rule_id", "owner_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_leads_workspace_id_converted_company_id",
                table: "sales_leads",
                columns: new[] { "workspace_id", "converted_company_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_leads_workspace_id_converted_contact_id",
                table: "sales_leads",
                columns: new[] { "workspace_id", "converted_contact_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_leads_workspace_id_created_at_id",
                table: "sales_leads",
                columns: new[] { "workspace_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_leads_workspace_id_deleted_at",
                table: "sales_leads",
                columns: new[] { "workspace_id", "deleted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_leads_workspace_id_last_name_id",
                table: "sales_leads",
                columns: new[] { "workspace_id", "last_name", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_leads_workspace_id_owner_id_status",
                table: "sales_leads",
                columns: new[] { "workspace_id", "owner_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_leads_workspace_id_score_id",
                table: "sales_leads",
                columns: new[] { "workspace_id", "score", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_leads_workspace_id_status",
                table: "sales_leads",
                columns: new[] { "workspace_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_leads_workspace_id_team_id",
                table: "sales_leads",
                columns: new[] { "workspace_id", "team_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sales_lead_assignment_rules");

            migrationBuilder.DropTable(
                name: "sales_lead_scoring_rules");

            migrationBuilder.DropTable(
                name: "sales_leads");
        }
    }
}
