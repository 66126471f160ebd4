"""The hotspot pages (docs/hotspots.md): the ranked list, an address, the
areas, the map, and the imports of area boundaries and register extracts.
Who sees what is the decision point's (`permissions.figures`): the figure
pages answer 404 to a user without a figures scope, the imports to users
the decision point does not let import."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.signal_import import FileError
from permissions.figures import figure_scope, may_import_registers, may_manage_areas
from permissions.models import SENSITIVE_CLASSES
from permissions.services import log_sensitive_read

from . import imports, selectors
from . import map as hotspot_map
from .areas import AreaImporter
from .forms import ConfirmForm, FilterForm, UploadForm
from .models import RegisterUpload
from .registers import BranchImporter, OwnershipImporter

CLASS_ORDER = ["D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10"]


def _scope_or_404(request):
    scope = figure_scope(request.user)
    if scope is None:
        raise Http404
    return scope


def _filters(request, scope):
    families = [
        (f, selectors.family_label(f)) for f in selectors.address_families(scope)
    ]
    form = FilterForm(
        request.GET or None, areas=selectors.area_names(), families=families
    )
    data = form.cleaned_data if form.is_valid() else {}
    return form, data


@require_GET
def hotspot_list(request):
    scope = _scope_or_404(request)
    form, data = _filters(request, scope)
    rows = selectors.ranked(
        scope,
        area=data.get("area", ""),
        family=data.get("family", ""),
        source=data.get("source", ""),
        min_score=data.get("min_score") or 0,
        after=data.get("after"),
        limit=selectors.PAGE_SIZE + 1,
    )
    more = len(rows) > selectors.PAGE_SIZE
    rows = rows[: selectors.PAGE_SIZE]
    next_query = ""
    if more:
        query = request.GET.copy()
        query["after"] = f"{rows[-1].score}:{rows[-1].location_id}"
        next_query = query.urlencode()
    families = selectors.address_families(scope)
    context = {
        "form": form,
        "rows": rows,
        "families": [(f, selectors.family_label(f)) for f in families],
        "next_query": next_query,
        "refreshed": selectors.last_refresh(),
        "threshold": scope.threshold,
    }
    return render(request, "hotspots/list.html", context)


@require_GET
def address(request, pk):
    scope = _scope_or_404(request)
    location = selectors.visible_location(scope, pk)
    if location is None:
        raise Http404
    sections, classes = selectors.address_sections(scope, location.pk)
    sensitive = [c for c in classes if c in SENSITIVE_CLASSES]
    if sensitive:
        # The page shows counts of police (D3+) data about one address: a
        # sensitive read, logged as the kernel logs one.
        log_sensitive_read(
            user=request.user,
            obj=location,
            data_class=max(sensitive, key=CLASS_ORDER.index),
            request=request,
        )
    context = {
        "location": location,
        "sections": sections,
        "refreshed": selectors.last_refresh(),
        "threshold": scope.threshold,
    }
    return render(request, "hotspots/address.html", context)


@require_GET
def areas(request):
    scope = _scope_or_404(request)
    table, families, names = selectors.area_table(scope)
    rows = [(selectors.family_label(f), table.rows[i]) for i, f in enumerate(families)]
    context = {
        "areas": names,
        "rows": rows,
        "refreshed": selectors.last_refresh(),
        "threshold": scope.threshold,
    }
    return render(request, "hotspots/areas.html", context)


@require_GET
def map_page(request):
    scope = _scope_or_404(request)
    form, data = _filters(request, scope)
    area = data.get("area", "")
    rows = selectors.ranked(scope, area=area, limit=hotspot_map.DEFAULT_LIMIT)
    context = {
        "form": form,
        # Rendered from a template with autoescaping (hotspots/map.svg).
        "svg": mark_safe(hotspot_map.svg(scope, area=area)),  # noqa: S308
        "rows": rows,
        "without_coordinates": sum(1 for r in rows if r.x is None),
        "base_layer": bool(getattr(settings, "HOTSPOTS_BASE_LAYER_URL", "")),
    }
    return render(request, "hotspots/map.html", context)


# --- Imports -----------------------------------------------------------------------

AREA_KINDS = [RegisterUpload.Kind.AREAS]
REGISTER_KINDS = [RegisterUpload.Kind.KADASTER, RegisterUpload.Kind.KVK]
IMPORTERS = {
    RegisterUpload.Kind.AREAS: AreaImporter(),
    RegisterUpload.Kind.KADASTER: OwnershipImporter(),
    RegisterUpload.Kind.KVK: BranchImporter(),
}


def _import_page(request, *, kinds, page, confirm, title):
    if request.method == "GET" and "upload" in request.GET:
        kept = imports.upload_for(request.user, request.GET["upload"], kinds)
        if kept.status == RegisterUpload.Status.IMPORTED:
            return render(
                request, "hotspots/import_done.html",
                {"upload": kept, "title": title, "page": page},
            )  # fmt: skip
        return _preview(request, kept, title=title, page=page, confirm=confirm)
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            kept = imports.upload(
                user=request.user,
                kind=kind,
                uploaded_file=form.cleaned_data["file"],
                importer=IMPORTERS[kind],
            )
        except FileError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect(f"{reverse(page)}?upload={kept.pk}")
    context = {
        "form": form,
        "title": title,
        "kinds": [(k, IMPORTERS[k]) for k in kinds],
        "max_rows": settings.CASEWORK_IMPORT_MAX_ROWS,
        "max_bytes": settings.CASEWORK_IMPORT_MAX_BYTES,
    }
    return render(request, "hotspots/import.html", context)


def _preview(request, kept, *, title, page, confirm, parsed=None, status=200):
    importer = IMPORTERS[kept.kind]
    file_error = None
    if parsed is None:
        try:
            parsed = importer.check(importer.read(kept.text))
        except FileError as exc:
            file_error = exc.message
    columns = list(parsed.columns) if parsed else []
    rows = [
        {
            "line": item.line,
            "cells": [
                {
                    "column": c,
                    "value": importer.shown(item, c),
                    "errors": item.errors.get(c, []),
                }
                for c in columns
            ],
            "errors": item.errors.get("", []),
            "notes": item.notes,
            "ok": item.ok,
        }
        for item in (parsed.items if parsed else [])
    ]
    preview_svg = ""
    if kept.kind == RegisterUpload.Kind.AREAS and parsed:
        preview_svg = _area_preview(parsed)
    context = {
        "upload": kept,
        "title": title,
        "page": page,
        "confirm_url": reverse(confirm),
        "kind_label": RegisterUpload.Kind(kept.kind).label,
        "file_error": file_error,
        "columns": columns,
        "rows": rows,
        "total": len(rows),
        "error_rows": parsed.error_items if parsed else 0,
        "can_confirm": bool(parsed and parsed.ok),
        "confirm_form": ConfirmForm(
            initial={"upload": kept.pk, "content_hash": kept.content_hash}
        ),
        "preview_svg": preview_svg,
    }
    return render(request, "hotspots/import_preview.html", context, status=status)


def _area_preview(parsed) -> str:
    """The features without errors, drawn as the map draws areas."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from . import geo

    areas = []
    for item in parsed.items:
        polygons = item.cleaned.get("polygons")
        if item.ok and polygons:
            min_x, min_y, max_x, max_y = geo.bounds(polygons)
            areas.append(
                SimpleNamespace(
                    name=item.cleaned["name"], boundary=polygons,
                    min_x=min_x, min_y=min_y, max_x=max_x, max_y=max_y,
                )
            )  # fmt: skip
    if not areas:
        return ""
    picture = hotspot_map.Picture(0, 0)
    project = hotspot_map.Projection(*hotspot_map._extent(areas, []))
    picture.width, picture.height = project.width, project.height
    for area in areas:
        for rings in area.boundary:
            for index, ring in enumerate(rings):
                points = " ".join("{},{}".format(*project(x, y)) for x, y in ring)
                picture.shapes.append(hotspot_map.Shape(area.name, points, index > 0))
        cx, cy = project((area.min_x + area.max_x) / 2, (area.min_y + area.max_y) / 2)
        picture.labels.append((area.name, cx, cy))
    return mark_safe(  # noqa: S308 - rendered from an autoescaped template
        render_to_string(
            "hotspots/map.svg",
            {
                "picture": picture,
                "area_fill": hotspot_map.AREA_FILL,
                "area_stroke": hotspot_map.AREA_STROKE,
            },
        )
    )


def _confirm(request, *, kinds, page, confirm, title):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        outcome = imports.confirm(
            user=request.user,
            upload_id=form.cleaned_data["upload"],
            previewed_hash=form.cleaned_data["content_hash"],
            kinds=kinds,
            importers=IMPORTERS,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse(page))
    kept = outcome.upload
    if outcome.parsed is None:
        messages.info(request, _("This file has already been imported."))
    elif outcome.parsed.ok:
        messages.success(
            request,
            ngettext(
                "%(count)s row imported.", "%(count)s rows imported.", outcome.stored
            )
            % {"count": outcome.stored},
        )
    else:
        messages.error(
            request,
            _("Nothing has been imported: the file has errors. Correct them and "
              "upload it again."),
        )  # fmt: skip
        return _preview(
            request, kept, title=title, page=page, confirm=confirm,
            parsed=outcome.parsed,
        )  # fmt: skip
    return redirect(f"{reverse(page)}?upload={kept.pk}")


def _areas_or_404(request):
    if not may_manage_areas(request.user):
        raise Http404


def _registers_or_404(request):
    if not may_import_registers(request.user):
        raise Http404


AREA_PAGE = {
    "kinds": AREA_KINDS,
    "page": "hotspots:area_import",
    "confirm": "hotspots:area_import_confirm",
}
REGISTER_PAGE = {
    "kinds": REGISTER_KINDS,
    "page": "hotspots:register_import",
    "confirm": "hotspots:register_import_confirm",
}


@require_http_methods(["GET", "POST"])
def area_import(request):
    _areas_or_404(request)
    return _import_page(request, title=_("Import area boundaries"), **AREA_PAGE)


@require_POST
def area_import_confirm(request):
    _areas_or_404(request)
    return _confirm(request, title=_("Import area boundaries"), **AREA_PAGE)


@require_http_methods(["GET", "POST"])
def register_import(request):
    _registers_or_404(request)
    return _import_page(request, title=_("Import register extracts"), **REGISTER_PAGE)


@require_POST
def register_import_confirm(request):
    _registers_or_404(request)
    return _confirm(request, title=_("Import register extracts"), **REGISTER_PAGE)
