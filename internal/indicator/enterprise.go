package indicator

import (
	"context"
	"slices"

	"github.com/parkos/parkos/internal/identity"
)

// EnterpriseYear is one of an enterprise's years in one park (rule 1) with its own indicators.
type EnterpriseYear struct {
	Year
	Values map[string]Value `json:"values"`
}

// enterpriseCodes are the indicators an enterprise's own page shows.
var enterpriseCodes = []string{"revenue", "rd_intensity", "invention_patents_per_10k", "valid_invention_patents_per_10k", "tax"}

// EnterpriseYears are an enterprise's last n years up to year (newest first), each by rule 1,
// with its own values of the headline indicators; an incomplete year has no values.
func (s *Service) EnterpriseYears(ctx context.Context, sc identity.Scope, enterpriseID string, year, n int) ([]EnterpriseYear, error) {
	if err := checkYear(year); err != nil {
		return nil, err
	}
	n = min(max(n, 1), 20)
	years := make([]int, n)
	for i := range years {
		years[i] = year - i
	}
	rows, err := s.st.EnterpriseFilings(ctx, sc, enterpriseID, years)
	if err != nil {
		return nil, err
	}
	type key struct {
		year int
		park string
	}
	filings := map[key][]Filing{}
	var order []key
	for _, r := range rows {
		k := key{r.Year, r.ParkID}
		if _, seen := filings[k]; !seen {
			order = append(order, k)
		}
		filings[k] = append(filings[k], r.Filing)
	}
	slices.SortFunc(order, func(a, b key) int { return b.year - a.year })
	out := []EnterpriseYear{}
	for _, k := range order {
		y := YearOf(enterpriseID, k.park, k.year, filings[k])
		ey := EnterpriseYear{Year: y, Values: map[string]Value{}}
		for _, code := range enterpriseCodes {
			ind, f, err := s.formulaOf(ctx, code, k.year)
			if err != nil {
				return nil, err
			}
			v := ParkValue(f, ParkYear{ParkID: k.park, Year: k.year, Years: []Year{y}})
			v.Coverage.Of = "enterprises"
			ey.Values[ind.Code] = v
		}
		out = append(out, ey)
	}
	return out, nil
}
