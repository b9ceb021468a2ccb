using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SalesDeals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sales_pipelines",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    name_zh = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false),
                    lost_reasons = table.Column<string>(type: "text", nullable: false, defaultValueSql: "'[]'"),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sales_pipelines", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sales_pipelines_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sales_pipeline_stages",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    pipeline_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    label_zh = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false),
                    probability = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    required_fields = table.Column<List<string>>(type: "text[]", nullable: false),
                    retired_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sales_pipeline_stages", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sales_pipeline_stages_sales_pipelines_workspace_id_pipeline",
                        columns: x => new { x.workspace_id, x.pipeline_id },
                        principalTable: "sales_pipelines",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sales_deals",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    amount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    close_date = table.Column<DateOnly>(type: "date", nullable: true),
                    pipeline_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stage_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    stage_entered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lost_reason = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    company_id = table.Column<Guid>(type: "uuid", nullable: true),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    team_id = table.Column<Guid>(type: "uuid", nullable: true),
                    next_step = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    competitors = table.Column<List<string>>(type: "text[]", nullable: false),
                    custom_fields = table.Column<string>(type: "jsonb", nullable: false),
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
                    table.PrimaryKey("pk_sales_deals", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sales_deals_kernel_memberships_workspace_id_owner_id",
                        columns: x => new { x.workspace_id, x.owner_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_deals_kernel_teams_workspace_id_team_id",
                        columns: x => new { x.workspace_id, x.team_id },
                        principalTable: "kernel_teams",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_deals_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_deals_sales_pipeline_stages_workspace_id_stage_id",
                        columns: x => new { x.workspace_id, x.stage_id },
                        principalTable: "sales_pipeline_stages",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_deals_sales_pipelines_workspace_id_pipeline_id",
                        columns: x => new { x.workspace_id, x.pipeline_id },
                        principalTable: "sales_pipelines",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sales_deal_contacts",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sales_deal_contacts", x => new { x.workspace_id, x.deal_id, x.contact_id });
                    table.ForeignKey(
                        name: "fk_sales_deal_contacts_sales_deals_workspace_id_deal_id",
                        columns: x => new { x.workspace_id, x.deal_id },
                        principalTable: "sales_deals",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sales_deal_stage_history",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    stage_id = table.Column<Guid>(type: "uuid", nullable: false),
                    entered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    left_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    entered_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sales_deal_stage_history", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sales_deal_stage_history_sales_deals_workspace_id_deal_id",
                        columns: x => new { x.workspace_id, x.deal_id },
                        principalTable: "sales_deals",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_sales_deal_stage_history_sales_pipeline_stages_workspace_id",
                        columns: x => new { x.workspace_id, x.stage_id },
                        principalTable: "sales_pipeline_stages",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deal_contacts_workspace_id_contact_id",
                table: "sales_deal_contacts",
                columns: new[] { "workspace_id", "contact_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deal_stage_history_workspace_id_deal_id_entered_at",
                table: "sales_deal_stage_history",
                columns: new[] { "workspace_id", "deal_id", "entered_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deal_stage_history_workspace_id_stage_id",
                table: "sales_deal_stage_history",
                columns: new[] { "workspace_id", "stage_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deals_workspace_id_close_date",
                table: "sales_deals",
                columns: new[] { "workspace_id", "close_date" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deals_workspace_id_company_id",
                table: "sales_deals",
                columns: new[] { "workspace_id", "company_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deals_workspace_id_created_at_id",
                table: "sales_deals",
                columns: new[] { "workspace_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deals_workspace_id_deleted_at",
                table: "sales_deals",
                columns: new[] { "workspace_id", "deleted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deals_workspace_id_name_id",
                table: "sales_deals",
                columns: new[] { "workspace_id", "name", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deals_workspace_id_owner_id",
                table: "sales_deals",
                columns: new[] { "workspace_id", "owner_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deals_workspace_id_pipeline_id_stage_id",
                table: "sales_deals",
                columns: new[] { "workspace_id", "pipeline_id", "stage_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deals_workspace_id_stage_id",
                table: "sales_deals",
                columns: new[] { "workspace_id", "stage_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_deals_workspace_id_team_id",
                table: "sales_deals",
                columns: new[] { "workspace_id", "team_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_pipeline_stages_workspace_id_pipeline_id_position",
                table: "sales_pipeline_stages",
                columns: new[] { "workspace_id", "pipeline_id", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_pipelines_workspace_id_position",
                table: "sales_pipelines",
                columns: new[] { "workspace_id", "position" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sales_deal_contacts");

            migrationBuilder.DropTable(
                name: "sales_deal_stage_history");

            migrationBuilder.DropTable(
                name: "sales_deals");

            migrationBuilder.DropTable(
                name: "sales_pipeline_stages");

            migrationBuilder.DropTable(
                name: "sales_pipelines");
        }
    }
}
