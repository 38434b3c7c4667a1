"""Issue 13 start-up: every widget model is one the page creates over the websocket before it is
interactive, and each widget had a layout and a style of its own. Widgets whose look never
changes share them (``ui.shared_layout``, ``ui.shared_style``, ``ui.text``), which cannot be
changed afterwards (a change would change every widget they are given to)."""

from __future__ import annotations

import ipywidgets as w
import pytest

from mixedflows.widgets import ui


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
    ("module", "entry", "most", "before"),
    [
        ("boat", "boat_app", 60, 90),
        ("screening_desk", "desk_app", 160, 202),
        ("reception", "reception_app", 70, 94),
        ("policy_lab", "policy_lab_app", 50, 66),
    ],
)
def test_the_apps_open_with_fewer_widget_models(
    monkeypatch, store_path, module, entry, most, before
):
    """Models of each page's first view, counted from its root (as its notebook builds it):
    before, the boat 90, the desk 202, the reception 94, the policy lab 66 (fails before)."""
    import importlib

    monkeypatch.setenv("MIXEDFLOWS_STORE", str(store_path))
    root = getattr(importlib.import_module(f"mixedflows.widgets.{module}"), entry)()
    n = len(models(root))
    assert n <= most < before, f"{n} widget models for {entry}'s page"


def test_the_stylesheet_is_one_widget_for_the_kernel():
    """Every app and panel shows the stylesheet: one widget for the kernel (a page of several
    panels sent four 13 KB models before, issue 13), never changed, made again once closed."""
    from mixedflows.widgets import ui

    a = ui.style_widget()
    assert ui.style_widget() is a and "mf-styles" in a._dom_classes
    assert a.value == ui.styles()
    a.close()
    b = ui.style_widget()
    assert b is not a and b.comm is not None and b.value == a.value
