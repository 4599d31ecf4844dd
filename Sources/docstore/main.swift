import DocStoreCLI

// The command-line tool's entry point: everything else lives in DocStoreCLI so tests can run
// the commands in-process as well as through this binary.
await DocStoreCommand.runMain()
