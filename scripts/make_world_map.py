"""Make resources/map/countries-110m.json, the offline world map, from Natural Earth.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/make_world_map.py package/countries-110m.json

The source is the npm package world-atlas 2.0.2 (ISC licence, Michael Bostock), which
redistributes Natural Earth 4.1.0's 1:110m Admin 0 countries (public domain) as TopoJSON.
This script decodes the TopoJSON arcs once into plain polygons, so the app needs no
TopoJSON code: each country is its ISO 3166-1 numeric id, its name, and its rings as flat
[lon, lat, lon, lat, ...] lists in degrees rounded to 0.01 (about 1 km, far finer than
1:110m's detail). world-atlas joins rings across the 180th meridian (Russia, Fiji), so
rings are unwrapped here to run continuously (a longitude may pass 180 or -180: the map
draws such a ring once more, shifted by 360 degrees), and a ring around a pole
(Antarctica) is closed along the pole's edge of the map.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "resources" / "map" / "countries-110m.json"
SOURCE = "Natural Earth 1:110m Admin 0 countries v4.1.0, via npm world-atlas 2.0.2"
LICENCE = "Natural Earth: public domain (naturalearthdata.com); world-atlas: ISC"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs: quantized and delta-encoded positions -> degrees."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[float]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]  # ~i: arc i reversed
        points += arc[1:] if points else arc  # consecutive arcs share their end point
    points = unwrapped(points)
    flat: list[float] = []
    for lon, lat in points:
        flat += [round(lon, 2), round(lat, 2)]
    return flat


def unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Longitudes made continuous; a ring that circles a pole gets closed along it."""
    out = [points[0]]
    shift = 0.0
    for (lon0, _), (lon1, lat1) in itertools.pairwise(points):
        if lon1 - lon0 > 180:
            shift -= 360
        elif lon0 - lon1 > 180:
            shift += 360
        out.append((lon1 + shift, lat1))
    if shift:  # went once around the globe: close along the nearer pole
        pole = 90.0 if sum(lat for _, lat in out) > 0 else -90.0
        out += [(out[-1][0], pole), (out[0][0], pole)]
    return out


def convert(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [ring(r, arcs) for polygon in polygons for r in polygon]
        countries.append(
            {
                "id": geometry.get("id"),
                "name": geometry.get("properties", {}).get("name", ""),
                "rings": rings,
            }
        )
    return {"source": SOURCE, "licence": LICENCE, "countries": countries}


def main() -> None:
    topology = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(convert(topology), separators=(",", ":")), encoding="utf-8")
    print(f"{OUTPUT}: {OUTPUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
