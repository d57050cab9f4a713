package indicator

import (
	"context"
	"github.com/parkos/parkos/internal/civil"
	"maps"
	"slices"
	"strconv"

	"github.com/parkos/parkos/internal/identity"
)

// Headlines are the indicators the authority judges featured parks by (§6, the seeds): growth,
// 地均产出, R&D intensity, patents per 10,000 staff, and leading-industry concentration.
var Headlines = []string{"revenue_growth", "land_output", "rd_intensity", "invention_patents_per_10k", "leading_concentration"}

// Headline is one headline indicator for the featured parks, the rest of the pool and every
// park in view, with the featured parks' multiples.
type Headline struct {
	Indicator Indicator `json:"indicator"`
	Featured  Value     `json:"featured"`
	Rest      Value     `json:"rest"`
	All       Value     `json:"all"`
	OverRest  Value     `json:"multiple_over_rest"`
	OverAll   Value     `json:"multiple_over_all"`
}

// Trend is a group's total revenue and pooled R&D intensity in one year.
type Trend struct {
	Year        int   `json:"year"`
	Revenue     Value `json:"revenue"`
	RDIntensity Value `json:"rd_intensity"`
}

// DistrictRow is one district's parks together.
type DistrictRow struct {
	District string `json:"district"`
	Parks    int    `json:"parks"`
	Revenue  Value  `json:"revenue"`
}

// Overview is the authority's 驾驶舱 for a year: headline indicators of the featured parks
// against the rest, tier counts, five years of trend, each district, and every park's headline
// values for distributions and rankings.
type Overview struct {
	Year         int            `json:"year"`
	FeaturedYear int            `json:"featured_year"`
	Headlines    []Headline     `json:"headlines"`
	Tiers        map[string]int `json:"tiers"`
	Trend        []Trend        `json:"trend"`
	Districts    []DistrictRow  `json:"districts"`
	Parks        []ParkSummary  `json:"parks"`
}

// ParkSummary is one park's headline values.
type ParkSummary struct {
	Park   ParkFacts        `json:"park"`
	Values map[string]Value `json:"values"`
}

// Overview computes the 驾驶舱 for the parks a caller may see.
func (s *Service) Overview(ctx context.Context, sc identity.Scope, year int) (Overview, error) {
	if err := checkYear(year); err != nil {
		return Overview{}, err
	}
	var years []int // five years of trend, none before 2000
	for y := max(year-4, 2000); y <= year; y++ {
		years = append(years, y)
	}
	var uses []Formula
	for _, code := range Headlines {
		_, f, err := s.formulaOf(ctx, code, year)
		if err != nil {
			return Overview{}, err
		}
		uses = append(uses, f)
	}
	parks, byYear, err := s.years(ctx, sc, "", uses, append(years, year-1)...) // last year for growth
	if err != nil {
		return Overview{}, err
	}
	o := Overview{Year: year, FeaturedYear: year, Tiers: map[string]int{}, Headlines: []Headline{}, Trend: []Trend{}, Districts: []DistrictRow{}}
	latest := 0
	for _, p := range parks {
		if tier := p.TierOn(civil.Of(year, 12, 31)); tier != "" {
			o.Tiers[tier]++
		}
		for _, y := range p.FeaturedYears {
			if y <= year && y > latest {
				latest = y
			}
		}
	}
	if latest > 0 {
		o.FeaturedYear = latest
	}
	fy := strconv.Itoa(o.FeaturedYear)
	featured, rest, all := Group{Kind: "featured", Value: fy}, Group{Kind: "rest", Value: fy}, Group{Kind: "all"}
	o.Parks = make([]ParkSummary, len(parks))
	for i, p := range parks {
		o.Parks[i] = ParkSummary{Park: p, Values: map[string]Value{}}
	}
	for _, code := range Headlines {
		ind, f, err := s.formulaOf(ctx, code, year)
		if err != nil {
			return Overview{}, err
		}
		value := func(g Group) Value {
			_, ys := inGroup(g, year, parks, byYear)
			if ind.GrowthOf == "" {
				return GroupValue(f, ys[year])
			}
			return GroupGrowthOfTotal(f, ys[year], ys[year-1], 1).Percent()
		}
		h := Headline{Indicator: ind, Featured: value(featured), Rest: value(rest), All: value(all)}
		h.OverRest, h.OverAll = Multiple(h.Featured, h.Rest), Multiple(h.Featured, h.All)
		o.Headlines = append(o.Headlines, h)
		for i := range parks {
			v := ParkValue(f, byYear[year][i])
			if ind.GrowthOf != "" {
				v = YoY(f, byYear[year][i], byYear[year-1][i]).Percent()
			}
			o.Parks[i].Values[code] = v
		}
	}
	revenue, _ := Compile("revenue / 1e8")
	rd, _ := Compile("rd_expense / revenue * 100")
	for _, y := range years {
		o.Trend = append(o.Trend, Trend{Year: y, Revenue: GroupValue(revenue, byYear[y]), RDIntensity: GroupValue(rd, byYear[y])})
	}
	districts := map[string][]ParkYear{}
	for i, p := range parks {
		districts[p.District] = append(districts[p.District], byYear[year][i])
	}
	for _, d := range slices.Sorted(maps.Keys(districts)) {
		o.Districts = append(o.Districts, DistrictRow{District: d, Parks: len(districts[d]), Revenue: GroupValue(revenue, districts[d])})
	}
	return o, nil
}
