"""Places where a lower feature's page shows what a higher feature has to say about its object.

A programme's page shows the missions it came from and its documents; an activity's management page, its
documents and mission work; a needs request or an action plan, the recommendations it came from; a mission's
page (elearn/missions), its terms of reference, report and documents. The lower
page calls `panels(place, obj)` in its template; the higher feature registers a renderer at start-up
(elearn/__init__.py installs them), so no lower feature imports a higher one.
"""
from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

# "activity_public": the public activity page (templates/scheduling/activity.html), seen by participants too.
# "dashboard": the signed-in person's dashboard (templates/main/dashboard.html); its object is the person, and a
# renderer shows only what concerns them (their pairs, placements, questions), in a <section> with a heading.
# "registration": the participant's own registration on the public activity page, shown while it is active
# (their ticket, elearn/onsite); its object is the Registration, and the page is seen by its person only.
PLACES = ("programme", "activity_manage", "needs_request", "action_plan", "mission", "activity_public", "dashboard",
          "registration")

Renderer = Callable[[object], "str | Markup | None"]
_renderers: dict[str, dict[str, Renderer]] = {place: {} for place in PLACES}


def register(place: str, name: str, render: Renderer) -> None:
    """`render(obj)` returns HTML (already escaped: a rendered template) or None for nothing; registering
    again under the same name replaces it (each app the tests create installs the same renderers)."""
    _renderers[place][name] = render


def render_panels(place: str, obj) -> list[Markup]:
    shown = []
    for render in _renderers[place].values():
        html = render(obj)
        if html:
            # A renderer returns a template rendered with autoescape on (its values escaped there).
            shown.append(Markup(html))  # nosec B704
    return shown


def install(app) -> None:
    app.jinja_env.globals["panels"] = render_panels
