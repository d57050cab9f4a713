package leasing

import (
	"math"
	"testing"

	"github.com/parkos/parkos/internal/civil"
)

// Four units of 100, 200, 300 and 400 m²; the 400 m² one is split on 2025-07-01 into two of
// 200 m². Leases: A all 2025; B from 2025-03-01 to 2026-02-28, signed in January; C signed in
// 2025-05 to start 2025-09-01; D1 (half of D) from 2025-08-01.
func occupancyFixture() ([]UnitRow, []LeaseRow) {
	d := func(s string) civil.Date { return day(s) }
	units := []UnitRow{
		{ID: "A", Gross: 10000, Leasable: true, ValidFrom: d("2024-01-01")},
		{ID: "B", Gross: 20000, Leasable: true, ValidFrom: d("2024-01-01")},
		{ID: "C", Gross: 30000, Leasable: true, ValidFrom: d("2024-01-01")},
		{ID: "D", Gross: 40000, Leasable: true, ValidFrom: d("2024-01-01"), ValidTo: d("2025-07-01")},
		{ID: "D1", Gross: 20000, Leasable: true, ValidFrom: d("2025-07-01")},
		{ID: "D2", Gross: 20000, Leasable: true, ValidFrom: d("2025-07-01")},
		{ID: "Z", Gross: 50000, Leasable: false, ValidFrom: d("2024-01-01")},
	}
	leases := []LeaseRow{
		{ContractID: "k1", EnterpriseID: "e1", UnitID: "A", From: d("2025-01-01"), To: d("2025-12-31"), SignedOn: d("2024-12-01"), LastDay: d("2025-12-31")},
		{ContractID: "k2", EnterpriseID: "e2", UnitID: "B", From: d("2025-03-01"), To: d("2026-02-28"), SignedOn: d("2025-01-15"), LastDay: d("2026-02-28")},
		{ContractID: "k3", EnterpriseID: "e1", UnitID: "C", From: d("2025-09-01"), To: d("2026-08-31"), SignedOn: d("2025-05-10"), LastDay: d("2026-08-31")},
		{ContractID: "k4", EnterpriseID: "e3", UnitID: "D1", From: d("2025-08-01"), To: d("2027-07-31"), SignedOn: d("2025-07-15"), LastDay: d("2027-07-31")},
	}
	return units, leases
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestOccupancyOnADay(t *testing.T) {
	units, leases := occupancyFixture()
	// 2025-06-30: leasable 100+200+300+400 = 1000 m² (D, split the next day, still counts whole;
	// its parts D1 and D2 do not exist yet); leased A+B = 300; C signed, not started.
	f := Occupancy(units, leases, day("2025-06-30"))
	if f.LeasableArea != 100000 || f.LeasedArea != 30000 || f.CommittedArea != 60000 || f.Units != 4 || f.Tenants != 2 {
		t.Fatalf("2025-06-30: %+v", f)
	}
	if !near(f.OccupancyRate, 0.3) || !near(f.CommittedRate, 0.6) || !near(f.AbsorptionRate, 0.3) || !near(f.UnitOccupancyRate, 0.5) {
		t.Fatalf("rates: %v %v %v %v", f.OccupancyRate, f.CommittedRate, f.AbsorptionRate, f.UnitOccupancyRate)
	}
	// WALE: A has 184 days left, B 243 days: (100×184 + 200×243) / 300 / 365 years.
	if want := (100.0*184 + 200.0*243) / 300 / 365; !near(f.WALEYears, want) {
		t.Fatalf("WALE %v, want %v", f.WALEYears, want)
	}
	// 2025-12-15: A (expires in 16 days), B, C, D1 leased = 100+200+300+200 = 800 of 1000.
	f = Occupancy(units, leases, day("2025-12-15"))
	if f.LeasedArea != 80000 || f.Expiring30 != 10000 || f.Expiring90 != 30000 || f.Tenants != 3 {
		t.Fatalf("2025-12-15: %+v", f)
	}
	// D2 has never been let since it appeared on 2025-07-01: 167 days vacant.
	if f.Vacant91To180Days != 20000 || f.VacantUpTo90Days != 0 {
		t.Fatalf("vacancy buckets: %+v", f)
	}
	// 2026-03-15: A ended 2025-12-31 (73 days vacant), B ended 2026-02-28; absorption keeps them.
	f = Occupancy(units, leases, day("2026-03-15"))
	if f.LeasedArea != 50000 || f.EverLeasedArea != 80000 || !near(f.AbsorptionRate, 0.8) || f.VacantUpTo90Days != 30000 {
		t.Fatalf("2026-03-15: %+v", f)
	}
}

func TestSeries(t *testing.T) {
	units, leases := occupancyFixture()
	s := Series(units, leases, day("2025-01-10"), day("2025-12-20"))
	if len(s) != 12 || s[0].Month != "2025-01" || s[11].Month != "2025-12" {
		t.Fatalf("months: %d %s..%s", len(s), s[0].Month, s[len(s)-1].Month)
	}
	// March gains B (200 m²); September gains C (300 m²); August gains D1 (200 m²).
	gains := map[string]int64{"2025-01": 10000, "2025-03": 20000, "2025-08": 20000, "2025-09": 30000}
	for _, p := range s {
		if int64(p.NetAbsorption) != gains[p.Month] {
			t.Errorf("%s net absorption %s, want %d", p.Month, p.NetAbsorption, gains[p.Month])
		}
	}
}

func TestForecastAndTargets(t *testing.T) {
	units, leases := occupancyFixture()
	today := day("2025-06-30")
	// On 2025-10-31 the leases signed by today (A, B, C) let 600 of 1000 m²; D1 was signed on
	// 2025-07-15, after today, so the forecast does not count it.
	f := Forecast(units, leases, nil, today, day("2025-10-31"))
	if f.LeasedArea != 60000 {
		t.Fatalf("forecast without leads: %s", f.LeasedArea)
	}
	leads := []Lead{{Stage: "negotiation", Probability: 80, MaxArea: 10000, MoveInBy: day("2025-09-01")},
		{Stage: "new", Probability: 10, MaxArea: 50000}, // from 2025-09-30 (three months on)
		{Stage: "lost", Probability: 0, MaxArea: 99999}}
	f = Forecast(units, leases, leads, today, day("2025-10-31"))
	if f.LeasedArea != 60000+8000+5000 || !near(f.OccupancyRate, 0.73) {
		t.Fatalf("forecast with leads: %s %v", f.LeasedArea, f.OccupancyRate)
	}
	past := Target{Metric: "occupancy", BasisPoints: 3000, ByDate: day("2025-06-30")}
	past.Evaluate(units, leases, leads, today)
	future := Target{Metric: "absorption", BasisPoints: 7000, ByDate: day("2025-10-31")}
	future.Evaluate(units, leases, leads, today)
	behind := Target{Metric: "occupancy", BasisPoints: 9000, ByDate: day("2025-10-31")}
	behind.Evaluate(units, leases, leads, today)
	if past.Status != "met" || future.Status != "on_track" || behind.Status != "behind" {
		t.Fatalf("targets: %s %v / %s %v / %s %v", past.Status, past.Value, future.Status, future.Value, behind.Status, behind.Value)
	}
}
