using System.Data.Common;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Posthorn.Storage.Secrets;

/// <summary>
/// The Data Protection key ring in the database's data_protection_keys table, so every node on a
/// shared PostgreSQL database reads and writes the same keys. The framework calls it synchronously
/// and rarely (at start-up and when a key is due to roll). Thread-safe.
/// </summary>
public sealed class SqlKeyRing(DbDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = dataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys ORDER BY name";
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = dataSource.OpenConnection();
        using var command = connection.CreateCommand();
        // Names are unique per key; a second store of the same name (never expected) keeps the first.
        command.CommandText = "INSERT INTO data_protection_keys (name, xml) VALUES (@n, @x) ON CONFLICT (name) DO NOTHING";
        Add(command, "@n", friendlyName);
        Add(command, "@x", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    private static void Add(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
