namespace Rapport.Kernel.UI;

/// <summary>Anchor of the shared UI strings: <c>Text.resx</c> (English) and <c>Text.zh-Hans.resx</c> (简体中文).</summary>
public sealed class Text;
