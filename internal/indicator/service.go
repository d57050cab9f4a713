package indicator

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
)

// Store is what the indicator engine reads, each call in the caller's scope, and where the
// authority's own indicators are kept.
type Store interface {
	YearFilings(ctx context.Context, sc identity.Scope, year int, parkIDs []string) ([]FilingRow, error)
	// QuarterFilings are the reports of the quarterly and monthly periods of one quarter of a
	// year, of every park in the caller's scope.
	QuarterFilings(ctx context.Context, sc identity.Scope, year, quarter int) ([]FilingRow, error)
	IndicatorParks(ctx context.Context, sc identity.Scope, parkID string) ([]ParkFacts, error)
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	// CustomIndicators are the indicators the authority added, oldest first.
	CustomIndicators(ctx context.Context) ([]Indicator, error)
	// InsertIndicator keeps a new indicator; a code taken meanwhile is a conflict.
	InsertIndicator(ctx context.Context, ind Indicator) error
	ParkDataStore
	BlockStore
	// EnterpriseFilings are one enterprise's reports of the years asked, in the caller's scope.
	EnterpriseFilings(ctx context.Context, sc identity.Scope, enterpriseID string, years []int) ([]FilingRow, error)
}

// Occupancy gives parks' leasable and leased area at the end of years (leasing's month-end
// snapshots), every park in scope or the one asked for.
type Occupancy interface {
	YearEndAreas(ctx context.Context, sc identity.Scope, parkID string, years []int) (map[string]map[int][2]measure.Area, error)
}

// Facilities gives parks' open and booked hours of their shared resources in years (§7's
// utilisation), every park in scope or the one asked for.
type Facilities interface {
	YearHours(ctx context.Context, sc identity.Scope, parkID string, years []int) (map[string]map[int][2]float64, error)
}

// Services gives parks' service-request figures in years (§7's reports): requests, SLA clocks
// ended and met, ratings and their sum.
type Services interface {
	YearFigures(ctx context.Context, sc identity.Scope, parkID string, years []int) (map[string]map[int][5]float64, error)
}

// Sources are the other contexts whose figures become indicators.
type Sources struct {
	Occupancy  Occupancy
	Facilities Facilities
	Services   Services
}

// Service computes the catalog's indicators for the parks a caller may see.
type Service struct {
	st    Store
	src   Sources
	clock civil.Clock
}

// NewService builds the indicator service on st, with the figures of src.
func NewService(st Store, src Sources, clock civil.Clock) *Service {
	return &Service{st: st, src: src, clock: clock}
}

// DefaultYear is the year figures are shown for when none is asked: the last whole year.
func (s *Service) DefaultYear() int { return s.clock.Today().Year() - 1 }

// Catalog is every indicator: the built-ins, then those the authority added.
func (s *Service) Catalog(ctx context.Context) ([]Indicator, error) {
	custom, err := s.st.CustomIndicators(ctx)
	if err != nil {
		return nil, err
	}
	return append(slices.Clone(BuiltIns), custom...), nil
}

// Get is one indicator of the catalog.
func (s *Service) Get(ctx context.Context, code string) (Indicator, error) {
	all, err := s.Catalog(ctx)
	if err != nil {
		return Indicator{}, err
	}
	i := slices.IndexFunc(all, func(ind Indicator) bool { return ind.Code == code })
	if i < 0 {
		return Indicator{}, apperr.ErrNotFound("指标", "indicator")
	}
	return all[i], nil
}

// Add keeps an indicator the authority defines, without a release: its formula is checked
// (errors name the line and column), its code must be new, and a growth indicator must grow an
// indicator that exists.
func (s *Service) Add(ctx context.Context, sc identity.Scope, ind Indicator) (Indicator, error) {
	if !sc.May(identity.SteerParks) {
		return Indicator{}, apperr.ErrForbidden()
	}
	all, err := s.Catalog(ctx)
	if err != nil {
		return Indicator{}, err
	}
	exists := func(code string) bool {
		return slices.ContainsFunc(all, func(i Indicator) bool { return i.Code == code })
	}
	if err := ind.Validate(exists, true); err != nil {
		return Indicator{}, err
	}
	ind.BuiltIn = false
	if ind.GrowthOf != "" {
		base, _ := s.Get(ctx, ind.GrowthOf)
		ind.Formula = base.Formula
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertIndicator(ctx, ind); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "indicator", ind.Code, nil, ind)
	})
	return ind, err
}

// Figure is one indicator's value for a park or a group, with its growth where it has one:
// YoY and like-for-like for a plain indicator, the indicator itself for a growth one.
type Figure struct {
	Indicator   Indicator `json:"indicator"`
	Value       Value     `json:"value"`
	Growth      *Growth   `json:"growth,omitempty"`
	YoY         *Growth   `json:"yoy,omitempty"`
	LikeForLike *Growth   `json:"like_for_like,omitempty"`
}

// ParkFigures are every indicator of one park in one year, and the enterprise-years they stand
// on (largest revenue first), so a reader can go down to each enterprise.
type ParkFigures struct {
	Park        ParkFacts `json:"park"`
	Year        int       `json:"year"`
	Figures     []Figure  `json:"figures"`
	Enterprises []Year    `json:"enterprises"`
}

// years loads the parks in scope (one when parkID is set) for each of the years asked: one
// park's enterprise-years from its reports, every park's from the kept blocks (refreshed first
// where their inputs changed), and their year-end occupancy when one of uses needs it.
func (s *Service) years(ctx context.Context, sc identity.Scope, parkID string, uses []Formula, years ...int) ([]ParkFacts, map[int][]ParkYear, error) {
	parks, err := s.st.IndicatorParks(ctx, sc, parkID)
	if err != nil {
		return nil, nil, err
	}
	subs, err := s.st.Submissions(ctx, sc, parkID, years)
	if err != nil {
		return nil, nil, err
	}
	attrs, err := s.st.Attributes(ctx, sc, parkID)
	if err != nil {
		return nil, nil, err
	}
	var areas map[string]map[int][2]measure.Area
	if reads(uses, "leased_area", "leasable_area") {
		if areas, err = s.src.Occupancy.YearEndAreas(ctx, sc, parkID, years); err != nil {
			return nil, nil, err
		}
	}
	var hours map[string]map[int][2]float64
	if reads(uses, "facility_open_hours", "facility_booked_hours") {
		if hours, err = s.src.Facilities.YearHours(ctx, sc, parkID, years); err != nil {
			return nil, nil, err
		}
	}
	var service map[string]map[int][5]float64
	if reads(uses, serviceMeasures...) {
		if service, err = s.src.Services.YearFigures(ctx, sc, parkID, years); err != nil {
			return nil, nil, err
		}
	}
	var blocks map[int]map[string][]Block
	if parkID == "" {
		if _, err := s.refresh(ctx, sc, parks, years); err != nil {
			return nil, nil, err
		}
		if blocks, err = s.st.FigureBlocks(ctx, sc, years); err != nil {
			return nil, nil, err
		}
	}
	out := map[int][]ParkYear{}
	for _, y := range years {
		if _, done := out[y]; done {
			continue
		}
		if parkID != "" {
			rows, err := s.st.YearFilings(ctx, sc, y, []string{parkID})
			if err != nil {
				return nil, nil, err
			}
			out[y] = ParkYears(y, parks, rows)
		} else {
			out[y] = make([]ParkYear, len(parks))
			for i, p := range parks {
				out[y][i] = ParkYear{ParkID: p.ParkID, Year: y, Attrs: p.attrs(), Blocks: nonNil(blocks[y][p.ParkID])}
			}
		}
		withParkData(out[y], subs, attrs)
		s.withOccupancy(out[y], areas)
		withHours(out[y], hours)
		withServices(out[y], service)
	}
	return parks, out, nil
}

// reads reports whether one of the formulas uses one of the names.
func reads(fs []Formula, names ...string) bool {
	for _, f := range fs {
		for _, n := range names {
			if slices.Contains(f.Uses, n) {
				return true
			}
		}
	}
	return false
}

// withHours sets each park-year's open and booked hours of its shared resources; a park with
// no resource open that year has no utilisation.
func withHours(pys []ParkYear, hours map[string]map[int][2]float64) {
	for i := range pys {
		p := &pys[i]
		h, ok := hours[p.ParkID][p.Year]
		if !ok {
			continue
		}
		if p.Attrs == nil {
			p.Attrs = map[string]Attr{}
		}
		end := civil.Of(p.Year, 12, 31)
		p.Attrs["facility_open_hours"] = Attr{Value: h[0], Since: end}
		p.Attrs["facility_booked_hours"] = Attr{Value: h[1], Since: end}
	}
}

// serviceMeasures are the service figures in the order Services gives them.
var serviceMeasures = []string{"service_requests", "service_sla_ended", "service_sla_met", "service_ratings", "service_rating_sum"}

// withServices sets each park-year's service-request figures.
func withServices(pys []ParkYear, figures map[string]map[int][5]float64) {
	for i := range pys {
		p := &pys[i]
		v, ok := figures[p.ParkID][p.Year]
		if !ok {
			continue
		}
		if p.Attrs == nil {
			p.Attrs = map[string]Attr{}
		}
		for j, m := range serviceMeasures {
			p.Attrs[m] = Attr{Value: v[j], Since: civil.Of(p.Year, 12, 31)}
		}
	}
}

// withOccupancy sets each park-year's leasable and leased area at the year's end (today's month
// for the year not yet over), in m²; a park with nothing leasable has no occupancy.
func (s *Service) withOccupancy(pys []ParkYear, areas map[string]map[int][2]measure.Area) {
	for i := range pys {
		p := &pys[i]
		a, ok := areas[p.ParkID][p.Year]
		if !ok || a[0] <= 0 {
			continue
		}
		on := civil.Of(p.Year, 12, 31)
		if today := s.clock.Today(); today.Before(on) {
			on = civil.Of(today.Year(), today.Month(), 1).AddMonths(1).AddDays(-1) // this month's end
		}
		if p.Attrs == nil {
			p.Attrs = map[string]Attr{}
		}
		p.Attrs["leasable_area"] = Attr{Value: float64(a[0]) / 100, Since: on}
		p.Attrs["leased_area"] = Attr{Value: float64(a[1]) / 100, Since: on}
	}
}

// nonNil keeps a park-year with no blocks from being taken for one given only its enterprise-years.
func nonNil(blocks []Block) []Block {
	if blocks == nil {
		return []Block{}
	}
	return blocks
}

func checkYear(year int) error {
	if year < 2000 || year > 2100 {
		var f apperr.Fields
		f.Add("year", "out_of_range", "年份应在 2000–2100 之间", "year must be between 2000 and 2100")
		return f.Err()
	}
	return nil
}

// yearsFor are the years the catalog's figures for year need: it, the one before, and the bases
// of the growth indicators.
func yearsFor(catalog []Indicator, year int) []int {
	ys := []int{year, year - 1}
	for _, ind := range catalog {
		if ind.GrowthYears > 1 {
			ys = append(ys, year-ind.GrowthYears)
		}
	}
	return ys
}

// ParkFigures computes every indicator of the catalog for one park the caller may see.
func (s *Service) ParkFigures(ctx context.Context, sc identity.Scope, parkID string, year int) (ParkFigures, error) {
	if err := checkYear(year); err != nil {
		return ParkFigures{}, err
	}
	catalog, err := s.Catalog(ctx)
	if err != nil {
		return ParkFigures{}, err
	}
	var uses []Formula
	for _, ind := range catalog {
		f, _ := Compile(ind.Formula)
		uses = append(uses, f)
	}
	parks, byYear, err := s.years(ctx, sc, parkID, uses, yearsFor(catalog, year)...)
	if err != nil {
		return ParkFigures{}, err
	}
	if len(parks) == 0 {
		return ParkFigures{}, apperr.ErrNotFound("园区", "park")
	}
	out := ParkFigures{Park: parks[0], Year: year, Enterprises: slices.Clone(byYear[year][0].Years)}
	if out.Enterprises == nil {
		out.Enterprises = []Year{}
	}
	slices.SortStableFunc(out.Enterprises, func(a, b Year) int { return cmp.Compare(b.Figures["revenue"], a.Figures["revenue"]) })
	for _, ind := range catalog {
		f, _ := Compile(ind.Formula)
		cur, prev := byYear[year][0], byYear[year-1][0]
		fig := Figure{Indicator: ind, Value: ParkValue(f, cur)}
		switch {
		case ind.GrowthYears == 1:
			g := YoY(f, cur, prev)
			fig.Growth = &g
		case ind.GrowthYears > 1:
			g := CAGR(f, cur, byYear[year-ind.GrowthYears][0], ind.GrowthYears)
			fig.Growth = &g
		default:
			yoy, lfl := YoY(f, cur, prev), LikeForLike(f, cur, prev)
			fig.YoY, fig.LikeForLike = &yoy, &lfl
		}
		out.Figures = append(out.Figures, fig)
	}
	return out, nil
}

// ParkRow is one park's value of an indicator.
type ParkRow struct {
	Park   ParkFacts `json:"park"`
	Value  Value     `json:"value"`
	Growth *Growth   `json:"growth,omitempty"`
}

// Table is one indicator across the parks of a group a caller may see, and for them as a
// group (rule 7), with the group's growth in both named forms (rule 6).
type Table struct {
	Indicator   Indicator `json:"indicator"`
	Year        int       `json:"year"`
	Quarter     int       `json:"quarter,omitempty"` // 1–4 for a quarter's values, absent for the year's
	Group       Group     `json:"group"`
	Parks       []ParkRow `json:"parks"`
	Total       Value     `json:"total"`
	GrowthTotal *Growth   `json:"growth_of_total,omitempty"`
	GrowthMean  *Growth   `json:"mean_of_growth,omitempty"`
}

// inGroup keeps the parks of a group at the end of year, and their years, in step.
func inGroup(g Group, year int, parks []ParkFacts, byYear map[int][]ParkYear) ([]ParkFacts, map[int][]ParkYear) {
	var keep []int
	for i, p := range parks {
		if g.Has(p, year) {
			keep = append(keep, i)
		}
	}
	outParks := make([]ParkFacts, len(keep))
	outYears := map[int][]ParkYear{}
	for y, pys := range byYear {
		outYears[y] = make([]ParkYear, len(keep))
		for j, i := range keep {
			outYears[y][j] = pys[i]
		}
	}
	for j, i := range keep {
		outParks[j] = parks[i]
	}
	return outParks, outYears
}

// Table computes one indicator (revenue when code is empty) for every park of the group in
// scope and for them together, for a year.
func (s *Service) Table(ctx context.Context, sc identity.Scope, code string, year int, g Group) (Table, error) {
	return s.table(ctx, sc, code, year, 0, g)
}

// QuarterTable is Table for one quarter (1–4) of a year, its growth against the same quarter.
func (s *Service) QuarterTable(ctx context.Context, sc identity.Scope, code string, year, quarter int, g Group) (Table, error) {
	if quarter < 1 || quarter > 4 {
		var f apperr.Fields
		f.Add("quarter", "out_of_range", "季度应为 1–4", "quarter must be 1–4")
		return Table{}, f.Err()
	}
	return s.table(ctx, sc, code, year, quarter, g)
}

func (s *Service) table(ctx context.Context, sc identity.Scope, code string, year, quarter int, g Group) (Table, error) {
	ind, f, err := s.formulaOf(ctx, code, year)
	if err != nil {
		return Table{}, err
	}
	if err := s.CheckParks(ctx, sc, "group", g); err != nil {
		return Table{}, err
	}
	base := year - max(1, ind.GrowthYears)
	var parks []ParkFacts
	var byYear map[int][]ParkYear
	if quarter == 0 {
		parks, byYear, err = s.years(ctx, sc, "", []Formula{f}, year, base)
	} else {
		parks, byYear, err = s.quarters(ctx, sc, quarter, year, base)
	}
	if err != nil {
		return Table{}, err
	}
	parks, byYear = inGroup(g, year, parks, byYear)
	t := Table{Indicator: ind, Year: year, Quarter: quarter, Group: g, Parks: make([]ParkRow, 0, len(parks)), Total: GroupValue(f, byYear[year])}
	for i, p := range parks {
		row := ParkRow{Park: p, Value: ParkValue(f, byYear[year][i])}
		switch {
		case ind.GrowthYears == 1:
			g := YoY(f, byYear[year][i], byYear[base][i])
			row.Growth = &g
		case ind.GrowthYears > 1:
			g := CAGR(f, byYear[year][i], byYear[base][i], ind.GrowthYears)
			row.Growth = &g
		}
		t.Parks = append(t.Parks, row)
	}
	n := max(1, ind.GrowthYears)
	total, mean := GroupGrowthOfTotal(f, byYear[year], byYear[base], n), GroupGrowthMean(f, byYear[year], byYear[base], n)
	t.GrowthTotal, t.GrowthMean = &total, &mean
	return t, nil
}

// quarters loads every park in scope for one quarter of each of the years asked: each
// enterprise's quarter from its quarterly or monthly reports of it (rule 1 over the quarter; an
// annual report has no quarters), the park attributes at the year's end. Park-level
// submissions are yearly, so an off-platform park has no quarter: missing, never zero.
func (s *Service) quarters(ctx context.Context, sc identity.Scope, quarter int, years ...int) ([]ParkFacts, map[int][]ParkYear, error) {
	parks, err := s.st.IndicatorParks(ctx, sc, "")
	if err != nil {
		return nil, nil, err
	}
	attrs, err := s.st.Attributes(ctx, sc, "")
	if err != nil {
		return nil, nil, err
	}
	out := map[int][]ParkYear{}
	for _, y := range years {
		rows, err := s.st.QuarterFilings(ctx, sc, y, quarter)
		if err != nil {
			return nil, nil, err
		}
		out[y] = ParkYears(y, parks, rows)
		withParkData(out[y], nil, attrs)
	}
	return parks, out, nil
}

// formulaOf checks the year and finds an indicator (revenue when code is empty) and its formula.
func (s *Service) formulaOf(ctx context.Context, code string, year int) (Indicator, Formula, error) {
	if code == "" {
		code = "revenue"
	}
	ind, err := s.Get(ctx, code)
	if err != nil {
		return ind, Formula{}, err
	}
	if err := checkYear(year); err != nil {
		return ind, Formula{}, err
	}
	f, err := Compile(ind.Formula)
	return ind, f, err
}

// Comparison is a group's indicator as a multiple of a reference group's (rule 7: the seed's
// featured parks' R&D intensity, 2.4 times the zone's).
type Comparison struct {
	Indicator Indicator `json:"indicator"`
	Year      int       `json:"year"`
	Subject   Group     `json:"subject"`
	Reference Group     `json:"reference"`
	Of        Value     `json:"subject_value"`
	Against   Value     `json:"reference_value"`
	Multiple  Value     `json:"multiple"`
}

// Compare computes an indicator for two groups of the parks in scope and the multiple of one
// over the other. Growth indicators compare the groups' growth of the total.
func (s *Service) Compare(ctx context.Context, sc identity.Scope, code string, year int, subject, reference Group) (Comparison, error) {
	ind, f, err := s.formulaOf(ctx, code, year)
	if err != nil {
		return Comparison{}, err
	}
	if err := s.CheckParks(ctx, sc, "subject", subject); err != nil {
		return Comparison{}, err
	}
	if err := s.CheckParks(ctx, sc, "reference", reference); err != nil {
		return Comparison{}, err
	}
	base := year - max(1, ind.GrowthYears)
	parks, byYear, err := s.years(ctx, sc, "", []Formula{f}, year, base)
	if err != nil {
		return Comparison{}, err
	}
	value := func(g Group) Value {
		_, ys := inGroup(g, year, parks, byYear)
		if ind.GrowthOf == "" {
			return GroupValue(f, ys[year])
		}
		v := GroupGrowthOfTotal(f, ys[year], ys[base], max(1, ind.GrowthYears)).Percent()
		v.RuleZh, v.RuleEn = v.RuleZh+"（同一批园区两年合计之比）", v.RuleEn+" (the same parks' totals in both years)"
		return v
	}
	c := Comparison{Indicator: ind, Year: year, Subject: subject, Reference: reference, Of: value(subject), Against: value(reference)}
	c.Multiple = Multiple(c.Of, c.Against)
	return c, nil
}

// ParkValues are several indicators for every park of a group in one year, from one read of
// the figures: each park's value, or for a growth indicator its growth (in %).
type ParkValues struct {
	Parks      []ParkFacts
	Values     map[string]map[string]Value // park id → indicator code → value
	Indicators map[string]Indicator
}

// Values computes the indicators codes for the group's parks in scope for year.
func (s *Service) Values(ctx context.Context, sc identity.Scope, year int, g Group, codes []string) (ParkValues, error) {
	if err := checkYear(year); err != nil {
		return ParkValues{}, err
	}
	if err := s.CheckParks(ctx, sc, "group", g); err != nil {
		return ParkValues{}, err
	}
	out := ParkValues{Values: map[string]map[string]Value{}, Indicators: map[string]Indicator{}}
	need := []int{year, year - 1}
	formulas := map[string]Formula{}
	for _, code := range codes {
		ind, f, err := s.formulaOf(ctx, code, year)
		if err != nil {
			return ParkValues{}, err
		}
		out.Indicators[code], formulas[code] = ind, f
		if ind.GrowthYears > 1 {
			need = append(need, year-ind.GrowthYears)
		}
	}
	parks, byYear, err := s.years(ctx, sc, "", slices.Collect(maps.Values(formulas)), need...)
	if err != nil {
		return ParkValues{}, err
	}
	parks, byYear = inGroup(g, year, parks, byYear)
	out.Parks = parks
	for i, p := range parks {
		vals := map[string]Value{}
		for code, ind := range out.Indicators {
			f := formulas[code]
			switch {
			case ind.GrowthOf == "":
				vals[code] = ParkValue(f, byYear[year][i])
			default:
				var gr Growth
				if ind.GrowthYears > 1 {
					gr = CAGR(f, byYear[year][i], byYear[year-ind.GrowthYears][i], ind.GrowthYears)
				} else {
					gr = YoY(f, byYear[year][i], byYear[year-1][i])
				}
				vals[code] = gr.Percent()
			}
		}
		out.Values[p.ParkID] = vals
	}
	return out, nil
}
