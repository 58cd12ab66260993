namespace Courier;

/// <summary>
/// A source held by an operator (<c>POST /hold</c>): its updates still pull and validate, and deliver nothing to any
/// destination until it is released.
/// </summary>
/// <param name="Reason">Why it is held, as the operator said; null when no reason was given.</param>
/// <param name="Since">When the hold was placed.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record HoldReport(string? Reason, DateTimeOffset Since);
