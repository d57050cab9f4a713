package indicator

import (
	"cmp"
	"context"
	"github.com/parkos/parkos/internal/civil"
	"slices"
	"strconv"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
)

// Group names a set of parks (§6): all parks in view, the pool, a district, a tier, the parks
// featured in a year, the rest of the pool that year, or parks picked by id.
type Group struct {
	Kind  string   `json:"kind"` // all, pool, district, tier, featured, rest, parks
	Value string   `json:"value,omitempty"`
	Parks []string `json:"parks,omitempty"`
}

// ParseGroup reads a group as the API and the console write it: "all", "pool",
// "district:昌平区", "tier:key", "featured:2024", "parks:id1,id2"; field names the parameter for
// an error.
func ParseGroup(field, s string) (Group, error) {
	kind, value, _ := strings.Cut(strings.TrimSpace(s), ":")
	g := Group{Kind: kind, Value: value}
	bad := func(zh, en string) (Group, error) {
		var f apperr.Fields
		f.Add(field, "invalid", zh, en)
		return Group{}, f.Err()
	}
	switch kind {
	case "", "all":
		return Group{Kind: "all"}, nil
	case "pool":
		return g, nil
	case "district":
		if value == "" {
			return bad("请写明区，如 district:昌平区", "name the district, as in district:昌平区")
		}
	case "tier":
		if !slices.Contains([]string{"planning", "reserve", "key"}, value) {
			return bad("梯队应为 planning、reserve 或 key", "the tier must be planning, reserve or key")
		}
	case "featured", "rest":
		if y, err := strconv.Atoi(value); err != nil || y < 2000 || y > 2100 {
			return bad("认定年度应为 2000–2100 的年份，如 featured:2024", "the year must be 2000–2100, as in featured:2024")
		}
	case "parks":
		for _, id := range strings.Split(value, ",") {
			if id = strings.TrimSpace(id); id != "" {
				g.Parks = append(g.Parks, id)
			}
		}
		if len(g.Parks) == 0 || len(g.Parks) > 50 {
			return bad("请列出 1–50 个园区 id，以逗号分隔", "list 1–50 park ids, separated by commas")
		}
	default:
		return bad("分组应为 all、pool、district:…、tier:…、featured:年度、rest:年度 或 parks:id,…", "a group is all, pool, district:…, tier:…, featured:year, rest:year or parks:id,…")
	}
	return g, nil
}

// Has reports whether a park belonged to the group at the end of year: in the pool by then, of
// the tier in force on 31 December.
func (g Group) Has(p ParkFacts, year int) bool {
	end := civil.Of(year, 12, 31)
	switch g.Kind {
	case "pool":
		return p.InPoolOn(end)
	case "district":
		return p.District == g.Value
	case "tier":
		return p.TierOn(end) == g.Value
	case "featured":
		y, _ := strconv.Atoi(g.Value)
		return slices.Contains(p.FeaturedYears, y)
	case "rest":
		y, _ := strconv.Atoi(g.Value)
		return p.InPoolOn(end) && !slices.Contains(p.FeaturedYears, y)
	case "parks":
		return slices.Contains(g.Parks, p.ParkID)
	}
	return true
}

// String writes the group back in the form ParseGroup reads.
func (g Group) String() string {
	switch g.Kind {
	case "all", "pool", "":
		return cmp.Or(g.Kind, "all")
	case "parks":
		return "parks:" + strings.Join(g.Parks, ",")
	}
	return g.Kind + ":" + g.Value
}

// CheckParks refuses a group of chosen parks naming one the caller may not see (or that does not
// exist), as field; other groups pass.
func (s *Service) CheckParks(ctx context.Context, sc identity.Scope, field string, g Group) error {
	if g.Kind != "parks" {
		return nil
	}
	parks, err := s.st.IndicatorParks(ctx, sc, "")
	if err != nil {
		return err
	}
	for _, id := range g.Parks {
		if !slices.ContainsFunc(parks, func(p ParkFacts) bool { return p.ParkID == id }) {
			var f apperr.Fields
			f.Add(field, "not_found", "园区不存在："+id, "no such park: "+id)
			return f.Err()
		}
	}
	return nil
}
