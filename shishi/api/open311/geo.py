"""Coordinates. Open311 speaks WGS84 (GPS), and so do the appeals' `lat`/`lng`. Maps made in
China shift their coordinates by law: 高德 and 腾讯 use GCJ-02, 百度 uses BD-09, a few hundred
metres off WGS84. A client that sends such coordinates says so with the extension parameter
`coordinate_system=gcj02` (or `bd09`); they are converted to WGS84 before anything is stored
(`eviltransform`: GCJ-02 inverted exactly by iteration, to well under a metre)."""

from decimal import ROUND_HALF_UP, Decimal

import eviltransform

WGS84 = "wgs84"
TO_WGS84 = {
    WGS84: None,
    "gcj02": eviltransform.gcj2wgs_exact,
    "bd09": eviltransform.bd2wgs,
}
PLACES = Decimal("0.000001")  # the columns keep 6 decimals (about 0.1 m)


class UnknownSystem(ValueError):
    pass


def to_wgs84(lat: Decimal, lng: Decimal, system: str) -> tuple[Decimal, Decimal]:
    """(lat, lng) in WGS84, rounded to the columns' 6 decimals."""
    convert = TO_WGS84.get(system.lower() if system else WGS84, False)
    if convert is False:
        raise UnknownSystem(system)
    if convert is not None:
        lat, lng = (Decimal(str(v)) for v in convert(float(lat), float(lng)))
    return lat.quantize(PLACES, ROUND_HALF_UP), lng.quantize(PLACES, ROUND_HALF_UP)
