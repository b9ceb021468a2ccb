namespace Rapport.Kernel.Views.UI;

/// <summary>One cell of a <see cref="RecordList{TItem}"/>: the record and the column's key.</summary>
public sealed record RecordCell<TItem>(TItem Item, string Column);
