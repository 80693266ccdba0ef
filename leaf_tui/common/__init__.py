"""UI-free leaves: time, paths, files, clipboard, browser, formatting, the debug log.

They import only each other (checked by the import contracts in pyproject.toml)."""
