"""PolicyKG's service and command line: HTTP and the terminal turned into calls on `graph`."""
