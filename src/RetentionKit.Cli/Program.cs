using System;
using RetentionKit.Cli.Commands;

// Progress goes to standard error, and only when it is a terminal: redirected output stays clean.
return new CliApplication(Console.Out, Console.Error, Environment.CurrentDirectory, interactive: !Console.IsErrorRedirected).Run(args);
