package sqlstore

import (
	"context"
	"fmt"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/space"
)

// InsertPark writes a new park in the transaction of ctx.
func (s *Store) InsertPark(ctx context.Context, sc identity.Scope, p space.Park) (space.Park, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return p, err
	}
	p.ID, p.CreatedAt, p.UpdatedAt = newID(), s.now(), s.now()
	_, err = c.exec(ctx, `INSERT INTO parks (id, code, name_zh, name_en, district, address, latitude, longitude,
		land_area, gross_floor_area, above_ground_area, operator, status, phase, contact_name, contact_phone,
		description, created_at, updated_at) VALUES (`+bindParams(19)+`)`,
		p.ID, p.Code, p.NameZh, p.NameEn, p.District, p.Address, p.Latitude, p.Longitude, p.LandArea,
		p.GrossFloorArea, p.AboveGroundArea, p.Operator, p.Status, p.Phase, p.ContactName, p.ContactPhone,
		p.Description, p.CreatedAt, p.UpdatedAt)
	if err := s.constraintError(err, "code", "园区编码已存在", "a park with this code already exists"); err != nil {
		return p, err
	}
	if err := s.setParkNodes(ctx, c, p.ID, p.LeadingNodeIDs); err != nil {
		return p, err
	}
	return s.getPark(ctx, c, sc, p.ID)
}

// LockPark locks a park's row and reads it in the caller's scope.
func (s *Store) LockPark(ctx context.Context, sc identity.Scope, id string) (space.Park, error) {
	return lockedRead(ctx, s, sc, "parks", id, s.getPark)
}

// SavePark writes a changed park in the transaction of ctx.
func (s *Store) SavePark(ctx context.Context, sc identity.Scope, p space.Park) (space.Park, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return p, err
	}
	p.UpdatedAt = s.now()
	_, err = c.exec(ctx, `UPDATE parks SET code = ?, name_zh = ?, name_en = ?, district = ?, address = ?, latitude = ?,
		longitude = ?, land_area = ?, gross_floor_area = ?, above_ground_area = ?, operator = ?, status = ?, phase = ?,
		contact_name = ?, contact_phone = ?, description = ?, updated_at = ? WHERE id = ?`,
		p.Code, p.NameZh, p.NameEn, p.District, p.Address, p.Latitude, p.Longitude, p.LandArea, p.GrossFloorArea,
		p.AboveGroundArea, p.Operator, p.Status, p.Phase, p.ContactName, p.ContactPhone, p.Description, p.UpdatedAt, p.ID)
	if err := s.constraintError(err, "code", "园区编码已存在", "a park with this code already exists"); err != nil {
		return p, err
	}
	if _, err := c.exec(ctx, `DELETE FROM park_chain_nodes WHERE park_id = ?`, p.ID); err != nil {
		return p, err
	}
	if err := s.setParkNodes(ctx, c, p.ID, p.LeadingNodeIDs); err != nil {
		return p, err
	}
	return s.getPark(ctx, c, sc, p.ID)
}

// DeleteParkRow removes an empty park and its own chain templates in the transaction of ctx.
func (s *Store) DeleteParkRow(ctx context.Context, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
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
	return nil
}

// InsertZone writes a new zone of a park the caller operates, in the transaction of ctx.
func (s *Store) InsertZone(ctx context.Context, sc identity.Scope, z space.Zone) (space.Zone, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return z, err
	}
	if err := s.checkParentPark(ctx, c, sc, z.ParkID); err != nil {
		return z, err
	}
	z.ID, z.CreatedAt, z.UpdatedAt = newID(), s.now(), s.now()
	_, err = c.exec(ctx, `INSERT INTO zones (id, park_id, code, name_zh, name_en, description, created_at, updated_at)
		VALUES (`+bindParams(8)+`)`, z.ID, z.ParkID, z.Code, z.NameZh, z.NameEn, z.Description, z.CreatedAt, z.UpdatedAt)
	if err := s.constraintError(err, "code", "该园区已有此编码的功能区", "the park already has a zone with this code"); err != nil {
		return z, err
	}
	return s.getZone(ctx, c, sc, z.ID)
}

// LockZone locks a row of zones and reads it in the caller's scope.
func (s *Store) LockZone(ctx context.Context, sc identity.Scope, id string) (space.Zone, error) {
	return lockedRead(ctx, s, sc, "zones", id, s.getZone)
}

// SaveZone writes a changed zone in the transaction of ctx.
func (s *Store) SaveZone(ctx context.Context, sc identity.Scope, z space.Zone) (space.Zone, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return z, err
	}
	z.UpdatedAt = s.now()
	_, err = c.exec(ctx, `UPDATE zones SET code = ?, name_zh = ?, name_en = ?, description = ?, updated_at = ? WHERE id = ?`,
		z.Code, z.NameZh, z.NameEn, z.Description, z.UpdatedAt, z.ID)
	if err := s.constraintError(err, "code", "该园区已有此编码的功能区", "the park already has a zone with this code"); err != nil {
		return z, err
	}
	return s.getZone(ctx, c, sc, z.ID)
}

// DeleteZoneRow removes a zone without buildings in the transaction of ctx.
func (s *Store) DeleteZoneRow(ctx context.Context, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if err := refuseIfUsed(ctx, c, `SELECT count(*) FROM buildings WHERE zone_id = ?`, id,
		"功能区下还有 %d 栋楼宇，请先调整楼宇所属功能区", "the zone still has %d buildings; move them first"); err != nil {
		return err
	}
	return s.deleteRow(ctx, "zones", id)
}

// InsertBuilding writes a new building of a park the caller operates, its zone one of that park, in the transaction of ctx.
func (s *Store) InsertBuilding(ctx context.Context, sc identity.Scope, b space.Building) (space.Building, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return b, err
	}
	if err := s.checkParentPark(ctx, c, sc, b.ParkID); err != nil {
		return b, err
	}
	if err := s.checkZone(ctx, c, b); err != nil {
		return b, err
	}
	b.ID, b.CreatedAt, b.UpdatedAt = newID(), s.now(), s.now()
	_, err = c.exec(ctx, `INSERT INTO buildings (id, park_id, zone_id, code, name, floors_above, floors_below, gross_area,
		above_ground_area, completed_year, description, created_at, updated_at) VALUES (`+bindParams(13)+`)`,
		b.ID, b.ParkID, nullable(b.ZoneID), b.Code, b.Name, b.FloorsAbove, b.FloorsBelow, b.GrossArea, b.AboveGroundArea,
		b.CompletedYear, b.Description, b.CreatedAt, b.UpdatedAt)
	if err := s.constraintError(err, "code", "该园区已有此编码的楼宇", "the park already has a building with this code"); err != nil {
		return b, err
	}
	return s.getBuilding(ctx, c, sc, b.ID)
}

// LockBuilding locks a row of buildings and reads it in the caller's scope.
func (s *Store) LockBuilding(ctx context.Context, sc identity.Scope, id string) (space.Building, error) {
	return lockedRead(ctx, s, sc, "buildings", id, s.getBuilding)
}

// SaveBuilding writes a changed building, its zone one of its park, in the transaction of ctx.
func (s *Store) SaveBuilding(ctx context.Context, sc identity.Scope, b space.Building) (space.Building, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return b, err
	}
	b.UpdatedAt = s.now()
	if err := s.checkZone(ctx, c, b); err != nil {
		return b, err
	}
	_, err = c.exec(ctx, `UPDATE buildings SET zone_id = ?, code = ?, name = ?, floors_above = ?, floors_below = ?,
		gross_area = ?, above_ground_area = ?, completed_year = ?, description = ?, updated_at = ? WHERE id = ?`,
		nullable(b.ZoneID), b.Code, b.Name, b.FloorsAbove, b.FloorsBelow, b.GrossArea, b.AboveGroundArea, b.CompletedYear,
		b.Description, b.UpdatedAt, b.ID)
	if err := s.constraintError(err, "code", "该园区已有此编码的楼宇", "the park already has a building with this code"); err != nil {
		return b, err
	}
	return s.getBuilding(ctx, c, sc, b.ID)
}

// DeleteBuildingRow removes a building without floors in the transaction of ctx.
func (s *Store) DeleteBuildingRow(ctx context.Context, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if err := refuseIfUsed(ctx, c, `SELECT count(*) FROM floors WHERE building_id = ?`, id,
		"楼宇下还有 %d 个楼层，请先删除楼层", "the building still has %d floors; delete them first"); err != nil {
		return err
	}
	return s.deleteRow(ctx, "buildings", id)
}

// InsertFloor writes a new floor of a building the caller operates, in the transaction of ctx;
// its park follows from the building.
func (s *Store) InsertFloor(ctx context.Context, sc identity.Scope, f space.Floor) (space.Floor, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return f, err
	}
	b, err := s.getBuilding(ctx, c, sc, f.BuildingID)
	if apperr.Is(err, apperr.NotFound) {
		return f, fieldErr("building_id", "not_found", "楼宇不存在", "no such building")
	}
	if err != nil {
		return f, err
	}
	if err := requireRole(sc.HasPark(b.ParkID)); err != nil {
		return f, err
	}
	f.ID, f.ParkID, f.CreatedAt, f.UpdatedAt = newID(), b.ParkID, s.now(), s.now()
	_, err = c.exec(ctx, `INSERT INTO floors (id, park_id, building_id, level, label, gross_area, created_at, updated_at)
		VALUES (`+bindParams(8)+`)`, f.ID, f.ParkID, f.BuildingID, f.Level, f.Label, f.GrossArea, f.CreatedAt, f.UpdatedAt)
	if err := s.constraintError(err, "level", "该楼宇已有这一层", "the building already has this level"); err != nil {
		return f, err
	}
	return s.getFloor(ctx, c, sc, f.ID)
}

// LockFloor locks a row of floors and reads it in the caller's scope.
func (s *Store) LockFloor(ctx context.Context, sc identity.Scope, id string) (space.Floor, error) {
	return lockedRead(ctx, s, sc, "floors", id, s.getFloor)
}

// SaveFloor writes a changed floor in the transaction of ctx.
func (s *Store) SaveFloor(ctx context.Context, sc identity.Scope, f space.Floor) (space.Floor, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return f, err
	}
	f.UpdatedAt = s.now()
	_, err = c.exec(ctx, `UPDATE floors SET level = ?, label = ?, gross_area = ?, updated_at = ? WHERE id = ?`,
		f.Level, f.Label, f.GrossArea, f.UpdatedAt, f.ID)
	if err := s.constraintError(err, "level", "该楼宇已有这一层", "the building already has this level"); err != nil {
		return f, err
	}
	return s.getFloor(ctx, c, sc, f.ID)
}

// DeleteFloorRow removes a floor without units in the transaction of ctx.
func (s *Store) DeleteFloorRow(ctx context.Context, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if err := refuseIfUsed(ctx, c, `SELECT count(*) FROM units WHERE floor_id = ?`, id,
		"楼层上还有 %d 个单元，请先删除单元", "the floor still has %d units; delete them first"); err != nil {
		return err
	}
	return s.deleteRow(ctx, "floors", id)
}

// InsertUnit writes a new unit on a floor of a park the caller operates, with its first version
// and its neighbours, in the transaction of ctx; its park and building follow from the floor.
func (s *Store) InsertUnit(ctx context.Context, sc identity.Scope, u space.Unit) (space.Unit, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return u, err
	}
	fl, err := s.getFloor(ctx, c, sc, u.FloorID)
	if apperr.Is(err, apperr.NotFound) {
		return u, fieldErr("floor_id", "not_found", "楼层不存在", "no such floor")
	}
	if err != nil {
		return u, err
	}
	if err := requireRole(sc.HasPark(fl.ParkID)); err != nil {
		return u, err
	}
	u.ID, u.ParkID, u.BuildingID, u.ValidTo, u.CreatedAt, u.UpdatedAt = newID(), fl.ParkID, fl.BuildingID, civil.Date{}, s.now(), s.now()
	if err := s.insertUnit(ctx, c, u); err != nil {
		return u, err
	}
	if err := s.setNeighbours(ctx, c, u); err != nil {
		return u, err
	}
	return s.getUnit(ctx, c, sc, u.ID)
}

// LockUnit locks a row of units and reads it in the caller's scope.
func (s *Store) LockUnit(ctx context.Context, sc identity.Scope, id string) (space.Unit, error) {
	return lockedRead(ctx, s, sc, "units", id, s.getUnit)
}

// SaveUnit writes a changed unit and its neighbours in the transaction of ctx; when it
// reshapes the unit (kind, areas, leasable) the new version takes effect on u.EffectiveOn.
func (s *Store) SaveUnit(ctx context.Context, sc identity.Scope, old, u space.Unit) (space.Unit, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return u, err
	}
	if old.Reshapes(u) {
		if err := s.reshapeUnit(ctx, c, old, u); err != nil {
			return u, err
		}
	}
	u.UpdatedAt = s.now()
	f := u.Facilities
	_, err = c.exec(ctx, `UPDATE units SET code = ?, kind = ?, gross_area = ?, usable_area = ?, biosafety_level = ?,
		animal_room = ?, cleanroom_grade = ?, floor_load = ?, ceiling_height = ?, fume_exhaust = ?, pure_water = ?,
		power_kva = ?, wastewater_pretreatment = ?, list_rent = ?, property_fee = ?, leasable = ?, note = ?, updated_at = ?
		WHERE id = ?`, u.Code, u.Kind, u.GrossArea, u.UsableArea, f.BiosafetyLevel, f.AnimalRoom, f.CleanroomGrade,
		f.FloorLoad, f.CeilingHeight, f.FumeExhaust, f.PureWater, f.PowerKVA, f.WastewaterPretreatment, u.ListRent,
		u.PropertyFee, u.Leasable, u.Note, u.UpdatedAt, u.ID)
	if err := s.constraintError(err, "code", fmt.Sprintf("该园区已有编码为 %s 的单元", u.Code),
		fmt.Sprintf("the park already has a unit coded %s", u.Code)); err != nil {
		return u, err
	}
	if err := s.setNeighbours(ctx, c, u); err != nil {
		return u, err
	}
	return s.getUnit(ctx, c, sc, u.ID)
}

// DeleteUnitRow removes a unit entered by mistake in the transaction of ctx: one with history
// (a residency, a split or merge) is refused; retire it by split or merge instead.
func (s *Store) DeleteUnitRow(ctx context.Context, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if err := refuseIfUsed(ctx, c, `SELECT count(*) FROM residency_units WHERE unit_id = ?`, id,
		"单元有 %d 条入驻记录，不能删除", "the unit has %d residency records and cannot be deleted"); err != nil {
		return err
	}
	if err := refuseIfUsed(ctx, c, `SELECT count(*) FROM unit_change_links WHERE unit_id = ?`, id,
		"单元有 %d 条拆分/合并记录，不能删除", "the unit has %d split/merge records and cannot be deleted"); err != nil {
		return err
	}
	return s.deleteRow(ctx, "units", id)
}
