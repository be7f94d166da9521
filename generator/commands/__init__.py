"""One module per command: its example (EPILOG) and run(args) -> exit code."""
