package indicator

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/stats"
)

// Submission is a park's own figures for a year (§6: parks whose operators are not on the
// platform), used instead of its enterprises' sums (§6.1 rule 2).
type Submission struct {
	ParkID    string        `json:"park_id"`
	Year      int           `json:"year"`
	Figures   stats.Figures `json:"figures"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// SubmissionInput records a park's figures for a year, in the units reports use (元 as decimal
// strings, counts as integers).
type SubmissionInput struct {
	Year    int           `json:"year"`
	Figures stats.Figures `json:"figures"`
}

// Attribute is one dated value of a park attribute the indicators need.
type Attribute struct {
	ID          string     `json:"id"`
	ParkID      string     `json:"park_id"`
	Key         string     `json:"key"`
	Value       float64    `json:"value"`
	EffectiveOn civil.Date `json:"effective_on"`
	CreatedAt   time.Time  `json:"created_at"`
}

// AttributeInput sets a park attribute from a date: land_area and floor_area in m², the counts
// tech_platforms, incubators and funds, and fund_size in 元.
type AttributeInput struct {
	Key         string     `json:"key"`
	Value       float64    `json:"value"`
	EffectiveOn civil.Date `json:"effective_on"`
}

// Validate checks a submission: a year, revenue at least, no negative or unknown figure.
func (in SubmissionInput) Validate() error {
	errs, _ := stats.Check(in.Figures, nil)
	for i := range errs {
		errs[i].Field = "figures." + errs[i].Field // where the figure sits in the request
	}
	if in.Year < 2000 || in.Year > 2100 {
		errs.Add("year", "out_of_range", "年份应在 2000–2100 之间", "year must be between 2000 and 2100")
	}
	if _, ok := in.Figures["revenue"]; !ok {
		errs.Add("figures.revenue", "required", "请填写营业收入", "revenue is required")
	}
	return errs.Err()
}

// Validate checks an attribute: a park attribute of Names, a value in its range, a date.
func (in AttributeInput) Validate() error {
	var f apperr.Fields
	n, ok := NameOf(in.Key)
	if !ok || !n.OfPark {
		f.Add("key", "invalid", "属性应为 land_area、floor_area、tech_platforms、incubators、funds 或 fund_size",
			"key must be land_area, floor_area, tech_platforms, incubators, funds or fund_size")
	}
	switch {
	case math.IsNaN(in.Value) || math.IsInf(in.Value, 0) || in.Value < 0 || in.Value > 1e15:
		f.Add("value", "out_of_range", "数值应在 0 到 10^15 之间", "the value must be between 0 and 10^15")
	case ok && n.Unit != "㎡" && n.Unit != "元" && in.Value != math.Trunc(in.Value):
		f.Add("value", "not_integer", "数量应为整数", "a count must be a whole number")
	case ok && n.Unit == "㎡" && math.Round(in.Value*100) != in.Value*100:
		f.Add("value", "too_precise", "面积精确到 0.01 ㎡", "an area is kept to 0.01 m²")
	}
	if in.EffectiveOn.IsZero() {
		f.Required("effective_on")
	}
	return f.Err()
}

// ParkDataStore keeps park-level submissions and attributes, in the caller's scope.
type ParkDataStore interface {
	// Submissions are the park-level figures of the years asked, by park then year.
	Submissions(ctx context.Context, sc identity.Scope, parkID string, years []int) (map[string]map[int]stats.Figures, error)
	SaveSubmission(ctx context.Context, sc identity.Scope, parkID string, in SubmissionInput) (Submission, error)
	// Attributes are the dated attribute values of the parks in scope (one when parkID is set), oldest first.
	Attributes(ctx context.Context, sc identity.Scope, parkID string) ([]Attribute, error)
	InsertAttribute(ctx context.Context, sc identity.Scope, parkID string, in AttributeInput) (Attribute, error)
}

// Submit records a park's own figures for a year (the authority, for parks whose operators are
// not on the platform); they replace its enterprises' sums for that year.
func (s *Service) Submit(ctx context.Context, sc identity.Scope, parkID string, in SubmissionInput) (Submission, error) {
	if err := s.sees(ctx, sc, parkID); err != nil {
		return Submission{}, err
	}
	if !sc.May(identity.SteerParks) {
		return Submission{}, apperr.ErrForbidden()
	}
	if err := in.Validate(); err != nil {
		return Submission{}, err
	}
	var out Submission
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if out, err = s.st.SaveSubmission(ctx, sc, parkID, in); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "submit", "park_figures", fmt.Sprintf("%s/%d", parkID, in.Year), nil, out)
	})
	return out, err
}

// SetAttribute records a park attribute's value from a date (the authority, or the park's
// own space managers).
func (s *Service) SetAttribute(ctx context.Context, sc identity.Scope, parkID string, in AttributeInput) (Attribute, error) {
	if err := s.sees(ctx, sc, parkID); err != nil {
		return Attribute{}, err
	}
	if !sc.May(identity.SteerParks) && !sc.May(identity.EditSpace) {
		return Attribute{}, apperr.ErrForbidden()
	}
	if err := in.Validate(); err != nil {
		return Attribute{}, err
	}
	var out Attribute
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if out, err = s.st.InsertAttribute(ctx, sc, parkID, in); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "set_attribute", "park_attribute", out.ID, nil, out)
	})
	return out, err
}

// sees answers 404 for a park outside the caller's scope, before any question of role.
func (s *Service) sees(ctx context.Context, sc identity.Scope, parkID string) error {
	parks, err := s.st.IndicatorParks(ctx, sc, parkID)
	if err == nil && len(parks) == 0 {
		err = apperr.ErrNotFound("园区", "park")
	}
	return err
}

// ParkData is a park's submissions and attribute history.
type ParkData struct {
	Submissions []Submission `json:"submissions"`
	Attributes  []Attribute  `json:"attributes"`
}

// ParkData reads a park's park-level submissions and attribute history.
func (s *Service) ParkData(ctx context.Context, sc identity.Scope, parkID string) (ParkData, error) {
	if err := s.sees(ctx, sc, parkID); err != nil {
		return ParkData{}, err
	}
	out := ParkData{Submissions: []Submission{}}
	subs, err := s.st.Submissions(ctx, sc, parkID, nil)
	if err != nil {
		return out, err
	}
	for y, f := range subs[parkID] {
		out.Submissions = append(out.Submissions, Submission{ParkID: parkID, Year: y, Figures: f})
	}
	slices.SortFunc(out.Submissions, func(a, b Submission) int { return a.Year - b.Year })
	if out.Attributes, err = s.st.Attributes(ctx, sc, parkID); err != nil {
		return out, err
	}
	if out.Attributes == nil {
		out.Attributes = []Attribute{}
	}
	return out, nil
}

// withParkData sets each park-year's submission and its attributes in force at the year's end.
// The attributes are grouped by park first, in their order: matching every park-year against
// every park's attributes grew with the square of the parks (3 s for 5,000 parks).
func withParkData(pys []ParkYear, subs map[string]map[int]stats.Figures, attrs []Attribute) {
	byPark := map[string][]Attribute{}
	for _, a := range attrs {
		byPark[a.ParkID] = append(byPark[a.ParkID], a)
	}
	for i := range pys {
		p := &pys[i]
		if f, ok := subs[p.ParkID][p.Year]; ok {
			p.ParkLevel = formulaValues(f)
		}
		end := civil.Of(p.Year, 12, 31)
		for _, a := range byPark[p.ParkID] {
			if !a.EffectiveOn.After(end) {
				if p.Attrs == nil {
					p.Attrs = map[string]Attr{}
				}
				p.Attrs[a.Key] = Attr{Value: a.Value, Since: a.EffectiveOn}
			}
		}
	}
}

// SubmissionRow is one row of a park-level figures workbook.
type SubmissionRow struct {
	Row      int
	ParkCode string
	Year     int
	Figures  stats.Figures
}

// RowProblem is a row SubmitAll refuses, with the field it is about.
type RowProblem struct {
	Row       int
	Field     string
	MessageZh string
	MessageEn string
}

// SubmitAll records parks' own figures from a workbook's rows in one transaction, all or none:
// with any refused row (an unknown park code, a park and year twice, a bad figure), or with
// dryRun, nothing is written.
func (s *Service) SubmitAll(ctx context.Context, sc identity.Scope, rows []SubmissionRow, dryRun bool) ([]RowProblem, error) {
	if !sc.May(identity.SteerParks) {
		return nil, apperr.ErrForbidden()
	}
	parks, err := s.st.IndicatorParks(ctx, sc, "")
	if err != nil {
		return nil, err
	}
	byCode := map[string]string{}
	for _, p := range parks {
		byCode[p.Code] = p.ParkID
	}
	var problems []RowProblem
	type key struct {
		park string
		year int
	}
	seen := map[key]int{}
	for _, r := range rows {
		id, ok := byCode[r.ParkCode]
		if !ok {
			problems = append(problems, RowProblem{r.Row, "park_code", "园区编码不存在：" + r.ParkCode, "no such park code: " + r.ParkCode})
			continue
		}
		if first := seen[key{id, r.Year}]; first != 0 {
			problems = append(problems, RowProblem{r.Row, "park_code", fmt.Sprintf("与第 %d 行为同一园区同一年度", first), fmt.Sprintf("the same park and year as row %d", first)})
			continue
		}
		seen[key{id, r.Year}] = r.Row
		if err := (SubmissionInput{Year: r.Year, Figures: r.Figures}).Validate(); err != nil {
			e, _ := apperr.As(err)
			for _, f := range e.Fields {
				problems = append(problems, RowProblem{r.Row, f.Field, f.MessageZh, f.MessageEn})
			}
		}
	}
	if len(problems) > 0 || dryRun {
		return problems, nil
	}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		for _, r := range rows {
			id := byCode[r.ParkCode]
			out, err := s.st.SaveSubmission(ctx, sc, id, SubmissionInput{Year: r.Year, Figures: r.Figures})
			if err != nil {
				return err
			}
			if err := s.st.Record(ctx, sc, "import", "park_figures", fmt.Sprintf("%s/%d", id, r.Year), nil, out); err != nil {
				return err
			}
		}
		return nil
	})
	return nil, err
}
