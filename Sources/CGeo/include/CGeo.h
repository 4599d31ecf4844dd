// A C face for S2 (spherical geometry) and GeographicLib (geodesics on an ellipsoid), both
// C++, so the ReQL target computes RethinkDB's geospatial terms with the libraries RethinkDB
// uses: S2 for validity, intersection, inclusion and index cell coverings, Karney's geodesic
// algorithms for distances and circles. Debian: libs2-dev, libgeographiclib-dev.
#ifndef DOCSTORE_CGEO_H
#define DOCSTORE_CGEO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A point, a line or a polygon as S2 holds it; free with `docstore_geo_free`.
typedef struct docstore_geo docstore_geo;

/// What building a geometry found wrong (0: nothing).
enum {
    DOCSTORE_GEO_OK = 0,
    /// S2Polyline::IsValid failed: adjacent duplicate or antipodal vertices.
    DOCSTORE_GEO_INVALID_LINE = 1,
    /// S2Loop::IsValid failed: too few, duplicate or antipodal vertices, self-intersection.
    DOCSTORE_GEO_INVALID_RING = 2,
    /// The loops do not make a valid S2Polygon (they cross or share edges).
    DOCSTORE_GEO_UNUSED_EDGES = 3,
};

/// Coordinates come as `count` pairs of (latitude, longitude) in degrees, already in range.
docstore_geo *docstore_geo_point(double lat, double lng);
int docstore_geo_line(const double *latlng, size_t count, docstore_geo **out);
/// `rings` rings one after the other, ring i of `counts[i]` pairs without the closing
/// repetition of its first vertex. The first ring is the shell, the others holes.
int docstore_geo_polygon(const double *latlng, const size_t *counts, size_t rings, docstore_geo **out);
void docstore_geo_free(docstore_geo *geometry);

/// Whether the two geometries share a point (RethinkDB's `intersects`).
int docstore_geo_intersects(const docstore_geo *a, const docstore_geo *b);
/// Whether the polygon holds all of `other` (RethinkDB's `includes`); `polygon` must be one.
int docstore_geo_includes(const docstore_geo *polygon, const docstore_geo *other);

/// The point of `geometry` closest to `point` (a point geometry), as latitude and longitude
/// in degrees; returns 1 when that is `point` itself (it lies on or inside the geometry).
int docstore_geo_project(const docstore_geo *geometry, const docstore_geo *point, double *lat, double *lng);
/// A point geometry's latitude and longitude, back from S2's unit vector.
void docstore_geo_point_latlng(const docstore_geo *point, double *lat, double *lng);

/// S2RegionCoverer's covering with at most `max_cells` cells (a point: its leaf cell). Writes
/// up to `capacity` cell ids and returns how many the covering has.
size_t docstore_geo_covering(const docstore_geo *geometry, int max_cells, uint64_t *cells, size_t capacity);

/// The geodesic distance in metres between two points on the ellipsoid of equatorial radius
/// `a` (metres) and flattening `f` (Karney's inverse problem).
double docstore_geodesic_inverse(double a, double f, double lat1, double lon1, double lat2, double lon2);
/// The point `distance` metres from (lat, lon) along the geodesic leaving at `azimuth`
/// degrees (Karney's direct problem).
void docstore_geodesic_direct(double a, double f, double lat, double lon, double azimuth, double distance,
                              double *lat2, double *lon2);

#ifdef __cplusplus
}
#endif

#endif
