using System.Globalization;
using Microsoft.Extensions.Localization;
using Rapport.Kernel.Security;
using Rapport.Kernel.UI;

namespace Rapport.Modules.Identity.UI;

/// <summary>Localized names of entity types, actions and levels for the administration pages.</summary>
internal static class AccessText
{
    public static string Entity(AccessEntity entity) =>
        CultureInfo.CurrentUICulture.Name == "zh-Hans" ? entity.LabelZh : entity.Label;

    public static string Capability(AccessCapability capability) =>
        CultureInfo.CurrentUICulture.Name == "zh-Hans" ? capability.LabelZh : capability.Label;

    public static string Action(IStringLocalizer<Text> t, AccessAction action) => t[$"access.action.{action}"];

    public static string Level(IStringLocalizer<Text> t, AccessLevel level) => t[$"access.level.{level}"];
}
