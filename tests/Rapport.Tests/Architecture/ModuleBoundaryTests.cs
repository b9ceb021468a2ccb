using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;
using Rapport.Kernel;

namespace Rapport.Tests.Architecture;

/// <summary>DESIGN.md "Rules between modules": a module may use the kernel and other modules' Contracts only.</summary>
public sealed partial class ModuleBoundaryTests
{
    private static readonly Assembly App = typeof(KernelSetup).Assembly;

    private static IEnumerable<string> Modules() =>
        App.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("Rapport.Modules.", StringComparison.Ordinal))
            .Select(n => n.Split('.')[2]).Distinct();

    [Fact]
    public void Modules_use_only_the_contracts_of_other_modules()
    {
        var modules = Modules().ToList();
        Assert.Contains("Customers", modules);
        Assert.Contains("Identity", modules);
        var violations = new List<string>();
        foreach (var module in modules)
        {
            foreach (var other in modules.Where(m => m != module))
            {
                var result = Types.InAssembly(App)
                    .That().ResideInNamespaceStartingWith($"Rapport.Modules.{module}")
                    .Should().NotHaveDependencyOnAny(Internals(other))
                    .GetResult();
                if (!result.IsSuccessful)
                {
                    violations.AddRange(result.FailingTypeNames.Select(t => $"{t} uses internals of {other}"));
                }
            }
        }

        Assert.Empty(violations);
    }

    [Fact]
    public void The_kernel_depends_on_no_module()
    {
        var result = Types.InAssembly(App).That().ResideInNamespaceStartingWith("Rapport.Kernel")
            .Should().NotHaveDependencyOn("Rapport.Modules").GetResult();
        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>The boundary test itself must catch a violation: Identity's own types depend on Identity internals.</summary>
    [Fact]
    public void The_boundary_rule_detects_a_dependency_on_internals()
    {
        var result = Types.InAssembly(App).That().ResideInNamespaceStartingWith("Rapport.Modules.Identity")
            .Should().NotHaveDependencyOnAny(Internals("Identity")).GetResult();
        Assert.False(result.IsSuccessful);
    }

    /// <summary>Bulk and raw SQL writes bypass audit, workspace stamping and concurrency: only kernel code may use them.</summary>
    [Fact]
    public void Modules_do_not_write_around_the_change_tracker()
    {
        var root = FindRoot();
        var offenders = Directory.EnumerateFiles(Path.Combine(root, "src", "Rapport.App", "Modules"), "*.cs", SearchOption.AllDirectories)
            .Where(f => BypassPattern().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();
        Assert.Empty(offenders);
    }

    private static string[] Internals(string module) =>
        [.. App.GetTypes().Select(t => t.Namespace).OfType<string>().Distinct()
            .Where(n => n.StartsWith($"Rapport.Modules.{module}", StringComparison.Ordinal)
                        && !n.StartsWith($"Rapport.Modules.{module}.Contracts", StringComparison.Ordinal)
                        && n != $"Rapport.Modules.{module}")];

    internal static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Rapport.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Rapport.slnx not found above the test output.");
    }

    [GeneratedRegex(@"\b(ExecuteUpdate|ExecuteDelete|ExecuteSql|FromSqlRaw|SqlQueryRaw)\w*\s*\(")]
    private static partial Regex BypassPattern();
}
