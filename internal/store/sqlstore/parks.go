package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

type scanner interface{ Scan(dest ...any) error }

const parkCols = `p.id, p.code, p.name_zh, p.name_en, p.district, p.address, p.latitude, p.longitude, p.land_area,
	p.gross_floor_area, p.above_ground_area, p.operator, p.status, p.phase, p.contact_name, p.contact_phone,
	p.description, p.created_at, p.updated_at, p.leading_node_list`

func scanPark(r scanner) (space.Park, error) {
	var p space.Park
	err := scanParkInto(r, &p)
	return p, err
}

func scanParkInto(r scanner, p *space.Park) error {
	return r.Scan(&p.ID, &p.Code, &p.NameZh, &p.NameEn, &p.District, &p.Address, &p.Latitude, &p.Longitude,
		&p.LandArea, &p.GrossFloorArea, &p.AboveGroundArea, &p.Operator, &p.Status, &p.Phase, &p.ContactName,
		&p.ContactPhone, &p.Description, &p.CreatedAt, &p.UpdatedAt, attachedList{&p.LeadingNodeIDs})
}

var parkNotFound = func() error { return notFound("园区", "park") }

// ListParks lists the parks the caller may see.
func (s *Store) ListParks(ctx context.Context, sc identity.Scope, f space.ParkFilter, req page.Request) (page.Page[space.Park], error) {
	l := listQuery[space.Park]{
		selectFrom: "SELECT " + parkCols + " FROM parks p",
		idExpr:     "p.id",
		sorts: []sortKey[space.Park]{
			{"code", "p.code", func(p space.Park) any { return p.Code }},
			{"name", "p.name_zh", func(p space.Park) any { return p.NameZh }},
			{"gross_floor_area", "p.gross_floor_area", func(p space.Park) any { return int64(p.GrossFloorArea) }},
			{"created_at", "p.created_at", func(p space.Park) any { return p.CreatedAt }},
		},
		scan: func(r *sql.Rows, p *space.Park) error { return scanParkInto(r, p) },
		id:   func(p space.Park) string { return p.ID },
	}
	cond, args := parkScope(sc, "p.id", true)
	l.filter(cond, args...)
	if f.Q != "" {
		l.filter(`(lower(p.name_zh) LIKE ? ESCAPE '\' OR lower(p.name_en) LIKE ? ESCAPE '\' OR lower(p.code) LIKE ? ESCAPE '\')`,
			likeContains(f.Q), likeContains(f.Q), likeContains(f.Q))
	}
	if f.Code != "" {
		l.filter("p.code = ?", f.Code)
	}
	if f.District != "" {
		l.filter("p.district = ?", f.District)
	}
	if f.Status != "" {
		l.filter("p.status = ?", f.Status)
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetPark returns one park, or not found when it is outside the caller's scope.
func (s *Store) GetPark(ctx context.Context, sc identity.Scope, id string) (space.Park, error) {
	return s.getPark(ctx, s.read(ctx), sc, id)
}

func (s *Store) getPark(ctx context.Context, c conn, sc identity.Scope, id string) (space.Park, error) {
	cond, args := parkScope(sc, "p.id", true)
	p, err := scanPark(c.queryRow(ctx, "SELECT "+parkCols+" FROM parks p WHERE p.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return p, parkNotFound()
	}
	return p, err
}

func (s *Store) setParkNodes(ctx context.Context, c conn, parkID string, nodeIDs []string) error {
	if err := checkKnown(ctx, c, "chain_nodes", "id", "leading_node_ids", nodeIDs); err != nil {
		return err
	}
	for _, n := range dedupe(nodeIDs) {
		if _, err := c.exec(ctx, `INSERT INTO park_chain_nodes (park_id, node_id) VALUES (?, ?)`, parkID, n); err != nil {
			return err
		}
	}
	return nil
}

// checkKnown answers a field error naming the first id that does not exist.
func checkKnown(ctx context.Context, c conn, table, column, field string, ids []string) error {
	found, err := knownIDs(ctx, c, table, column, ids)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if !found[id] {
			return fieldErr(fmt.Sprintf("%s[%d]", field, i), "not_found", "引用的对象不存在："+id, "no such object: "+id)
		}
	}
	return nil
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

const zoneCols = `z.id, z.park_id, z.code, z.name_zh, z.name_en, z.description, z.created_at, z.updated_at`

func scanZone(r scanner) (space.Zone, error) {
	var z space.Zone
	err := r.Scan(&z.ID, &z.ParkID, &z.Code, &z.NameZh, &z.NameEn, &z.Description, &z.CreatedAt, &z.UpdatedAt)
	return z, err
}

// ListZones lists zones of visible parks.
func (s *Store) ListZones(ctx context.Context, sc identity.Scope, f space.ZoneFilter, req page.Request) (page.Page[space.Zone], error) {
	l := listQuery[space.Zone]{
		selectFrom: "SELECT " + zoneCols + " FROM zones z",
		idExpr:     "z.id",
		sorts: []sortKey[space.Zone]{
			{"code", "z.code", func(z space.Zone) any { return z.Code }},
			{"name", "z.name_zh", func(z space.Zone) any { return z.NameZh }},
		},
		scan: byValue(func(r *sql.Rows) (space.Zone, error) { return scanZone(r) }),
		id:   func(z space.Zone) string { return z.ID },
	}
	cond, args := parkScope(sc, "z.park_id", true)
	l.filter(cond, args...)
	if f.ParkID != "" {
		l.filter("z.park_id = ?", f.ParkID)
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetZone returns one zone.
func (s *Store) GetZone(ctx context.Context, sc identity.Scope, id string) (space.Zone, error) {
	return s.getZone(ctx, s.read(ctx), sc, id)
}

func (s *Store) getZone(ctx context.Context, c conn, sc identity.Scope, id string) (space.Zone, error) {
	cond, args := parkScope(sc, "z.park_id", true)
	z, err := scanZone(c.queryRow(ctx, "SELECT "+zoneCols+" FROM zones z WHERE z.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return z, notFound("功能区", "zone")
	}
	return z, err
}

// checkParentPark makes sure a new record's park exists and is one the caller operates: one
// out of scope is not found, a public park the caller only reads is forbidden.
func (s *Store) checkParentPark(ctx context.Context, c conn, sc identity.Scope, parkID string) error {
	if _, err := s.getPark(ctx, c, sc, parkID); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return fieldErr("park_id", "not_found", "园区不存在", "no such park")
		}
		return err
	}
	return requireRole(sc.HasPark(parkID))
}

// refuseIfUsed answers 409 with the count when a dependency query finds rows.
func refuseIfUsed(ctx context.Context, c conn, countQuery, id, zh, en string) error {
	var n int
	if err := c.queryRow(ctx, countQuery, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return conflict(fmt.Sprintf(zh, n), fmt.Sprintf(en, n))
	}
	return nil
}
