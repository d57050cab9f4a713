package leasing

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// The rules of §4, exactly:
//  1. Lease month m runs from start + (m−1) months to the day before start + m months;
//     billing periods are PaymentCycle lease months; the last ends at the end or termination.
//  2. A wholly chargeable lease month costs price × area × 365/12 (or × its days under
//     "actual"); a partly chargeable one costs price × area × chargeable days.
//  3. A lease month's price is the one in force on its first day.
//  4. Property fee: monthly fee × area for a whole month, fee × 12/365 × area per day otherwise.
//  5. One line per period, unit and charge type, summed exactly and rounded once, half up.

// Amounts are summed exactly as integers over one denominator per schedule, never as fractions
// reduced at every step, where big.Rat spent most of a schedule's time in greatest common
// divisors. A price is in 1/10000 元, an area in 1/100 m² and money in fen, a whole month is
// 365/12 days' rent and a part month's fee is 12/365 of a month's for each day, so every amount
// is a whole number of 1/(12 × 365 × 10⁴) fen. Each percentage raise adds four decimals to the
// price: a rent raised up to R times is priced over 12 × 365 × 10⁴ × 10^(4R).
const (
	fenDenominator = 12 * 365 * 10000
	perDayFactor   = 12 * 365  // one day's rent, price × area × this over fenDenominator
	perMonthFactor = 365 * 365 // a whole month's rent (365/12 days)
	feeMonthFactor = 12 * 365  // a whole month's fee, fee × area × this
	feeDayFactor   = 12 * 12   // one day of a part month's fee (12/365 of the month)
	priceDecimals  = 4         // a price's places after the point before any raise
)

// maxFen is check.MaxMoney as a big number, for the overflow check of the schedule.
var maxFen = big.NewInt(int64(check.MaxMoney))

// pricer prices one contract's lines. Its prices are integers over 10^(4+4R): the price after r
// raises is price × (10000 + basis points)^r, shifted left by the raises it has not had.
type pricer struct {
	c                                    Contract
	raises                               int     // R: the most raises of any month priced
	denom                                big.Int // fenDenominator × 10^(4R)
	scale                                big.Int // 10^(4R)
	raised                               []*big.Int
	price                                big.Int // the price of a month without percentage raises
	fee                                  big.Int // the property fee, shifted to share the rent's denominator
	overflow                             bool    // an amount beyond check.MaxMoney was met
	factor, product, quotient, remainder big.Int
}

// newPricer prices the contract's lease months up to lastMonth.
func newPricer(c Contract, lastMonth int) *pricer {
	p := &pricer{c: c, raises: c.raisesBy(lastMonth)}
	p.scale.Exp(big.NewInt(10), big.NewInt(int64(priceDecimals*p.raises)), nil)
	p.denom.Mul(&p.scale, big.NewInt(fenDenominator))
	p.fee.Mul(big.NewInt(int64(c.PropertyFee)), &p.scale)
	if c.Escalation.Kind == "percent" {
		p.raised = make([]*big.Int, p.raises+1)
	}
	return p
}

// raisedPrice is the price after r raises over 10^(4+4R), made the first time it is asked for:
// a rent roll line needs one of them, a schedule one a raise.
func (p *pricer) raisedPrice(r int) *big.Int {
	if p.raised[r] == nil {
		price := new(big.Int).Exp(big.NewInt(int64(10000+p.c.Escalation.BasisPoints)), big.NewInt(int64(r)), nil)
		price.Mul(price, big.NewInt(int64(p.c.Price)))
		p.raised[r] = price.Mul(price, new(big.Int).Exp(big.NewInt(10000), big.NewInt(int64(p.raises-r)), nil))
	}
	return p.raised[r]
}

// raisesBy is how many percentage raises lease month m has had.
func (c Contract) raisesBy(m int) int {
	e := c.Escalation
	if e.Kind != "percent" || e.EveryMonths <= 0 || m < e.FromMonth {
		return 0
	}
	return (m-e.FromMonth)/e.EveryMonths + 1
}

// monthPrice is the rent in force on the first day of lease month m, over 10^(4+4R) 元. It is
// the pricer's own number: read it before asking for another month's.
func (p *pricer) monthPrice(m int) *big.Int {
	if p.raised != nil {
		return p.raisedPrice(p.c.raisesBy(m))
	}
	price := p.c.Price
	if p.c.Escalation.Kind == "steps" {
		for _, s := range p.c.Escalation.Steps {
			if m >= s.FromMonth {
				price = s.Price
			}
		}
	}
	return p.price.SetInt64(int64(price))
}

// add adds x × y × k to sum.
func (p *pricer) add(sum, x *big.Int, y, k int64) {
	p.product.Mul(x, p.factor.SetInt64(y))
	p.product.Mul(&p.product, p.factor.SetInt64(k))
	sum.Add(sum, &p.product)
}

// toFen rounds an amount over the pricer's denominator to the fen, half up (away from zero for
// negatives). An amount beyond check.MaxMoney sets overflow and is never wrapped.
func (p *pricer) toFen(amount *big.Int) measure.Money {
	q, r := &p.quotient, &p.remainder
	q.QuoRem(q.Abs(amount), &p.denom, r)
	if r.Lsh(r, 1).Cmp(&p.denom) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if q.Cmp(maxFen) > 0 {
		p.overflow = true
		return 0
	}
	if amount.Sign() < 0 {
		q.Neg(q)
	}
	return measure.Money(q.Int64())
}

// priceString writes the price of a lease month exactly, as the amount was computed from it:
// an escalated price has more decimals than the 0.0001 元 a quote is given in (4.5 raised 3 %
// twice is 4.77405). A price needing more than 20 decimals shows 8, rounded.
func (p *pricer) priceString(m int) string {
	places := priceDecimals * (1 + p.raises)
	digits := p.monthPrice(m).String()
	sign := ""
	if digits[0] == '-' {
		sign, digits = "-", digits[1:]
	}
	if len(digits) <= places {
		digits = strings.Repeat("0", places-len(digits)+1) + digits
	}
	for places > priceDecimals && digits[len(digits)-1] == '0' {
		digits, places = digits[:len(digits)-1], places-1
	}
	if places > 20 {
		quoteUnit := new(big.Int).Mul(&p.scale, big.NewInt(10000))
		return new(big.Rat).SetFrac(p.monthPrice(m), quoteUnit).FloatString(8)
	}
	return sign + digits[:len(digits)-places] + "." + digits[len(digits)-places:]
}

// rentFreeWithin reports whether any rent-free period touches the days from..to; most months
// are not counted day by day.
func (c Contract) rentFreeWithin(from, to civil.Date) bool {
	for _, p := range c.RentFree {
		if !p.From.After(to) && !p.To.Before(from) {
			return true
		}
	}
	return false
}

func (c Contract) rentFreeOn(d civil.Date) bool {
	for _, p := range c.RentFree {
		if p.Contains(d) {
			return true
		}
	}
	return false
}

// Schedule computes the contract's charge schedule. Contracts are checked by CheckAmounts
// before they are stored, so a stored contract's amounts are always in range.
func (c Contract) Schedule() Schedule {
	s, _ := c.schedule()
	return s
}

// charges are one unit's amounts for one billing period, over the pricer's denominator.
type charges struct {
	rent, fee, waived             big.Int
	rentDays, waivedDays, feeDays int
}

func (c Contract) schedule() (Schedule, bool) {
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
	months := c.leaseMonthsTo(last)
	cycle = min(cycle, len(months)) // a cycle as long as the lease or longer bills it in one period
	p := newPricer(c, len(months))
	if c.DepositMonths > 0 {
		for _, u := range c.Units {
			if u.From.After(c.StartOn) {
				continue
			}
			var deposit big.Int
			p.add(&deposit, p.monthPrice(1), int64(u.Area), perMonthFactor)
			deposit.Mul(&deposit, big.NewInt(int64(c.DepositMonths)))
			s.Lines = append(s.Lines, Line{Period: 0, From: c.StartOn, To: c.StartOn, DueOn: c.StartOn, UnitID: u.UnitID,
				Type: ChargeDeposit, Amount: p.toFen(&deposit), Basis: fmt.Sprintf("%d 个月租金 / %d months' rent", c.DepositMonths, c.DepositMonths)})
		}
	}
	var sum charges
	for period, m := 1, 1; m <= len(months); period, m = period+1, m+cycle {
		first, lastMonth := months[m-1].From, min(m+cycle-1, len(months))
		periodEnd := civil.Min(months[lastMonth-1].To, last)
		for _, u := range c.Units {
			sum = charges{}
			for mm := m; mm <= lastMonth; mm++ {
				p.monthCharges(&sum, u, mm, months[mm-1], last, dc)
			}
			base := Line{Period: period, From: first, To: periodEnd, DueOn: first, UnitID: u.UnitID}
			if sum.rentDays > 0 {
				l := base
				l.Type, l.Days, l.Amount = ChargeRent, sum.rentDays, p.toFen(&sum.rent)
				l.Basis = p.priceString(m) + " 元/㎡/天 × " + u.Area.String() + " ㎡"
				s.Lines = append(s.Lines, l)
			}
			if sum.waivedDays > 0 {
				l := base
				l.Type, l.Days, l.Amount, l.Basis = ChargeRentFree, sum.waivedDays, p.toFen(&sum.waived), "免租期 / rent-free"
				s.Lines = append(s.Lines, l)
			}
			if sum.feeDays > 0 && c.PropertyFee > 0 {
				l := base
				l.Type, l.Days, l.Amount = ChargePropertyFee, sum.feeDays, p.toFen(&sum.fee)
				l.Basis = c.PropertyFee.String() + " 元/㎡/月 × " + u.Area.String() + " ㎡"
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
	if total.Cmp(maxFen) > 0 {
		return s, false
	}
	s.Total = measure.Money(total.Int64())
	return s, !p.overflow
}

// monthCharges adds one unit's rent, property fee and waived rent for one lease month to sum,
// with the days each covers.
func (p *pricer) monthCharges(sum *charges, u ContractUnit, m int, lm Period, last civil.Date, dc DayCount) {
	c := p.c
	from, to := civil.Max(lm.From, civil.Max(u.From, c.StartOn)), civil.Min(lm.To, civil.Min(u.To, last))
	if u.To.IsZero() {
		to = civil.Min(lm.To, last)
	}
	if from.After(to) {
		return
	}
	monthDays := lm.From.DaysUntil(lm.To) + 1
	occupied := from.DaysUntil(to) + 1
	rentDays, waivedDays := occupied, 0
	if c.rentFreeWithin(from, to) {
		rentDays = 0
		for d := from; !d.After(to); d = d.AddDays(1) {
			if c.rentFreeOn(d) {
				waivedDays++
			} else {
				rentDays++
			}
		}
	}
	sum.rentDays, sum.waivedDays, sum.feeDays = sum.rentDays+rentDays, sum.waivedDays+waivedDays, sum.feeDays+occupied
	price, area := p.monthPrice(m), int64(u.Area)
	// wholeMonth adds a whole month's rent; part months are priced by the day.
	wholeMonth := func(into *big.Int) {
		if dc == DayCountActual {
			p.add(into, price, area, int64(monthDays)*perDayFactor)
		} else {
			p.add(into, price, area, perMonthFactor)
		}
	}
	switch {
	case rentDays == monthDays:
		wholeMonth(&sum.rent)
	case rentDays > 0:
		p.add(&sum.rent, price, area, int64(rentDays)*perDayFactor)
	}
	switch {
	case waivedDays == monthDays:
		wholeMonth(&sum.waived)
	case waivedDays > 0:
		p.add(&sum.waived, price, area, int64(waivedDays)*perDayFactor)
	}
	if occupied == monthDays {
		p.add(&sum.fee, &p.fee, area, feeMonthFactor)
	} else {
		p.add(&sum.fee, &p.fee, area, int64(occupied)*feeDayFactor)
	}
}

func convention(dc DayCount) string {
	if dc == DayCountActual {
		return "整月按实际天数计租：单价 × 面积 × 当月天数；不足整月按日计：单价 × 面积 × 计费天数；物业费整月按月价、不足整月按 月价 × 12 / 365 × 天数；每期每单元每类费用精确求和后四舍五入到分。" +
			" Whole months at price × area × the month's days; part months at price × area × chargeable days; property fee monthly, part months at fee × 12/365 per day; each line summed exactly and rounded once to the fen, half up."
	}
	return "整月按 365/12 计租：单价 × 面积 × 365 / 12；不足整月按日计：单价 × 面积 × 计费天数；物业费整月按月价、不足整月按 月价 × 12 / 365 × 天数；每期每单元每类费用精确求和后四舍五入到分。" +
		" Whole months at price × area × 365/12; part months at price × area × chargeable days; property fee monthly, part months at fee × 12/365 per day; each line summed exactly and rounded once to the fen, half up."
}

// MonthlyRent is a whole month's rent for an area at the contract's current price basis
// (price × area × 365/12), rounded to the fen; the rent roll prints it.
func MonthlyRent(price measure.Price, a measure.Area) measure.Money {
	p := newPricer(Contract{Price: price}, 1)
	var amount big.Int
	p.add(&amount, p.monthPrice(1), int64(a), perMonthFactor)
	return p.toFen(&amount)
}

// MonthlyFee is a whole month's property fee for an area (fee × area), rounded to the fen.
func MonthlyFee(fee measure.Price, a measure.Area) measure.Money {
	p := newPricer(Contract{PropertyFee: fee}, 1)
	var amount big.Int
	p.add(&amount, &p.fee, int64(a), feeMonthFactor)
	return p.toFen(&amount)
}

// leaseMonthOf is the lease month (1-based) that contains d; days before the start are month 1.
// Lease month m ends the day before start + m months, so it is the first m with start + m months
// after d: never before the calendar months between them, at most two past it.
func (c Contract) leaseMonthOf(d civil.Date) int {
	m := max(1, (d.Year()-c.StartOn.Year())*12+int(d.Month())-int(c.StartOn.Month()))
	for !c.StartOn.AddMonths(m).After(d) {
		m++
	}
	return m
}

// leaseMonthsTo are the lease months from the first to the one that contains d (the first
// alone when d is before the start), each a month after the one before.
func (c Contract) leaseMonthsTo(d civil.Date) []Period {
	var months []Period
	from := c.StartOn
	for {
		next := c.StartOn.AddMonths(len(months) + 1)
		months = append(months, Period{From: from, To: next.AddDays(-1)})
		if !next.AddDays(-1).Before(d) {
			return months
		}
		from = next
	}
}

// MonthlyChargesOn are a whole month's rent and property fee for an area at the price in
// force on day d (escalation included), each rounded once to the fen as the schedule rounds.
func (c Contract) MonthlyChargesOn(d civil.Date, a measure.Area) (price measure.Price, rent, fee measure.Money) {
	m := c.leaseMonthOf(d)
	p := newPricer(c, m)
	var amount big.Int
	p.add(&amount, p.monthPrice(m), int64(a), perMonthFactor)
	rent = p.toFen(&amount)
	price = measure.Price(p.quotient.Quo(p.monthPrice(m), &p.scale).Int64())
	return price, rent, MonthlyFee(c.PropertyFee, a)
}
