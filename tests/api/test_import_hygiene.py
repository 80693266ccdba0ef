"""The service layer must stay Textual-free: the CLI's scripting commands and the sandbox tests
import it without paying for (or depending on) the UI toolkit."""

import json
import subprocess
import sys


def test_importing_the_service_layer_loads_no_textual() -> None:
    code = (
        "import json, sys\n"
        "import leaf_tui.api\n"
        "from leaf_tui.api import LeafClient, UserIndex\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'leaf_tui'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    modules = json.loads(done.stdout)
    assert "leaf_tui.api.client" in modules  # the import really happened
    # (rich may load: httpx imports it for its optional command line; textual must not)
    assert not [m for m in modules if m.split(".")[0] == "textual"]
    assert not [m for m in modules if m.startswith(("leaf_tui.tui", "leaf_tui.sandbox"))]


def test_every_name_of_the_service_layer_resolves() -> None:
    """The package loads its names on first use (so models and errors come without httpx)."""
    import leaf_tui.api as api

    for name in api.__all__:
        assert getattr(api, name) is not None, name
