using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;

namespace Posthorn.Storage.Secrets;

/// <summary>
/// Data Protection over one key ring, built apart from the host's container so that storage can be
/// opened the same way by `serve` and by every CLI verb. The application name is fixed: the
/// framework would otherwise isolate keys by content root, and the CLI and the server (or two
/// nodes installed in different folders) must decrypt each other's values.
/// </summary>
public static class KeyRingProvider
{
    public const string ApplicationName = "posthorn";

    /// <summary>The folder key ring's default place inside the data directory.</summary>
    public const string DefaultFolderName = "keys";

    /// <summary>A provider and the container that owns it (dispose it with the storage handle).</summary>
    public static (IDataProtectionProvider Provider, ServiceProvider Owner) Create(IXmlRepository keyRing)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = keyRing);
        var owner = services.BuildServiceProvider();
        return (owner.GetRequiredService<IDataProtectionProvider>(), owner);
    }
}
