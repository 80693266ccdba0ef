"""A local Leaf API emulator (Starlette + uvicorn + sqlite3). Never imports leaf_tui.api or
leaf_tui.tui: it is the other side of the wire, so a parsing bug cannot cancel itself out."""
