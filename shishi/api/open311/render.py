"""One answer, two formats: JSON as the specification shows it, and XML with its root and
element names (`<services><service>…`, `<service_requests><request>…`, `<errors><error>…`)."""

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

# The element a list's items are called in XML, by the list's name.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def respond(data, *, fmt: str, root: str, status: int = 200, headers=None) -> HttpResponse:
    """`data` is a list (of the `root` list's items) or a dict (the `root` element)."""
    if fmt == "xml":
        body = ET.tostring(_element(root, data), encoding="utf-8", xml_declaration=True)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _element(name: str, value) -> ET.Element:
    element = ET.Element(name)
    if isinstance(value, dict):
        for key, inner in value.items():
            element.append(_element(key, inner))
    elif isinstance(value, list):
        for inner in value:
            element.append(_element(ITEM[name], inner))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def errors(fmt: str, status: int, *descriptions: str, headers=None) -> HttpResponse:
    """The specification's error answer: a list of {code, description}."""
    return respond(
        [{"code": status, "description": d} for d in descriptions],
        fmt=fmt,
        root="errors",
        status=status,
        headers=headers,
    )
