"""The command line: parses arguments, calls the library, prints; nothing else lives here."""
