using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CompanyNameLowerIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // EF Core cannot model an index on an expression: imports match a company named in a row by lower(name)
            // (ContactImport, CompanyImport), and this lets each batch seek those names instead of reading every company.
            migrationBuilder.Sql("CREATE INDEX ix_customers_companies_workspace_id_lower_name ON customers_companies (workspace_id, lower(name));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_customers_companies_workspace_id_lower_name;");
        }
    }
}
