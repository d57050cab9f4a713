// Package gen writes deterministic synthetic data sets at the scales of SPEC §12 (parkos gen):
// parks, zones, buildings, floors, units with facilities and neighbours, enterprises with
// residencies and qualifications, and users. The same scale and seed always give the same rows.
// Names are plainly synthetic (合成园区 / 合成企业) so generated data is never mistaken for
// real companies.
package gen

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/enterprise"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// Scale is the size of a data set.
type Scale struct {
	Name                                 string
	Parks, Buildings, Units, Enterprises int
	History                              History
	Policies                             PolicyPlan
}

// History is how far back each enterprise's and each lease's records go.
type History struct {
	ReportYears   int // quarterly reports of the years up to lastReportYear
	BillingMonths int // bills due in the months up to billingTo
	Bookings      int // facility bookings per enterprise
	Requests      int // service requests per enterprise
}

// PolicyPlan is how many policies are published, how many parks each covers (0: every park),
// and how many applications are filed.
type PolicyPlan struct{ Count, ParksEach, Applications int }

// fullHistory: §12's ten years of quarterly reports, a year of bills, twenty bookings and six
// service requests per enterprise (at beijing scale §12's 1,000,000 bookings and 300,000
// service requests).
var fullHistory = History{ReportYears: 10, BillingMonths: 12, Bookings: 20, Requests: 6}

// Scales are the named sizes; "beijing" is §12's city-wide authority. "national" is §14's
// deployment of ≈ 5,000 parks with a thinner past, so that it fits one machine's disk: two
// years of reports (enough for growth), a quarter of bills, one booking and one request per
// enterprise. Its policies are local, each covering 25 parks, as a district's or a park's are.
var Scales = map[string]Scale{
	"demo":     {"demo", 10, 60, 6_000, 1_000, fullHistory, PolicyPlan{5, 0, 1_000}},
	"city":     {"city", 100, 750, 37_500, 12_500, fullHistory, PolicyPlan{50, 0, 12_500}},
	"beijing":  {"beijing", 400, 3_000, 150_000, 50_000, fullHistory, PolicyPlan{200, 0, 50_000}},
	"national": {"national", 5_000, 37_500, 1_500_000, 2_000_000, History{ReportYears: 2, BillingMonths: 3, Bookings: 1, Requests: 1}, PolicyPlan{1_000, 25, 200_000}},
}

// ScaleNames lists the scales from the smallest.
var ScaleNames = []string{"demo", "city", "beijing", "national"}

// BigPark is the shape of park 0 in every scale: the 6-building, 3,600-unit park the stack plan
// target (§12) is measured on.
const (
	bigParkBuildings = 6
	bigParkUnits     = 3_600
)

// Stats counts what was written.
type Stats struct {
	Parks, Zones, Buildings, Floors, Units, Enterprises, Residencies, Qualifications, Users, Contracts, Leads, Holds, Reports int
	Bookings, Requests, Bills, Payments, Policies, Applications, Events, Registrations                                        int
}

// Options configure a run.
type Options struct {
	Seed     int64
	Password string // for every generated user
	Progress func(done, total int)
}

type generator struct {
	ctx   context.Context
	st    *sqlstore.Store
	scale Scale
	rnd   *rand.Rand
	seq   uint64
	base  time.Time
	hash  string
	stats Stats
	// periods are the authority's quarterly reporting periods every enterprise files in.
	periods []stats.Period
	// billingFrom is the first day bills are generated for.
	billingFrom civil.Date
	parkIDs     []string
}

// Run writes a data set into an empty, migrated database. The set is registered first and
// marked finished last, so an interrupted run leaves a database that reports itself
// incomplete (/readyz answers 503) rather than one that looks whole.
func Run(ctx context.Context, st *sqlstore.Store, scaleName string, opt Options) (Stats, error) {
	scale, ok := Scales[scaleName]
	if !ok {
		return Stats{}, fmt.Errorf("--scale %q: want one of %s", scaleName, strings.Join(ScaleNames, ", "))
	}
	if scale.Name == "national" && st.Engine() != "postgres" {
		return Stats{}, fmt.Errorf("--scale national: 37 GB in 71 million rows wants PostgreSQL (--db postgres://…), not %s", st.Engine())
	}
	return run(ctx, st, scale, opt)
}

func run(ctx context.Context, st *sqlstore.Store, scale Scale, opt Options) (Stats, error) {
	if opt.Password == "" {
		return Stats{}, fmt.Errorf("a password for the generated users is required")
	}
	hash, err := identity.HashPassword(opt.Password)
	if err != nil {
		return Stats{}, err
	}
	sys := identity.System()
	setID, err := st.StartGeneratedSet(ctx, sys, scale.Name, opt.Seed)
	if err != nil {
		return Stats{}, err
	}
	g := &generator{ctx: ctx, st: st, scale: scale, rnd: rand.New(rand.NewPCG(uint64(opt.Seed), 0x5eed)),
		base: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), hash: hash, billingFrom: billingTo.AddDays(1).AddMonths(-scale.History.BillingMonths)}
	if err := st.BulkLoad(ctx, sys, g.reportingPeriods); err != nil {
		return g.stats, err
	}
	// Each park is written in its own transaction while the next is generated, two at once
	// where the engine can: the database's work per park is most of the time.
	queue, err := st.NewBulkQueue(ctx, sys, 4, 2)
	if err != nil {
		return g.stats, err
	}
	plan := g.plan()
	for i, p := range plan {
		if err := queue.Load(fmt.Sprintf("park %d", i), func(b *sqlstore.Bulk) error { return g.park(b, i, p) }); err != nil {
			_ = queue.Close()
			return g.stats, err
		}
		if opt.Progress != nil {
			opt.Progress(i+1, len(plan))
		}
	}
	if err := queue.Close(); err != nil {
		return g.stats, err
	}
	if err := st.BulkLoad(ctx, sys, g.platformUsers); err != nil {
		return g.stats, err
	}
	if err := g.policies(); err != nil {
		return g.stats, fmt.Errorf("policies: %w", err)
	}
	return g.stats, st.FinishGeneratedSet(ctx, sys, setID)
}

// parkPlan is how many buildings, units and enterprises one park gets.
type parkPlan struct{ buildings, units, enterprises int }

func (g *generator) plan() []parkPlan {
	s := g.scale
	plans := make([]parkPlan, s.Parks)
	plans[0] = parkPlan{bigParkBuildings, bigParkUnits, min(bigParkUnits/3, s.Enterprises/4)}
	restB, restU, restE := s.Buildings-bigParkBuildings, s.Units-bigParkUnits, s.Enterprises-plans[0].enterprises
	for i := 1; i < s.Parks; i++ {
		left := s.Parks - i
		b := max(1, restB/left+g.rnd.IntN(3)-1)
		if left == 1 {
			b = restB
		}
		plans[i].buildings = b
		restB -= b
	}
	for i := 1; i < s.Parks; i++ {
		left := s.Parks - i
		u := restU / left
		if left > 1 {
			u = max(plans[i].buildings*4, u*(80+g.rnd.IntN(41))/100)
		}
		plans[i].units, restU = u, restU-u
		e := restE / left
		if left > 1 {
			e = max(1, e*(80+g.rnd.IntN(41))/100)
		}
		plans[i].enterprises, restE = e, restE-e
	}
	return plans
}

// id makes a deterministic, ordered UUID-shaped identifier.
func (g *generator) id() string {
	g.seq++
	return fmt.Sprintf("01900000-0000-7000-8000-%012x", g.seq)
}

func (g *generator) stamp() time.Time { return g.base.Add(time.Duration(g.seq) * time.Millisecond) }

func (g *generator) pick(xs []string) string { return xs[g.rnd.IntN(len(xs))] }

var (
	districts = []string{"海淀区", "昌平区", "大兴区", "朝阳区", "丰台区", "石景山区", "门头沟区", "房山区", "通州区", "顺义区", "亦庄开发区"}
	chainSets = [][]string{
		{"biomed.mid.biologics", "biomed.mid.chemical", "biomed.up.discovery"},
		{"meddev.mid.imaging", "meddev.mid.ivd", "meddev.mid.highvalue"},
		{"cgt.mid.cart", "cgt.mid.aav", "cgt.up.vectors"},
		{"aimed.mid.models", "aimed.up.compute", "aimed.mid.diagnosis"},
	}
	industries = []string{"2761", "2762", "2720", "3581", "3583", "3584", "6513", "6511", "7340", "7320", "3973", "3849", "3741", "2659"}
	unitMix    = []space.UnitKind{space.KindOffice, space.KindOffice, space.KindOffice, space.KindLab, space.KindLab,
		space.KindIncubation, space.KindIncubation, space.KindProduction, space.KindFlatFloor, space.KindRetail, space.KindWarehouse, space.KindAmenity}
	stages = []string{"incubating", "incubating", "accelerating", "accelerating", "scaling", "headquarters", "graduated"}
)

func (g *generator) area(lo, hi int) measure.Area {
	return measure.Area(lo*100 + g.rnd.IntN((hi-lo)*100))
}

// unitArea is a plausible gross area for a kind.
func (g *generator) unitArea(k space.UnitKind) measure.Area {
	switch k {
	case space.KindIncubation:
		return g.area(60, 200)
	case space.KindLab:
		return g.area(200, 1500)
	case space.KindFlatFloor:
		return g.area(1500, 3000)
	case space.KindProduction:
		return g.area(800, 5000)
	case space.KindRetail:
		return g.area(80, 400)
	case space.KindWarehouse:
		return g.area(100, 800)
	case space.KindAmenity:
		return g.area(100, 500)
	}
	return g.area(150, 1200)
}

func (g *generator) facilities(k space.UnitKind) space.Facilities {
	f := space.Facilities{FloorLoad: measure.Decimal2(250 + g.rnd.IntN(3)*250), CeilingHeight: measure.Decimal2(360 + g.rnd.IntN(200)),
		PowerKVA: measure.Decimal2((5 + g.rnd.IntN(60)) * 100)}
	switch k {
	case space.KindLab:
		f.BiosafetyLevel = []string{"", "BSL-1", "BSL-2", "BSL-2"}[g.rnd.IntN(4)]
		f.FumeExhaust, f.PureWater, f.WastewaterPretreatment = true, g.rnd.IntN(2) == 0, g.rnd.IntN(2) == 0
		if g.rnd.IntN(20) == 0 {
			f.AnimalRoom = []string{"conventional", "barrier", "spf"}[g.rnd.IntN(3)]
		}
	case space.KindProduction:
		if g.rnd.IntN(3) == 0 {
			f.CleanroomGrade = []string{"ISO7", "ISO8"}[g.rnd.IntN(2)]
		}
		f.FloorLoad = 1000
	}
	return f
}

func (g *generator) park(b *sqlstore.Bulk, i int, p parkPlan) error {
	parkID, now := g.id(), g.stamp()
	code := fmt.Sprintf("G%04d", i)
	nodes := chainSets[i%len(chainSets)]
	opened := civil.Of(2010+g.rnd.IntN(14), time.Month(1+g.rnd.IntN(12)), 1)

	var buildings, floors, units, neighbours, zones [][]any
	var unitIDs []string
	var lettable []genUnit
	besides := map[string][]string{} // each unit's neighbours
	var parkGross, parkAbove measure.Area
	zoneIDs := []any{nil}
	if i%5 == 0 {
		for z := range 3 {
			zid := g.id()
			zoneIDs = append(zoneIDs, zid)
			zones = append(zones, []any{zid, parkID, fmt.Sprintf("Z%d", z+1), fmt.Sprintf("%d号功能区", z+1), "", "", now, now})
		}
	}
	left := p.units
	for bi := range p.buildings {
		bid := g.id()
		n := left / (p.buildings - bi)
		left -= n
		perFloor := 6 + g.rnd.IntN(11)
		if p.units >= bigParkUnits {
			perFloor = 30 // 600 units over 20 floors
		}
		nFloors := (n + perFloor - 1) / perFloor
		var bGross measure.Area
		for fl := 1; fl <= nFloors; fl++ {
			fid := g.id()
			var prev string
			var fGross measure.Area
			for ui := 0; ui < perFloor && n > 0; ui++ {
				n--
				uid, kind := g.id(), unitMix[g.rnd.IntN(len(unitMix))]
				gross := g.unitArea(kind)
				fGross += gross
				f := g.facilities(kind)
				leasable := kind != space.KindAmenity
				units = append(units, []any{uid, parkID, bid, fid, fmt.Sprintf("%d-%d-%d%02d", bi+1, fl, fl, ui+1), string(kind), gross,
					gross * 82 / 100, f.BiosafetyLevel, f.AnimalRoom, f.CleanroomGrade, f.FloorLoad, f.CeilingHeight, f.FumeExhaust,
					f.PureWater, f.PowerKVA, f.WastewaterPretreatment, measure.Price(25000 + g.rnd.IntN(60000)),
					measure.Price(150000 + g.rnd.IntN(200000)), leasable, opened, nil, "", now, now})
				if leasable {
					unitIDs = append(unitIDs, uid)
					lettable = append(lettable, genUnit{uid, gross})
				}
				if prev != "" {
					neighbours = append(neighbours, []any{uid, prev, parkID}, []any{prev, uid, parkID})
					besides[uid], besides[prev] = append(besides[uid], prev), append(besides[prev], uid)
				}
				prev = uid
			}
			fGross = fGross * 115 / 100
			bGross += fGross
			floors = append(floors, []any{fid, parkID, bid, fl, space.FloorLabel(fl), fGross, now, now})
		}
		parkGross += bGross
		parkAbove += bGross
		buildings = append(buildings, []any{bid, parkID, zoneIDs[g.rnd.IntN(len(zoneIDs))], fmt.Sprintf("B%d", bi+1),
			fmt.Sprintf("%d号楼", bi+1), nFloors, 0, bGross, bGross, 2000 + g.rnd.IntN(25), "", now, now})
	}
	g.parkIDs = append(g.parkIDs, parkID)
	for k, u := range units {
		units[k] = append(u, attachedList(besides[u[0].(string)]...))
	}
	park := []any{parkID, code, fmt.Sprintf("合成园区%04d", i), fmt.Sprintf("Synthetic Park %04d", i), g.pick(districts), "",
		39.7 + g.rnd.Float64()*0.5, 116.1 + g.rnd.Float64()*0.6, parkGross * 2 / 3, parkGross, parkAbove, "合成运营公司",
		string(space.ParkOperating), "一期", "", "", "合成数据 / synthetic data", now, now, attachedList(nodes...)}
	if err := b.Insert("parks", parkCols, [][]any{park}); err != nil {
		return err
	}
	var parkNodes [][]any
	for _, n := range nodes {
		parkNodes = append(parkNodes, []any{parkID, n})
	}
	for _, step := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"park_chain_nodes", []string{"park_id", "node_id"}, parkNodes},
		{"zones", []string{"id", "park_id", "code", "name_zh", "name_en", "description", "created_at", "updated_at"}, zones},
		{"buildings", buildingCols, buildings},
		{"floors", []string{"id", "park_id", "building_id", "level", "label", "gross_area", "created_at", "updated_at"}, floors},
		{"units", unitCols, units},
		{"unit_versions", unitVersionCols, unitVersions(units)},
		{"unit_neighbours", []string{"unit_id", "neighbour_id", "park_id"}, neighbours},
	} {
		if err := b.Insert(step.table, step.cols, step.rows); err != nil {
			return fmt.Errorf("%s: %w", step.table, err)
		}
	}
	g.stats.Parks++
	g.stats.Zones += len(zones)
	g.stats.Buildings += len(buildings)
	g.stats.Floors += len(floors)
	g.stats.Units += len(units)
	entIDs, err := g.enterprises(b, parkID, i, p.enterprises, unitIDs, opened, nodes)
	if err != nil {
		return err
	}
	if err := g.reports(b, parkID, entIDs); err != nil {
		return err
	}
	vacant, leases, err := g.contracts(b, parkID, code, lettable, entIDs, opened)
	if err != nil {
		return err
	}
	if err := g.billingHistory(b, parkID, code, leases); err != nil {
		return err
	}
	if err := g.leads(b, parkID, vacant, 20); err != nil {
		return err
	}
	if err := g.pooled(b, i, parkID); err != nil {
		return err
	}
	if err := g.services(b, parkID, "pm-"+code, entIDs, unitIDs); err != nil {
		return err
	}
	return g.parkUsers(b, parkID, code)
}

// pooled puts every generated park into the authority's pool (§6): one in ten at the key tier
// and featured in 2024 and 2025, one in three in reserve, the rest planning, each with its
// decisions; attributes from 2023; and one park in seven off the platform, submitting its own
// figures for 2021–2025. Values follow the park's index, so the other data keep their draws.
func (g *generator) pooled(b *sqlstore.Bulk, i int, parkID string) error {
	now := g.stamp()
	entered := civil.Of(2021, 3, 1)
	tier := "planning"
	switch {
	case i%10 == 0:
		tier = "key"
	case i%3 == 0:
		tier = "reserve"
	}
	since := entered
	changes := [][]any{{g.id(), parkID, "planning", entered, "首批入库（生成数据）", now}}
	if tier != "planning" {
		since = civil.Of(2024, 1, 1)
		changes = append(changes, []any{g.id(), parkID, tier, since, "2023 年度评价（生成数据）", now})
	}
	if err := b.Insert("pool_entries", []string{"park_id", "entered_on", "tier", "tier_since", "created_at", "updated_at"},
		[][]any{{parkID, entered, tier, since, now, now}}); err != nil {
		return err
	}
	if err := b.Insert("pool_tier_changes", []string{"id", "park_id", "tier", "effective_on", "reason", "created_at"}, changes); err != nil {
		return err
	}
	if tier == "key" {
		if err := b.Insert("pool_recognitions", []string{"park_id", "year"}, [][]any{{parkID, 2024}, {parkID, 2025}}); err != nil {
			return err
		}
	}
	var attrs [][]any
	for j, key := range []string{"tech_platforms", "incubators", "funds"} {
		attrs = append(attrs, []any{g.id(), parkID, key, float64(1 + (i+j)%5), civil.Of(2023, 1, 1), now})
	}
	attrs = append(attrs, []any{g.id(), parkID, "fund_size", float64(1+i%20) * 1e8, civil.Of(2023, 1, 1), now})
	if err := b.Insert("park_attributes", []string{"id", "park_id", "attribute", "value", "effective_on", "created_at"}, attrs); err != nil {
		return err
	}
	if i%7 != 3 {
		return nil
	}
	var subs [][]any
	for y := 2021; y <= 2025; y++ {
		revenue := int64(20+i%80) * 1_0000_0000_00 * int64(100+8*(y-2021)) / 100 // 亿元 in fen, growing 8 % a year
		f, err := json.Marshal(stats.Figures{"revenue": revenue, "rd_expense": revenue / 20, "tax": revenue / 16, "employees": int64(2000 + 10*i),
			"invention_patents_granted": int64(40 + i%60), "invention_patents_held": int64(300 + i%200)})
		if err != nil {
			return err
		}
		subs = append(subs, []any{parkID, y, string(f), now})
	}
	return b.Insert("park_submissions", []string{"park_id", "year", "figures_json", "updated_at"}, subs)
}

// leads writes n leads per park spread over the stages, each with two timeline entries; those in
// proposal or negotiation hold a unit that is vacant today.
func (g *generator) leads(b *sqlstore.Bulk, parkID string, vacant []string, n int) error {
	var leads, acts, holds [][]any
	today := civil.Of(2026, 6, 30)
	for i := range n {
		id, now := g.id(), g.stamp()
		stage := leasing.Stages[g.rnd.IntN(len(leasing.Stages))]
		loss := ""
		if stage == "lost" {
			loss = leasing.LossReasons[g.rnd.IntN(len(leasing.LossReasons))]
		}
		minArea := g.area(80, 1500)
		leads = append(leads, []any{id, parkID, fmt.Sprintf("合成意向企业%06d", g.stats.Leads+i+1), "", "", "", g.pick(leasing.Sources), nil,
			minArea, minArea * 2, `{"unit_kinds":[],"facilities":[]}`, measure.Price(40000 + g.rnd.IntN(40000)), nil, 5 + g.rnd.IntN(100),
			nil, string(stage), leasing.DefaultProbability[stage], loss, today.AddDays(g.rnd.IntN(30) - 10), now, nil, nil, "", now, now})
		for _, kind := range []string{"call", "visit"} {
			acts = append(acts, []any{g.id(), id, parkID, kind, now, "", "", "合成跟进记录", "", ""})
		}
		if (stage == "proposal" || stage == "negotiation") && len(vacant) > 0 {
			unit := vacant[len(vacant)-1]
			vacant = vacant[:len(vacant)-1]
			holds = append(holds, []any{g.id(), parkID, id, unit, today, today.AddDays(7 + g.rnd.IntN(30)), "active", "", now, now})
		}
	}
	g.stats.Leads += len(leads)
	g.stats.Holds += len(holds)
	for _, step := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"leads", leadCols, leads},
		{"lead_activities", []string{"id", "lead_id", "park_id", "kind", "at", "user_id", "username", "text", "from_stage", "to_stage"}, acts},
		{"holds", []string{"id", "park_id", "lead_id", "unit_id", "from_on", "until_on", "status", "note", "created_at", "updated_at"}, holds},
	} {
		if err := b.Insert(step.table, step.cols, step.rows); err != nil {
			return fmt.Errorf("%s: %w", step.table, err)
		}
	}
	return nil
}

type genUnit struct {
	id    string
	gross measure.Area
}

// contracts gives each leasable unit a history of single-unit leases from 2020 (or opening):
// 3 to 6 years each, separated by vacancies of 1 to 12 months, never overlapping. A lease
// whose term has passed reads as expired.
func (g *generator) contracts(b *sqlstore.Bulk, parkID, code string, units []genUnit, ents []string, opened civil.Date) ([]string, []leasing.Contract, error) {
	var vacant []string // units without a lease on 2026-06-30, the generator's "today"
	var billed []leasing.Contract
	if len(ents) == 0 {
		return nil, nil, nil
	}
	var ks, cus [][]any
	horizon := civil.Of(2026, 12, 31)
	n := 0
	for _, u := range units {
		at := civil.Max(opened, civil.Of(2020, 1, 1)).AddMonths(g.rnd.IntN(18))
		let := false
		for at.Before(horizon) {
			end := at.AddMonths(36 + g.rnd.IntN(37)).AddDays(-1)
			n++
			kid, now := g.id(), g.stamp()
			terms := `{"rent_free":[],"escalation":{"kind":"percent","basis_points":300,"every_months":12,"from_month":13,"steps":null}}`
			k := leasing.Contract{ID: kid, Number: fmt.Sprintf("%s-%06d", code, n), ParkID: parkID, EnterpriseID: ents[g.rnd.IntN(len(ents))],
				StartOn: at, EndOn: end, Price: measure.Price(30000 + g.rnd.IntN(50000)), PropertyFee: measure.Price(150000 + g.rnd.IntN(150000)),
				PaymentCycle: 3, DepositMonths: 3, DayCount: leasing.DayCount365,
				Escalation: leasing.Escalation{Kind: "percent", BasisPoints: 300, EveryMonths: 12, FromMonth: 13},
				Units:      []leasing.ContractUnit{{UnitID: u.id, Area: u.gross, From: at, To: end}}}
			ks = append(ks, []any{kid, k.Number, parkID, k.EnterpriseID, string(leasing.Active),
				at, end, at.AddDays(-10), k.Price, k.PropertyFee,
				3, 3, string(leasing.DayCount365), terms, nil, measure.Money(0), nil, nil, "", now, now})
			if !end.Before(g.billingFrom) && !at.After(billingTo) {
				billed = append(billed, k)
			}
			cus = append(cus, []any{kid, parkID, u.id, u.gross, at, end, at, end})
			let = let || (!at.After(civil.Of(2026, 6, 30)) && !end.Before(civil.Of(2026, 6, 30))) || at.After(civil.Of(2026, 6, 30))
			at = end.AddMonths(1 + g.rnd.IntN(12))
		}
		if !let {
			vacant = append(vacant, u.id)
		}
	}
	g.stats.Contracts += len(ks)
	if err := b.Insert("contracts", contractCols, ks); err != nil {
		return nil, nil, fmt.Errorf("contracts: %w", err)
	}
	// let_from/let_to are the days each signed lease lets its unit, which the database checks
	// against double letting (migration 0009).
	return vacant, billed, b.Insert("contract_units", []string{"contract_id", "park_id", "unit_id", "area", "from_on", "to_on", "let_from", "let_to"}, cus)
}

var (
	parkCols = []string{"id", "code", "name_zh", "name_en", "district", "address", "latitude", "longitude", "land_area",
		"gross_floor_area", "above_ground_area", "operator", "status", "phase", "contact_name", "contact_phone", "description",
		"created_at", "updated_at", "leading_node_list"}
	buildingCols = []string{"id", "park_id", "zone_id", "code", "name", "floors_above", "floors_below", "gross_area",
		"above_ground_area", "completed_year", "description", "created_at", "updated_at"}
	unitVersionCols = []string{"unit_id", "park_id", "valid_from", "kind", "gross_area", "usable_area", "leasable"}
	unitCols        = []string{"id", "park_id", "building_id", "floor_id", "code", "kind", "gross_area", "usable_area", "biosafety_level",
		"animal_room", "cleanroom_grade", "floor_load", "ceiling_height", "fume_exhaust", "pure_water", "power_kva",
		"wastewater_pretreatment", "list_rent", "property_fee", "leasable", "valid_from", "valid_to", "note", "created_at", "updated_at",
		"neighbour_list"}
	enterpriseCols = []string{"id", "park_id", "name", "name_en", "credit_code", "legal_representative", "founded_on",
		"registered_capital", "ownership_type", "industry_code", "stage", "scientist_founded", "returnee_founded", "employees",
		"website", "contact_name", "contact_phone", "description", "created_at", "updated_at", "chain_node_list"}
	contractCols = []string{"id", "number", "park_id", "enterprise_id", "status", "start_on", "end_on", "signed_on", "price",
		"property_fee", "payment_cycle", "deposit_months", "day_count", "terms_json", "terminated_on", "penalty", "renewal_of",
		"renewed_by", "note", "created_at", "updated_at"}
	leadCols = []string{"id", "park_id", "company", "credit_code", "contact_name", "contact_phone", "source", "chain_node_id",
		"min_area", "max_area", "demand_json", "budget", "move_in_by", "headcount", "owner_id", "stage", "probability", "loss_reason",
		"next_follow_up", "last_activity_at", "enterprise_id", "contract_id", "note", "created_at", "updated_at"}
	userCols = []string{"id", "username", "display_name", "email", "password_hash", "role", "enterprise_id", "locale", "disabled",
		"created_at", "updated_at"}
)

func (g *generator) enterprises(b *sqlstore.Bulk, parkID string, park, n int, units []string, opened civil.Date, nodes []string) ([]string, error) {
	var ents, entNodes, res, resUnits, quals, users, userParks [][]any
	var ids []string
	g.rnd.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
	next := 0
	today := civil.Of(2026, 6, 30)
	span := opened.DaysUntil(today)
	for e := range n {
		eid, now := g.id(), g.stamp()
		serial := g.stats.Enterprises + 1
		first := fmt.Sprintf("91110%03dMA%07d", park%1000, serial)
		code := first + string(enterprise.CreditCheckChar(first))
		ents = append(ents, []any{eid, parkID, fmt.Sprintf("合成企业%06d有限公司", serial), "", code, "合成",
			civil.Of(1995+g.rnd.IntN(30), time.Month(1+g.rnd.IntN(12)), 1+g.rnd.IntN(28)), measure.Yuan(int64(50+g.rnd.IntN(5000)) * 10_000),
			"private", g.pick(industries), g.pick(stages), g.rnd.IntN(10) == 0, g.rnd.IntN(6) == 0, 3 + g.rnd.IntN(400),
			"", "", "", "合成数据 / synthetic data", now, now})
		node := g.pick(nodes)
		ents[len(ents)-1] = append(ents[len(ents)-1], node)
		entNodes = append(entNodes, []any{eid, node})
		ids = append(ids, eid)
		g.stats.Enterprises++
		// Most enterprises live in one to three units; some moved on from an earlier stay.
		if next < len(units) && g.rnd.IntN(10) < 7 {
			rid := g.id()
			moveIn := opened.AddDays(g.rnd.IntN(max(1, span)))
			res = append(res, []any{rid, eid, parkID, moveIn, nil, "", now, now})
			for k := 0; k < 1+g.rnd.IntN(3) && next < len(units); k++ {
				resUnits = append(resUnits, []any{rid, parkID, units[next]})
				next++
			}
			if g.rnd.IntN(5) == 0 {
				old := g.id()
				res = append(res, []any{old, eid, parkID, opened, moveIn.AddDays(-1), "", now, now})
			}
		}
		for q := 0; q < g.rnd.IntN(3); q++ {
			issued := civil.Of(2018+g.rnd.IntN(8), time.Month(1+g.rnd.IntN(12)), 1+g.rnd.IntN(28))
			kind := enterprise.QualificationKinds[g.rnd.IntN(len(enterprise.QualificationKinds)-2)]
			board, ticker := "", ""
			if kind == "listed" { // the rules want a listed company's board
				board, ticker = "star", fmt.Sprintf("688%03d", g.seq%1000)
			}
			quals = append(quals, []any{g.id(), eid, string(kind), fmt.Sprintf("GEN%08d", g.seq), issued, issued.AddDays(365 * 3),
				board, ticker, "", now, now})
		}
		if e%10 == 0 {
			uid := g.id()
			users = append(users, []any{uid, fmt.Sprintf("ent%06d", serial), "", "", g.hash, string(identity.EntAdmin), eid, "zh-CN", false, now, now})
		}
	}
	g.stats.Residencies += len(res)
	g.stats.Qualifications += len(quals)
	g.stats.Users += len(users)
	for _, step := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"enterprises", enterpriseCols, ents},
		{"enterprise_chain_nodes", []string{"enterprise_id", "node_id"}, entNodes},
		{"residencies", []string{"id", "enterprise_id", "park_id", "move_in", "move_out", "note", "created_at", "updated_at"}, res},
		{"residency_units", []string{"residency_id", "park_id", "unit_id"}, resUnits},
		{"qualifications", []string{"id", "enterprise_id", "kind", "certificate_no", "issued_on", "expires_on", "board", "ticker",
			"note", "created_at", "updated_at"}, quals},
		{"users", userCols, users},
		{"user_parks", []string{"user_id", "park_id"}, userParks},
	} {
		if err := b.Insert(step.table, step.cols, step.rows); err != nil {
			return nil, fmt.Errorf("%s: %w", step.table, err)
		}
	}
	return ids, nil
}

// parkUsers: a park manager and a leasing officer for every park (pm-G0001, leasing-G0001).
func (g *generator) parkUsers(b *sqlstore.Bulk, parkID, code string) error {
	var users, links [][]any
	for _, r := range []identity.Role{identity.ParkManager, identity.Leasing} {
		uid, now := g.id(), g.stamp()
		prefix := map[identity.Role]string{identity.ParkManager: "pm-", identity.Leasing: "leasing-"}[r]
		users = append(users, []any{uid, prefix + code, "", "", g.hash, string(r), nil, "zh-CN", false, now, now})
		links = append(links, []any{uid, parkID})
	}
	g.stats.Users += len(users)
	if err := b.Insert("users", userCols, users); err != nil {
		return err
	}
	return b.Insert("user_parks", []string{"user_id", "park_id"}, links)
}

// platformUsers: one administrator and one authority analyst.
func (g *generator) platformUsers(b *sqlstore.Bulk) error {
	var users [][]any
	for _, r := range []identity.Role{identity.Admin, identity.Authority} {
		now := g.stamp()
		users = append(users, []any{g.id(), string(r), "", "", g.hash, string(r), nil, "zh-CN", false, now, now})
	}
	g.stats.Users += len(users)
	return b.Insert("users", userCols, users)
}

// lastReportYear is the last year generated statistics cover, the year before the generator's day.
const lastReportYear = 2025

// reportingPeriods opens the authority's quarterly periods for the scale's years of reports.
func (g *generator) reportingPeriods(b *sqlstore.Bulk) error {
	var rows [][]any
	for y := lastReportYear - g.scale.History.ReportYears + 1; y <= lastReportYear; y++ {
		for q := 1; q <= 4; q++ {
			p := stats.Period{ID: g.id(), Kind: stats.Quarterly, Year: y, Seq: q, CreatedAt: g.stamp()}
			p.Span()
			p.Deadline = p.EndOn.AddDays(20)
			g.periods = append(g.periods, p)
			rows = append(rows, []any{p.ID, nil, p.Kind, p.Year, p.Seq, p.StartOn, p.EndOn, p.Deadline, false, p.CreatedAt})
		}
	}
	return b.Insert("report_periods", []string{"id", "park_id", "kind", "year", "seq", "start_on", "end_on", "deadline", "closed", "created_at"}, rows)
}

var reportCols = []string{"id", "period_id", "enterprise_id", "park_id", "status", "revenue", "industrial_output", "rd_expense", "tax",
	"employees", "rd_staff", "invention_patents_granted", "invention_patents_held", "other_patents_granted", "financing", "exports",
	"confirmed_json", "return_reason", "submissions", "submitted_at", "reviewed_at", "updated_at"}

// reports files every enterprise's approved quarterly figures for every period: revenue grows
// 0–6 % a quarter from a size drawn per company, R&D is a steady share of it, staff and patents
// held accumulate.
func (g *generator) reports(b *sqlstore.Bulk, parkID string, entIDs []string) error {
	var links, rows, years [][]any
	for _, e := range entIDs {
		var year, yearRevenue, yearRD, yearTax int64
		revenue := int64(20+g.rnd.IntN(3000)) * 1_0000_00 / 4 // a quarter of 20–3,000 万元 a year, in fen
		rdShare := int64(3 + g.rnd.IntN(25))
		employees := int64(5 + g.rnd.IntN(300))
		held := int64(g.rnd.IntN(5))
		for _, p := range g.periods {
			revenue = revenue * int64(100+g.rnd.IntN(7)) / 100
			employees += int64(g.rnd.IntN(5)) - 1
			employees = max(employees, 1)
			granted := int64(g.rnd.IntN(3))
			held += granted
			at := p.Deadline.AddDays(-5).Time()
			links = append(links, []any{p.ID, e})
			rows = append(rows, []any{g.id(), p.ID, e, parkID, stats.Approved, revenue, nil, revenue * rdShare / 100, revenue * 6 / 100,
				employees, employees * rdShare / 40, granted, held, int64(g.rnd.IntN(4)), nil, nil, "[]", "", 1, at, at, at})
			if int64(p.Year) != year {
				year, yearRevenue, yearRD, yearTax = int64(p.Year), 0, 0, 0
			}
			yearRevenue, yearRD, yearTax = yearRevenue+revenue, yearRD+revenue*rdShare/100, yearTax+revenue*6/100
			if p.Seq == 4 && p.Year > lastReportYear+1-policyFactYears {
				years = append(years, []any{e, year, true, yearRevenue, yearRD, yearTax, employees})
			}
		}
	}
	// Each enterprise's recent years by §6.1 rule 1 (every quarter approved: the flows' sums and
	// the fourth quarter's headcount), as the policy matcher keeps them.
	if err := b.Insert("enterprise_year_facts", []string{"enterprise_id", "year", "complete", "revenue", "rd_expense", "tax", "employees"}, years); err != nil {
		return err
	}
	if err := b.Insert("period_enterprises", []string{"period_id", "enterprise_id"}, links); err != nil {
		return err
	}
	g.stats.Reports += len(rows)
	return b.Insert("reports", reportCols, rows)
}

// attachedList is an owner's list column as the database keeps it beside the attached rows
// (migration 0017): the values sorted and joined by commas, NULL for none. Written with the
// owner, it spares the database rewriting each owner row when the attached rows arrive.
func attachedList(values ...string) any {
	if len(values) == 0 {
		return nil
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	return strings.Join(sorted, ",")
}

// unitVersions are the first versions of new units: their kind, areas and leasable flag from
// the day they exist.
func unitVersions(units [][]any) [][]any {
	col := map[string]int{}
	for i, c := range unitCols {
		col[c] = i
	}
	out := make([][]any, len(units))
	for i, u := range units {
		out[i] = []any{u[col["id"]], u[col["park_id"]], u[col["valid_from"]], u[col["kind"]], u[col["gross_area"]], u[col["usable_area"]], u[col["leasable"]]}
	}
	return out
}
