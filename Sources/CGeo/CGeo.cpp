#include "CGeo.h"

// S2's headers instantiate Abseil containers in this file, and the dynamic linker lets these
// copies stand in for libs2's own. Under a sanitizer, Abseil changes those containers' layout
// (its btree nodes gain generation counters), while Debian's libs2 was built without one:
// the two layouts would then meet in one container and S2 would read garbage (an ASan test
// run looped for ever in an S2 polygon check). Abseil is told it has no sanitizer, so the
// copies made here always match the library's.
#include <absl/base/config.h>
#undef ABSL_HAVE_ADDRESS_SANITIZER
#undef ABSL_HAVE_MEMORY_SANITIZER
#undef ABSL_HAVE_THREAD_SANITIZER
#undef ABSL_HAVE_HWADDRESS_SANITIZER
#undef ABSL_HAVE_LEAK_SANITIZER

#include <GeographicLib/Geodesic.hpp>
#include <s2/s2cell_id.h>
#include <s2/s2latlng.h>
#include <s2/s2loop.h>
#include <s2/s2point.h>
#include <s2/s2polygon.h>
#include <s2/s2polyline.h>
#include <s2/s2region_coverer.h>

#include <memory>
#include <vector>

struct docstore_geo {
    enum Kind { point, line, polygon } kind;
    S2Point vertex;
    std::unique_ptr<S2Polyline> polyline;
    std::unique_ptr<S2Polygon> area;
};

static S2Point to_point(double lat, double lng) {
    return S2LatLng::FromDegrees(lat, lng).ToPoint();
}

static std::vector<S2Point> to_points(const double *latlng, size_t count) {
    std::vector<S2Point> points;
    points.reserve(count);
    for (size_t i = 0; i < count; ++i) points.push_back(to_point(latlng[2 * i], latlng[2 * i + 1]));
    return points;
}

extern "C" docstore_geo *docstore_geo_point(double lat, double lng) {
    auto *geometry = new docstore_geo();
    geometry->kind = docstore_geo::point;
    geometry->vertex = to_point(lat, lng);
    return geometry;
}

extern "C" int docstore_geo_line(const double *latlng, size_t count, docstore_geo **out) {
    // Validated explicitly: with S2's debug checks on, an invalid line would abort.
    auto line = std::make_unique<S2Polyline>(to_points(latlng, count), S2Debug::DISABLE);
    if (!line->IsValid()) return DOCSTORE_GEO_INVALID_LINE;
    auto *geometry = new docstore_geo();
    geometry->kind = docstore_geo::line;
    geometry->polyline = std::move(line);
    *out = geometry;
    return DOCSTORE_GEO_OK;
}

extern "C" int docstore_geo_polygon(const double *latlng, const size_t *counts, size_t rings, docstore_geo **out) {
    std::vector<std::unique_ptr<S2Loop>> loops;
    size_t offset = 0;
    for (size_t i = 0; i < rings; ++i) {
        auto loop = std::make_unique<S2Loop>(to_points(latlng + 2 * offset, counts[i]), S2Debug::DISABLE);
        offset += counts[i];
        if (!loop->IsValid()) return DOCSTORE_GEO_INVALID_RING;
        // A ring's orientation says nothing (GeoJSON readers disagree on it): the ring bounds
        // the smaller of the two regions, as RethinkDB normalises it.
        loop->Normalize();
        loops.push_back(std::move(loop));
    }
    auto polygon = std::make_unique<S2Polygon>();
    polygon->set_s2debug_override(S2Debug::DISABLE);
    // Nesting decides which loop is a hole: every ring after the shell lies inside it when
    // the polygon is valid, and a crossing or shared edge makes it invalid.
    polygon->InitNested(std::move(loops));
    if (!polygon->IsValid()) return DOCSTORE_GEO_UNUSED_EDGES;
    auto *geometry = new docstore_geo();
    geometry->kind = docstore_geo::polygon;
    geometry->area = std::move(polygon);
    *out = geometry;
    return DOCSTORE_GEO_OK;
}

extern "C" void docstore_geo_free(docstore_geo *geometry) {
    delete geometry;
}

static bool point_on(const S2Point &point, const docstore_geo *other) {
    switch (other->kind) {
    case docstore_geo::point: return point == other->vertex;
    case docstore_geo::line: {
        // A point lies on a line when the line's nearest point is the point itself.
        int next = 0;
        return other->polyline->Project(point, &next) == point;
    }
    case docstore_geo::polygon:
        // Project, unlike Contains, counts the polygon's corners and edges as inside.
        if (other->area->num_vertices() == 0) return false;
        return other->area->Project(point) == point;
    }
    return false;
}

extern "C" int docstore_geo_intersects(const docstore_geo *a, const docstore_geo *b) {
    if (a->kind == docstore_geo::point) return point_on(a->vertex, b);
    if (b->kind == docstore_geo::point) return point_on(b->vertex, a);
    if (a->kind == docstore_geo::line && b->kind == docstore_geo::line) {
        return b->polyline->Intersects(*a->polyline);
    }
    if (a->kind == docstore_geo::polygon && b->kind == docstore_geo::polygon) {
        if (a->area->num_vertices() == 0 || b->area->num_vertices() == 0) return 0;
        return b->area->Intersects(*a->area);
    }
    const docstore_geo *line = a->kind == docstore_geo::line ? a : b;
    const docstore_geo *polygon = a->kind == docstore_geo::polygon ? a : b;
    if (polygon->area->num_vertices() == 0) return 0;
    return !polygon->area->IntersectWithPolyline(*line->polyline).empty();
}

extern "C" int docstore_geo_includes(const docstore_geo *polygon, const docstore_geo *other) {
    switch (other->kind) {
    case docstore_geo::point: return point_on(other->vertex, polygon);
    case docstore_geo::line: return polygon->area->SubtractFromPolyline(*other->polyline).empty();
    case docstore_geo::polygon: return polygon->area->Contains(*other->area);
    }
    return 0;
}

extern "C" int docstore_geo_project(const docstore_geo *geometry, const docstore_geo *point, double *lat, double *lng) {
    S2Point nearest = point->vertex;
    switch (geometry->kind) {
    case docstore_geo::point: nearest = geometry->vertex; break;
    case docstore_geo::line: {
        int next = 0;
        nearest = geometry->polyline->Project(point->vertex, &next);
        break;
    }
    case docstore_geo::polygon: nearest = geometry->area->Project(point->vertex); break;
    }
    S2LatLng position(nearest);
    *lat = position.lat().degrees();
    *lng = position.lng().degrees();
    return nearest == point->vertex ? 1 : 0;
}

extern "C" void docstore_geo_point_latlng(const docstore_geo *point, double *lat, double *lng) {
    *lat = S2LatLng::Latitude(point->vertex).degrees();
    *lng = S2LatLng::Longitude(point->vertex).degrees();
}

extern "C" size_t docstore_geo_covering(const docstore_geo *geometry, int max_cells, uint64_t *cells, size_t capacity) {
    std::vector<S2CellId> covering;
    if (geometry->kind == docstore_geo::point) {
        covering.push_back(S2CellId(geometry->vertex));
    } else {
        S2RegionCoverer::Options options;
        options.set_max_cells(max_cells);
        S2RegionCoverer coverer(options);
        if (geometry->kind == docstore_geo::line) {
            coverer.GetCovering(*geometry->polyline, &covering);
        } else {
            coverer.GetCovering(*geometry->area, &covering);
        }
    }
    for (size_t i = 0; i < covering.size() && i < capacity; ++i) cells[i] = covering[i].id();
    return covering.size();
}

extern "C" double docstore_geodesic_inverse(double a, double f, double lat1, double lon1, double lat2, double lon2) {
    GeographicLib::Geodesic geodesic(a, f);
    double distance = 0;
    geodesic.Inverse(lat1, lon1, lat2, lon2, distance);
    return distance;
}

extern "C" void docstore_geodesic_direct(double a, double f, double lat, double lon, double azimuth, double distance,
                                         double *lat2, double *lon2) {
    GeographicLib::Geodesic geodesic(a, f);
    geodesic.Direct(lat, lon, azimuth, distance, *lat2, *lon2);
}
