"""The optional map (地图选点) of the public report form and the staff case page.

A map is shown only when a tile server is configured (an intranet usually has none): settings
LUOSHI_MAP_TILE_URL, a Leaflet URL template such as ``https://tiles.example/{z}/{x}/{y}.png`` (``{s}`` for
subdomains allowed), LUOSHI_MAP_ATTRIBUTION (the tile provider's credit, plain text), LUOSHI_MAP_CENTER
("lat,long" of the initial view) and LUOSHI_MAP_ZOOM / LUOSHI_MAP_MAX_ZOOM. Without a tile URL the form has
the plain 纬度/经度 fields only and no page asks any tile server for anything.

Leaflet 1.9.4 is vendored under cases/static/cases/leaflet (from npm, `npm pack leaflet@1.9.4`): nothing is
fetched from a CDN. The Content-Security-Policy of a page with a map allows images from the tile host only
(`allow_tiles`)."""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def map_config(point=None, pick: bool = False) -> dict | None:
    """What map.js reads (json_script), or None when no tile server is configured.

    point: (lat, long) to mark, or None; pick: a tap/click sets the point into the form's lat/long."""
    url = (getattr(settings, "LUOSHI_MAP_TILE_URL", "") or "").strip()
    if not url:
        return None
    try:
        lat, long = (float(x) for x in str(getattr(settings, "LUOSHI_MAP_CENTER", "") or "30.6,114.3").split(","))
    except ValueError:
        lat, long = 30.6, 114.3
    cfg = {"tiles": url, "attribution": getattr(settings, "LUOSHI_MAP_ATTRIBUTION", "") or "",
           "center": [lat, long], "zoom": int(getattr(settings, "LUOSHI_MAP_ZOOM", 12) or 12),
           "maxZoom": int(getattr(settings, "LUOSHI_MAP_MAX_ZOOM", 18) or 18), "pick": bool(pick), "point": None}
    if point is not None and point[0] is not None and point[1] is not None:
        cfg["point"] = [float(point[0]), float(point[1])]
    return cfg


def tile_origin(url: str) -> str:
    """The CSP source of a tile URL template: scheme://host[:port], ``{s}.`` as a ``*.`` wildcard."""
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}" if parts.scheme in ("http", "https") and host else ""


def allow_tiles(response, cfg: dict | None):
    """Let the page's Content-Security-Policy load the tile images (django-csp's per-response update)."""
    if cfg:
        origin = tile_origin(cfg["tiles"])
        if origin:
            response._csp_update = {"img-src": [origin]}
    return response
