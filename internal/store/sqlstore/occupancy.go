package sqlstore

import (
	"context"
	"strings"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
)

// OccupancyRows loads the units and signed leases occupancy is computed from. Operators must
// name one of their parks; tenant staff see no occupancy.
func (s *Store) OccupancyRows(ctx context.Context, sc identity.Scope, f leasing.OccupancyFilter) ([]leasing.UnitRow, []leasing.LeaseRow, error) {
	if f.ParkID != "" {
		if _, err := s.GetPark(ctx, sc, f.ParkID); err != nil || !sc.HasPark(f.ParkID) {
			return nil, nil, parkNotFound()
		}
	} else if !sc.AllParks() {
		return nil, nil, fieldErr("park_id", "required", "请选择园区", "choose a park")
	}
	where, args := []string{"1=1"}, []any{}
	for _, eq := range []struct{ col, v string }{{"u.park_id", f.ParkID}, {"u.building_id", f.BuildingID}, {"u.kind", f.Kind}} {
		if eq.v != "" {
			where = append(where, eq.col+" = ?")
			args = append(args, eq.v)
		}
	}
	cond := strings.Join(where, " AND ")
	rows, err := s.read().query(ctx, `SELECT u.id, u.building_id, u.kind, u.gross_area, u.leasable, u.valid_from, u.valid_to
		FROM units u WHERE `+cond, args...)
	if err != nil {
		return nil, nil, err
	}
	var units []leasing.UnitRow
	for rows.Next() {
		var u leasing.UnitRow
		if err := rows.Scan(&u.ID, &u.BuildingID, &u.Kind, &u.Gross, &u.Leasable, &u.ValidFrom, &u.ValidTo); err != nil {
			rows.Close()
			return nil, nil, err
		}
		units = append(units, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = s.read().query(ctx, `SELECT k.id, k.enterprise_id, cu.unit_id, cu.from_on, cu.to_on, k.signed_on, k.start_on,
		k.end_on, k.terminated_on FROM contract_units cu JOIN contracts k ON k.id = cu.contract_id JOIN units u ON u.id = cu.unit_id
		WHERE k.status <> ? AND `+cond, append([]any{leasing.Draft}, args...)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var leases []leasing.LeaseRow
	for rows.Next() {
		var l leasing.LeaseRow
		var k leasing.Contract
		if err := rows.Scan(&l.ContractID, &l.EnterpriseID, &l.UnitID, &l.From, &l.To, &l.SignedOn, &k.StartOn, &k.EndOn, &k.TerminatedOn); err != nil {
			return nil, nil, err
		}
		l.LastDay = k.LastDay()
		if l.SignedOn.IsZero() {
			l.SignedOn = k.StartOn
		}
		leases = append(leases, l)
	}
	return units, leases, rows.Err()
}
