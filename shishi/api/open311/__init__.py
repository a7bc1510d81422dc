"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at `/open311/v2/`: how
city-reporting apps and other platforms that speak the published standard file and follow
appeals. Every endpoint answers in `.json` and `.xml` with the specification's names."""
