package leasing

import (
	"fmt"
	"math/big"

	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// The reference model of the schedule: the rules of §4 in exact fractions (big.Rat), as the
// schedule was computed until it moved to integers over one denominator. The differential test
// holds every schedule to it.

// refContract carries the reference model's methods.
type refContract struct{ Contract }

// rat helpers: prices are 1/10000 元, areas 1/100 m², money 1/100 元 (fen).
func refPriceRat(p measure.Price) *big.Rat { return big.NewRat(int64(p), 10000) }
func refAreaRat(a measure.Area) *big.Rat   { return big.NewRat(int64(a), 100) }

// refMaxFen is check.MaxMoney as a big number, for the overflow check of the schedule.
var refMaxFen = big.NewInt(int64(check.MaxMoney))

// refToFen rounds an amount in 元 to the fen, half up (away from zero for negatives). An amount
// beyond check.MaxMoney is reported through ok, never wrapped.
func (sc *refCheck) refToFen(yuan *big.Rat) measure.Money {
	fen := new(big.Rat).Mul(yuan, big.NewRat(100, 1))
	num, den := new(big.Int).Set(fen.Num()), fen.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(r, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if q.Cmp(refMaxFen) > 0 {
		sc.overflow = true
		return 0
	}
	if neg {
		q.Neg(q)
	}
	return measure.Money(q.Int64())
}

// refCheck records whether any amount of a schedule was out of range.
type refCheck struct{ overflow bool }

// refLeaseMonth is lease month m (1-based) of a contract starting on start.
func refLeaseMonth(start civil.Date, m int) Period {
	return Period{From: start.AddMonths(m - 1), To: start.AddMonths(m).AddDays(-1)}
}

// refMonthPrice is the rent in force on the first day of lease month m.
func (c refContract) refMonthPrice(m int) *big.Rat {
	p := refPriceRat(c.Price)
	switch c.Escalation.Kind {
	case "percent":
		e := c.Escalation
		if e.EveryMonths <= 0 || m < e.FromMonth {
			return p
		}
		raises := (m-e.FromMonth)/e.EveryMonths + 1
		factor := big.NewRat(int64(10000+e.BasisPoints), 10000)
		for range raises {
			p.Mul(p, factor)
		}
	case "steps":
		for _, s := range c.Escalation.Steps {
			if m >= s.FromMonth {
				p = refPriceRat(s.Price)
			}
		}
	}
	return p
}

// refRentFreeWithin reports whether any rent-free period touches the days from..to; most months
// are not counted day by day.
func (c refContract) refRentFreeWithin(from, to civil.Date) bool {
	for _, p := range c.RentFree {
		if !p.From.After(to) && !p.To.Before(from) {
			return true
		}
	}
	return false
}

func (c refContract) refRentFreeOn(d civil.Date) bool {
	for _, p := range c.RentFree {
		if p.Contains(d) {
			return true
		}
	}
	return false
}

// refRatString writes a price exactly, as the amount was computed from it: an escalated price has
// more decimals than the 0.0001 元 a quote is given in (4.5 raised 3 % twice is 4.77405).
// A price with no short decimal form (never produced by percent raises) shows 8 decimals.
func refRatString(r *big.Rat) string {
	scaled := new(big.Rat)
	ten := big.NewRat(10, 1)
	scaled.Set(r)
	for places := 0; places <= 20; places++ {
		if scaled.IsInt() {
			return r.FloatString(max(places, 4))
		}
		scaled.Mul(scaled, ten)
	}
	return r.FloatString(8)
}

func (c refContract) refSchedule() (Schedule, bool) {
	var chk refCheck
	refToFen := chk.refToFen
	dc := c.DayCount
	if dc == "" {
		dc = DayCount365
	}
	s := Schedule{ContractID: c.ID, DayCount: dc, Convention: convention(dc)}
	cycle := c.PaymentCycle
	if cycle <= 0 {
		cycle = 1
	}
	last := c.LastDay()
	if c.DepositMonths > 0 {
		for _, u := range c.Units {
			if u.From.After(c.StartOn) {
				continue
			}
			monthly := new(big.Rat).Mul(new(big.Rat).Mul(c.refMonthPrice(1), refAreaRat(u.Area)), big.NewRat(365, 12))
			amount := refToFen(new(big.Rat).Mul(monthly, big.NewRat(int64(c.DepositMonths), 1)))
			s.Lines = append(s.Lines, Line{Period: 0, From: c.StartOn, To: c.StartOn, DueOn: c.StartOn, UnitID: u.UnitID,
				Type: ChargeDeposit, Amount: amount, Basis: fmt.Sprintf("%d 个月租金 / %d months' rent", c.DepositMonths, c.DepositMonths)})
		}
	}
	for period, m := 1, 1; ; period, m = period+1, m+cycle {
		first := refLeaseMonth(c.StartOn, m).From
		if first.After(last) {
			break
		}
		periodEnd := civil.Min(refLeaseMonth(c.StartOn, m+cycle-1).To, last)
		for _, u := range c.Units {
			rent, fee, waived := new(big.Rat), new(big.Rat), new(big.Rat)
			rentDays, waivedDays, feeDays := 0, 0, 0
			for mm := m; mm < m+cycle; mm++ {
				lm := refLeaseMonth(c.StartOn, mm)
				if lm.From.After(last) {
					break
				}
				r, f, w, rd, wd, fd := c.refMonthCharges(u, mm, lm, last, dc)
				rent.Add(rent, r)
				fee.Add(fee, f)
				waived.Add(waived, w)
				rentDays, waivedDays, feeDays = rentDays+rd, waivedDays+wd, feeDays+fd
			}
			base := Line{Period: period, From: first, To: periodEnd, DueOn: first, UnitID: u.UnitID}
			if rentDays > 0 {
				l := base
				l.Type, l.Days, l.Amount = ChargeRent, rentDays, refToFen(rent)
				l.Basis = fmt.Sprintf("%s 元/㎡/天 × %s ㎡", refRatString(c.refMonthPrice(m)), u.Area)
				s.Lines = append(s.Lines, l)
			}
			if waivedDays > 0 {
				l := base
				l.Type, l.Days, l.Amount, l.Basis = ChargeRentFree, waivedDays, refToFen(waived), "免租期 / rent-free"
				s.Lines = append(s.Lines, l)
			}
			if feeDays > 0 && c.PropertyFee > 0 {
				l := base
				l.Type, l.Days, l.Amount = ChargePropertyFee, feeDays, refToFen(fee)
				l.Basis = fmt.Sprintf("%s 元/㎡/月 × %s ㎡", c.PropertyFee, u.Area)
				s.Lines = append(s.Lines, l)
			}
		}
	}
	if !c.TerminatedOn.IsZero() && c.Penalty > 0 {
		s.Lines = append(s.Lines, Line{From: c.TerminatedOn, To: c.TerminatedOn, DueOn: c.TerminatedOn, Type: ChargePenalty,
			Amount: c.Penalty, Basis: "提前解约违约金 / early termination penalty"})
	}
	total := new(big.Int)
	for _, l := range s.Lines {
		if l.Type != ChargeRentFree {
			total.Add(total, big.NewInt(int64(l.Amount)))
		}
	}
	if total.Cmp(refMaxFen) > 0 {
		return s, false
	}
	s.Total = measure.Money(total.Int64())
	return s, !chk.overflow
}

// refMonthCharges prices one unit for one lease month: rent, property fee and waived rent, with
// the days each covers.
func (c refContract) refMonthCharges(u ContractUnit, m int, lm Period, last civil.Date, dc DayCount) (rent, fee, waived *big.Rat, rentDays, waivedDays, feeDays int) {
	rent, fee, waived = new(big.Rat), new(big.Rat), new(big.Rat)
	from, to := civil.Max(lm.From, civil.Max(u.From, c.StartOn)), civil.Min(lm.To, civil.Min(u.To, last))
	if u.To.IsZero() {
		to = civil.Min(lm.To, last)
	}
	if from.After(to) {
		return
	}
	monthDays := lm.From.DaysUntil(lm.To) + 1
	occupied := from.DaysUntil(to) + 1
	if c.refRentFreeWithin(from, to) {
		for d := from; !d.After(to); d = d.AddDays(1) {
			if c.refRentFreeOn(d) {
				waivedDays++
			} else {
				rentDays++
			}
		}
	} else {
		rentDays = occupied
	}
	feeDays = occupied
	price, area := c.refMonthPrice(m), refAreaRat(u.Area)
	perDay := new(big.Rat).Mul(price, area)
	wholeMonth := new(big.Rat).Mul(perDay, big.NewRat(365, 12))
	if dc == DayCountActual {
		wholeMonth = new(big.Rat).Mul(perDay, big.NewRat(int64(monthDays), 1))
	}
	switch {
	case rentDays == monthDays:
		rent.Set(wholeMonth)
	case rentDays > 0:
		rent.Mul(perDay, big.NewRat(int64(rentDays), 1))
	}
	switch {
	case waivedDays == monthDays:
		waived.Set(wholeMonth)
	case waivedDays > 0:
		waived.Mul(perDay, big.NewRat(int64(waivedDays), 1))
	}
	feeMonthly := new(big.Rat).Mul(refPriceRat(c.PropertyFee), area)
	if occupied == monthDays {
		fee.Set(feeMonthly)
	} else {
		fee.Mul(feeMonthly, big.NewRat(int64(12*occupied), 365))
	}
	return
}

// refMonthlyChargesOn is MonthlyChargesOn in the reference model.
func (c refContract) refMonthlyChargesOn(d civil.Date, a measure.Area) (price measure.Price, rent, fee measure.Money) {
	var chk refCheck
	m := 1
	for refLeaseMonth(c.StartOn, m).To.Before(d) {
		m++
	}
	p := c.refMonthPrice(m)
	rent = chk.refToFen(new(big.Rat).Mul(new(big.Rat).Mul(p, refAreaRat(a)), big.NewRat(365, 12)))
	perTenThousandth := new(big.Rat).Mul(p, big.NewRat(10000, 1))
	price = measure.Price(new(big.Int).Quo(perTenThousandth.Num(), perTenThousandth.Denom()).Int64())
	return price, rent, chk.refToFen(new(big.Rat).Mul(refPriceRat(c.PropertyFee), refAreaRat(a)))
}
