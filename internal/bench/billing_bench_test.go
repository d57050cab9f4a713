package bench

import (
	"context"
	"testing"

	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

// BenchmarkBillingRunAllParks is a monthly billing run of every park (all 200,000 contracts at
// beijing scale) on 1 July 2026, the month after the generated billing history ends: each park
// in its own run, issued at once. The first iteration bills the month; later ones find it billed
// and write nothing, so run it once (-benchtime 1x) on a fresh copy of the data set.
func BenchmarkBillingRunAllParks(b *testing.B) {
	st := dataset(b)
	ctx := context.Background()
	parks, err := page.All(func(r page.Request) (page.Page[space.Park], error) {
		return st.ListParks(ctx, identity.System(), space.ParkFilter{}, r)
	}, 10_000)
	if err != nil {
		b.Fatal(err)
	}
	svc := billing.NewService(st, civil.FixedClock(civil.Of(2026, 7, 1)), nil)
	lines := 0
	for b.Loop() {
		for _, p := range parks {
			r, err := svc.RunBilling(ctx, identity.System(), billing.Run{ParkID: p.ID, BillingDate: civil.Of(2026, 7, 1), Issue: true})
			if err != nil {
				b.Fatal(err)
			}
			lines += r.Lines
		}
	}
	b.ReportMetric(float64(lines)/float64(b.N), "lines/op")
}

// BenchmarkAgingPool is the authority's aging of the whole pool on the generator's today, by park.
func BenchmarkAgingPool(b *testing.B) {
	st := dataset(b)
	svc := billing.NewService(st, civil.FixedClock(civil.Of(2026, 6, 30)), nil)
	for b.Loop() {
		a, err := svc.AgingOn(context.Background(), identity.Scope{Role: identity.Authority}, billing.AgingQuery{By: "park"})
		if err != nil || len(a.Rows) == 0 {
			b.Fatalf("aging: %d rows, %v", len(a.Rows), err)
		}
	}
}
