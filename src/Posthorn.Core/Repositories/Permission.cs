namespace Posthorn.Core.Repositories;

/// <summary>Per-repository permission; each level includes the ones below it.</summary>
public enum Permission
{
    None = 0,
    Read = 1,
    Write = 2,
    Admin = 3,
}
