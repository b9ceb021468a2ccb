using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rapport.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "identity_sign_in_attempts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    result = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identity_sign_in_attempts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "identity_users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    normalized_email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    failed_sign_ins = table.Column<int>(type: "INTEGER", nullable: false),
                    locked_until = table.Column<long>(type: "INTEGER", nullable: true),
                    security_stamp = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    two_factor_secret = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    pending_two_factor_secret = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    two_factor_enabled_at = table.Column<long>(type: "INTEGER", nullable: true),
                    two_factor_last_step = table.Column<long>(type: "INTEGER", nullable: false),
                    recovery_code_hashes = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identity_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "kernel_data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    friendly_name = table.Column<string>(type: "TEXT", nullable: true),
                    xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "kernel_mail_outbox",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    to = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    text_body = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_mail_outbox", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "kernel_workspaces",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    time_zone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    fiscal_year_start_month = table.Column<int>(type: "INTEGER", nullable: false),
                    base_currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    default_country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    languages = table.Column<string>(type: "TEXT", nullable: false),
                    require_two_factor = table.Column<bool>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_workspaces", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "identity_password_resets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    used_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identity_password_resets", x => x.id);
                    table.ForeignKey(
                        name: "fk_identity_password_resets_user_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "identity_invitations",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    normalized_email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    role_ids = table.Column<string>(type: "TEXT", nullable: false),
                    invited_by = table.Column<Guid>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    accepted_at = table.Column<long>(type: "INTEGER", nullable: true),
                    accepted_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identity_invitations", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_identity_invitations_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "identity_roles",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    built_in = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    is_administrator = table.Column<bool>(type: "INTEGER", nullable: false),
                    permissions = table.Column<string>(type: "TEXT", nullable: false),
                    fields = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identity_roles", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_identity_roles_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "kernel_audit_entries",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    entity_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    entity_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    changes = table.Column<string>(type: "TEXT", nullable: false),
                    trace_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_audit_entries", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_kernel_audit_entries_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "kernel_idempotency_records",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    request_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    committed = table.Column<bool>(type: "INTEGER", nullable: false),
                    completed = table.Column<bool>(type: "INTEGER", nullable: false),
                    status_code = table.Column<int>(type: "INTEGER", nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    location = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    e_tag = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    body = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_idempotency_records", x => new { x.workspace_id, x.user_id, x.key });
                    table.ForeignKey(
                        name: "fk_kernel_idempotency_records_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "kernel_memberships",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    joined_at = table.Column<long>(type: "INTEGER", nullable: false),
                    deactivated_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_memberships", x => new { x.workspace_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_kernel_memberships_user_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_kernel_memberships_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "kernel_teams",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_teams", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_kernel_teams_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "identity_access_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identity_access_tokens", x => x.id);
                    table.ForeignKey(
                        name: "fk_identity_access_tokens_kernel_memberships_workspace_id_user_id",
                        columns: x => new { x.workspace_id, x.user_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_identity_access_tokens_user_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "identity_api_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    scope = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    hint = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    key_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_used_at = table.Column<long>(type: "INTEGER", nullable: true),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identity_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "fk_identity_api_keys_kernel_memberships_workspace_id_user_id",
                        columns: x => new { x.workspace_id, x.user_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_identity_api_keys_user_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "identity_browser_sessions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_seen_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ended_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identity_browser_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_identity_browser_sessions_kernel_memberships_workspace_id_user_id",
                        columns: x => new { x.workspace_id, x.user_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_identity_browser_sessions_user_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "identity_membership_roles",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    role_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identity_membership_roles", x => new { x.workspace_id, x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "fk_identity_membership_roles_identity_roles_workspace_id_role_id",
                        columns: x => new { x.workspace_id, x.role_id },
                        principalTable: "identity_roles",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_identity_membership_roles_kernel_memberships_workspace_id_user_id",
                        columns: x => new { x.workspace_id, x.user_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "customers_companies",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    industry = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    phone = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    website = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    street = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    city = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    region = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    postal_code = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    owner_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    team_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    size = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    annual_revenue = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: true),
                    annual_revenue_currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    parent_company_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    lifecycle_stage = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
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
                    table.PrimaryKey("pk_customers_companies", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_customers_companies_customers_companies_workspace_id_parent_company_id",
                        columns: x => new { x.workspace_id, x.parent_company_id },
                        principalTable: "customers_companies",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_customers_companies_kernel_memberships_workspace_id_owner_id",
                        columns: x => new { x.workspace_id, x.owner_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_customers_companies_kernel_teams_workspace_id_team_id",
                        columns: x => new { x.workspace_id, x.team_id },
                        principalTable: "kernel_teams",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_customers_companies_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "kernel_record_shares",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    entity_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    record_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    team_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    access = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    shared_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    shared_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_record_shares", x => new { x.workspace_id, x.id });
                    table.CheckConstraint("ck_kernel_record_shares_one_grantee", "(user_id IS NULL) <> (team_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_kernel_record_shares_kernel_memberships_workspace_id_user_id",
                        columns: x => new { x.workspace_id, x.user_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_kernel_record_shares_kernel_teams_workspace_id_team_id",
                        columns: x => new { x.workspace_id, x.team_id },
                        principalTable: "kernel_teams",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "kernel_team_members",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    team_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kernel_team_members", x => new { x.workspace_id, x.team_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_kernel_team_members_kernel_memberships_workspace_id_user_id",
                        columns: x => new { x.workspace_id, x.user_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_kernel_team_members_kernel_teams_workspace_id_team_id",
                        columns: x => new { x.workspace_id, x.team_id },
                        principalTable: "kernel_teams",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "customers_contacts",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    first_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    last_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    emails = table.Column<string>(type: "TEXT", nullable: false),
                    phones = table.Column<string>(type: "TEXT", nullable: false),
                    phones_as_typed = table.Column<string>(type: "TEXT", nullable: false),
                    job_title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    birthday = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    company_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    owner_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    team_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    lifecycle_stage = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    source = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    preferred_language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
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
                    table.PrimaryKey("pk_customers_contacts", x => new { x.workspace_id, x.id });
                    table.ForeignKey(
                        name: "fk_customers_contacts_customers_companies_workspace_id_company_id",
                        columns: x => new { x.workspace_id, x.company_id },
                        principalTable: "customers_companies",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_customers_contacts_kernel_memberships_workspace_id_owner_id",
                        columns: x => new { x.workspace_id, x.owner_id },
                        principalTable: "kernel_memberships",
                        principalColumns: new[] { "workspace_id", "user_id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_customers_contacts_kernel_teams_workspace_id_team_id",
                        columns: x => new { x.workspace_id, x.team_id },
                        principalTable: "kernel_teams",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_customers_contacts_kernel_workspaces_workspace_id",
                        column: x => x.workspace_id,
                        principalTable: "kernel_workspaces",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "customers_contact_companies",
                columns: table => new
                {
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    contact_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    company_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customers_contact_companies", x => new { x.workspace_id, x.contact_id, x.company_id });
                    table.ForeignKey(
                        name: "fk_customers_contact_companies_customers_companies_workspace_id_company_id",
                        columns: x => new { x.workspace_id, x.company_id },
                        principalTable: "customers_companies",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_customers_contact_companies_customers_contacts_workspace_id_contact_id",
                        columns: x => new { x.workspace_id, x.contact_id },
                        principalTable: "customers_contacts",
                        principalColumns: new[] { "workspace_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_customers_companies_workspace_id_created_at_id",
                table: "customers_companies",
                columns: new[] { "workspace_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_companies_workspace_id_deleted_at",
                table: "customers_companies",
                columns: new[] { "workspace_id", "deleted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_companies_workspace_id_domain",
                table: "customers_companies",
                columns: new[] { "workspace_id", "domain" },
                unique: true,
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_customers_companies_workspace_id_name_id",
                table: "customers_companies",
                columns: new[] { "workspace_id", "name", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_companies_workspace_id_owner_id",
                table: "customers_companies",
                columns: new[] { "workspace_id", "owner_id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_companies_workspace_id_parent_company_id",
                table: "customers_companies",
                columns: new[] { "workspace_id", "parent_company_id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_companies_workspace_id_team_id",
                table: "customers_companies",
                columns: new[] { "workspace_id", "team_id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_contact_companies_workspace_id_company_id",
                table: "customers_contact_companies",
                columns: new[] { "workspace_id", "company_id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_contacts_workspace_id_company_id",
                table: "customers_contacts",
                columns: new[] { "workspace_id", "company_id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_contacts_workspace_id_created_at_id",
                table: "customers_contacts",
                columns: new[] { "workspace_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_contacts_workspace_id_last_name_first_name_id",
                table: "customers_contacts",
                columns: new[] { "workspace_id", "last_name", "first_name", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_contacts_workspace_id_owner_id",
                table: "customers_contacts",
                columns: new[] { "workspace_id", "owner_id" });

            migrationBuilder.CreateIndex(
                name: "ix_customers_contacts_workspace_id_team_id",
                table: "customers_contacts",
                columns: new[] { "workspace_id", "team_id" });

            migrationBuilder.CreateIndex(
                name: "ix_identity_access_tokens_token_hash",
                table: "identity_access_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_identity_access_tokens_user_id",
                table: "identity_access_tokens",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_identity_access_tokens_workspace_id_user_id",
                table: "identity_access_tokens",
                columns: new[] { "workspace_id", "user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_identity_api_keys_key_hash",
                table: "identity_api_keys",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_identity_api_keys_user_id",
                table: "identity_api_keys",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_identity_api_keys_workspace_id_user_id",
                table: "identity_api_keys",
                columns: new[] { "workspace_id", "user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_identity_browser_sessions_user_id_workspace_id",
                table: "identity_browser_sessions",
                columns: new[] { "user_id", "workspace_id" });

            migrationBuilder.CreateIndex(
                name: "ix_identity_browser_sessions_workspace_id_user_id",
                table: "identity_browser_sessions",
                columns: new[] { "workspace_id", "user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_identity_invitations_token_hash",
                table: "identity_invitations",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_identity_invitations_workspace_id_created_at",
                table: "identity_invitations",
                columns: new[] { "workspace_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_identity_membership_roles_workspace_id_role_id",
                table: "identity_membership_roles",
                columns: new[] { "workspace_id", "role_id" });

            migrationBuilder.CreateIndex(
                name: "ix_identity_password_resets_token_hash",
                table: "identity_password_resets",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_identity_password_resets_user_id_expires_at",
                table: "identity_password_resets",
                columns: new[] { "user_id", "expires_at" });

            migrationBuilder.CreateIndex(
                name: "ix_identity_roles_workspace_id_name",
                table: "identity_roles",
                columns: new[] { "workspace_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_identity_sign_in_attempts_user_id_at",
                table: "identity_sign_in_attempts",
                columns: new[] { "user_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_identity_sign_in_attempts_workspace_id_at",
                table: "identity_sign_in_attempts",
                columns: new[] { "workspace_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_identity_users_normalized_email",
                table: "identity_users",
                column: "normalized_email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_kernel_audit_entries_workspace_id_at",
                table: "kernel_audit_entries",
                columns: new[] { "workspace_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_audit_entries_workspace_id_entity_type_entity_id_at",
                table: "kernel_audit_entries",
                columns: new[] { "workspace_id", "entity_type", "entity_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_idempotency_records_workspace_id_created_at",
                table: "kernel_idempotency_records",
                columns: new[] { "workspace_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_mail_outbox_sent_at_next_attempt_at",
                table: "kernel_mail_outbox",
                columns: new[] { "sent_at", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_memberships_user_id",
                table: "kernel_memberships",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_kernel_record_shares_workspace_id_entity_type_record_id",
                table: "kernel_record_shares",
                columns: new[] { "workspace_id", "entity_type", "record_id" });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_record_shares_workspace_id_team_id",
                table: "kernel_record_shares",
                columns: new[] { "workspace_id", "team_id" });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_record_shares_workspace_id_user_id",
                table: "kernel_record_shares",
                columns: new[] { "workspace_id", "user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_team_members_workspace_id_user_id",
                table: "kernel_team_members",
                columns: new[] { "workspace_id", "user_id" });

            migrationBuilder.CreateIndex(
                name: "ix_kernel_teams_workspace_id_name",
                table: "kernel_teams",
                columns: new[] { "workspace_id", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customers_contact_companies");

            migrationBuilder.DropTable(
                name: "identity_access_tokens");

            migrationBuilder.DropTable(
                name: "identity_api_keys");

            migrationBuilder.DropTable(
                name: "identity_browser_sessions");

            migrationBuilder.DropTable(
                name: "identity_invitations");

            migrationBuilder.DropTable(
                name: "identity_membership_roles");

            migrationBuilder.DropTable(
                name: "identity_password_resets");

            migrationBuilder.DropTable(
                name: "identity_sign_in_attempts");

            migrationBuilder.DropTable(
                name: "kernel_audit_entries");

            migrationBuilder.DropTable(
                name: "kernel_data_protection_keys");

            migrationBuilder.DropTable(
                name: "kernel_idempotency_records");

            migrationBuilder.DropTable(
                name: "kernel_mail_outbox");

            migrationBuilder.DropTable(
                name: "kernel_record_shares");

            migrationBuilder.DropTable(
                name: "kernel_team_members");

            migrationBuilder.DropTable(
                name: "customers_contacts");

            migrationBuilder.DropTable(
                name: "identity_roles");

            migrationBuilder.DropTable(
                name: "customers_companies");

            migrationBuilder.DropTable(
                name: "kernel_memberships");

            migrationBuilder.DropTable(
                name: "kernel_teams");

            migrationBuilder.DropTable(
                name: "identity_users");

            migrationBuilder.DropTable(
                name: "kernel_workspaces");
        }
    }
}
