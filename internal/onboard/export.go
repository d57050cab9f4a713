package onboard

import (
	"context"
	"math"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

// Lister is what an export reads, every list scoped to the caller.
type Lister interface {
	ListParks(ctx context.Context, sc identity.Scope, f space.ParkFilter, req page.Request) (page.Page[space.Park], error)
	ListBuildings(ctx context.Context, sc identity.Scope, f space.BuildingFilter, req page.Request) (page.Page[space.Building], error)
	ListFloors(ctx context.Context, sc identity.Scope, f space.FloorFilter, req page.Request) (page.Page[space.Floor], error)
	ListUnits(ctx context.Context, sc identity.Scope, f space.UnitFilter, req page.Request) (page.Page[space.Unit], error)
	ListEnterprises(ctx context.Context, sc identity.Scope, f enterprise.Filter, req page.Request) (page.Page[enterprise.Enterprise], error)
	ListQualifications(ctx context.Context, sc identity.Scope, f enterprise.QualificationFilter, req page.Request) (page.Page[enterprise.Qualification], error)
	ListResidencies(ctx context.Context, sc identity.Scope, f enterprise.ResidencyFilter, req page.Request) (page.Page[enterprise.Residency], error)
	ListContracts(ctx context.Context, sc identity.Scope, f leasing.Filter, req page.Request) (page.Page[leasing.Contract], error)
}

// Export reads everything the caller may see — or one park's share of it when parkID is set —
// as rows that name each other by code, in the order an import applies them. Every unit is
// exported, retired ones too, so that old contracts still find theirs. A company kept by a park
// the caller cannot see has its park code left blank, which an import reads as "leave alone".
func Export(ctx context.Context, st Lister, sc identity.Scope, parkID string) (Batch, error) {
	var b Batch
	if sc.Role.IsEnterprise() {
		// Enterprise staff see the park's public records, but the park's books are not theirs.
		return b, apperr.New(apperr.Forbidden, "企业用户不能导出园区数据", "enterprise users cannot export park records")
	}
	parks, err := page.All(func(r page.Request) (page.Page[space.Park], error) {
		r.Sort = "code"
		return st.ListParks(ctx, sc, space.ParkFilter{}, r)
	}, math.MaxInt)
	if err != nil {
		return b, err
	}
	parkCode := map[string]string{}
	for _, p := range parks {
		parkCode[p.ID] = p.Code
		if parkID == "" || p.ID == parkID {
			b.Parks = append(b.Parks, ParkRow{Park: p})
		}
	}
	buildings, err := page.All(func(r page.Request) (page.Page[space.Building], error) {
		return st.ListBuildings(ctx, sc, space.BuildingFilter{ParkID: parkID}, r)
	}, math.MaxInt)
	if err != nil {
		return b, err
	}
	buildingCode := map[string]string{}
	for _, x := range buildings {
		buildingCode[x.ID] = x.Code
		b.Buildings = append(b.Buildings, BuildingRow{ParkCode: parkCode[x.ParkID], Building: x})
	}
	floors, err := page.All(func(r page.Request) (page.Page[space.Floor], error) {
		return st.ListFloors(ctx, sc, space.FloorFilter{ParkID: parkID}, r)
	}, math.MaxInt)
	if err != nil {
		return b, err
	}
	floorLevel := map[string]int{}
	for _, f := range floors {
		floorLevel[f.ID] = f.Level
		b.Floors = append(b.Floors, FloorRow{ParkCode: parkCode[f.ParkID], BuildingCode: buildingCode[f.BuildingID], Floor: f})
	}
	units, err := page.All(func(r page.Request) (page.Page[space.Unit], error) {
		return st.ListUnits(ctx, sc, space.UnitFilter{ParkID: parkID, IncludeRetired: true}, r)
	}, math.MaxInt)
	if err != nil {
		return b, err
	}
	unitCode := map[string]string{}
	for _, u := range units {
		unitCode[u.ID] = u.Code
		b.Units = append(b.Units, UnitRow{ParkCode: parkCode[u.ParkID], BuildingCode: buildingCode[u.BuildingID],
			FloorLevel: floorLevel[u.FloorID], Unit: u})
	}
	companies, err := page.All(func(r page.Request) (page.Page[enterprise.Enterprise], error) {
		return st.ListEnterprises(ctx, sc, enterprise.Filter{ParkID: parkID}, r)
	}, math.MaxInt)
	if err != nil {
		return b, err
	}
	companyRef := map[string]string{}
	for _, e := range companies {
		companyRef[e.ID] = EnterpriseKey(e)
		b.Enterprises = append(b.Enterprises, EnterpriseRow{ParkCode: parkCode[e.ParkID], Enterprise: e})
	}
	quals, err := page.All(func(r page.Request) (page.Page[enterprise.Qualification], error) {
		return st.ListQualifications(ctx, sc, enterprise.QualificationFilter{ParkID: parkID}, r)
	}, math.MaxInt)
	if err != nil {
		return b, err
	}
	for _, q := range quals {
		if ref, ok := companyRef[q.EnterpriseID]; ok {
			b.Qualifications = append(b.Qualifications, QualificationRow{EnterpriseCode: ref, Qualification: q})
		}
	}
	stays, err := page.All(func(r page.Request) (page.Page[enterprise.Residency], error) {
		return st.ListResidencies(ctx, sc, enterprise.ResidencyFilter{ParkID: parkID}, r)
	}, math.MaxInt)
	if err != nil {
		return b, err
	}
	for _, s := range stays {
		if _, visible := parkCode[s.ParkID]; !visible {
			continue // a stay in a park the caller does not keep: that park's books
		}
		b.Residencies = append(b.Residencies, ResidencyRow{EnterpriseCode: companyRef[s.EnterpriseID], ParkCode: parkCode[s.ParkID],
			UnitCodes: codes(s.UnitIDs, unitCode), Residency: s})
	}
	contracts, err := page.All(func(r page.Request) (page.Page[leasing.Contract], error) {
		r.Sort = "start_on"
		return st.ListContracts(ctx, sc, leasing.Filter{ParkID: parkID}, r)
	}, math.MaxInt)
	if err != nil {
		return b, err
	}
	number := map[string]string{}
	for _, k := range contracts {
		number[k.ID] = k.Number
	}
	for _, k := range contracts {
		if _, visible := parkCode[k.ParkID]; !visible {
			continue
		}
		ids := make([]string, len(k.Units))
		for i, u := range k.Units {
			ids[i] = u.UnitID
			b.ContractUnits = append(b.ContractUnits, ContractUnitRow{ParkCode: parkCode[k.ParkID], ContractNumber: k.Number,
				UnitCode: unitCode[u.UnitID], ContractUnit: u})
		}
		b.Contracts = append(b.Contracts, ContractRow{ParkCode: parkCode[k.ParkID], EnterpriseCode: companyRef[k.EnterpriseID],
			UnitCodes: dedupe(codes(ids, unitCode)), RenewalOfNumber: number[k.RenewalOf], Contract: k})
	}
	return b, nil
}

// EnterpriseKey is how other rows name a company: its credit code, or its name when it has none.
func EnterpriseKey(e enterprise.Enterprise) string {
	if e.CreditCode != "" {
		return e.CreditCode
	}
	return e.Name
}

func codes(ids []string, code map[string]string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = code[id]
	}
	return out
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
