package indicator

import (
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// FilingRow is one report of a year as the store reads it: the filing, whose it is, and the
// enterprise's industry class and chain nodes (for rule 5).
type FilingRow struct {
	EnterpriseID string
	Name         string
	Year         int // set by reads over several years
	ParkID       string
	IndustryCode string
	ChainNodes   []string
	// Qualifications are the kinds the enterprise holds valid on 31 December of the year;
	// ScientistFounded is its founder flag: what the count indicators count.
	Qualifications   []string
	ScientistFounded bool
	Filing
}

// Counts are the enterprise-year's count measures: 1 when it holds the qualification (or has
// the flag) at the year's end, else 0, so a park's value is how many of its enterprises do.
var Counts = []struct {
	Key, Qualification, Zh, En string
}{
	{"high_tech_enterprises", "high_tech", "国家高新技术企业数", "National high-tech enterprises"},
	{"listed_enterprises", "listed", "上市公司数", "Listed companies"},
	{"unicorns", "unicorn", "独角兽企业数", "Unicorns"},
	{"little_giants", "little_giant", "专精特新“小巨人”企业数", "\"Little giant\" enterprises"},
	{"scientist_founded", "", "科学家创办企业数", "Scientist-founded companies"},
}

// countsOf sets an enterprise-year's count measures from its filing facts.
func countsOf(y *Year, f FilingRow) {
	for _, c := range Counts {
		held := f.ScientistFounded
		if c.Qualification != "" {
			held = slices.Contains(f.Qualifications, c.Qualification)
		}
		y.Figures[c.Key] = 0
		if held {
			y.Figures[c.Key] = 1
		}
	}
}

// ParkFacts are what the indicators need of a park besides its enterprises' reports.
type ParkFacts struct {
	ParkID     string       `json:"park_id"`
	Code       string       `json:"code"`
	Name       string       `json:"name"`
	District   string       `json:"district"`
	LandArea   measure.Area `json:"land_area"`
	FloorArea  measure.Area `json:"gross_floor_area"`
	AreasSince civil.Date   `json:"areas_since"`
	// LeadingNodes are the park's leading industries as chain nodes; LeadingClasses the GB/T
	// 4754 classes those nodes stand for.
	LeadingNodes   []string `json:"leading_node_ids"`
	LeadingClasses []string `json:"-"`
	// InPool, Tier and FeaturedYears place the park in the authority's pool (§6): its tier as
	// last decided and the years it was recognised as featured; EnteredOn and TierHistory say
	// since when, so a group of a past year holds the parks of that year.
	InPool        bool         `json:"in_pool"`
	Tier          string       `json:"tier,omitempty"`
	FeaturedYears []int        `json:"featured_years"`
	EnteredOn     civil.Date   `json:"entered_on,omitzero"`
	TierHistory   []TierChange `json:"tier_history,omitempty"`
}

// TierChange is a tier decision in force from a day.
type TierChange struct {
	Tier        string     `json:"tier"`
	EffectiveOn civil.Date `json:"effective_on"`
}

// InPoolOn reports whether the park had entered the pool by d.
func (p ParkFacts) InPoolOn(d civil.Date) bool { return p.InPool && !p.EnteredOn.After(d) }

// TierOn is the park's tier in force on d: the last decision effective by then, "" before its
// first (TierHistory is in the order decisions take effect).
func (p ParkFacts) TierOn(d civil.Date) string {
	tier := ""
	for _, c := range p.TierHistory {
		if !c.EffectiveOn.After(d) {
			tier = c.Tier
		}
	}
	return tier
}

// leads reports whether an enterprise falls under the park's leading industries: one of its
// chain nodes is a leading node, or its class lies under a leading node's class (GB/T 4754
// codes nest by prefix: 27 ⊃ 272 ⊃ 2720).
func (p ParkFacts) leads(class string, nodes []string) bool {
	for _, n := range nodes {
		if slices.Contains(p.LeadingNodes, n) {
			return true
		}
	}
	for _, c := range p.LeadingClasses {
		if class != "" && strings.HasPrefix(class, c) {
			return true
		}
	}
	return false
}

// attrs are the park's attributes in formula units; an area of 0 is one nobody entered.
func (p ParkFacts) attrs() map[string]Attr {
	out := map[string]Attr{}
	if p.LandArea > 0 {
		out["land_area"] = Attr{Value: float64(p.LandArea) / 100, Since: p.AreasSince}
	}
	if p.FloorArea > 0 {
		out["floor_area"] = Attr{Value: float64(p.FloorArea) / 100, Since: p.AreasSince}
	}
	return out
}

// ParkYears assembles each park's year from the year's filings (rule 1 per enterprise and park).
func ParkYears(year int, parks []ParkFacts, rows []FilingRow) []ParkYear {
	type key struct{ enterprise, park string }
	filings := map[key][]Filing{}
	facts := map[key]FilingRow{}
	var order []key
	for _, r := range rows {
		k := key{r.EnterpriseID, r.ParkID}
		if _, seen := filings[k]; !seen {
			order = append(order, k)
			facts[k] = r
		}
		filings[k] = append(filings[k], r.Filing)
	}
	at := map[string]int{}
	out := make([]ParkYear, len(parks))
	for i, p := range parks {
		out[i] = ParkYear{ParkID: p.ParkID, Year: year, Attrs: p.attrs()}
		at[p.ParkID] = i
	}
	for _, k := range order {
		i, ok := at[k.park]
		if !ok {
			continue
		}
		y := YearOf(k.enterprise, k.park, year, filings[k])
		f := facts[k]
		y.Name = f.Name
		y.Leading = parks[i].leads(f.IndustryCode, f.ChainNodes)
		countsOf(&y, f)
		out[i].Years = append(out[i].Years, y)
	}
	return out
}
