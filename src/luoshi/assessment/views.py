"""Assessment pages (考核). Thin: reads through the scope functions of services, writes through do_…."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header

from . import services as svc


@login_required
def figure(request, pk: int):
    """A reported figure's evidence file (scoped like the figure)."""
    fig = svc.visible_figures(request.user).filter(pk=pk).first()
    if fig is None or not fig.evidence:
        raise Http404
    resp = FileResponse(fig.evidence.open("rb"))
    resp["Content-Disposition"] = content_disposition_header(True, fig.evidence.name.rsplit("/", 1)[-1])
    return resp
