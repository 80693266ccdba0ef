"""The Textual app. Import `LeafApp` from `leaf_tui.tui.app` (kept lazy: `leaf_tui.api` stays
Textual-free)."""
