package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

const unitCols = `u.id, u.park_id, u.building_id, u.floor_id, u.code, u.kind, u.gross_area, u.usable_area,
	u.biosafety_level, u.animal_room, u.cleanroom_grade, u.floor_load, u.ceiling_height, u.fume_exhaust, u.pure_water,
	u.power_kva, u.wastewater_pretreatment, u.list_rent, u.property_fee, u.leasable, u.valid_from, u.valid_to, u.note,
	u.created_at, u.updated_at, u.neighbour_list`

func scanUnit(r scanner) (space.Unit, error) {
	var u space.Unit
	err := scanUnitInto(r, &u)
	return u, err
}

func scanUnitInto(r scanner, u *space.Unit) error {
	f := &u.Facilities
	return r.Scan(&u.ID, &u.ParkID, &u.BuildingID, &u.FloorID, &u.Code, &u.Kind, &u.GrossArea, &u.UsableArea,
		&f.BiosafetyLevel, &f.AnimalRoom, &f.CleanroomGrade, &f.FloorLoad, &f.CeilingHeight, &f.FumeExhaust, &f.PureWater,
		&f.PowerKVA, &f.WastewaterPretreatment, &u.ListRent, &u.PropertyFee, &u.Leasable, &u.ValidFrom, &u.ValidTo, &u.Note,
		&u.CreatedAt, &u.UpdatedAt, attachedList{&u.NeighbourIDs})
}

// unitScope: operators see their parks' units; tenant staff see the units their enterprise has
// occupied.
func unitScope(sc identity.Scope) (string, []any) {
	if sc.Role.IsEnterprise() {
		return `u.id IN (SELECT ru.unit_id FROM residency_units ru JOIN residencies r ON r.id = ru.residency_id
			WHERE r.enterprise_id = ?)`, []any{sc.EnterpriseID}
	}
	return parkScope(sc, "u.park_id", false)
}

func unitNotFound() error { return notFound("单元", "unit") }

// ListUnits lists units existing on a day (today by default) in the caller's scope.
func (s *Store) ListUnits(ctx context.Context, sc identity.Scope, f space.UnitFilter, req page.Request) (page.Page[space.Unit], error) {
	l := listQuery[space.Unit]{
		selectFrom: "SELECT " + unitCols + " FROM units u",
		idExpr:     "u.id",
		sorts: []sortKey[space.Unit]{
			{"code", "u.code", func(u space.Unit) any { return u.Code }},
			{"gross_area", "u.gross_area", func(u space.Unit) any { return int64(u.GrossArea) }},
			{"list_rent", "u.list_rent", func(u space.Unit) any { return int64(u.ListRent) }},
			{"kind", "u.kind", func(u space.Unit) any { return string(u.Kind) }},
		},
		scan: func(r *sql.Rows, u *space.Unit) error { return scanUnitInto(r, u) },
		id:   func(u space.Unit) string { return u.ID },
	}
	cond, args := unitScope(sc)
	l.filter(cond, args...)
	if !f.IncludeRetired {
		on := f.On
		if on.IsZero() {
			on = s.clock.Today()
		}
		l.filter("u.valid_from <= ? AND (u.valid_to IS NULL OR u.valid_to > ?)", on, on)
	}
	for _, eq := range []struct {
		col string
		v   string
	}{{"u.park_id", f.ParkID}, {"u.building_id", f.BuildingID}, {"u.floor_id", f.FloorID}, {"u.kind", string(f.Kind)},
		{"u.biosafety_level", f.BiosafetyLevel}} {
		if eq.v != "" {
			l.filter(eq.col+" = ?", eq.v)
		}
	}
	if f.Leasable != nil {
		l.filter("u.leasable = ?", *f.Leasable)
	}
	if f.MinArea > 0 {
		l.filter("u.gross_area >= ?", f.MinArea)
	}
	if f.MaxArea > 0 {
		l.filter("u.gross_area <= ?", f.MaxArea)
	}
	if f.Q != "" {
		l.filter(`lower(u.code) LIKE ? ESCAPE '\'`, likeContains(f.Q))
	}
	return l.run(ctx, s.read(ctx), req)
}

// GetUnit returns one unit.
func (s *Store) GetUnit(ctx context.Context, sc identity.Scope, id string) (space.Unit, error) {
	return s.getUnit(ctx, s.read(ctx), sc, id)
}

func (s *Store) getUnit(ctx context.Context, c conn, sc identity.Scope, id string) (space.Unit, error) {
	cond, args := unitScope(sc)
	u, err := scanUnit(c.queryRow(ctx, "SELECT "+unitCols+" FROM units u WHERE u.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return u, unitNotFound()
	}
	return u, err
}

func (s *Store) insertUnit(ctx context.Context, c conn, u space.Unit) error {
	f := u.Facilities
	_, err := c.exec(ctx, `INSERT INTO units (`+unitColumnsPlain+`) VALUES (`+bindParams(25)+`)`,
		u.ID, u.ParkID, u.BuildingID, u.FloorID, u.Code, u.Kind, u.GrossArea, u.UsableArea, f.BiosafetyLevel, f.AnimalRoom,
		f.CleanroomGrade, f.FloorLoad, f.CeilingHeight, f.FumeExhaust, f.PureWater, f.PowerKVA, f.WastewaterPretreatment,
		u.ListRent, u.PropertyFee, u.Leasable, u.ValidFrom, u.ValidTo, u.Note, u.CreatedAt, u.UpdatedAt)
	if err := s.constraintError(err, "code", fmt.Sprintf("该园区已有编码为 %s 的单元", u.Code),
		fmt.Sprintf("the park already has a unit coded %s", u.Code)); err != nil {
		return err
	}
	return s.saveUnitVersion(ctx, c, u, u.ValidFrom)
}

// saveUnitVersion records the unit's kind, areas and leasable flag as they are from the day
// from on, replacing a version already recorded for that day.
func (s *Store) saveUnitVersion(ctx context.Context, c conn, u space.Unit, from civil.Date) error {
	_, err := c.exec(ctx, `INSERT INTO unit_versions (unit_id, park_id, valid_from, kind, gross_area, usable_area, leasable) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (unit_id, valid_from) DO UPDATE SET kind = excluded.kind, gross_area = excluded.gross_area,
		usable_area = excluded.usable_area, leasable = excluded.leasable`, u.ID, u.ParkID, from, u.Kind, u.GrossArea, u.UsableArea, u.Leasable)
	return err
}

// lettableOver is u as its version in force on from has it, and whether it stays leasable on
// every day to to. A unit with no version then is as its row says.
func (s *Store) lettableOver(ctx context.Context, c conn, u space.Unit, from, to civil.Date) (space.Unit, bool, error) {
	rows, err := c.query(ctx, `SELECT valid_from, kind, gross_area, usable_area, leasable FROM unit_versions
		WHERE unit_id = ? AND valid_from <= ? ORDER BY valid_from`, u.ID, to)
	if err != nil {
		return u, false, err
	}
	defer rows.Close()
	leasable := true
	for rows.Next() {
		var v space.UnitVersion
		if err := rows.Scan(&v.ValidFrom, &v.Kind, &v.GrossArea, &v.UsableArea, &v.Leasable); err != nil {
			return u, false, err
		}
		if !v.ValidFrom.After(from) {
			u.Kind, u.GrossArea, u.UsableArea, u.Leasable = v.Kind, v.GrossArea, v.UsableArea, v.Leasable
		} else if !v.Leasable {
			leasable = false
		}
	}
	return u, leasable && u.Leasable, rows.Err()
}

// reshapeUnit records the unit's new version from next.EffectiveOn, first recording what it was
// from its start when it has no versions yet (units written before versions were kept).
func (s *Store) reshapeUnit(ctx context.Context, c conn, old, next space.Unit) error {
	var n int
	if err := c.queryRow(ctx, `SELECT COUNT(*) FROM unit_versions WHERE unit_id = ?`, old.ID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		if err := s.saveUnitVersion(ctx, c, old, old.ValidFrom); err != nil {
			return err
		}
	}
	if err := s.saveUnitVersion(ctx, c, next, next.EffectiveOn); err != nil {
		return err
	}
	_, err := c.exec(ctx, `UPDATE units SET reshaped = ? WHERE id = ?`, true, old.ID)
	return err
}

// UnitVersions lists what a unit was from each day on, oldest first.
func (s *Store) UnitVersions(ctx context.Context, sc identity.Scope, id string) ([]space.UnitVersion, error) {
	c := s.read(ctx)
	if _, err := s.getUnit(ctx, c, sc, id); err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT valid_from, kind, gross_area, usable_area, leasable FROM unit_versions WHERE unit_id = ? ORDER BY valid_from`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []space.UnitVersion{}
	for rows.Next() {
		var v space.UnitVersion
		if err := rows.Scan(&v.ValidFrom, &v.Kind, &v.GrossArea, &v.UsableArea, &v.Leasable); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// unitVersionOn joins (as v) each unit's version in force on a day, its one parameter; a unit
// with no versions (written before they were kept) has none, and versionedUnitCols falls
// back to its row.
const unitVersionOn = `LEFT JOIN unit_versions v ON v.unit_id = u.id AND v.valid_from =
	(SELECT MAX(w.valid_from) FROM unit_versions w WHERE w.unit_id = u.id AND w.valid_from <= ?)`

// versionedUnitCols are kind, gross area and leasable as they were on unitVersionOn's day.
const versionedUnitCols = `COALESCE(v.kind, u.kind), COALESCE(v.gross_area, u.gross_area), COALESCE(v.leasable, u.leasable)`

const unitColumnsPlain = `id, park_id, building_id, floor_id, code, kind, gross_area, usable_area, biosafety_level,
	animal_room, cleanroom_grade, floor_load, ceiling_height, fume_exhaust, pure_water, power_kva, wastewater_pretreatment,
	list_rent, property_fee, leasable, valid_from, valid_to, note, created_at, updated_at`

// setNeighbours replaces a unit's neighbours; the relation is stored both ways and only
// joins current units of the same floor.
func (s *Store) setNeighbours(ctx context.Context, c conn, u space.Unit) error {
	if _, err := c.exec(ctx, `DELETE FROM unit_neighbours WHERE unit_id = ? OR neighbour_id = ?`, u.ID, u.ID); err != nil {
		return err
	}
	for i, n := range dedupe(u.NeighbourIDs) {
		var parkID, floorID string
		var validTo civil.Date
		err := c.queryRow(ctx, `SELECT park_id, floor_id, valid_to FROM units WHERE id = ?`, n).Scan(&parkID, &floorID, &validTo)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && parkID != u.ParkID) {
			// Another park's unit is as unknown here as one that does not exist.
			return fieldErr(fmt.Sprintf("neighbour_ids[%d]", i), "not_found", "单元不存在", "no such unit")
		}
		if err == nil && (floorID != u.FloorID || !validTo.IsZero()) {
			return fieldErr(fmt.Sprintf("neighbour_ids[%d]", i), "not_neighbour", "相邻单元须是同一楼层的现有单元",
				"a neighbour must be a current unit on the same floor")
		}
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, `INSERT INTO unit_neighbours (unit_id, neighbour_id, park_id) VALUES (?, ?, ?), (?, ?, ?)`, u.ID, n, u.ParkID, n, u.ID, u.ParkID); err != nil {
			return err
		}
	}
	return nil
}

// LockUnits locks units' rows, in the transaction of ctx: a lease being signed on them waits,
// then sees what a split or merge made of them.
func (s *Store) LockUnits(ctx context.Context, ids []string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	return s.lockRows(ctx, c, "units", dedupe(ids))
}

// UnitIn reads a unit in the caller's scope, in the transaction of ctx.
func (s *Store) UnitIn(ctx context.Context, sc identity.Scope, id string) (space.Unit, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return space.Unit{}, err
	}
	return s.getUnit(ctx, c, sc, id)
}

// RetireUnit ends a unit the day before day, refusing while a signed lease still lets it then.
func (s *Store) RetireUnit(ctx context.Context, id string, day civil.Date) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	return s.retire(ctx, c, id, day)
}

// InsertNewUnit writes a unit a split or merge made, with its first version, and gives it its id.
func (s *Store) InsertNewUnit(ctx context.Context, u space.Unit) (space.Unit, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return u, err
	}
	u.ID, u.CreatedAt, u.UpdatedAt = newID(), s.now(), s.now()
	return u, s.insertUnit(ctx, c, u)
}

// RecordUnitChange writes a split or merge — the units' neighbours, the change and its links —
// and reads the new units back.
func (s *Store) RecordUnitChange(ctx context.Context, sc identity.Scope, kind string, on civil.Date, from, to []space.Unit) (string, []space.Unit, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return "", nil, err
	}
	for _, u := range to {
		if err := s.setNeighbours(ctx, c, u); err != nil {
			return "", nil, err
		}
	}
	changeID := newID()
	if _, err := c.exec(ctx, `INSERT INTO unit_changes (id, park_id, kind, effective_on, created_at) VALUES (?, ?, ?, ?, ?)`,
		changeID, from[0].ParkID, kind, on, s.now()); err != nil {
		return "", nil, err
	}
	for _, link := range []struct {
		role  string
		units []space.Unit
	}{{"from", from}, {"to", to}} {
		for _, u := range link.units {
			if _, err := c.exec(ctx, `INSERT INTO unit_change_links (change_id, park_id, unit_id, role) VALUES (?, ?, ?, ?)`, changeID, u.ParkID, u.ID, link.role); err != nil {
				return "", nil, err
			}
		}
	}
	out := make([]space.Unit, len(to))
	for i, u := range to {
		if out[i], err = s.getUnit(ctx, c, sc, u.ID); err != nil {
			return "", nil, err
		}
	}
	return changeID, out, nil
}

// retire ends a unit's life on day and drops its neighbour links; its rows stay for history.
// A unit still let under a signed contract on or after day cannot be retired: the contract
// must be amended first, or the lease would point at a unit that no longer exists.
func (s *Store) retire(ctx context.Context, c conn, id string, day civil.Date) error {
	var number, code string
	err := c.queryRow(ctx, `SELECT k.number, u.code FROM contract_units cu JOIN contracts k ON k.id = cu.contract_id
		JOIN units u ON u.id = cu.unit_id WHERE cu.unit_id = ? AND k.status <> 'draft' AND cu.to_on >= ?
		AND (k.terminated_on IS NULL OR k.terminated_on >= ?) LIMIT 1`, id, day, day).Scan(&number, &code)
	if err == nil {
		return conflict(fmt.Sprintf("单元 %s 在 %s 之后仍由合同 %s 出租，请先变更合同", code, day, number),
			fmt.Sprintf("unit %s is let under contract %s on or after %s; amend the contract first", code, number, day))
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if _, err := c.exec(ctx, `UPDATE units SET valid_to = ?, updated_at = ? WHERE id = ?`, day, s.now(), id); err != nil {
		return err
	}
	_, err = c.exec(ctx, `DELETE FROM unit_neighbours WHERE unit_id = ? OR neighbour_id = ?`, id, id)
	return err
}

// UnitHistory lists the splits and merges a unit took part in, oldest first.
func (s *Store) UnitHistory(ctx context.Context, sc identity.Scope, id string) ([]space.UnitChange, error) {
	if _, err := s.GetUnit(ctx, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.read(ctx).query(ctx, `SELECT ch.id, ch.park_id, ch.kind, ch.effective_on, ch.created_at, l.unit_id, l.role
		FROM unit_changes ch JOIN unit_change_links l ON l.change_id = ch.id
		WHERE ch.id IN (SELECT change_id FROM unit_change_links WHERE unit_id = ?)
		ORDER BY ch.effective_on, ch.id, l.unit_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []space.UnitChange{}
	for rows.Next() {
		var ch space.UnitChange
		var unitID, role string
		if err := rows.Scan(&ch.ID, &ch.ParkID, &ch.Kind, &ch.EffectiveOn, &ch.CreatedAt, &unitID, &role); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != ch.ID {
			ch.FromIDs, ch.ToIDs = []string{}, []string{}
			out = append(out, ch)
		}
		last := &out[len(out)-1]
		if role == "from" {
			last.FromIDs = append(last.FromIDs, unitID)
		} else {
			last.ToIDs = append(last.ToIDs, unitID)
		}
	}
	return out, rows.Err()
}

// LeasableArea sums the gross area of leasable units of a park existing on a day. It is the
// denominator of occupancy, and must not change for past days when units are split or merged.
func (s *Store) LeasableArea(ctx context.Context, sc identity.Scope, parkID string, on civil.Date) (measure.Area, error) {
	if _, err := s.GetPark(ctx, sc, parkID); err != nil {
		return 0, err
	}
	if !sc.HasPark(parkID) {
		return 0, parkNotFound()
	}
	var a measure.Area
	err := s.read(ctx).queryRow(ctx, `SELECT COALESCE(SUM(COALESCE(v.gross_area, u.gross_area)), 0) FROM units u `+unitVersionOn+`
		WHERE u.park_id = ? AND COALESCE(v.leasable, u.leasable) = ? AND u.valid_from <= ? AND (u.valid_to IS NULL OR u.valid_to > ?)`,
		on, parkID, true, on, on).Scan(&a)
	return a, err
}
