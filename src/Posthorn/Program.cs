using Posthorn.Cli;

// Posthorn's table of contents: every verb (serve included) is a command; see Cli/CliApp.cs.
return await CliApp.RunAsync(args, Console.In, Console.Out, Console.Error);
