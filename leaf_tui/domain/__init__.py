"""Domain rules: settings, the session, link drafts and presets, the Links cells and filters,
the Sentera diagnosis. They never import the TUI (checked by the import contracts)."""
