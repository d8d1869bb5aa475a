using Microsoft.AspNetCore.Http;
using PipelineFunctions.Core;

namespace PipelineFunctions.LocalEngine.Management;

/// <summary>RFC 7807 problem-details answers, one helper per status the API gives.</summary>
public static class Problems
{
    /// <summary>400 naming the request field (the key of <c>errors</c>) and what is wrong with it.</summary>
    public static IResult Invalid(PipelineInputException e) => Invalid(e.Field ?? e.File, e.Problem);

    public static IResult Invalid(string field, string problem) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [problem] },
            detail: $"{field}: {problem}", title: "The request is not valid.");

    public static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "An API key is required.");

    public static IResult NotFound(string instanceId) =>
        TypedResults.Problem($"no instance with id '{instanceId}'", statusCode: StatusCodes.Status404NotFound, title: "Instance not found.");

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict.");

    public static IResult Gone(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status410Gone, title: "The instance has finished.");
}
