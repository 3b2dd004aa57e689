import AlmanacCLI

await AlmanacCommand.runMain()
