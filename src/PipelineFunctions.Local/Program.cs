using PipelineFunctions.Local.Commands;

return await PaCommandLine.RunAsync(args, Console.Out, Console.Error);
