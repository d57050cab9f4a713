package leasing

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// randomContract is a contract of any shape the rules accept, and some they refuse: a start on
// any day (month ends included), terms up to twenty years, one to three units moving in and
// out, rent-free periods, percentage raises (from month 1 and monthly too) or steps, payment
// cycles from none to longer than the lease, both day counts, deposits up to 24 months, early
// termination, amounts up to the limits, where a schedule overflows, and now and then a zero
// or negative price, area or fee.
func randomContract(rnd *rand.Rand) Contract {
	first := civil.Of(2020+rnd.IntN(10), time.Month(rnd.IntN(12)+1), 1)
	start := first.AddDays(rnd.IntN(first.AddMonths(1).AddDays(-1).Day()))
	end := start.AddMonths(rnd.IntN([]int{36, 120, 240}[rnd.IntN(3)]) + 1).AddDays(rnd.IntN(40) - 20)
	if end.Before(start) {
		end = start
	}
	days := start.DaysUntil(end)
	price := measure.Price(rnd.IntN(200_000) + 1)
	area := func() measure.Area { return measure.Area(rnd.IntN(500_000) + 1) }
	if rnd.IntN(20) == 0 {
		price, area = check.MaxUnitPrice-measure.Price(rnd.IntN(1000)), func() measure.Area { return check.MaxUnitArea - measure.Area(rnd.IntN(1000)) }
	}
	if rnd.IntN(30) == 0 {
		price, area = -price, func() measure.Area { return measure.Area(rnd.IntN(3) - 1) }
	}
	c := Contract{ID: "c", StartOn: start, EndOn: end, Price: price, PaymentCycle: []int{0, 1, 2, 3, 6, 12, 50}[rnd.IntN(7)],
		DayCount: []DayCount{"", DayCount365, DayCountActual}[rnd.IntN(3)], DepositMonths: rnd.IntN(25),
		PropertyFee: measure.Price((rnd.IntN(4) - 1) * rnd.IntN(400_000))}
	for i := range rnd.IntN(3) + 1 {
		u := ContractUnit{UnitID: string(rune('A' + i)), Area: area(), From: start, To: end}
		if rnd.IntN(3) == 0 {
			u.From = start.AddDays(rnd.IntN(days + 1))
		}
		if rnd.IntN(3) == 0 {
			u.To = u.From.AddDays(rnd.IntN(u.From.DaysUntil(end) + 1))
		}
		if rnd.IntN(8) == 0 {
			u.To = civil.Date{}
		}
		c.Units = append(c.Units, u)
	}
	for range rnd.IntN(3) {
		from := start.AddDays(rnd.IntN(days + 1))
		c.RentFree = append(c.RentFree, Period{From: from, To: from.AddDays(rnd.IntN(120))})
	}
	switch rnd.IntN(3) {
	case 1:
		c.Escalation = Escalation{Kind: "percent", BasisPoints: rnd.IntN(1500) + 1, EveryMonths: rnd.IntN(24) + 1, FromMonth: rnd.IntN(30) + 1}
	case 2:
		c.Escalation.Kind = "steps"
		for m := rnd.IntN(12) + 1; m < 250 && rnd.IntN(4) != 0; m += rnd.IntN(24) + 1 {
			c.Escalation.Steps = append(c.Escalation.Steps, Step{FromMonth: m, Price: price + measure.Price(rnd.IntN(100_000))})
		}
	}
	if rnd.IntN(4) == 0 {
		c.TerminatedOn = start.AddDays(rnd.IntN(days + 1))
		c.Penalty = measure.Money(rnd.IntN(10_000_000))
	}
	return c
}

// The schedule in integers is the schedule of the exact fractions, line for line, with the same
// verdict on amounts out of range, for thousands of contracts of every shape.
func TestScheduleMatchesTheExactFractions(t *testing.T) {
	rnd := rand.New(rand.NewPCG(12, 2026))
	overflows := 0
	for i := range 3000 {
		c := randomContract(rnd)
		got, gotOK := c.schedule()
		want, wantOK := refContract{c}.refSchedule()
		if gotOK != wantOK || !reflect.DeepEqual(got, want) {
			t.Fatalf("contract %d %+v:\nschedule %v %+v\nreference %v %+v", i, c, gotOK, got, wantOK, want)
		}
		if !gotOK {
			overflows++
		}
		on := c.StartOn.AddDays(rnd.IntN(c.StartOn.DaysUntil(c.EndOn)+80) - 40)
		a := c.Units[0].Area
		price, rent, fee := c.MonthlyChargesOn(on, a)
		wp, wr, wf := refContract{c}.refMonthlyChargesOn(on, a)
		if price != wp || rent != wr || fee != wf {
			t.Fatalf("contract %d %+v on %s: %s %s %s, reference %s %s %s", i, c, on, price, rent, fee, wp, wr, wf)
		}
		if MonthlyRent(c.Price, a) != wr && c.Escalation.Kind == "" {
			t.Fatalf("contract %d: MonthlyRent %s, reference %s", i, MonthlyRent(c.Price, a), wr)
		}
	}
	if overflows == 0 {
		t.Fatal("no contract overflowed: the limits went untested")
	}
}
