using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PipelineFunctions.Core.Orchestration;

namespace PipelineFunctions.AzureHost.Tests;

/// <summary>The Azure host's C# files parsed with Roslyn, and the values of the constants its attributes and calls name.</summary>
public static class AzureHostSource
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ProjectFolder => Path.Combine(RepositoryRoot, "src", "PipelineFunctions");

    /// <summary>Every .cs file of src/PipelineFunctions (build output excluded), parsed as C# latest.</summary>
    public static IReadOnlyList<SyntaxTree> Trees { get; } = Directory
        .EnumerateFiles(ProjectFolder, "*.cs", SearchOption.AllDirectories)
        .Where(path => !Path.GetRelativePath(ProjectFolder, path).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
        .Order(StringComparer.Ordinal)
        .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Latest), path))
        .ToList();

    public static IEnumerable<MethodDeclarationSyntax> Methods => Trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>());

    /// <summary>Methods marked [Function(...)], with the function name the attribute resolves to.</summary>
    public static IEnumerable<(MethodDeclarationSyntax Method, string? Name)> Functions =>
        from method in Methods
        from attribute in method.AttributeLists.SelectMany(l => l.Attributes)
        where AttributeName(attribute) == "Function"
        select (method, attribute.ArgumentList?.Arguments.FirstOrDefault() is { } argument ? Resolve(argument.Expression) : null);

    public static bool HasParameterAttribute(MethodDeclarationSyntax method, string attribute) =>
        method.ParameterList.Parameters.Any(p => p.AttributeLists.SelectMany(l => l.Attributes).Any(a => AttributeName(a) == attribute));

    public static ParameterSyntax? ParameterWith(MethodDeclarationSyntax method, string attribute) =>
        method.ParameterList.Parameters.FirstOrDefault(p => p.AttributeLists.SelectMany(l => l.Attributes).Any(a => AttributeName(a) == attribute));

    public static AttributeSyntax? ParameterAttribute(MethodDeclarationSyntax method, string attribute) =>
        method.ParameterList.Parameters.SelectMany(p => p.AttributeLists).SelectMany(l => l.Attributes).FirstOrDefault(a => AttributeName(a) == attribute);

    /// <summary>"Function" for [Function], [FunctionAttribute] and [Microsoft.Azure.Functions.Worker.Function].</summary>
    public static string AttributeName(AttributeSyntax attribute)
    {
        var name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.Text,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.Text,
            SimpleNameSyntax simple => simple.Identifier.Text,
            _ => attribute.Name.ToString(),
        };
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name[..^"Attribute".Length] : name;
    }

    /// <summary>
    /// The string an expression stands for: a literal, nameof(X), or a constant of Core's <see cref="PipelineActivityNames"/>
    /// or <see cref="PipelineOrchestration"/> (read from Core itself, so the test follows Core's values). Null otherwise.
    /// </summary>
    public static string? Resolve(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
        InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "nameof" } } nameOf =>
            nameOf.ArgumentList.Arguments[0].Expression.ToString().Split('.')[^1],
        MemberAccessExpressionSyntax member => Constant(member.Expression.ToString().Split('.')[^1], member.Name.Identifier.Text),
        _ => null,
    };

    private static readonly Type[] ConstantHolders = [typeof(PipelineActivityNames), typeof(PipelineOrchestration)];

    private static string? Constant(string type, string field) =>
        ConstantHolders.FirstOrDefault(t => t.Name == type)?.GetField(field, BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } constant
            ? (string?)constant.GetRawConstantValue()
            : null;

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "PipelineFunctions.sln"))) return folder.FullName;
        throw new InvalidOperationException("repository root (PipelineFunctions.sln) not found above " + AppContext.BaseDirectory);
    }
}
