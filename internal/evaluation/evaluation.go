// Package evaluation runs the authority's annual park evaluation (§6, §6.1 rule 9): versioned
// schemes kept as data, a run for a year over a group of parks that freezes its scheme, and the
// frozen result with every park's score explained.
package evaluation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
)

// Scheme is one version of an evaluation scheme. Once a run has used it, it is frozen: a
// revision makes the next version.
type Scheme struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	Version    int              `json:"version"`
	Definition indicator.Scheme `json:"definition"`
	Frozen     bool             `json:"frozen"`
	CreatedAt  time.Time        `json:"created_at"`
}

// SchemeInput creates a scheme, or revises one.
type SchemeInput struct {
	Name       string           `json:"name"`
	Definition indicator.Scheme `json:"definition"`
}

// RunRequest asks for a run: a year and the parks, as a group (all by default).
type RunRequest struct {
	Year  int    `json:"year"`
	Group string `json:"group"`
}

// ParkScore is one park's evaluation with its name.
type ParkScore struct {
	indicator.Score
	ParkCode string `json:"park_code"`
	ParkName string `json:"park_name"`
}

// Run is a finished evaluation: the scheme version it used, the year, the parks and the scores.
type Run struct {
	ID            string      `json:"id"`
	SchemeID      string      `json:"scheme_id"`
	SchemeName    string      `json:"scheme_name"`
	SchemeVersion int         `json:"scheme_version"`
	Year          int         `json:"year"`
	Group         string      `json:"group"`
	Scores        []ParkScore `json:"scores"`
	CreatedAt     time.Time   `json:"created_at"`
}

// Validate checks a scheme input against the catalog.
func (in SchemeInput) Validate(known func(code string) bool) error {
	var f apperr.Fields
	switch n := utf8.RuneCountInString(strings.TrimSpace(in.Name)); {
	case n == 0:
		f.Required("name")
	case n > 200:
		f.Add("name", "too_long", "名称不超过 200 字", "a name is at most 200 characters")
	}
	if err := in.Definition.Validate(known); err != nil {
		e, _ := apperr.As(err)
		for _, fe := range e.Fields {
			fe.Field = "definition." + fe.Field
			f = append(f, fe)
		}
	}
	return f.Err()
}

// Store is what evaluation needs of the data layer.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	ListSchemes(ctx context.Context) ([]Scheme, error)
	GetScheme(ctx context.Context, id string) (Scheme, error)
	LockScheme(ctx context.Context, id string) (Scheme, error)
	// InsertScheme writes a scheme as the next version of its name.
	InsertScheme(ctx context.Context, s Scheme) (Scheme, error)
	SaveSchemeDefinition(ctx context.Context, s Scheme) error
	FreezeScheme(ctx context.Context, id string) error
	InsertRun(ctx context.Context, r Run) (Run, error)
	ListRuns(ctx context.Context, schemeID string) ([]Run, error)
	GetRun(ctx context.Context, id string) (Run, error)
}

// Indicators is what a run asks of the indicator engine.
type Indicators interface {
	Get(ctx context.Context, code string) (indicator.Indicator, error)
	Values(ctx context.Context, sc identity.Scope, year int, g indicator.Group, codes []string) (indicator.ParkValues, error)
	CheckParks(ctx context.Context, sc identity.Scope, field string, g indicator.Group) error
}

// Service keeps schemes and runs evaluations; the authority and administrators use it.
type Service struct {
	st  Store
	ind Indicators
}

// NewService builds the evaluation service.
func NewService(st Store, ind Indicators) *Service { return &Service{st: st, ind: ind} }

// may admits the roles that steer every park: others may not list or create (403), and for
// them no scheme or run exists (404, as for anything outside a scope).
func (s *Service) may(sc identity.Scope) error {
	if !sc.May(identity.SteerParks) {
		return apperr.ErrForbidden()
	}
	return nil
}

func (s *Service) sees(sc identity.Scope, zh, en string) error {
	if !sc.May(identity.SteerParks) {
		return apperr.ErrNotFound(zh, en)
	}
	return nil
}

// known says which indicator codes the catalog has.
func (s *Service) known(ctx context.Context) func(code string) bool {
	return func(code string) bool { _, err := s.ind.Get(ctx, code); return err == nil }
}

// Schemes lists every scheme version.
func (s *Service) Schemes(ctx context.Context, sc identity.Scope) ([]Scheme, error) {
	if err := s.may(sc); err != nil {
		return nil, err
	}
	return s.st.ListSchemes(ctx)
}

// Scheme is one scheme version.
func (s *Service) Scheme(ctx context.Context, sc identity.Scope, id string) (Scheme, error) {
	if err := s.sees(sc, "评价方案", "evaluation scheme"); err != nil {
		return Scheme{}, err
	}
	return s.st.GetScheme(ctx, id)
}

// CreateScheme writes a scheme as the next version of its name (version 1 for a new name).
func (s *Service) CreateScheme(ctx context.Context, sc identity.Scope, in SchemeInput) (Scheme, error) {
	if err := s.may(sc); err != nil {
		return Scheme{}, err
	}
	if err := in.Validate(s.known(ctx)); err != nil {
		return Scheme{}, err
	}
	var out Scheme
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if out, err = s.st.InsertScheme(ctx, Scheme{Name: strings.TrimSpace(in.Name), Definition: in.Definition}); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "evaluation_scheme", out.ID, nil, out)
	})
	return out, err
}

// ReviseScheme changes a scheme: in place while no run has used it, else as its next version.
func (s *Service) ReviseScheme(ctx context.Context, sc identity.Scope, id string, in SchemeInput) (Scheme, error) {
	if err := s.sees(sc, "评价方案", "evaluation scheme"); err != nil {
		return Scheme{}, err
	}
	var out Scheme
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		cur, err := s.st.LockScheme(ctx, id)
		if err != nil {
			return err
		}
		in.Name = cur.Name
		if err := in.Validate(s.known(ctx)); err != nil {
			return err
		}
		if cur.Frozen {
			if out, err = s.st.InsertScheme(ctx, Scheme{Name: cur.Name, Definition: in.Definition}); err != nil {
				return err
			}
			return s.st.Record(ctx, sc, "create", "evaluation_scheme", out.ID, cur, out)
		}
		out = cur
		out.Definition = in.Definition
		if err := s.st.SaveSchemeDefinition(ctx, out); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "update", "evaluation_scheme", id, cur, out)
	})
	return out, err
}

// Run evaluates the parks of a group for a year with a scheme version and keeps the result; the
// scheme is frozen from then on.
func (s *Service) Run(ctx context.Context, sc identity.Scope, schemeID string, req RunRequest) (Run, error) {
	if err := s.sees(sc, "评价方案", "evaluation scheme"); err != nil {
		return Run{}, err
	}
	group, err := indicator.ParseGroup("group", req.Group)
	if err != nil {
		return Run{}, err
	}
	if req.Year < 2000 || req.Year > 2100 {
		var f apperr.Fields
		f.Add("year", "out_of_range", "年份应在 2000–2100 之间", "year must be between 2000 and 2100")
		return Run{}, f.Err()
	}
	if err := s.ind.CheckParks(ctx, sc, "group", group); err != nil {
		return Run{}, err
	}
	// Freeze first: from here the definition can only change as a new version, so the scores
	// below belong to exactly the version the run names.
	var scheme Scheme
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if scheme, err = s.st.LockScheme(ctx, schemeID); err != nil || scheme.Frozen {
			return err
		}
		return s.st.FreezeScheme(ctx, schemeID)
	})
	if err != nil {
		return Run{}, err
	}
	scores, err := s.score(ctx, sc, scheme.Definition, req.Year, group)
	if err != nil {
		return Run{}, err
	}
	run := Run{SchemeID: scheme.ID, SchemeName: scheme.Name, SchemeVersion: scheme.Version, Year: req.Year, Group: group.String(), Scores: scores}
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		var err error
		if run, err = s.st.InsertRun(ctx, run); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "run", "evaluation", run.ID, nil, map[string]any{"scheme_id": scheme.ID, "version": scheme.Version,
			"year": run.Year, "group": run.Group, "parks": len(run.Scores)})
	})
	return run, err
}

// score gathers every indicator the scheme uses for the group's parks, from one read of the
// year's figures, and evaluates them.
func (s *Service) score(ctx context.Context, sc identity.Scope, def indicator.Scheme, year int, g indicator.Group) ([]ParkScore, error) {
	codes := []string{"revenue"}
	for _, d := range def.Dimensions {
		for _, it := range d.Indicators {
			codes = append(codes, it.Indicator)
		}
	}
	for _, gate := range def.Gates {
		codes = append(codes, gate.Indicator)
	}
	pv, err := s.ind.Values(ctx, sc, year, g, codes)
	if err != nil {
		return nil, err
	}
	subjects := make([]indicator.Subject, len(pv.Parks))
	names := map[string]indicator.ParkFacts{}
	for i, p := range pv.Parks {
		subjects[i] = indicator.Subject{ParkID: p.ParkID, Values: pv.Values[p.ParkID], Revenue: pv.Values[p.ParkID]["revenue"].Value}
		names[p.ParkID] = p
	}
	scores := indicator.Evaluate(def, subjects, func(code string) bool { return !pv.Indicators[code].HigherIsBetter })
	out := make([]ParkScore, len(scores))
	for i, sc := range scores {
		out[i] = ParkScore{Score: sc, ParkCode: names[sc.ParkID].Code, ParkName: names[sc.ParkID].Name}
	}
	return out, nil
}

// Runs lists a scheme's runs, newest first (without their scores).
func (s *Service) Runs(ctx context.Context, sc identity.Scope, schemeID string) ([]Run, error) {
	if err := s.sees(sc, "评价方案", "evaluation scheme"); err != nil {
		return nil, err
	}
	if _, err := s.st.GetScheme(ctx, schemeID); err != nil {
		return nil, err
	}
	return s.st.ListRuns(ctx, schemeID)
}

// GetRun is one finished run with its scores.
func (s *Service) GetRun(ctx context.Context, sc identity.Scope, id string) (Run, error) {
	if err := s.sees(sc, "评价结果", "evaluation run"); err != nil {
		return Run{}, err
	}
	return s.st.GetRun(ctx, id)
}
