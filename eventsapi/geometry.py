"""Points and bounding boxes in decimal degrees, as the place filters and selectors take them."""

from typing import NamedTuple


class BoundingBox(NamedTuple):
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @property
    def crosses_antimeridian(self) -> bool:
        return self.min_lon > self.max_lon


class Point(NamedTuple):
    latitude: float
    longitude: float
