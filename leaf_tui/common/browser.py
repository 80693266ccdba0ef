"""Opening a link in the user's graphical browser, shared by the screens that offer "open".
Textual-free: it is a blocking call, which the screens run in a thread."""

from __future__ import annotations

import webbrowser


def open_in_gui_browser(url: str) -> bool:
    """webbrowser.open, minus console browsers (lynx, w3m…): they would take over our terminal
    and block until closed. False when there is no graphical browser (e.g. over SSH)."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    if type(browser) is webbrowser.GenericBrowser:
        return False
    return bool(browser.open(url))
