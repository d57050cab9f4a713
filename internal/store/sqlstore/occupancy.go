package sqlstore

import (
	"context"
	"database/sql"
	"slices"
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
	if f.ParkID == "" {
		return s.occupancyRows(ctx, f)
	}
	rows, err := cachedFigure(ctx, s, "occupancy", f.ParkID, f.BuildingID+"|"+f.Kind, func() (occupancyInput, error) {
		units, leases, err := s.occupancyRows(ctx, f)
		return occupancyInput{units, leases}, err
	}, func(in occupancyInput) occupancyInput {
		// Callers read the rows and copy what they change; the slices are their own.
		return occupancyInput{slices.Clone(in.units), slices.Clone(in.leases)}
	})
	return rows.units, rows.leases, err
}

// occupancyInput is what occupancy is computed from, as OccupancyRows keeps it per park.
type occupancyInput struct {
	units  []leasing.UnitRow
	leases []leasing.LeaseRow
}

// occupancyRows reads the units and signed leases of f (OccupancyRows caches a park's).
func (s *Store) occupancyRows(ctx context.Context, f leasing.OccupancyFilter) ([]leasing.UnitRow, []leasing.LeaseRow, error) {
	where, args := []string{"1=1"}, []any{}
	for _, eq := range []struct{ col, v string }{{"u.park_id", f.ParkID}, {"u.building_id", f.BuildingID}} {
		if eq.v != "" {
			where = append(where, eq.col+" = ?")
			args = append(args, eq.v)
		}
	}
	if f.Kind != "" {
		// A unit whose kind changed with a date is of the kind asked for on some days only: it
		// comes along, and counts on the days its version is of that kind.
		where = append(where, "(u.kind = ? OR u.reshaped = ?)")
		args = append(args, f.Kind, true)
	}
	cond := strings.Join(where, " AND ")
	if len(where) == 1 {
		// The figures of every park together read every unit and lease, by design; the marker
		// tells the query-plan test so.
		cond += " /* all parks */"
	}
	units, reshaped, err := s.unitRows(ctx, cond, args)
	if err != nil {
		return nil, nil, err
	}
	for i := range units {
		units[i].OnlyKind = f.Kind
	}
	if err := s.attachPredecessors(ctx, units, f.ParkID); err != nil {
		return nil, nil, err
	}
	// Units made by a split or merge carry on the history of their predecessors; those outside
	// the filter (another kind, say) come along for that only.
	outside := predecessorsOutside(units)
	if len(outside) > 0 {
		preds, more, err := s.unitRows(ctx, `u.id IN (`+bindParams(len(outside))+`)`, anySlice(outside))
		if err != nil {
			return nil, nil, err
		}
		for i := range preds {
			preds[i].LineageOnly = true
		}
		units, reshaped = append(units, preds...), append(reshaped, more...)
	}
	if err := s.attachVersions(ctx, units, reshaped); err != nil {
		return nil, nil, err
	}
	// Of one park, the leases are found from its signed contracts (contracts_signed_park_end),
	// so drafts are never read; 'draft' is written out so that the planner can use that partial
	// index.
	leaseFrom := `FROM contract_units cu JOIN contracts k ON k.id = cu.contract_id JOIN units u ON u.id = cu.unit_id
		WHERE k.status <> 'draft' AND `
	leaseArgs := args
	switch {
	case f.ParkID != "" && f.BuildingID == "" && f.Kind == "":
		// The whole park: its contracts are its units' leases, no unit need be read.
		leaseFrom, cond = `FROM contracts k JOIN contract_units cu ON cu.contract_id = k.id
		WHERE k.park_id = ? AND k.status <> 'draft'`, ""
		leaseArgs = []any{f.ParkID}
	case f.ParkID != "":
		leaseFrom = `FROM contracts k JOIN contract_units cu ON cu.contract_id = k.id JOIN units u ON u.id = cu.unit_id
		WHERE k.park_id = ? AND k.status <> 'draft' AND `
		leaseArgs = append([]any{f.ParkID}, args...)
	}
	rows, err := s.read(ctx).query(ctx, `SELECT `+leaseRowCols+` `+leaseFrom+cond, leaseArgs...)
	if err != nil {
		return nil, nil, err
	}
	leases, err := scanLeaseRows(rows)
	if err != nil {
		return nil, nil, err
	}
	if len(outside) > 0 {
		rows, err := s.read(ctx).query(ctx, `SELECT `+leaseRowCols+` FROM contract_units cu JOIN contracts k ON k.id = cu.contract_id
			WHERE k.status <> 'draft' AND cu.unit_id IN (`+bindParams(len(outside))+`)`, anySlice(outside)...)
		if err != nil {
			return nil, nil, err
		}
		more, err := scanLeaseRows(rows)
		if err != nil {
			return nil, nil, err
		}
		leases = append(leases, more...)
	}
	return units, leases, nil
}

// unitRows reads the units matching cond, and the ids of those among them that changed shape.
func (s *Store) unitRows(ctx context.Context, cond string, args []any) ([]leasing.UnitRow, []string, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT u.id, u.building_id, u.kind, u.gross_area, u.leasable, u.valid_from, u.valid_to,
		u.reshaped FROM units u WHERE `+cond, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var units []leasing.UnitRow
	var reshaped []string
	for rows.Next() {
		var u leasing.UnitRow
		var changed bool
		if err := rows.Scan(&u.ID, &u.BuildingID, &u.Kind, &u.Gross, &u.Leasable, &u.ValidFrom, &u.ValidTo, &changed); err != nil {
			return nil, nil, err
		}
		if changed {
			reshaped = append(reshaped, u.ID)
		}
		units = append(units, u)
	}
	return units, reshaped, rows.Err()
}

const leaseRowCols = `k.id, k.enterprise_id, cu.unit_id, cu.from_on, cu.to_on, k.signed_on, k.start_on, k.end_on, k.terminated_on`

// scanLeaseRows reads leaseRowCols rows and closes them.
func scanLeaseRows(rows *sql.Rows) ([]leasing.LeaseRow, error) {
	defer rows.Close()
	var leases []leasing.LeaseRow
	for rows.Next() {
		var l leasing.LeaseRow
		var k leasing.Contract
		if err := rows.Scan(&l.ContractID, &l.EnterpriseID, &l.UnitID, &l.From, &l.To, &l.SignedOn, &k.StartOn, &k.EndOn, &k.TerminatedOn); err != nil {
			return nil, err
		}
		l.LastDay = k.LastDay()
		if l.SignedOn.IsZero() {
			l.SignedOn = k.StartOn
		}
		leases = append(leases, l)
	}
	return leases, rows.Err()
}

// predecessorsOutside lists the predecessors of units that are not among units themselves.
func predecessorsOutside(units []leasing.UnitRow) []string {
	var in map[string]bool
	var out []string
	for _, u := range units {
		for _, id := range u.From {
			if in == nil {
				in = make(map[string]bool, len(units))
				for _, v := range units {
					in[v.ID] = true
				}
			}
			if !in[id] {
				in[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// attachPredecessors fills each unit's From: the units a split or merge made it from. The
// park's changes are few, so they are read by park and matched to the units here.
func (s *Store) attachPredecessors(ctx context.Context, units []leasing.UnitRow, parkID string) error {
	q, args := `SELECT t.unit_id, f.unit_id FROM unit_changes ch
		JOIN unit_change_links t ON t.change_id = ch.id AND t.role = 'to'
		JOIN unit_change_links f ON f.change_id = ch.id AND f.role = 'from'`, []any{}
	if parkID != "" {
		q, args = q+` WHERE ch.park_id = ?`, append(args, parkID)
	}
	rows, err := s.read(ctx).query(ctx, q+` ORDER BY t.unit_id, f.unit_id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	from := map[string][]string{}
	for rows.Next() {
		var id, pred string
		if err := rows.Scan(&id, &pred); err != nil {
			return err
		}
		from[id] = append(from[id], pred)
	}
	if len(from) > 0 {
		for i := range units {
			units[i].From = from[units[i].ID]
		}
	}
	return rows.Err()
}

// attachVersions fills the versions of the units that changed shape since they were made; the
// others are as their rows say.
func (s *Store) attachVersions(ctx context.Context, units []leasing.UnitRow, reshaped []string) error {
	if len(reshaped) == 0 {
		return nil
	}
	rows, err := s.read(ctx).query(ctx, `SELECT unit_id, valid_from, kind, gross_area, leasable FROM unit_versions
		WHERE unit_id IN (`+bindParams(len(reshaped))+`) ORDER BY unit_id, valid_from`, anySlice(reshaped)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	versions := map[string][]leasing.Version{}
	for rows.Next() {
		var id string
		var v leasing.Version
		if err := rows.Scan(&id, &v.From, &v.Kind, &v.Gross, &v.Leasable); err != nil {
			return err
		}
		versions[id] = append(versions[id], v)
	}
	for i := range units {
		units[i].Versions = versions[units[i].ID]
	}
	return rows.Err()
}
