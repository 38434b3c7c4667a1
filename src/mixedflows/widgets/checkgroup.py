"""Many checkboxes as one widget (issue 13 start-up): :class:`CheckGroup`.

The screening desk's 77 indicator checkboxes were 77 widget models (about 0.6 ms each for the
kernel to build and 1 ms for the page to create with its view), in 7 boxes with 7 headings.
A :class:`CheckGroup` is one model: its front end (``static/checkgroup.js``, an ES module kept
with the package, read once per process; nothing from a CDN) draws each group as a
``fieldset.mf-dim-box.mf-dim-<key>`` named by its ``legend``, and each option as a native
checkbox inside its label, in a wrapper ``.mf-check.mf-ind-<css>``; the groups are laid out by
the stylesheet's ``.mf-grid``. Keyboard (Tab, Space), touch and screen readers work natively.

Set ``value`` (the ticked ids) from Python to tick; a learner's ticks come back as ``value``,
always in the options' order.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

STATIC = Path(__file__).with_name("static")


class CheckGroup(anywidget.AnyWidget):
    """Groups of checkboxes, one widget model. ``groups``: a list of ``{"key", "title",
    "options": [{"id", "label", "css"}]}`` (``css``: the option's class suffix, ``mf-ind-<css>``);
    ``value``: the ticked ids, in the options' order; ``disabled``: no box can be ticked."""

    _esm = (STATIC / "checkgroup.js").read_text(encoding="utf-8")
    groups = traitlets.List(traitlets.Dict()).tag(sync=True)
    value = traitlets.List(traitlets.Unicode()).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, groups: Sequence[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(groups=list(groups), **kwargs)

    @traitlets.validate("groups")
    def _valid_groups(self, proposal: Any) -> list[dict[str, Any]]:
        groups = proposal["value"]
        ids = [o["id"] for g in groups for o in g["options"]]
        if len(set(ids)) != len(ids):
            raise traitlets.TraitError("an option id is given twice")
        for g in groups:
            if not {"key", "title", "options"} <= g.keys() or not all(
                {"id", "label", "css"} <= o.keys() for o in g["options"]
            ):
                raise traitlets.TraitError(f"group {g.get('key')!r} lacks a key, title or option")
        return groups

    @traitlets.validate("value")
    def _valid_value(self, proposal: Any) -> list[str]:
        ticked = set(proposal["value"])
        unknown = sorted(ticked - set(self.ids))
        if unknown:
            raise traitlets.TraitError(f"no such option: {', '.join(unknown)}")
        return [i for i in self.ids if i in ticked]

    @property
    def ids(self) -> list[str]:
        """Every option's id, in order."""
        return [o["id"] for g in self.groups for o in g["options"]]

    def __contains__(self, option_id: object) -> bool:
        return option_id in self.ids


__all__ = ["CheckGroup"]
