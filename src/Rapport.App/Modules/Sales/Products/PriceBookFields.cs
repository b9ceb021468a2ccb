using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;

namespace Rapport.Modules.Sales.Products;

/// <summary>
/// The writable fields of a price book. <c>isDefault: true</c> makes it the workspace's default (the previous default
/// stops being it); the first book is the default whatever it says. <c>active</c> defaults to true.
/// </summary>
public sealed record PriceBookFields(string Name, string Currency, bool? IsDefault = null, bool? Active = null);

public sealed record PriceBookDto(
    Guid Id, string Name, string Currency, bool IsDefault, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, int Version)
{
    public static PriceBookDto From(PriceBook b) => new(b.Id, b.Name, b.Currency, b.IsDefault, b.Active, b.CreatedAt, b.UpdatedAt, b.DeletedAt, b.Version);
}

public sealed class PriceBookFieldsValidator : AbstractValidator<PriceBookFields>
{
    public PriceBookFieldsValidator()
    {
        RuleFor(b => b.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(PriceBook.NameMaxLength);
        RuleFor(b => b.Currency).Must(c => Currencies.IsKnown(c?.Trim().ToUpperInvariant()))
            .WithMessage("Currency must be an ISO 4217 code, such as CNY or USD.");
        RuleFor(b => b.Active).Must(a => a != false).When(b => b.IsDefault == true)
            .WithMessage("The default price book must be active.");
    }
}

/// <summary>The rules of a price book that need the database: its name is free.</summary>
internal static class PriceBookRules
{
    public static async Task<Dictionary<string, string[]>> CheckAsync(RapportDbContext db, PriceBookFields fields, Guid? self, CancellationToken ct)
    {
        var errors = new PriceBookFieldsValidator().Validate(fields).Errors.GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        if (errors.Count == 0 && await NameTakenAsync(db, fields.Name, self, ct))
        {
            errors["name"] = ["Another price book already has this name."];
        }

        return errors;
    }

    public static Task<bool> NameTakenAsync(RapportDbContext db, string name, Guid? self, CancellationToken ct)
    {
        var trimmed = name.Trim();
        return db.Set<PriceBook>().AnyAsync(b => b.Name == trimmed && b.Id != self, ct);
    }

    /// <summary>The default book, tracked (null when the workspace has none yet).</summary>
    public static Task<PriceBook?> DefaultAsync(RapportDbContext db, CancellationToken ct) =>
        db.Set<PriceBook>().SingleOrDefaultAsync(b => b.IsDefault, ct);

    /// <summary>
    /// Applies and saves a change that may move the default flag: <paramref name="letGo"/> (the old default) lets go
    /// first, in the same transaction, so the one-default index never sees two defaults.
    /// </summary>
    public static async Task<SaveResult> SaveAsync(RapportDbContext db, PriceBook? letGo, Action apply, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            if (letGo is not null)
            {
                letGo.LetGoOfDefault();
                await db.SaveChangesAsync(ct);
            }

            apply();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return SaveResult.Saved;
        }
        catch (DbUpdateConcurrencyException)
        {
            return SaveResult.Stale;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return SaveResult.Taken;
        }
    }

    /// <summary>What became of a save: <c>Taken</c> is a unique index refusing it (the name, or a default made meanwhile).</summary>
    public enum SaveResult { Saved, Stale, Taken }

    public static Outcome<PriceBookDto> Refusal(SaveResult result) => result == SaveResult.Stale
        ? Outcome<PriceBookDto>.Stale()
        : Outcome<PriceBookDto>.Conflict("Another price book took this name or became the default meanwhile. Read the books again and retry.");
}
