package leasing

import "testing"

// BenchmarkScheduleFiveYears prices a five-year lease of two units with a rent-free month,
// day by day: what creating a contract and every billing run compute for each contract.
func BenchmarkScheduleFiveYears(b *testing.B) {
	c := base("2024-03-01", "2029-02-28")
	c.Units = append(c.Units, ContractUnit{UnitID: "B", Area: 5050, From: day("2024-03-01"), To: day("2029-02-28")})
	c.RentFree = []Period{{From: day("2024-03-01"), To: day("2024-03-31")}}
	for b.Loop() {
		if s := c.Schedule(); len(s.Lines) == 0 {
			b.Fatal("no lines")
		}
	}
}

// BenchmarkMonthlyChargesOn prices one rent-roll line: a unit of a five-year lease raised 5 %
// a year, on a day in its fourth year (the rent roll prices every let unit of a park so).
func BenchmarkMonthlyChargesOn(b *testing.B) {
	c := base("2024-03-01", "2029-02-28")
	c.PropertyFee = 220000
	c.Escalation = Escalation{Kind: "percent", BasisPoints: 500, EveryMonths: 12, FromMonth: 13}
	on := day("2027-06-15")
	for b.Loop() {
		if _, rent, _ := c.MonthlyChargesOn(on, 12345); rent <= 0 {
			b.Fatal("no rent")
		}
	}
}
