"""Which keys a footer keeps when it cannot show them all, by binding id.

Rank 0 is never dropped for others: the keys a person needs on every screen (`n` new link, `?`
help, which lists the rest, `q` quit) and the keys that finish or leave a dialog. Rank 1 is a
screen's main actions; everything else is rank 2 and goes first, the last declared first.
"""

from __future__ import annotations

ALWAYS = 0
MAIN = 1
DEFAULT_RANK = 2
PALETTE_RANK = MAIN  # `^p palette`, at the right: it reaches every action

RANKS: dict[str, int] = {
    # every screen
    "app.new_link": ALWAYS,
    "app.help": ALWAYS,
    "app.quit": ALWAYS,
    # users
    "users.new_link": ALWAYS,
    "users.detail": MAIN,  # the detail pane, where it gave way (under 120 columns)
    "users.search": MAIN,
    "users.sentera": MAIN,
    # links
    "links.new": ALWAYS,
    "links.copy": MAIN,
    "links.details": MAIN,
    "links.renew": MAIN,
    # sentera
    "sentera.back": ALWAYS,
    "sentera.connect": MAIN,
    "sentera.recreate": MAIN,
    "events.detail": MAIN,
    # wizard
    "wizard.create": ALWAYS,
    "wizard.next": ALWAYS,
    "wizard.back": MAIN,
    "wizard.close": MAIN,
    # link result
    "result.copy": ALWAYS,
    "result.another": MAIN,
    "result.back": MAIN,
    # dialogs: finish or leave
    "login.submit": ALWAYS,
    "login.cancel": ALWAYS,
    "user_form.save": ALWAYS,
    "user_form.cancel": ALWAYS,
    "sentera_form.submit": ALWAYS,
    "sentera_form.cancel": ALWAYS,
    "confirm.yes": ALWAYS,
    "confirm.no": ALWAYS,
    "event.close": ALWAYS,
    "link_details.close": ALWAYS,
    "link_details.copy": MAIN,
    "help.close": ALWAYS,
    "wizard.preset.cancel": ALWAYS,
    "connecting.retry": ALWAYS,
}


def rank_of(binding_id: str | None) -> int:
    """The binding's rank; bindings without an id or not listed: DEFAULT_RANK."""
    return RANKS.get(binding_id or "", DEFAULT_RANK)
