package sqlstore

import (
	"context"
	"slices"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
)

func unitFacilities(bsl, animal, clean string, fume, water bool) []string {
	out := []string{}
	switch bsl {
	case "BSL-1":
		out = append(out, "bsl1")
	case "BSL-2":
		out = append(out, "bsl2")
	case "BSL-3":
		out = append(out, "bsl3")
	}
	if animal != "" {
		out = append(out, "animal_room")
	}
	if clean != "" {
		out = append(out, "cleanroom")
	}
	if fume {
		out = append(out, "fume_exhaust")
	}
	if water {
		out = append(out, "pure_water")
	}
	return out
}

// StackPlan builds the 租控图 of a park on a day in four queries: buildings and floors, the units
// existing that day, the signed leases and the active holds that touch it.
func (s *Store) StackPlan(ctx context.Context, sc identity.Scope, parkID string, on civil.Date, f leasing.StackFilter) (leasing.StackPlan, error) {
	if _, err := s.GetPark(ctx, sc, parkID); err != nil || !sc.HasPark(parkID) {
		return leasing.StackPlan{}, parkNotFound()
	}
	detail := on.String() + "|" + f.BuildingID + "|" + f.Kind + "|" + f.Facility
	return cachedFigure(ctx, s, "stack", parkID, detail, func() (leasing.StackPlan, error) { return s.stackPlan(ctx, parkID, on, f) },
		leasing.StackPlan.Clone)
}

// stackPlan reads and builds the stack plan (StackPlan caches it).
func (s *Store) stackPlan(ctx context.Context, parkID string, on civil.Date, f leasing.StackFilter) (leasing.StackPlan, error) {
	plan := leasing.StackPlan{ParkID: parkID, On: on, Areas: map[string]measure.Area{}, Counts: map[string]int{}}
	c := s.read(ctx)
	rows, err := c.query(ctx, `SELECT b.id, b.code, b.name, f.id, f.level, f.label FROM buildings b JOIN floors f ON f.building_id = b.id
		WHERE b.park_id = ? ORDER BY b.code, f.level DESC`, parkID)
	if err != nil {
		return plan, err
	}
	floorAt := map[string][2]int{}
	for rows.Next() {
		var bID, bCode, bName, fID, label string
		var level int
		if err := rows.Scan(&bID, &bCode, &bName, &fID, &level, &label); err != nil {
			rows.Close()
			return plan, err
		}
		if f.BuildingID != "" && bID != f.BuildingID {
			continue
		}
		if n := len(plan.Buildings); n == 0 || plan.Buildings[n-1].ID != bID {
			plan.Buildings = append(plan.Buildings, leasing.StackBuilding{ID: bID, Code: bCode, Name: bName})
		}
		bi := len(plan.Buildings) - 1
		plan.Buildings[bi].Floors = append(plan.Buildings[bi].Floors, leasing.StackFloor{ID: fID, Level: level, Label: label,
			Units: []leasing.StackUnit{}})
		floorAt[fID] = [2]int{bi, len(plan.Buildings[bi].Floors) - 1}
	}
	rows.Close()

	leases := map[string][]leasing.StackLease{}
	lrows, err := c.query(ctx, `SELECT cu.unit_id, k.id, e.name, cu.from_on, cu.to_on, k.end_on, k.terminated_on
		FROM contract_units cu JOIN contracts k ON k.id = cu.contract_id JOIN enterprises e ON e.id = k.enterprise_id
		WHERE k.park_id = ? AND k.end_on >= ? AND k.status <> 'draft' AND cu.to_on >= ? AND (k.terminated_on IS NULL OR k.terminated_on >= ?)
		AND (cu.from_on <= ? OR k.signed_on <= ?)`,
		parkID, on, on, on, on, on)
	if err != nil {
		return plan, err
	}
	for lrows.Next() {
		var l leasing.StackLease
		var to, end, term civil.Date
		if err := lrows.Scan(&l.UnitID, &l.ContractID, &l.Tenant, &l.From, &to, &end, &term); err != nil {
			lrows.Close()
			return plan, err
		}
		l.LastDay = civil.Min(to, leasing.Contract{EndOn: end, TerminatedOn: term}.LastDay())
		leases[l.UnitID] = append(leases[l.UnitID], l)
	}
	lrows.Close()
	holds := map[string][]leasing.StackHold{}
	hrows, err := c.query(ctx, `SELECT h.unit_id, l.company, h.from_on, h.until_on FROM holds h JOIN leads l ON l.id = h.lead_id
		WHERE h.park_id = ? AND h.status = 'active' AND h.until_on >= ?`, parkID, on)
	if err != nil {
		return plan, err
	}
	for hrows.Next() {
		var h leasing.StackHold
		if err := hrows.Scan(&h.UnitID, &h.Company, &h.From, &h.Until); err != nil {
			hrows.Close()
			return plan, err
		}
		holds[h.UnitID] = append(holds[h.UnitID], h)
	}
	hrows.Close()

	urows, err := c.query(ctx, `SELECT u.id, u.floor_id, u.code, `+versionedUnitCols+`, u.biosafety_level, u.animal_room,
		u.cleanroom_grade, u.fume_exhaust, u.pure_water FROM units u `+unitVersionOn+`
		WHERE u.park_id = ? AND u.valid_from <= ? AND (u.valid_to IS NULL OR u.valid_to > ?) ORDER BY u.code`, on, parkID, on, on)
	if err != nil {
		return plan, err
	}
	defer urows.Close()
	for urows.Next() {
		var u leasing.StackUnit
		var floorID, bsl, animal, clean string
		var leasable, fume, water bool
		if err := urows.Scan(&u.ID, &floorID, &u.Code, &u.Kind, &u.Gross, &leasable, &bsl, &animal, &clean, &fume, &water); err != nil {
			return plan, err
		}
		at, ok := floorAt[floorID]
		if !ok || (f.Kind != "" && u.Kind != f.Kind) {
			continue
		}
		u.Facilities = unitFacilities(bsl, animal, clean, fume, water)
		if f.Facility != "" && !slices.Contains(u.Facilities, f.Facility) {
			continue
		}
		u.Status, u.Tenant, u.ContractID, u.Until = leasing.StatusOn(leasable, leases[u.ID], holds[u.ID], on)
		fl := &plan.Buildings[at[0]].Floors[at[1]]
		fl.Units = append(fl.Units, u)
		fl.Gross += u.Gross
		plan.Areas[u.Status] += u.Gross
		plan.Counts[u.Status]++
	}
	return plan, urows.Err()
}
