package leasing

import (
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// The figures below are served to the API and the console alike, so both show the same
// numbers, rounded the same way.

// MonthArea is an area falling in one calendar month ("2026-12").
type MonthArea struct {
	Month string       `json:"month"`
	Area  measure.Area `json:"area"`
}

// ExpiryProfile is the gross area of leases in force today that end in each of the next 12
// calendar months, this month first.
func ExpiryProfile(units []UnitRow, leases []LeaseRow, today civil.Date) []MonthArea {
	first := civil.Of(today.Year(), today.Month(), 1)
	gross := map[string]measure.Area{}
	for _, u := range units {
		gross[u.ID] = u.on(today).Gross
	}
	byMonth := map[string]measure.Area{}
	horizon := first.AddMonths(12)
	for _, l := range leases {
		end := l.lastDay()
		if !end.Before(today) && end.Before(horizon) && !l.From.After(today) {
			byMonth[end.String()[:7]] += gross[l.UnitID]
		}
	}
	out := make([]MonthArea, 12)
	for m := range out {
		key := first.AddMonths(m).String()[:7]
		out[m] = MonthArea{Month: key, Area: byMonth[key]}
	}
	return out
}

// ForecastPoint is the forecast for the end of one month.
type ForecastPoint struct {
	Month   string  `json:"month"`
	Figures Figures `json:"figures"`
}

// ForecastSeries is the pipeline forecast (Forecast) at the end of each of the next months,
// starting with the current month.
func ForecastSeries(units []UnitRow, leases []LeaseRow, leads []Lead, today civil.Date, months int) []ForecastPoint {
	first := civil.Of(today.Year(), today.Month(), 1)
	out := make([]ForecastPoint, 0, months)
	for m := 1; m <= months; m++ {
		end := first.AddMonths(m).AddDays(-1)
		out = append(out, ForecastPoint{Month: end.String()[:7], Figures: Forecast(units, leases, leads, today, end)})
	}
	return out
}

// RentRollLine is one unit of the 租金台账 on a day: its status and, when let, the lease and
// its monthly charges at the price in force, rounded as the charge schedule rounds them.
type RentRollLine struct {
	BuildingName   string        `json:"building_name"`
	FloorLabel     string        `json:"floor_label"`
	UnitID         string        `json:"unit_id"`
	UnitCode       string        `json:"unit_code"`
	Kind           string        `json:"kind"`
	GrossArea      measure.Area  `json:"gross_area"`
	Status         string        `json:"status"`
	Tenant         string        `json:"tenant"`
	ContractID     string        `json:"contract_id,omitempty"`
	ContractNumber string        `json:"contract_number,omitempty"`
	StartOn        civil.Date    `json:"start_on,omitzero"`
	EndOn          civil.Date    `json:"end_on,omitzero"` // the last day charged
	Price          measure.Price `json:"price"`           // 元/㎡/天 in force on the day, to 0.0001 元
	MonthlyRent    measure.Money `json:"monthly_rent"`
	MonthlyFee     measure.Money `json:"monthly_fee"`
}

// RentRoll lists every unit of the stack plan with the contract letting it on the plan's day.
func RentRoll(plan StackPlan, contracts []Contract) []RentRollLine {
	byID := map[string]Contract{}
	for _, k := range contracts {
		byID[k.ID] = k
	}
	var out []RentRollLine
	for _, b := range plan.Buildings {
		for _, f := range b.Floors {
			for _, u := range f.Units {
				line := RentRollLine{BuildingName: b.Name, FloorLabel: f.Label, UnitID: u.ID, UnitCode: u.Code, Kind: u.Kind,
					GrossArea: u.Gross, Status: u.Status, Tenant: u.Tenant}
				if k, ok := byID[u.ContractID]; ok {
					line.ContractID, line.ContractNumber, line.StartOn, line.EndOn = k.ID, k.Number, k.StartOn, k.LastDay()
					line.Price, line.MonthlyRent, line.MonthlyFee = k.MonthlyChargesOn(plan.On, u.Gross)
				}
				out = append(out, line)
			}
		}
	}
	return out
}

// LeaseReminder is a contract in force that ends within the reminder horizon.
type LeaseReminder struct {
	Contract Contract `json:"contract"`
	Days     int      `json:"days"` // from today to its last day
	Band     int      `json:"band"` // 30, 60 or 90
}

// ReminderBands are the lease-expiry reminder horizons of §4, in days.
var ReminderBands = []int{30, 60, 90}

// ExpiringOn reports whether a contract is in force on today and its last day lies between
// today and today + days: a lease that has already ended is never "expiring" (§4).
func (c Contract) ExpiringOn(today civil.Date, days int) bool {
	st := c.EffectiveStatus(today)
	if st != Active && st != Terminated {
		return false
	}
	last := c.LastDay()
	return !c.StartOn.After(today) && !last.Before(today) && !last.After(today.AddDays(days))
}

// LeaseReminders keeps the contracts expiring within 90 days, each with its band, soonest first
// as given.
func LeaseReminders(contracts []Contract, today civil.Date) []LeaseReminder {
	var out []LeaseReminder
	horizon := ReminderBands[len(ReminderBands)-1]
	for _, k := range contracts {
		if !k.ExpiringOn(today, horizon) {
			continue
		}
		days := today.DaysUntil(k.LastDay())
		band := horizon
		for _, b := range ReminderBands {
			if days <= b {
				band = b
				break
			}
		}
		out = append(out, LeaseReminder{Contract: k, Days: days, Band: band})
	}
	return out
}
