"""`capture_renders`: what a view module's `render` calls were given — for tests that render a page's context through
another template (the whole-page comparisons of the pages written by Python, issue 12)."""


def capture_renders(monkeypatch, module, template: str | None = None) -> list:
    """Patch `module.render` to record `(request, context)` of each call (of `template`, if named), then render."""
    seen = []
    real = module.render

    def render(request, name, context, status=200):
        if template is None or name == template:
            seen.append((request, context))
        return real(request, name, context, status=status)

    monkeypatch.setattr(module, "render", render)
    return seen
