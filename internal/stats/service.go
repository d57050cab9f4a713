package stats

import (
	"context"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// Store is what the statistics context needs, each call in the caller's scope: reporting
// periods, enterprises' reports and their review.
type Store interface {
	ListPeriods(ctx context.Context, sc identity.Scope, f PeriodFilter, req page.Request) (page.Page[Period], error)
	GetPeriod(ctx context.Context, sc identity.Scope, id string) (Period, error)
	GetPeriodWithMembers(ctx context.Context, sc identity.Scope, id string) (Period, error)
	OpenPeriod(ctx context.Context, sc identity.Scope, p Period) (Period, error)
	ClosePeriod(ctx context.Context, sc identity.Scope, id string) (Period, error)
	PeriodFilers(ctx context.Context, sc identity.Scope, periodID string) ([]Filer, error)
	PeriodProgress(ctx context.Context, sc identity.Scope, periodID string, today civil.Date) ([]Progress, error)
	ListReports(ctx context.Context, sc identity.Scope, f ReportFilter, req page.Request) (page.Page[Report], error)
	GetReport(ctx context.Context, sc identity.Scope, id string) (Report, error)
	SaveReportDraft(ctx context.Context, sc identity.Scope, id string, figures Figures) (Report, error)
	SubmitReport(ctx context.Context, sc identity.Scope, id string, figures Figures, confirmed []string) (Report, error)
	ReviewReport(ctx context.Context, sc identity.Scope, id string, approve bool, reason string) (Report, error)
	PreviousFigures(ctx context.Context, sc identity.Scope, r Report) (Figures, error)
	ImportReports(ctx context.Context, sc identity.Scope, periodID string, rows []ImportRow, dryRun bool) ([]RowOutcome, []RowProblem, error)
}

// Service is the statistics context (§6 filing).
type Service struct {
	Store
	clock civil.Clock
}

// NewService builds the statistics service.
func NewService(st Store, clock civil.Clock) *Service { return &Service{Store: st, clock: clock} }

// Progress is the period's filing progress today.
func (s *Service) Progress(ctx context.Context, sc identity.Scope, periodID string) ([]Progress, error) {
	return s.Store.PeriodProgress(ctx, sc, periodID, s.clock.Today())
}

// Late reports whether a deadline has passed today.
func (s *Service) Late(deadline civil.Date) bool { return s.clock.Today().After(deadline) }
