using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Rapport.Kernel.Audit;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Idempotency;
using Rapport.Kernel.Search;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.Data;

/// <summary>
/// The one database context. On every save it stamps the workspace, authors, timestamps and
/// version, refuses cross-workspace writes, and writes field-level audit rows in the same
/// transaction, as it rewrites the search index rows of the records it saves. Every workspace-owned
/// entity is filtered to the current workspace.
/// </summary>
public sealed class RapportDbContext(
    DbContextOptions<RapportDbContext> options, ICurrentUser currentUser, TimeProvider clock, IdempotencyClaim? idempotency = null,
    SearchCatalog? search = null, ConfigurationCache? configuration = null)
    : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>Name of the query filter keeping each workspace's rows to itself.</summary>
    public const string TenantFilter = "Tenant";
    /// <summary>Name of the query filter hiding records in the trash; ignore it to list the trash.</summary>
    public const string TrashFilter = "Trash";

    private static readonly HashSet<string> SystemProperties =
        ["WorkspaceId", "Id", "Version", "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy", "DeletedAt", "DeletedBy"];

    private static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The workspace this context reads and writes (the current user's).</summary>
    public Guid? WorkspaceId => currentUser.WorkspaceId;

    /// <summary>Read by the tenant query filter at query time; no workspace means no rows.</summary>
    private Guid CurrentWorkspaceId => currentUser.WorkspaceId ?? Guid.Empty;

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    private readonly Dictionary<string, object> _remembered = [];

    /// <summary>
    /// Reads settings a unit of work (a request, an import batch) needs again and again — the workspace's defaults, an
    /// entity's custom fields — once per context; forgotten as soon as this context saves a workspace or a custom field.
    /// </summary>
    public async Task<T> RememberAsync<T>(string key, Func<Task<T>> load) where T : class
    {
        if (_remembered.TryGetValue(key, out var known))
        {
            return (T)known;
        }

        var value = await load();
        _remembered[key] = value;
        return value;
    }

    private readonly HashSet<(Type, Guid)> _known = [];

    /// <summary>
    /// Whether this unit of work has already seen a <typeparamref name="T"/> with this id in the workspace (read, or added
    /// to be saved with it): rules that only need a referenced row to exist ask the database once per context.
    /// </summary>
    public bool IsKnown<T>(Guid id) => _known.Contains((typeof(T), id));

    public void Know<T>(Guid id) => _known.Add((typeof(T), id));

    /// <summary>Whether a <typeparamref name="T"/> with this id exists, asked through <paramref name="exists"/> only the first time it is (in this context).</summary>
    public async Task<bool> KnownAsync<T>(Guid id, Func<Task<bool>> exists)
    {
        if (IsKnown<T>(id))
        {
            return true;
        }

        if (!await exists())
        {
            return false;
        }

        Know<T>(id);
        return true;
    }

    /// <summary>The current workspace's default country (for phone numbers), languages and stamp, remembered for this context.</summary>
    public Task<WorkspaceDefaults> WorkspaceDefaultsAsync(CancellationToken ct) =>
        RememberAsync("workspace", () => Workspaces.Where(w => w.Id == WorkspaceId)
            .Select(w => new WorkspaceDefaults(w.DefaultCountry, w.Languages,
                Set<WorkspaceStamp>().Where(s => s.WorkspaceId == w.Id).Select(s => s.Value).FirstOrDefault()))
            .SingleAsync(ct));

    /// <summary>
    /// Hands this context the workspace's defaults read by another statement (sign-in reads them with the token), so the
    /// request does not read them again.
    /// </summary>
    public void KnowWorkspaceDefaults(WorkspaceDefaults defaults) => _remembered["workspace"] = defaults;

    /// <summary>
    /// Like <see cref="RememberAsync{T}"/>, for a value derived from the workspace's configuration only (grants, custom
    /// field definitions): shared across requests under the workspace's <see cref="WorkspaceStamp"/>, so it is read from
    /// the database again only after the configuration changed.
    /// </summary>
    public Task<T> RememberConfigurationAsync<T>(string key, Func<Task<T>> load, CancellationToken ct) where T : class =>
        RememberAsync(key, async () => configuration is null || WorkspaceId is not { } workspaceId
            ? await load()
            : await configuration.GetOrLoadAsync(workspaceId, (await WorkspaceDefaultsAsync(ct)).Stamp, key, load));

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<decimal>().HavePrecision(18, Money.StoredDecimals);
        if (IsSqlite)
        {
            // SQLite cannot compare or order DateTimeOffset: store instants as UTC ticks.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RapportDbContext).Assembly);
        modelBuilder.Entity<DataProtectionKey>().ToTable("kernel_data_protection_keys");
        CustomFieldSql.Register(modelBuilder, IsSqlite);
        SearchEntryConfiguration.Configure(modelBuilder.Entity<SearchEntry>(), IsSqlite);
        if (!IsSqlite)
        {
            modelBuilder.HasPostgresExtension("btree_gin"); // GIN indexes led by the workspace id (search)
        }

        var applyTenant = GetType().GetMethod(nameof(ApplyTenantFilter), BindingFlags.NonPublic | BindingFlags.Instance)!;
        var applyTrash = GetType().GetMethod(nameof(ApplyTrashFilter), BindingFlags.NonPublic | BindingFlags.Static)!;
        foreach (var type in modelBuilder.Model.GetEntityTypes().Where(t => !t.IsOwned()).Select(t => t.ClrType).ToList())
        {
            if (typeof(IWorkspaceOwned).IsAssignableFrom(type))
            {
                applyTenant.MakeGenericMethod(type).Invoke(this, [modelBuilder]);
            }

            if (typeof(BusinessRecord).IsAssignableFrom(type))
            {
                applyTrash.MakeGenericMethod(type).Invoke(null, [modelBuilder]);
            }

            if (typeof(IHasCustomFields).IsAssignableFrom(type))
            {
                modelBuilder.Entity(type).Property<string>(nameof(IHasCustomFields.CustomFields))
                    .HasColumnName(CustomFieldSql.Column).HasColumnType(IsSqlite ? "TEXT" : "jsonb").IsRequired();
            }
        }
    }

    private void ApplyTenantFilter<T>(ModelBuilder modelBuilder) where T : class =>
        modelBuilder.Entity<T>().HasQueryFilter(TenantFilter, e => EF.Property<Guid>(e, nameof(IWorkspaceOwned.WorkspaceId)) == CurrentWorkspaceId);

    private static void ApplyTrashFilter<T>(ModelBuilder modelBuilder) where T : BusinessRecord
    {
        modelBuilder.Entity<T>().HasQueryFilter(TrashFilter, e => e.DeletedAt == null);
        modelBuilder.Entity<T>().Property(e => e.Version).IsConcurrencyToken();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        // Synchronous all the way down when async is false, so this does not block on anything.
        var claimed = PrepareForSaveAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch when (claimed)
        {
            idempotency!.Release();
            throw;
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var claimed = await PrepareForSaveAsync(async: true, cancellationToken);
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch when (claimed)
        {
            // Rolled back: a later save of the same request (a batch's next try) must mark the key committed again.
            idempotency!.Release();
            throw;
        }
    }

    /// <summary>
    /// Saves as <see cref="SaveChangesAsync(bool, CancellationToken)"/> does — stamps, audit rows, search index — but when
    /// the context holds only added rows, writes them in bulk (<see cref="BulkInsert"/>: COPY on PostgreSQL); for a batch of
    /// many new records. Runs in the caller's transaction, and leaves the context empty.
    /// </summary>
    public async Task SaveAddedInBulkAsync(CancellationToken ct)
    {
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Bulk saves run in the caller's transaction.");
        }

        var claimed = await PrepareForSaveAsync(async: true, ct);
        try
        {
            await SaveTrackedInBulkAsync(ct);
            await PrepareUntrackedAsync(ct);
            if (_preparedUntracked.Count > 0)
            {
                _tablesWrittenInBulk.UnionWith(await BulkInsert.WriteUntrackedAsync(this, _preparedUntracked, ct));
            }
        }
        catch when (claimed)
        {
            idempotency!.Release();
            throw;
        }
        finally
        {
            _untracked.Clear();
            _preparedUntracked.Clear();
        }
    }

    /// <summary>
    /// Stamps the records added untracked so far and builds their audit and search rows — the work of the next
    /// <see cref="SaveAddedInBulkAsync"/> that needs no database — so it can be done before the transaction that writes them.
    /// </summary>
    public async Task PrepareUntrackedAsync(CancellationToken ct)
    {
        foreach (var (type, rows) in await StampUntrackedAsync(ct))
        {
            if (_preparedUntracked.TryGetValue(type, out var earlier))
            {
                earlier.AddRange(rows);
            }
            else
            {
                _preparedUntracked[type] = rows;
            }
        }

        _untracked.Clear();
    }

    private readonly Dictionary<IEntityType, List<object>> _preparedUntracked = [];

    /// <summary>The tracked changes of a bulk save (prepared): added rows in bulk when they are all there is, else a plain save.</summary>
    private async Task SaveTrackedInBulkAsync(CancellationToken ct)
    {
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false; // the prepare just detected them
        var entries = ChangeTracker.Entries().ToList();
        ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        var added = entries.Where(e => e.State == EntityState.Added).ToList();
        if (entries.Any(e => e.State is EntityState.Modified or EntityState.Deleted) || !BulkInsert.CanWrite(added))
        {
            await base.SaveChangesAsync(true, ct);
        }
        else
        {
            _tablesWrittenInBulk.UnionWith(await BulkInsert.WriteAsync(this, added, ct));
        }

        ChangeTracker.Clear();
    }

    private readonly HashSet<string> _tablesWrittenInBulk = [];

    /// <summary>The tables (quoted names) this context's bulk saves have written rows to.</summary>
    public IReadOnlyCollection<string> TablesWrittenInBulk => _tablesWrittenInBulk;

    private readonly List<object> _untracked = [];

    /// <summary>Per entity type: whether its rows can be written without the change tracker (see <see cref="AddUntracked"/>).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, bool> WritableUntracked = new();

    /// <summary>
    /// Adds a new record — with the rows it owns, the items of its collections — to be written by the next
    /// <see cref="SaveAddedInBulkAsync"/> without entering the change tracker: stamped, audited and indexed for search as a
    /// tracked add is, then loaded in bulk after the tracked rows. For many new records at once (an import batch); their
    /// dependents must already carry their keys (built by the record itself), and nothing may change them until the save.
    /// </summary>
    public void AddUntracked(object record)
    {
        var type = Model.FindEntityType(record.GetType()) ?? throw new InvalidOperationException($"{record.GetType().Name} is not an entity.");
        if (!CanWriteUntracked(type))
        {
            throw new InvalidOperationException($"{type.DisplayName()} cannot be written without the change tracker.");
        }

        _untracked.Add(record);
    }

    private static bool CanWriteUntracked(IEntityType type) => WritableUntracked.GetOrAdd(type, t =>
        BulkInsert.CanWriteUntracked(t) && !typeof(IWorkspaceConfiguration).IsAssignableFrom(t.ClrType) && !t.GetSkipNavigations().Any()
        && t.GetNavigations().Where(n => !n.IsOnDependent).All(n => CanWriteUntracked(n.TargetEntityType)));

    /// <summary>The untracked records and their dependents by entity type, stamped, with their audit and search rows: what <see cref="PrepareDetectedAsync"/> does for tracked adds.</summary>
    private async Task<Dictionary<IEntityType, List<object>>> StampUntrackedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var userId = currentUser.UserId;
        var workspaceId = currentUser.WorkspaceId ?? throw new InvalidOperationException("No current workspace to save a row into.");
        var traceId = Activity.Current?.TraceId.ToHexString();
        var auditType = Model.FindEntityType(typeof(AuditEntry))!;
        var searchType = Model.FindEntityType(typeof(SearchEntry))!;
        var rows = new Dictionary<IEntityType, List<object>>();
        void Add(IEntityType type, object row)
        {
            if (!rows.TryGetValue(type, out var list))
            {
                rows[type] = list = [];
            }

            list.Add(row);
        }

        async Task CollectAsync(IEntityType type, object entity)
        {
            if (entity is IWorkspaceOwned owned && owned.WorkspaceId != workspaceId)
            {
                if (owned.WorkspaceId != Guid.Empty || entity is not WorkspaceEntity unstamped)
                {
                    throw new InvalidOperationException("A row of another workspace cannot be written.");
                }

                unstamped.StampWorkspace(workspaceId);
            }

            Add(type, entity);
            if (entity is BusinessRecord record)
            {
                record.StampCreated(now, userId);
                if (AuditedAdded(type, entity) is { } changes)
                {
                    var audit = AuditEntry.Create(now, userId, AuditActions.Create, EntityName(type.ClrType), record.Id, changes, traceId);
                    audit.StampWorkspace(workspaceId);
                    Add(auditType, audit);
                }

                if (search?.For(type.ClrType) is { } source)
                {
                    var country = source.NeedsCountry(record) ? (await WorkspaceDefaultsAsync(ct)).DefaultCountry : null;
                    foreach (var (field, text) in source.Texts(record, country))
                    {
                        Add(searchType, new SearchEntry(workspaceId, source.EntityType, record.Id, field, text));
                    }
                }
            }

            foreach (var navigation in type.GetNavigations().Where(n => !n.IsOnDependent))
            {
                var value = navigation.GetGetter().GetClrValueUsingContainingEntity(entity);
                foreach (var dependent in value is null ? [] : navigation.IsCollection ? ((System.Collections.IEnumerable)value).Cast<object>() : [value])
                {
                    var key = navigation.ForeignKey;
                    for (var i = 0; i < key.Properties.Count; i++)
                    {
                        if (!Equals(key.PrincipalKey.Properties[i].GetGetter().GetClrValueUsingContainingEntity(entity), key.Properties[i].GetGetter().GetClrValueUsingContainingEntity(dependent)))
                        {
                            throw new InvalidOperationException($"A {navigation.TargetEntityType.DisplayName()} added untracked does not carry its {type.DisplayName()}'s key.");
                        }
                    }

                    await CollectAsync(navigation.TargetEntityType, dependent);
                }
            }
        }

        foreach (var record in _untracked)
        {
            await CollectAsync(Model.FindEntityType(record.GetType())!, record);
        }

        return rows;
    }

    /// <summary>Per entity type: the properties (name in the audit, getter) a created record's audit row lists, or null when the type is not audited.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, (string Name, IClrPropertyGetter Get)[]?> AuditedGetters = new();

    /// <summary>The audit changes of a created record not tracked, as <see cref="Audited"/> writes them for an added entry.</summary>
    private static string? AuditedAdded(IEntityType type, object entity)
    {
        var getters = AuditedGetters.GetOrAdd(type, t => AuditedProperties.GetOrAdd(t, AuditedOf) is { } audited
            ? [.. t.GetProperties().Where(p => audited.Contains(p.Name)).Select(p => (p.Name == nameof(IHasCustomFields.CustomFields) ? p.Name : JsonNamingPolicy.CamelCase.ConvertName(p.Name), p.GetGetter()))]
            : null);
        if (getters is null)
        {
            return null;
        }

        // Written straight to JSON — what serializing a dictionary of { before, after } gives, without building one per record.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, get) in getters)
            {
                var value = get.GetClrValueUsingContainingEntity(entity);
                if (name == nameof(IHasCustomFields.CustomFields))
                {
                    var custom = new Dictionary<string, object?>();
                    CustomValueChanges(null, (string?)value, custom);
                    foreach (var (key, change) in custom)
                    {
                        json.WritePropertyName(key);
                        JsonSerializer.Serialize(json, change, AuditJson);
                    }
                }
                else if (value is not null)
                {
                    json.WriteStartObject(name);
                    json.WriteNull("before");
                    json.WritePropertyName("after");
                    JsonSerializer.Serialize(json, value, value.GetType(), AuditJson);
                    json.WriteEndObject();
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <returns>Whether this save marks the request's idempotency key committed.</returns>
    private async Task<bool> PrepareForSaveAsync(bool async, CancellationToken ct)
    {
        ChangeTracker.DetectChanges();
        // Detected once: reading the entries below (and the search index's) need not walk every tracked row again.
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await PrepareDetectedAsync(async, ct);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private async Task<bool> PrepareDetectedAsync(bool async, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var userId = currentUser.UserId;
        var workspaceId = currentUser.WorkspaceId;
        var traceId = Activity.Current?.TraceId.ToHexString();
        var audits = new List<PendingAudit>();
        var entries = ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        if (entries.Any(e => e.Entity is IWorkspaceConfiguration))
        {
            _remembered.Clear();
            RenewStamps(entries);
        }

        foreach (var entry in entries)
        {
            if (entry.Entity is AuditEntry && entry.State != EntityState.Added)
            {
                throw new InvalidOperationException("Audit rows are append-only.");
            }

            if (entry.Entity is IWorkspaceOwned owned)
            {
                if (entry.State == EntityState.Added && owned.WorkspaceId == Guid.Empty)
                {
                    entry.Property(nameof(IWorkspaceOwned.WorkspaceId)).CurrentValue =
                        workspaceId ?? throw new InvalidOperationException("No current workspace to save a row into.");
                }
                else if (owned.WorkspaceId != workspaceId)
                {
                    throw new InvalidOperationException("A row of another workspace cannot be written.");
                }
            }
            else if (entry.Entity is Workspace ws && entry.State != EntityState.Added && ws.Id != workspaceId)
            {
                throw new InvalidOperationException("Another workspace's settings cannot be written.");
            }

            StampRecord(entry, now, userId);
            if (Audited(entry) is { } audit)
            {
                audits.Add(audit);
            }
        }

        if (search is not null)
        {
            await SearchIndexing.RewriteAsync(this, search, entries, async, ct);
        }

        // The request's idempotency key is marked committed in the same transaction as its first write.
        var claimed = false;
        if (audits.Count > 0 && idempotency?.TakeForCommit() is { } claim)
        {
            var stub = IdempotencyRecords.Attach(claim);
            claim.MarkCommitted();
            stub.Property(r => r.Committed).IsModified = true;
            claimed = true;
        }

        foreach (var audit in audits)
        {
            var row = AuditEntry.Create(now, userId, audit.Action, audit.EntityType, audit.Id, audit.Changes, traceId);
            Entry(row).Property(nameof(AuditEntry.WorkspaceId)).CurrentValue = audit.WorkspaceId;
            AuditEntries.Add(row);
        }

        return claimed;
    }

    /// <summary>Gives each workspace whose configuration this save changes a new stamp, written with the change.</summary>
    private void RenewStamps(List<EntityEntry> entries)
    {
        var changed = entries.Select(e => e.Entity switch
            {
                Workspace w => (Id: w.Id, Added: e.State == EntityState.Added),
                IWorkspaceConfiguration and IWorkspaceOwned o => (Id: o.WorkspaceId, Added: false),
                _ => (Id: Guid.Empty, Added: false),
            })
            .Where(c => c.Id != Guid.Empty).ToList();
        var created = changed.Where(c => c.Added).Select(c => c.Id).ToHashSet();
        foreach (var id in created)
        {
            Set<WorkspaceStamp>().Add(WorkspaceStamp.For(id));
        }

        foreach (var id in changed.Select(c => c.Id).Distinct().Where(id => !created.Contains(id)))
        {
            if (Set<WorkspaceStamp>().Local.FirstOrDefault(s => s.WorkspaceId == id) is { } tracked)
            {
                tracked.Renew();
                continue;
            }

            var stub = WorkspaceStamp.For(id);
            Set<WorkspaceStamp>().Attach(stub).Property(s => s.Value).IsModified = true;
        }
    }

    private static void StampRecord(EntityEntry entry, DateTimeOffset now, Guid? userId)
    {
        var version = entry.Metadata.FindProperty("Version");
        if (entry.State == EntityState.Modified && version is not null)
        {
            var v = entry.Property("Version");
            v.CurrentValue = (int)v.OriginalValue! + 1;
        }

        if (entry.Entity is not BusinessRecord)
        {
            return;
        }

        if (entry.State == EntityState.Added)
        {
            entry.Property(nameof(BusinessRecord.Version)).CurrentValue = 1;
            entry.Property(nameof(BusinessRecord.CreatedAt)).CurrentValue = now;
            entry.Property(nameof(BusinessRecord.CreatedBy)).CurrentValue = userId;
        }

        if (entry.State is EntityState.Added or EntityState.Modified)
        {
            entry.Property(nameof(BusinessRecord.UpdatedAt)).CurrentValue = now;
            entry.Property(nameof(BusinessRecord.UpdatedBy)).CurrentValue = userId;
        }
    }

    private sealed record PendingAudit(Guid WorkspaceId, string EntityType, Guid Id, string Action, string Changes);

    /// <summary>Per entity type: whether it is audited, and the properties its audit rows list (reflection read once).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, HashSet<string>?> AuditedProperties = new();

    private static HashSet<string>? AuditedOf(IEntityType type) => type.ClrType.GetCustomAttribute<EntityNameAttribute>() is null
        ? null
        : [.. type.GetProperties().Where(p => !SystemProperties.Contains(p.Name) && p.PropertyInfo?.GetCustomAttribute<NotAuditedAttribute>() is null).Select(p => p.Name)];

    private static PendingAudit? Audited(EntityEntry entry)
    {
        var audited = AuditedProperties.GetOrAdd(entry.Metadata, AuditedOf);
        if (audited is null)
        {
            return null;
        }

        // The audited row's id: its Id, or for link rows (memberships, role and team links) the user's id.
        var workspaceId = entry.Entity is Workspace w ? w.Id : ((IWorkspaceOwned)entry.Entity).WorkspaceId;
        var id = (Guid)entry.Property(entry.Metadata.FindProperty("Id") is not null ? "Id" : "UserId").CurrentValue!;

        var changes = new Dictionary<string, object?>();
        foreach (var property in entry.Properties.Where(p => audited.Contains(p.Metadata.Name)))
        {
            if (property.Metadata.Name == nameof(IHasCustomFields.CustomFields))
            {
                // One audit field per custom field ("custom.tier"), like built-in fields.
                CustomValueChanges(entry.State == EntityState.Added ? null : (string?)property.OriginalValue,
                    entry.State == EntityState.Deleted ? null : (string?)property.CurrentValue, changes);
                continue;
            }

            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Metadata.Name);
            switch (entry.State)
            {
                case EntityState.Added:
                    if (property.CurrentValue is not null)
                    {
                        changes[name] = new { before = (object?)null, after = property.CurrentValue };
                    }
                    break;
                case EntityState.Modified when property.IsModified && !Equals(property.OriginalValue, property.CurrentValue):
                    changes[name] = new { before = property.OriginalValue, after = property.CurrentValue };
                    break;
                case EntityState.Deleted:
                    if (property.OriginalValue is not null)
                    {
                        changes[name] = new { before = property.OriginalValue, after = (object?)null };
                    }
                    break;
                default:
                    break;
            }
        }

        var action = entry.State switch
        {
            EntityState.Added => AuditActions.Create,
            EntityState.Deleted => AuditActions.Purge,
            _ when entry.Entity is BusinessRecord && entry.Property(nameof(BusinessRecord.DeletedAt)) is { IsModified: true } deleted
                   && !Equals(deleted.OriginalValue, deleted.CurrentValue) =>
                deleted.CurrentValue is null ? AuditActions.Restore : AuditActions.Delete,
            _ => AuditActions.Update,
        };

        if (action == AuditActions.Update && changes.Count == 0)
        {
            return null;
        }

        return new PendingAudit(workspaceId, EntityName(entry.Metadata.ClrType), id, action, JsonSerializer.Serialize(changes, AuditJson));
    }

    private static void CustomValueChanges(string? before, string? after, Dictionary<string, object?> changes)
    {
        if (before == after)
        {
            return;
        }

        var a = CustomValues.Parse(before);
        var b = CustomValues.Parse(after);
        foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
        {
            var old = a[key];
            var now = b[key];
            if (!System.Text.Json.Nodes.JsonNode.DeepEquals(old, now))
            {
                changes["custom." + key] = new { before = old, after = now };
            }
        }
    }

    /// <summary>
    /// Adds the one audit entry of a bulk job (a merge, an import) on <paramref name="entityId"/>, saved with the job's
    /// changes; <paramref name="facts"/> become "after" values, as for a created record.
    /// </summary>
    public void AddJobAudit(string action, string entityType, Guid entityId, IReadOnlyDictionary<string, object?> facts)
    {
        var changes = facts.ToDictionary(f => f.Key, f => new { before = (object?)null, after = f.Value });
        AuditEntries.Add(AuditEntry.Create(clock.GetUtcNow(), currentUser.UserId, action, entityType, entityId,
            JsonSerializer.Serialize(changes, AuditJson), Activity.Current?.TraceId.ToHexString()));
    }

    /// <summary>The singular API name of an entity type (<c>company</c>), from <see cref="EntityNameAttribute"/>.</summary>
    public static string EntityName(Type type) =>
        EntityNames.GetOrAdd(type, t => t.GetCustomAttribute<EntityNameAttribute>()?.Name ?? t.Name.ToLowerInvariant());

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> EntityNames = new();
}

/// <summary>What a workspace writes by default: numbers without a country code are read in <see cref="DefaultCountry"/>; the first language decides name order.</summary>
public sealed record WorkspaceDefaults(string DefaultCountry, IReadOnlyList<string> Languages, Guid Stamp);
