package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

const buildingCols = `b.id, b.park_id, b.zone_id, b.code, b.name, b.floors_above, b.floors_below, b.gross_area,
	b.above_ground_area, b.completed_year, b.description, b.created_at, b.updated_at`

func scanBuilding(r scanner) (space.Building, error) {
	var b space.Building
	err := r.Scan(&b.ID, &b.ParkID, nullString{&b.ZoneID}, &b.Code, &b.Name, &b.FloorsAbove, &b.FloorsBelow, &b.GrossArea,
		&b.AboveGroundArea, &b.CompletedYear, &b.Description, &b.CreatedAt, &b.UpdatedAt)
	return b, err
}

// ListBuildings lists buildings of visible parks.
func (s *Store) ListBuildings(ctx context.Context, sc identity.Scope, f space.BuildingFilter, req page.Request) (page.Page[space.Building], error) {
	l := listQuery[space.Building]{
		selectFrom: "SELECT " + buildingCols + " FROM buildings b",
		idExpr:     "b.id",
		sorts: []sortKey[space.Building]{
			{"code", "b.code", func(b space.Building) any { return b.Code }},
			{"name", "b.name", func(b space.Building) any { return b.Name }},
			{"gross_area", "b.gross_area", func(b space.Building) any { return int64(b.GrossArea) }},
		},
		scan: byValue(func(r *sql.Rows) (space.Building, error) { return scanBuilding(r) }),
		id:   func(b space.Building) string { return b.ID },
	}
	cond, args := parkScope(sc, "b.park_id", true)
	l.filter(cond, args...)
	if f.ParkID != "" {
		l.filter("b.park_id = ?", f.ParkID)
	}
	if f.ZoneID != "" {
		l.filter("b.zone_id = ?", f.ZoneID)
	}
	if f.Q != "" {
		l.filter(`(lower(b.name) LIKE ? ESCAPE '\' OR lower(b.code) LIKE ? ESCAPE '\')`, likeContains(f.Q), likeContains(f.Q))
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetBuilding returns one building.
func (s *Store) GetBuilding(ctx context.Context, sc identity.Scope, id string) (space.Building, error) {
	return s.getBuilding(ctx, s.read(ctx), sc, id)
}

func (s *Store) getBuilding(ctx context.Context, c conn, sc identity.Scope, id string) (space.Building, error) {
	cond, args := parkScope(sc, "b.park_id", true)
	b, err := scanBuilding(c.queryRow(ctx, "SELECT "+buildingCols+" FROM buildings b WHERE b.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return b, notFound("楼宇", "building")
	}
	return b, err
}

func (s *Store) checkZone(ctx context.Context, c conn, b space.Building) error {
	if b.ZoneID == "" {
		return nil
	}
	var parkID string
	err := c.queryRow(ctx, `SELECT park_id FROM zones WHERE id = ?`, b.ZoneID).Scan(&parkID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && parkID != b.ParkID) {
		return fieldErr("zone_id", "not_found", "该园区没有这个功能区", "the park has no such zone")
	}
	return err
}

const floorCols = `f.id, f.park_id, f.building_id, f.level, f.label, f.gross_area, f.created_at, f.updated_at`

func scanFloor(r scanner) (space.Floor, error) {
	var f space.Floor
	err := r.Scan(&f.ID, &f.ParkID, &f.BuildingID, &f.Level, &f.Label, &f.GrossArea, &f.CreatedAt, &f.UpdatedAt)
	return f, err
}

// ListFloors lists floors of the caller's parks, lowest level first by default.
func (s *Store) ListFloors(ctx context.Context, sc identity.Scope, f space.FloorFilter, req page.Request) (page.Page[space.Floor], error) {
	l := listQuery[space.Floor]{
		selectFrom: "SELECT " + floorCols + " FROM floors f",
		idExpr:     "f.id",
		sorts: []sortKey[space.Floor]{
			{"level", "f.level", func(f space.Floor) any { return int64(f.Level) }},
			{"gross_area", "f.gross_area", func(f space.Floor) any { return int64(f.GrossArea) }},
		},
		scan: byValue(func(r *sql.Rows) (space.Floor, error) { return scanFloor(r) }),
		id:   func(f space.Floor) string { return f.ID },
	}
	cond, args := parkScope(sc, "f.park_id", false)
	l.filter(cond, args...)
	if f.ParkID != "" {
		l.filter("f.park_id = ?", f.ParkID)
	}
	if f.BuildingID != "" {
		l.filter("f.building_id = ?", f.BuildingID)
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetFloor returns one floor.
func (s *Store) GetFloor(ctx context.Context, sc identity.Scope, id string) (space.Floor, error) {
	return s.getFloor(ctx, s.read(ctx), sc, id)
}

func (s *Store) getFloor(ctx context.Context, c conn, sc identity.Scope, id string) (space.Floor, error) {
	cond, args := parkScope(sc, "f.park_id", false)
	f, err := scanFloor(c.queryRow(ctx, "SELECT "+floorCols+" FROM floors f WHERE f.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("楼层", "floor")
	}
	return f, err
}
