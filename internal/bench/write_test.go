package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

// BenchmarkContractWritePath is the contract write path: create a draft for one month of a
// unit and sign it (scope checks, unit locks, the lettability check against the unit's earlier
// lettings, the audit entries). Each iteration lets the next month, so the history grows.
func BenchmarkContractWritePath(b *testing.B) {
	st, ctx, sys := dataset(b), context.Background(), identity.System()
	p := parkByCode(b, st, "G0005")
	floors, err := st.ListFloors(ctx, sys, space.FloorFilter{ParkID: p.ID}, page.Request{Limit: 1})
	if err != nil || len(floors.Items) == 0 {
		b.Fatalf("no floor: %v", err)
	}
	ents, err := st.ListEnterprises(ctx, sys, enterprise.Filter{ParkID: p.ID}, page.Request{Limit: 1})
	if err != nil || len(ents.Items) == 0 {
		b.Fatalf("no enterprise: %v", err)
	}
	unit, err := space.NewService(st, civil.SystemClock{}).CreateUnit(ctx, sys, space.Unit{FloorID: floors.Items[0].ID, Code: fmt.Sprintf("BENCH-%d", time.Now().UnixNano()),
		Kind: space.KindOffice, GrossArea: measure.AreaM2(120), Leasable: true, ValidFrom: civil.Of(2000, 1, 1)})
	if err != nil {
		b.Fatal(err)
	}
	lease := leasing.NewService(st, civil.SystemClock{})
	start := civil.Of(2000, 1, 1)
	i := 0
	for b.Loop() {
		from := start.AddMonths(i)
		k, err := lease.CreateContract(ctx, sys, leasing.NewContract{ContractTerms: leasing.ContractTerms{
			Number: fmt.Sprintf("BENCH-%s-%d", unit.Code, i), EnterpriseID: ents.Items[0].ID, StartOn: from,
			EndOn: from.AddMonths(1).AddDays(-1), Price: 50000, Units: []leasing.ContractUnit{{UnitID: unit.ID}}}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := lease.ActivateContract(ctx, sys, k.ID); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
