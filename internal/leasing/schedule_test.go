package leasing

import (
	"math/big"
	"testing"

	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

func day(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func yuan(s string) measure.Money {
	m, err := measure.ParseYuan(s)
	if err != nil {
		panic(err)
	}
	return m
}

// base: 100 m² at 5 元/㎡/天, so a whole month is 5 × 100 × 365/12 = 15,208.333… → 15,208.33.
func base(start, end string) Contract {
	return Contract{ID: "c", StartOn: day(start), EndOn: day(end), Price: 50000, PaymentCycle: 1,
		Units: []ContractUnit{{UnitID: "A", Area: 10000, From: day(start), To: day(end)}}}
}

type want struct {
	period int
	unit   string
	typ    ChargeType
	from   string
	to     string
	days   int
	amount string
}

func checkLines(t *testing.T, s Schedule, wants []want) {
	t.Helper()
	for _, w := range wants {
		found := false
		for _, l := range s.Lines {
			if l.Period == w.period && l.UnitID == w.unit && l.Type == w.typ {
				found = true
				if l.Amount != yuan(w.amount) || (w.from != "" && (l.From != day(w.from) || l.To != day(w.to))) || (w.days > 0 && l.Days != w.days) {
					t.Errorf("period %d %s %s: %s %s..%s %d days, want %s %s..%s %d days", w.period, w.unit, w.typ,
						l.Amount, l.From, l.To, l.Days, w.amount, w.from, w.to, w.days)
				}
			}
		}
		if !found {
			t.Errorf("no line for period %d %s %s", w.period, w.unit, w.typ)
		}
	}
}

func count(s Schedule, typ ChargeType) int {
	n := 0
	for _, l := range s.Lines {
		if l.Type == typ {
			n++
		}
	}
	return n
}

func TestStartMidMonth(t *testing.T) {
	s := base("2025-01-15", "2026-01-14").Schedule()
	checkLines(t, s, []want{
		{1, "A", ChargeRent, "2025-01-15", "2025-02-14", 31, "15208.33"},
		{2, "A", ChargeRent, "2025-02-15", "2025-03-14", 28, "15208.33"},
		{12, "A", ChargeRent, "2025-12-15", "2026-01-14", 31, "15208.33"},
	})
	if count(s, ChargeRent) != 12 || s.Total != yuan("182499.96") || s.DayCount != DayCount365 || s.Convention == "" {
		t.Fatalf("%d rent lines, total %s, convention %q", count(s, ChargeRent), s.Total, s.DayCount)
	}
	// A term ending mid lease month: the last month is charged by the day, 17 × 500 = 8,500.
	short := base("2025-01-15", "2025-03-31").Schedule()
	checkLines(t, short, []want{{3, "A", ChargeRent, "2025-03-15", "2025-03-31", 17, "8500.00"}})
}

func TestThreeRentFreeMonthsAtTheStart(t *testing.T) {
	c := base("2025-01-01", "2025-12-31")
	c.PropertyFee = 200000 // 20 元/㎡/月 → 2,000 a month, charged in rent-free months too
	c.RentFree = []Period{{day("2025-01-01"), day("2025-03-31")}}
	s := c.Schedule()
	checkLines(t, s, []want{
		{1, "A", ChargeRentFree, "2025-01-01", "2025-01-31", 31, "15208.33"},
		{3, "A", ChargeRentFree, "2025-03-01", "2025-03-31", 31, "15208.33"},
		{1, "A", ChargePropertyFee, "2025-01-01", "2025-01-31", 31, "2000.00"},
		{4, "A", ChargeRent, "2025-04-01", "2025-04-30", 30, "15208.33"},
	})
	if count(s, ChargeRent) != 9 || count(s, ChargeRentFree) != 3 {
		t.Fatalf("%d rent, %d rent-free lines", count(s, ChargeRent), count(s, ChargeRentFree))
	}
	// 9 × 15,208.33 rent + 12 × 2,000 fee; waived rent is shown, not billed.
	if s.Total != yuan("160874.97") {
		t.Fatalf("total %s", s.Total)
	}
}

func TestFivePercentEveryTwelveMonthsFromMonth25(t *testing.T) {
	c := base("2025-01-01", "2029-12-31")
	c.Escalation = Escalation{Kind: "percent", BasisPoints: 500, EveryMonths: 12, FromMonth: 25}
	s := c.Schedule()
	checkLines(t, s, []want{
		{24, "A", ChargeRent, "2026-12-01", "2026-12-31", 31, "15208.33"},
		{25, "A", ChargeRent, "2027-01-01", "2027-01-31", 31, "15968.75"}, // 5.25 × 100 × 365/12
		{36, "A", ChargeRent, "", "", 0, "15968.75"},
		{37, "A", ChargeRent, "", "", 0, "16767.19"}, // 5.5125 × 100 × 365/12 = 16,767.1875
		{49, "A", ChargeRent, "", "", 0, "17605.55"}, // 5.788125 × 100 × 365/12 = 17,605.546875
		{60, "A", ChargeRent, "2029-12-01", "2029-12-31", 31, "17605.55"},
	})
	steps := base("2025-01-01", "2025-12-31")
	steps.Escalation = Escalation{Kind: "steps", Steps: []Step{{FromMonth: 7, Price: 60000}}}
	checkLines(t, steps.Schedule(), []want{{6, "A", ChargeRent, "", "", 0, "15208.33"}, {7, "A", ChargeRent, "", "", 0, "18250.00"}})
}

func TestQuarterlyInAdvance(t *testing.T) {
	c := base("2025-01-01", "2025-12-31")
	c.PaymentCycle = 3
	s := c.Schedule()
	checkLines(t, s, []want{
		{1, "A", ChargeRent, "2025-01-01", "2025-03-31", 90, "45625.00"}, // 3 × 15,208.333… summed, then rounded
		{2, "A", ChargeRent, "2025-04-01", "2025-06-30", 91, "45625.00"},
		{4, "A", ChargeRent, "2025-10-01", "2025-12-31", 92, "45625.00"},
	})
	for _, l := range s.Lines {
		if l.DueOn != l.From {
			t.Errorf("period %d due %s, want in advance on %s", l.Period, l.DueOn, l.From)
		}
	}
	if count(s, ChargeRent) != 4 || s.Total != yuan("182500.00") {
		t.Fatalf("%d lines, total %s", count(s, ChargeRent), s.Total)
	}
}

func TestEarlyTerminationMidPeriod(t *testing.T) {
	c := base("2025-01-01", "2025-12-31")
	c.PaymentCycle = 3
	c.TerminatedOn, c.Penalty = day("2025-05-20"), yuan("10000")
	s := c.Schedule()
	// Period 2: April whole (15,208.333…) + 1–20 May by the day (20 × 500) = 25,208.33.
	checkLines(t, s, []want{{2, "A", ChargeRent, "2025-04-01", "2025-05-20", 50, "25208.33"}})
	if count(s, ChargeRent) != 2 || count(s, ChargePenalty) != 1 || s.Total != yuan("80833.33") {
		t.Fatalf("%d rent lines, %d penalty, total %s", count(s, ChargeRent), count(s, ChargePenalty), s.Total)
	}
}

func TestAmendmentAddsAUnitMidTerm(t *testing.T) {
	c := base("2025-01-01", "2025-12-31")
	c.PropertyFee = 200000
	c.Units = append(c.Units, ContractUnit{UnitID: "B", Area: 5000, From: day("2025-03-10"), To: day("2025-12-31")})
	c.Units[0].To = day("2025-06-14") // and unit A leaves mid-June
	s := c.Schedule()
	checkLines(t, s, []want{
		{3, "A", ChargeRent, "", "", 31, "15208.33"},
		{3, "B", ChargeRent, "", "", 22, "5500.00"},       // 10–31 March: 22 × 5 × 50
		{3, "B", ChargePropertyFee, "", "", 22, "723.29"}, // 1,000 × 12/365 × 22 = 723.287…
		{4, "B", ChargeRent, "", "", 30, "7604.17"},       // 5 × 50 × 365/12 = 7,604.1666…
		{6, "A", ChargeRent, "", "", 14, "7000.00"},       // 1–14 June: 14 × 500
		{6, "A", ChargePropertyFee, "", "", 14, "920.55"}, // 2,000 × 12/365 × 14 = 920.547…
	})
	for _, l := range s.Lines {
		if l.UnitID == "A" && l.Period > 6 || l.UnitID == "B" && l.Period < 3 {
			t.Errorf("unit %s charged in period %d", l.UnitID, l.Period)
		}
	}
}

func TestRenewalAtANewPrice(t *testing.T) {
	renewal := base("2026-01-01", "2026-12-31")
	renewal.Price, renewal.RenewalOf = 55000, "c-old"
	checkLines(t, renewal.Schedule(), []want{{1, "A", ChargeRent, "2026-01-01", "2026-01-31", 31, "16729.17"}}) // 5.5 × 100 × 365/12
}

func TestActualDaysAndDeposit(t *testing.T) {
	c := base("2025-02-01", "2025-04-30")
	c.DayCount, c.DepositMonths = DayCountActual, 2
	s := c.Schedule()
	checkLines(t, s, []want{
		{0, "A", ChargeDeposit, "", "", 0, "30416.67"}, // 2 × 15,208.333… at the first month's price
		{1, "A", ChargeRent, "2025-02-01", "2025-02-28", 28, "14000.00"},
		{2, "A", ChargeRent, "2025-03-01", "2025-03-31", 31, "15500.00"},
	})
	if s.DayCount != DayCountActual {
		t.Fatalf("day count %s", s.DayCount)
	}
}

func TestRoundingHalfUp(t *testing.T) {
	cases := map[string]string{"0.005": "0.01", "0.0049": "0.00", "-0.005": "-0.01", "16767.1875": "16767.19", "1.115": "1.12"}
	for in, out := range cases {
		p := newPricer(Contract{}, 1)
		r, _ := new(big.Rat).SetString(in)
		amount := r.Mul(r, new(big.Rat).SetInt(new(big.Int).Mul(&p.denom, big.NewInt(100)))) // 元 over the pricer's denominator of the fen
		if got := p.toFen(amount.Num()); got != yuan(out) || p.overflow || !amount.IsInt() {
			t.Errorf("toFen(%s) = %s, want %s", in, got, out)
		}
	}
}

// Amounts up to check.MaxMoney are held; one fen more is out of range, on a line and in total.
func TestAmountsUpToTheLimit(t *testing.T) {
	p := newPricer(Contract{}, 1)
	limit := new(big.Int).Mul(maxFen, &p.denom)
	if got := p.toFen(limit); got != check.MaxMoney || p.overflow {
		t.Errorf("a line of exactly the limit: %s, overflow %v", got, p.overflow)
	}
	p.toFen(limit.Add(limit, new(big.Int).Rsh(&p.denom, 1))) // half a fen more rounds up past it
	if !p.overflow {
		t.Error("a line half a fen past the limit was held")
	}
	for penalty, ok := range map[measure.Money]bool{check.MaxMoney: true, check.MaxMoney + 1: false} {
		c := base("2026-01-01", "2026-12-31")
		c.Price, c.TerminatedOn, c.Penalty = 0, day("2026-06-30"), penalty
		if s, got := c.schedule(); got != ok || (ok && s.Total != penalty) {
			t.Errorf("a total of %s: in range %v, total %s", penalty, got, s.Total)
		}
	}
}
