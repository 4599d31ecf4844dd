import DocStoreCLI

// The command-line tool's entry point: everything else lives in DocStoreCLI so tests can run
// the commands in-process as well as through this binary. `@main` makes ArgumentParser's
// async `main()` the entry point: it parses, runs, and maps errors to exit codes (0, 1, 64).
@main
extension DocStoreCommand {}
