using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SalesQuotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "address",
                table: "kernel_workspaces",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "logo",
                table: "kernel_workspaces",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "logo_content_type",
                table: "kernel_workspaces",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "sales_contracts",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    start_date = table.Column<DateOnly>(type: "date", nullable: false),
                    end_date = table.Column<DateOnly>(type: "date", nullable: false),
                    value = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    auto_renew = table.Column<bool>(type: "boolean", nullable: false),
                    reminder_days = table.Column<int>(type: "integer", nullable: true),
                    reminder_due_on = table.Column<DateOnly>(type: "date", nullable: true),
                    reminded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    renewals = table.Column<int>(type: "integer", nullable: false),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    team_id = table.Column<Guid>(type: "uuid", nullable: true),
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
                    table.PrimaryKey("pk_sales_contracts", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sales_contracts_kernel_memberships_workspace_id_owner_id",
                        columns: x => new { x.workspace_id, x.owner_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_contracts_kernel_teams_workspace_id_team_id",
                        columns: x => new { x.workspace_id, x.team_id },
                        principalTable: "kernel_teams",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_contracts_sales_deals_workspace_id_deal_id",
                        columns: x => new { x.workspace_id, x.deal_id },
                        principalTable: "sales_deals",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sales_orders",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    quote_id = table.Column<Guid>(type: "uuid", nullable: true),
                    number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    lines = table.Column<string>(type: "text", nullable: false),
                    subtotal = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    tax = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    total = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    fulfilled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    team_id = table.Column<Guid>(type: "uuid", nullable: true),
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
                    table.PrimaryKey("pk_sales_orders", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sales_orders_kernel_memberships_workspace_id_owner_id",
                        columns: x => new { x.workspace_id, x.owner_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_orders_kernel_teams_workspace_id_team_id",
                        columns: x => new { x.workspace_id, x.team_id },
                        principalTable: "kernel_teams",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_orders_sales_deals_workspace_id_deal_id",
                        columns: x => new { x.workspace_id, x.deal_id },
                        principalTable: "sales_deals",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sales_quotes",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    status = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    valid_until = table.Column<DateOnly>(type: "date", nullable: true),
                    price_book_id = table.Column<Guid>(type: "uuid", nullable: true),
                    notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    lines = table.Column<string>(type: "text", nullable: false),
                    subtotal = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    tax = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    total = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    revised_by_id = table.Column<Guid>(type: "uuid", nullable: true),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: true),
                    team_id = table.Column<Guid>(type: "uuid", nullable: true),
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
                    table.PrimaryKey("pk_sales_quotes", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_sales_quotes_kernel_memberships_workspace_id_owner_id",
                        columns: x => new { x.workspace_id, x.owner_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_quotes_kernel_teams_workspace_id_team_id",
                        columns: x => new { x.workspace_id, x.team_id },
                        principalTable: "kernel_teams",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sales_quotes_sales_deals_workspace_id_deal_id",
                        columns: x => new { x.workspace_id, x.deal_id },
                        principalTable: "sales_deals",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sales_contracts_workspace_id_created_at_id",
                table: "sales_contracts",
                columns: new[] { "workspace_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_contracts_workspace_id_deal_id",
                table: "sales_contracts",
                columns: new[] { "workspace_id", "deal_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_contracts_workspace_id_end_date",
                table: "sales_contracts",
                columns: new[] { "workspace_id", "end_date" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_contracts_workspace_id_order_id",
                table: "sales_contracts",
                columns: new[] { "workspace_id", "order_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_contracts_workspace_id_owner_id",
                table: "sales_contracts",
                columns: new[] { "workspace_id", "owner_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_contracts_workspace_id_reminder_due_on",
                table: "sales_contracts",
                columns: new[] { "workspace_id", "reminder_due_on" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_contracts_workspace_id_team_id",
                table: "sales_contracts",
                columns: new[] { "workspace_id", "team_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_orders_workspace_id_created_at_id",
                table: "sales_orders",
                columns: new[] { "workspace_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_orders_workspace_id_deal_id",
                table: "sales_orders",
                columns: new[] { "workspace_id", "deal_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_orders_workspace_id_number",
                table: "sales_orders",
                columns: new[] { "workspace_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sales_orders_workspace_id_owner_id",
                table: "sales_orders",
                columns: new[] { "workspace_id", "owner_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_orders_workspace_id_quote_id",
                table: "sales_orders",
                columns: new[] { "workspace_id", "quote_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_orders_workspace_id_team_id",
                table: "sales_orders",
                columns: new[] { "workspace_id", "team_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_quotes_workspace_id_created_at_id",
                table: "sales_quotes",
                columns: new[] { "workspace_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_quotes_workspace_id_deal_id",
                table: "sales_quotes",
                columns: new[] { "workspace_id", "deal_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_quotes_workspace_id_number_revision",
                table: "sales_quotes",
                columns: new[] { "workspace_id", "number", "revision" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sales_quotes_workspace_id_owner_id",
                table: "sales_quotes",
                columns: new[] { "workspace_id", "owner_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sales_quotes_workspace_id_team_id",
                table: "sales_quotes",
                columns: new[] { "workspace_id", "team_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sales_contracts");

            migrationBuilder.DropTable(
                name: "sales_orders");

            migrationBuilder.DropTable(
                name: "sales_quotes");

            migrationBuilder.DropColumn(
                name: "address",
                table: "kernel_workspaces");

            migrationBuilder.DropColumn(
                name: "logo",
                table: "kernel_workspaces");

            migrationBuilder.DropColumn(
                name: "logo_content_type",
                table: "kernel_workspaces");
        }
    }
}
