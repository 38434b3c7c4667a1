"""Issue 13 start-up: every widget model is one the page creates over the websocket before it is
interactive, and each widget had a layout and a style of its own. Widgets whose look never
changes share them (``ui.shared_layout``, ``ui.shared_style``, ``ui.text``), which cannot be
changed afterwards (a change would change every widget they are given to)."""

from __future__ import annotations

import ipywidgets as w
import pytest

from mixedflows.widgets import ui


@pytest.fixture
def recorder(store_path):
    from mixedflows.store import Store
    from mixedflows.widgets.common import Recorder

    return Recorder(Store(store_path), learner="parts-test", session="")


def models(root: w.Widget) -> set[str]:
    """The distinct widget models a page showing ``root`` creates: the widgets, their
    layouts and styles, and their children's."""
    seen: dict[str, w.Widget] = {}
    todo = [root]
    while todo:
        x = todo.pop()
        if x.model_id in seen:
            continue
        seen[x.model_id] = x
        for name in ("layout", "style"):
            part = getattr(x, name, None)
            if isinstance(part, w.Widget):
                todo.append(part)
        todo.extend(c for c in getattr(x, "children", ()) if isinstance(c, w.Widget))
    return set(seen)


def test_a_shared_layout_or_style_is_one_model_and_never_changes():
    a, b = ui.text("one"), ui.text("two", "mf-x mf-y")
    assert a.layout is b.layout and a.style is b.style
    assert b._dom_classes == ("mf-x", "mf-y") and a.layout._model_name == "LayoutModel"
    assert ui.shared_layout(width="auto") is ui.shared_layout(width="auto")
    assert ui.shared_layout(width="auto") is not ui.shared_layout()
    assert ui.shared_style(w.Button)._model_name == "ButtonStyleModel"
    with pytest.raises(AttributeError, match="never changed"):
        a.layout.display = "none"
    with pytest.raises(AttributeError, match="never changed"):
        ui.shared_style(w.Checkbox).description_width = "9px"
    b.value = "three"  # the widget itself changes as any other
    assert b.value == "three" and a.value == "one"
    closed = ui.shared_layout(margin="1px")
    closed.close()  # a closed one (Widget.close_all in a test) is made again
    assert ui.shared_layout(margin="1px") is not closed


@pytest.mark.parametrize(
    ("build", "most", "before"),
    [("boat", 60, 90), ("desk", 160, 202)],
)
def test_the_boat_and_the_desk_open_with_fewer_widget_models(recorder, build, most, before):
    """Models of the whole page, counted from its root: the boat 90 and the desk 202 before
    (fails before)."""
    if build == "boat":
        from mixedflows.widgets.boat import BoatApp

        app = BoatApp(recorder=recorder)
    else:
        from mixedflows.widgets.screening_desk import DeskApp

        app = DeskApp(recorder=recorder)
    n = len(models(app.widget))
    assert n <= most < before, f"{n} widget models for the {build}'s page"
