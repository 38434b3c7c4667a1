"""ipywidgets components: they collect input, call the engine and render. No logic lives here
that a plain test of the engine could not reach."""
