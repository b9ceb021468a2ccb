using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DuplicatesAndMerge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "merged_into_id",
                table: "customers_contacts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "merged_into_id",
                table: "customers_companies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "name_key",
                table: "customers_companies",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "customers_contact_duplicate_keys",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    contact_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customers_contact_duplicate_keys", x => new { x.workspace_id, x.contact_id, x.key });
                    table.ForeignKey(
                        name: "fk_customers_contact_duplicate_keys_customers_contacts_workspace_id_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "customers_contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "customers_duplicate_dismissals",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    entity_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    first_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    second_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    dismissed_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    dismissed_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customers_duplicate_dismissals", x => new { x.workspace_id, x.id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_customers_companies_workspace_id_name_key_id",
                table: "customers_companies",
                columns: new[] { "workspace_id", "name_key", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_contact_duplicate_keys_workspace_id_key_contact_id",
                table: "customers_contact_duplicate_keys",
                columns: new[] { "workspace_id", "key", "contact_id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_duplicate_dismissals_workspace_id_entity_type_first_id_second_id",
                table: "customers_duplicate_dismissals",
                columns: new[] { "workspace_id", "entity_type", "first_id", "second_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customers_contact_duplicate_keys");

            migrationBuilder.DropTable(
                name: "customers_duplicate_dismissals");

            migrationBuilder.DropIndex(
                name: "ix_customers_companies_workspace_id_name_key_id",
                table: "customers_companies");

            migrationBuilder.DropColumn(
                name: "merged_into_id",
                table: "customers_contacts");

            migrationBuilder.DropColumn(
                name: "merged_into_id",
                table: "customers_companies");

            migrationBuilder.DropColumn(
                name: "name_key",
                table: "customers_companies");
        }
    }
}
