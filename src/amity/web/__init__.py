"""The web UI: Jinja templates (autoescaped) and static files (vendored Leaflet, the world
outline, app.js/stats.js) served by `amity.api.create_app`. See views.py."""
