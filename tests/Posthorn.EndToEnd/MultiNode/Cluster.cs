using Posthorn.EndToEnd.Support;
using Posthorn.Storage;

namespace Posthorn.EndToEnd.MultiNode;

/// <summary>
/// Several posthorn processes sharing one PostgreSQL database and one repositories folder, as
/// docs/operations.md tells operators to run them: user alice and repository alice/r made through the CLI.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    public const string Password = "correct-horse-battery";

    private readonly Dictionary<string, string> env;
    private readonly List<PosthornServer> nodes = [];

    private Cluster(TempFolder folder, string database, Dictionary<string, string> env)
    {
        Folder = folder;
        Database = database;
        this.env = env;
        Git = new GitCli(folder.Sub("home"));
    }

    public TempFolder Folder { get; }

    public string Database { get; }

    public string DataDirectory => Folder.Sub("data");

    public GitCli Git { get; }

    /// <summary>A fresh database with alice and alice/r; <paramref name="env"/> configures every node.</summary>
    public static async Task<Cluster> CreateAsync(IDictionary<string, string> env)
    {
        var database = await Backend.NewDatabaseAsync("postgres") ?? throw new InvalidOperationException("no database");
        var cluster = new Cluster(new TempFolder("posthorn-multinode"), database, new Dictionary<string, string>(env));
        var cli = cluster.Node("cli");
        (await cli.CliAsync(Password + "\n", "user", "add", "alice", "--email", "alice@example.com")).EnsureSuccess("user add");
        (await cli.CliAsync(null, "repo", "create", "alice/r")).EnsureSuccess("repo create");
        return cluster;
    }

    /// <summary>A node (not yet started) named <paramref name="nodeId"/> in leases and attempt logs.</summary>
    public PosthornServer Node(string nodeId)
    {
        var node = new PosthornServer(DataDirectory, Database, new Dictionary<string, string>(env) { ["Delivery__NodeId"] = nodeId });
        nodes.Add(node);
        return node;
    }

    public async Task<PosthornServer> StartNodeAsync(string nodeId)
    {
        var node = Node(nodeId);
        await node.StartAsync();
        return node;
    }

    public async Task<long> AddServiceAsync(string url)
    {
        var output = (await Node("cli").CliAsync(null, "service", "add", "alice/r", url, "--format", "json")).EnsureSuccess("service add").Stdout;
        return long.Parse(output.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GitUrl(PosthornServer node) => node.GitUrl("alice", "r", "alice", Password);

    /// <summary>The shared store, opened by the test itself (to read attempt logs or queue work in bulk).</summary>
    public StorageHandle OpenStorage() => PosthornStorage.Open(Database, DataDirectory);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }

        Folder.Dispose();
    }
}
