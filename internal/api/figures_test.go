package api

import (
	"context"
	"testing"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/store/storetest"
)

// The rent roll and the reminders are domain figures served by the API (and the console):
// the rent roll's monthly fee is the schedule's (rounded half up, not truncated), and only
// leases in force that end within 90 days are expiring — never ones that ended years ago.
// Both failed before: the rent roll showed 1,913.59 where the schedule charges 1,913.60, and
// a lease that ended in 2025 was listed as expiring "within 30 days" (the home page used the same query).
func TestRentRollAndRemindersAgreeWithTheSchedule(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		ctx, sys, w := context.Background(), identity.System(), e.world
		today := civil.SystemClock{}.Today()
		unit, err := storetest.SpaceOf(e.store).CreateUnit(ctx, sys, space.Unit{FloorID: w.Floors[0].ID, Code: "A-3-399", Kind: space.KindOffice,
			GrossArea: 15501, Leasable: true, ValidFrom: civil.Of(2020, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		soon := leasing.Contract{Number: "HT-SOON", EnterpriseID: w.Enterprises[0].ID, StartOn: today.AddMonths(-11),
			EndOn: today.AddDays(20), Price: 50000, PropertyFee: 123450, Status: leasing.Active, Units: []leasing.ContractUnit{{UnitID: unit.ID}}}
		if soon, err = storetest.ContractsOf(e.store).Create(ctx, sys, soon); err != nil {
			t.Fatal(err)
		}
		old := leasing.Contract{Number: "HT-OLD", EnterpriseID: w.Enterprises[0].ID, StartOn: civil.Of(2024, 2, 1),
			EndOn: civil.Of(2025, 3, 31), Price: 50000, Status: leasing.Active, Units: []leasing.ContractUnit{{UnitID: w.Units[0][1].ID}}}
		if _, err = storetest.ContractsOf(e.store).Create(ctx, sys, old); err != nil {
			t.Fatal(err)
		}

		// 12.345 元/㎡/月 × 155.01 ㎡ = 1,913.59845 元 → 1,913.60 (half up), as the schedule charges.
		var roll []leasing.RentRollLine
		e.do(identity.ParkManager, "GET", "/api/v1/parks/"+w.Parks[0].ID+"/rent-roll", nil, 200, &roll)
		var line *leasing.RentRollLine
		for i := range roll {
			if roll[i].UnitID == unit.ID {
				line = &roll[i]
			}
		}
		if line == nil || line.ContractNumber != "HT-SOON" || line.MonthlyFee != measure.Money(191360) {
			t.Fatalf("rent roll line: %+v", line)
		}
		var wholeMonthFee measure.Money
		for _, l := range soon.Schedule().Lines {
			if l.Type == leasing.ChargePropertyFee && l.Period == 2 {
				wholeMonthFee = l.Amount
			}
		}
		if wholeMonthFee != line.MonthlyFee {
			t.Fatalf("schedule charges %s a month, the rent roll says %s", wholeMonthFee, line.MonthlyFee)
		}

		var r leasing.Reminders
		e.do(identity.ParkManager, "GET", "/api/v1/reminders", nil, 200, &r)
		if len(r.Leases) != 1 || r.Leases[0].Contract.Number != "HT-SOON" || r.Leases[0].Band != 30 || r.Leases[0].Days != 20 {
			t.Fatalf("expiring leases: %+v", r.Leases)
		}
		// Tenants have no leasing reminders; another park's operator sees none of these.
		e.do(identity.EntAdmin, "GET", "/api/v1/reminders", nil, 200, &r)
		if len(r.Leases) != 0 {
			t.Fatalf("a tenant got lease reminders: %+v", r.Leases)
		}
		var profile []leasing.MonthArea
		e.do(identity.ParkManager, "GET", "/api/v1/occupancy/expiries?park_id="+w.Parks[0].ID, nil, 200, &profile)
		var total measure.Area
		for _, m := range profile {
			total += m.Area
		}
		if len(profile) != 12 || total != unit.GrossArea {
			t.Fatalf("expiry profile: %+v", profile)
		}
		var forecast []leasing.ForecastPoint
		e.do(identity.ParkManager, "GET", "/api/v1/occupancy/forecast?park_id="+w.Parks[0].ID+"&months=3", nil, 200, &forecast)
		if len(forecast) != 3 {
			t.Fatalf("forecast: %+v", forecast)
		}
		e.problem(identity.ParkManager, "GET", "/api/v1/occupancy/forecast?park_id="+w.Parks[0].ID+"&months=999", nil, 422)
	})
}
