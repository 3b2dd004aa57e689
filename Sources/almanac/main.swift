import AlmanacCLI

AlmanacCommand.main()
