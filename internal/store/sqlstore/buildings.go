package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/parkos/parkos/internal/apperr"
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
		scan: func(r *sql.Rows) (space.Building, error) { return scanBuilding(r) },
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
	return l.run(ctx, s.read(), req)
}

// GetBuilding returns one building.
func (s *Store) GetBuilding(ctx context.Context, sc identity.Scope, id string) (space.Building, error) {
	return s.getBuilding(ctx, s.read(), sc, id)
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

// CreateBuilding adds a building to a park.
func (s *Store) CreateBuilding(ctx context.Context, sc identity.Scope, b space.Building) (space.Building, error) {
	if err := b.Validate(); err != nil {
		return b, err
	}
	b.ID, b.CreatedAt, b.UpdatedAt = newID(), s.now(), s.now()
	err := s.write(ctx, func(c conn) error {
		if err := s.checkParentPark(ctx, c, sc, b.ParkID, sc.CanEditSpace()); err != nil {
			return err
		}
		if err := s.checkZone(ctx, c, b); err != nil {
			return err
		}
		_, err := c.exec(ctx, `INSERT INTO buildings (id, park_id, zone_id, code, name, floors_above, floors_below, gross_area,
			above_ground_area, completed_year, description, created_at, updated_at) VALUES (`+bindParams(13)+`)`,
			b.ID, b.ParkID, nullable(b.ZoneID), b.Code, b.Name, b.FloorsAbove, b.FloorsBelow, b.GrossArea, b.AboveGroundArea,
			b.CompletedYear, b.Description, b.CreatedAt, b.UpdatedAt)
		if err := s.constraintError(err, "code", "该园区已有此编码的楼宇", "the park already has a building with this code"); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "create", "building", b.ID, nil, b)
	})
	return b, err
}

// UpdateBuilding saves a building. Its park cannot change.
func (s *Store) UpdateBuilding(ctx context.Context, sc identity.Scope, b space.Building) (space.Building, error) {
	err := s.write(ctx, func(c conn) error {
		if err := s.lockRows(ctx, c, "buildings", []string{b.ID}); err != nil {
			return err
		}
		old, err := s.getBuilding(ctx, c, sc, b.ID)
		if err != nil {
			return err
		}
		if err := unchangedSince(old.UpdatedAt, b.UpdatedAt); err != nil {
			return err
		}
		if err := requireRole(sc.CanEditSpace() && sc.HasPark(old.ParkID)); err != nil {
			return err
		}
		b.ParkID, b.CreatedAt, b.UpdatedAt = old.ParkID, old.CreatedAt, s.now()
		if err := b.Validate(); err != nil {
			return err
		}
		if err := s.checkZone(ctx, c, b); err != nil {
			return err
		}
		_, err = c.exec(ctx, `UPDATE buildings SET zone_id = ?, code = ?, name = ?, floors_above = ?, floors_below = ?,
			gross_area = ?, above_ground_area = ?, completed_year = ?, description = ?, updated_at = ? WHERE id = ?`,
			nullable(b.ZoneID), b.Code, b.Name, b.FloorsAbove, b.FloorsBelow, b.GrossArea, b.AboveGroundArea, b.CompletedYear,
			b.Description, b.UpdatedAt, b.ID)
		if err := s.constraintError(err, "code", "该园区已有此编码的楼宇", "the park already has a building with this code"); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "update", "building", b.ID, old, b)
	})
	return b, err
}

// DeleteBuilding removes a building without floors.
func (s *Store) DeleteBuilding(ctx context.Context, sc identity.Scope, id string) error {
	return s.write(ctx, func(c conn) error {
		b, err := s.getBuilding(ctx, c, sc, id)
		if err != nil {
			return err
		}
		if err := requireRole(sc.CanEditSpace() && sc.HasPark(b.ParkID)); err != nil {
			return err
		}
		if err := refuseIfUsed(ctx, c, `SELECT count(*) FROM floors WHERE building_id = ?`, id,
			"楼宇下还有 %d 个楼层，请先删除楼层", "the building still has %d floors; delete them first"); err != nil {
			return err
		}
		if _, err = c.exec(ctx, `DELETE FROM buildings WHERE id = ?`, id); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "delete", "building", id, b, nil)
	})
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
		scan: func(r *sql.Rows) (space.Floor, error) { return scanFloor(r) },
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
	return l.run(ctx, s.read(), req)
}

// GetFloor returns one floor.
func (s *Store) GetFloor(ctx context.Context, sc identity.Scope, id string) (space.Floor, error) {
	return s.getFloor(ctx, s.read(), sc, id)
}

func (s *Store) getFloor(ctx context.Context, c conn, sc identity.Scope, id string) (space.Floor, error) {
	cond, args := parkScope(sc, "f.park_id", false)
	f, err := scanFloor(c.queryRow(ctx, "SELECT "+floorCols+" FROM floors f WHERE f.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("楼层", "floor")
	}
	return f, err
}

// CreateFloor adds a floor to a building; the park comes from the building.
func (s *Store) CreateFloor(ctx context.Context, sc identity.Scope, f space.Floor) (space.Floor, error) {
	if err := f.Validate(); err != nil {
		return f, err
	}
	f.ID, f.CreatedAt, f.UpdatedAt = newID(), s.now(), s.now()
	err := s.write(ctx, func(c conn) error {
		b, err := s.getBuilding(ctx, c, sc, f.BuildingID)
		if apperr.Is(err, apperr.NotFound) {
			return fieldErr("building_id", "not_found", "楼宇不存在", "no such building")
		}
		if err != nil {
			return err
		}
		if err := requireRole(sc.CanEditSpace() && sc.HasPark(b.ParkID)); err != nil {
			return err
		}
		f.ParkID = b.ParkID
		_, err = c.exec(ctx, `INSERT INTO floors (id, park_id, building_id, level, label, gross_area, created_at, updated_at)
			VALUES (`+bindParams(8)+`)`, f.ID, f.ParkID, f.BuildingID, f.Level, f.Label, f.GrossArea, f.CreatedAt, f.UpdatedAt)
		if err := s.constraintError(err, "level", "该楼宇已有这一层", "the building already has this level"); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "create", "floor", f.ID, nil, f)
	})
	return f, err
}

// UpdateFloor saves a floor. Its building cannot change.
func (s *Store) UpdateFloor(ctx context.Context, sc identity.Scope, f space.Floor) (space.Floor, error) {
	err := s.write(ctx, func(c conn) error {
		if err := s.lockRows(ctx, c, "floors", []string{f.ID}); err != nil {
			return err
		}
		old, err := s.getFloor(ctx, c, sc, f.ID)
		if err != nil {
			return err
		}
		if err := unchangedSince(old.UpdatedAt, f.UpdatedAt); err != nil {
			return err
		}
		if err := requireRole(sc.CanEditSpace()); err != nil {
			return err
		}
		f.ParkID, f.BuildingID, f.CreatedAt, f.UpdatedAt = old.ParkID, old.BuildingID, old.CreatedAt, s.now()
		if err := f.Validate(); err != nil {
			return err
		}
		_, err = c.exec(ctx, `UPDATE floors SET level = ?, label = ?, gross_area = ?, updated_at = ? WHERE id = ?`,
			f.Level, f.Label, f.GrossArea, f.UpdatedAt, f.ID)
		if err := s.constraintError(err, "level", "该楼宇已有这一层", "the building already has this level"); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "update", "floor", f.ID, old, f)
	})
	return f, err
}

// DeleteFloor removes a floor without units.
func (s *Store) DeleteFloor(ctx context.Context, sc identity.Scope, id string) error {
	return s.write(ctx, func(c conn) error {
		old, err := s.getFloor(ctx, c, sc, id)
		if err != nil {
			return err
		}
		if err := requireRole(sc.CanEditSpace()); err != nil {
			return err
		}
		if err := refuseIfUsed(ctx, c, `SELECT count(*) FROM units WHERE floor_id = ?`, id,
			"楼层上还有 %d 个单元，请先删除单元", "the floor still has %d units; delete them first"); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM floors WHERE id = ?`, id); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "delete", "floor", id, old, nil)
	})
}
