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
	p.description, p.created_at, p.updated_at`

func scanPark(r scanner) (space.Park, error) {
	var p space.Park
	err := r.Scan(&p.ID, &p.Code, &p.NameZh, &p.NameEn, &p.District, &p.Address, &p.Latitude, &p.Longitude,
		&p.LandArea, &p.GrossFloorArea, &p.AboveGroundArea, &p.Operator, &p.Status, &p.Phase, &p.ContactName,
		&p.ContactPhone, &p.Description, &p.CreatedAt, &p.UpdatedAt)
	p.LeadingNodeIDs = []string{}
	return p, err
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
		scan: func(r *sql.Rows) (space.Park, error) { return scanPark(r) },
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
	pg, err := l.run(ctx, s.read(), req)
	if err != nil {
		return pg, err
	}
	return pg, s.attachParkNodes(ctx, s.read(), pg.Items)
}

func (s *Store) attachParkNodes(ctx context.Context, c conn, parks []space.Park) error {
	if len(parks) == 0 {
		return nil
	}
	idx := map[string]int{}
	ids := make([]string, len(parks))
	for i, p := range parks {
		idx[p.ID], ids[i] = i, p.ID
	}
	return eachPair(ctx, c, `SELECT park_id, node_id FROM park_chain_nodes WHERE park_id IN (`+bindParams(len(ids))+`) ORDER BY node_id`,
		ids, func(parkID, nodeID string) {
			p := &parks[idx[parkID]]
			p.LeadingNodeIDs = append(p.LeadingNodeIDs, nodeID)
		})
}

// eachPair runs a query returning two text columns for a list of ids.
func eachPair(ctx context.Context, c conn, q string, ids []string, fn func(a, b string)) error {
	rows, err := c.query(ctx, q, anySlice(ids)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return err
		}
		fn(a, b)
	}
	return rows.Err()
}

// GetPark returns one park, or not found when it is outside the caller's scope.
func (s *Store) GetPark(ctx context.Context, sc identity.Scope, id string) (space.Park, error) {
	return s.getPark(ctx, s.read(), sc, id)
}

func (s *Store) getPark(ctx context.Context, c conn, sc identity.Scope, id string) (space.Park, error) {
	cond, args := parkScope(sc, "p.id", true)
	p, err := scanPark(c.queryRow(ctx, "SELECT "+parkCols+" FROM parks p WHERE p.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return p, parkNotFound()
	}
	if err != nil {
		return p, err
	}
	ps := []space.Park{p}
	err = s.attachParkNodes(ctx, c, ps)
	return ps[0], err
}

// CreatePark adds a park. Only administrators create parks; operators are assigned to them.
func (s *Store) CreatePark(ctx context.Context, sc identity.Scope, p space.Park) (space.Park, error) {
	if err := requireRole(sc.Role == identity.Admin); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	p.ID = newID()
	p.CreatedAt, p.UpdatedAt = s.now(), s.now()
	err := s.write(ctx, func(c conn) error {
		_, err := c.exec(ctx, `INSERT INTO parks (id, code, name_zh, name_en, district, address, latitude, longitude,
			land_area, gross_floor_area, above_ground_area, operator, status, phase, contact_name, contact_phone,
			description, created_at, updated_at) VALUES (`+bindParams(19)+`)`,
			p.ID, p.Code, p.NameZh, p.NameEn, p.District, p.Address, p.Latitude, p.Longitude, p.LandArea,
			p.GrossFloorArea, p.AboveGroundArea, p.Operator, p.Status, p.Phase, p.ContactName, p.ContactPhone,
			p.Description, p.CreatedAt, p.UpdatedAt)
		if err := s.constraintError(err, "code", "园区编码已存在", "a park with this code already exists"); err != nil {
			return err
		}
		if err := s.setParkNodes(ctx, c, p.ID, p.LeadingNodeIDs); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "create", "park", p.ID, nil, p)
	})
	return p, err
}

// UpdatePark saves a park's editable fields.
func (s *Store) UpdatePark(ctx context.Context, sc identity.Scope, p space.Park) (space.Park, error) {
	if err := p.Validate(); err != nil {
		return p, err
	}
	var out space.Park
	err := s.write(ctx, func(c conn) error {
		if err := s.lockRows(ctx, c, "parks", []string{p.ID}); err != nil {
			return err
		}
		old, err := s.getPark(ctx, c, sc, p.ID)
		if err != nil {
			return err
		}
		if err := unchangedSince(old.UpdatedAt, p.UpdatedAt); err != nil {
			return err
		}
		if err := requireRole(sc.CanEditSpace() && sc.HasPark(p.ID)); err != nil {
			return err
		}
		p.CreatedAt, p.UpdatedAt = old.CreatedAt, s.now()
		_, err = c.exec(ctx, `UPDATE parks SET code = ?, name_zh = ?, name_en = ?, district = ?, address = ?, latitude = ?,
			longitude = ?, land_area = ?, gross_floor_area = ?, above_ground_area = ?, operator = ?, status = ?, phase = ?,
			contact_name = ?, contact_phone = ?, description = ?, updated_at = ? WHERE id = ?`,
			p.Code, p.NameZh, p.NameEn, p.District, p.Address, p.Latitude, p.Longitude, p.LandArea, p.GrossFloorArea,
			p.AboveGroundArea, p.Operator, p.Status, p.Phase, p.ContactName, p.ContactPhone, p.Description, p.UpdatedAt, p.ID)
		if err := s.constraintError(err, "code", "园区编码已存在", "a park with this code already exists"); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM park_chain_nodes WHERE park_id = ?`, p.ID); err != nil {
			return err
		}
		if err := s.setParkNodes(ctx, c, p.ID, p.LeadingNodeIDs); err != nil {
			return err
		}
		if out, err = s.getPark(ctx, c, sc, p.ID); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "update", "park", p.ID, old, out)
	})
	return out, err
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

// DeletePark removes an empty park. A park that still has zones, buildings, enterprises or
// users is refused with the reason, so nothing is orphaned.
func (s *Store) DeletePark(ctx context.Context, sc identity.Scope, id string) error {
	return s.write(ctx, func(c conn) error {
		old, err := s.getPark(ctx, c, sc, id)
		if err != nil {
			return err
		}
		if err := requireRole(sc.May(identity.DeleteParks)); err != nil {
			return err
		}
		deps := []struct{ table, zh, en string }{
			{"buildings", "栋楼宇", "buildings"},
			{"zones", "个功能区", "zones"},
			{"enterprises", "家企业档案", "enterprise records"},
			{"residencies", "条入驻记录", "residencies"},
			{"user_parks", "个用户分配", "user assignments"},
		}
		for _, d := range deps {
			var n int
			if err := c.queryRow(ctx, `SELECT count(*) FROM `+d.table+` WHERE park_id = ?`, id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return conflict(fmt.Sprintf("园区下还有 %d %s，请先删除或迁出后再删除园区", n, d.zh),
					fmt.Sprintf("the park still has %d %s; remove them before deleting the park", n, d.en))
			}
		}
		if _, err := c.exec(ctx, `DELETE FROM chain_nodes WHERE chain_id IN (SELECT id FROM chains WHERE park_id = ?)`, id); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM chains WHERE park_id = ?`, id); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM parks WHERE id = ?`, id); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "delete", "park", id, old, nil)
	})
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
		scan: func(r *sql.Rows) (space.Zone, error) { return scanZone(r) },
		id:   func(z space.Zone) string { return z.ID },
	}
	cond, args := parkScope(sc, "z.park_id", true)
	l.filter(cond, args...)
	if f.ParkID != "" {
		l.filter("z.park_id = ?", f.ParkID)
	}
	return l.run(ctx, s.read(), req)
}

// GetZone returns one zone.
func (s *Store) GetZone(ctx context.Context, sc identity.Scope, id string) (space.Zone, error) {
	return s.getZone(ctx, s.read(), sc, id)
}

func (s *Store) getZone(ctx context.Context, c conn, sc identity.Scope, id string) (space.Zone, error) {
	cond, args := parkScope(sc, "z.park_id", true)
	z, err := scanZone(c.queryRow(ctx, "SELECT "+zoneCols+" FROM zones z WHERE z.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return z, notFound("功能区", "zone")
	}
	return z, err
}

// checkParentPark makes sure a new child's park exists in scope and the caller may edit it.
func (s *Store) checkParentPark(ctx context.Context, c conn, sc identity.Scope, parkID string, allowed bool) error {
	if _, err := s.getPark(ctx, c, sc, parkID); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return fieldErr("park_id", "not_found", "园区不存在", "no such park")
		}
		return err
	}
	return requireRole(allowed && sc.HasPark(parkID))
}

// CreateZone adds a zone to a park.
func (s *Store) CreateZone(ctx context.Context, sc identity.Scope, z space.Zone) (space.Zone, error) {
	if err := z.Validate(); err != nil {
		return z, err
	}
	z.ID, z.CreatedAt, z.UpdatedAt = newID(), s.now(), s.now()
	err := s.write(ctx, func(c conn) error {
		if err := s.checkParentPark(ctx, c, sc, z.ParkID, sc.CanEditSpace()); err != nil {
			return err
		}
		_, err := c.exec(ctx, `INSERT INTO zones (id, park_id, code, name_zh, name_en, description, created_at, updated_at)
			VALUES (`+bindParams(8)+`)`, z.ID, z.ParkID, z.Code, z.NameZh, z.NameEn, z.Description, z.CreatedAt, z.UpdatedAt)
		if err := s.constraintError(err, "code", "该园区已有此编码的功能区", "the park already has a zone with this code"); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "create", "zone", z.ID, nil, z)
	})
	return z, err
}

// UpdateZone saves a zone. Its park cannot change.
func (s *Store) UpdateZone(ctx context.Context, sc identity.Scope, z space.Zone) (space.Zone, error) {
	err := s.write(ctx, func(c conn) error {
		if err := s.lockRows(ctx, c, "zones", []string{z.ID}); err != nil {
			return err
		}
		old, err := s.getZone(ctx, c, sc, z.ID)
		if err != nil {
			return err
		}
		if err := unchangedSince(old.UpdatedAt, z.UpdatedAt); err != nil {
			return err
		}
		if err := requireRole(sc.CanEditSpace() && sc.HasPark(old.ParkID)); err != nil {
			return err
		}
		z.ParkID, z.CreatedAt, z.UpdatedAt = old.ParkID, old.CreatedAt, s.now()
		if err := z.Validate(); err != nil {
			return err
		}
		_, err = c.exec(ctx, `UPDATE zones SET code = ?, name_zh = ?, name_en = ?, description = ?, updated_at = ? WHERE id = ?`,
			z.Code, z.NameZh, z.NameEn, z.Description, z.UpdatedAt, z.ID)
		if err := s.constraintError(err, "code", "该园区已有此编码的功能区", "the park already has a zone with this code"); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "update", "zone", z.ID, old, z)
	})
	return z, err
}

// DeleteZone removes a zone no building belongs to.
func (s *Store) DeleteZone(ctx context.Context, sc identity.Scope, id string) error {
	return s.write(ctx, func(c conn) error {
		z, err := s.getZone(ctx, c, sc, id)
		if err != nil {
			return err
		}
		if err := requireRole(sc.CanEditSpace() && sc.HasPark(z.ParkID)); err != nil {
			return err
		}
		if err := refuseIfUsed(ctx, c, `SELECT count(*) FROM buildings WHERE zone_id = ?`, id,
			"功能区下还有 %d 栋楼宇，请先调整楼宇所属功能区", "the zone still has %d buildings; move them first"); err != nil {
			return err
		}
		if _, err = c.exec(ctx, `DELETE FROM zones WHERE id = ?`, id); err != nil {
			return err
		}
		return s.record(ctx, c, sc, "delete", "zone", id, z, nil)
	})
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
