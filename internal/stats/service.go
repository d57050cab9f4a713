package stats

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/audit"
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
	PeriodFilers(ctx context.Context, sc identity.Scope, periodID string) ([]Filer, error)
	// PeriodCreditCodes are the credit codes of the period's filers, all a workbook's rows are
	// checked against before the import reads the reports themselves.
	PeriodCreditCodes(ctx context.Context, sc identity.Scope, periodID string) ([]string, error)
	PeriodProgress(ctx context.Context, sc identity.Scope, periodID string, today civil.Date) ([]Progress, error)
	ListReports(ctx context.Context, sc identity.Scope, f ReportFilter, req page.Request) (page.Page[Report], error)
	GetReport(ctx context.Context, sc identity.Scope, id string) (Report, error)
	PreviousFigures(ctx context.Context, sc identity.Scope, r Report) (Figures, error)
}

// ReportStore holds the primitives the report workflow is composed of; every one but InTx runs in
// the transaction InTx opened.
type ReportStore interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// LockReport locks a report and reads it in the caller's scope, with its period's head.
	LockReport(ctx context.Context, sc identity.Scope, id string) (Report, Period, error)
	// PreviousFiguresIn is the enterprise's figures of the period before the report's.
	PreviousFiguresIn(ctx context.Context, r Report) (Figures, error)
	SaveReport(ctx context.Context, sc identity.Scope, r Report) (Report, error)
	Record(ctx context.Context, sc identity.Scope, action, entity, id string, before, after any) error
	RecordAll(ctx context.Context, sc identity.Scope, changes []audit.Change) error
	// InsertPeriod opens a period with a draft report for every enterprise asked to file.
	InsertPeriod(ctx context.Context, sc identity.Scope, p Period) (Period, error)
	// LockPeriod locks a period and reads its head in the caller's scope.
	LockPeriod(ctx context.Context, sc identity.Scope, id string) (Period, error)
	SavePeriodClosed(ctx context.Context, sc identity.Scope, id string) (Period, error)
	// PeriodFilersIn are the period's reports with their enterprises' credit codes and names.
	PeriodFilersIn(ctx context.Context, sc identity.Scope, periodID string) ([]Filer, error)
	// PreviousFiguresOfPeriod are, by enterprise, the figures of the period before p.
	PreviousFiguresOfPeriod(ctx context.Context, p Period) (map[string]Figures, error)
	// LockSubmitted locks the period's submitted reports in the caller's scope and returns their ids.
	LockSubmitted(ctx context.Context, sc identity.Scope, periodID string) ([]string, error)
	// SaveReportRows writes changed reports without reading them back, stamped with the time
	// of the write.
	SaveReportRows(ctx context.Context, rs []Report) ([]Report, error)
}

// Service is the statistics context (§6 filing): it owns reporting periods, the report
// workflow — draft, submit, approve, return — on locked rows, and workbook imports.
type Service struct {
	Store
	reports ReportStore
	clock   civil.Clock
}

// NewService builds the statistics service.
func NewService(st interface {
	Store
	ReportStore
}, clock civil.Clock) *Service {
	return &Service{Store: st, reports: st, clock: clock}
}

// Progress is the period's filing progress today.
func (s *Service) Progress(ctx context.Context, sc identity.Scope, periodID string) ([]Progress, error) {
	return s.Store.PeriodProgress(ctx, sc, periodID, s.clock.Today())
}

// Late reports whether a deadline has passed today.
func (s *Service) Late(deadline civil.Date) bool { return s.clock.Today().After(deadline) }

// changeReport locks a report in the caller's scope, lets fn move it on, saves it and records
// action. Two reviewers at once: the second finds the report already reviewed.
func (s *Service) changeReport(ctx context.Context, sc identity.Scope, id, action string, allowed bool,
	fn func(ctx context.Context, r *Report, p Period) error) (Report, error) {
	var out Report
	err := s.reports.InTx(ctx, func(ctx context.Context) error {
		old, p, err := s.reports.LockReport(ctx, sc, id)
		if err != nil {
			return err
		}
		if !allowed {
			return apperr.ErrForbidden()
		}
		r := old
		r.Figures = maps.Clone(old.Figures)
		if err := fn(ctx, &r, p); err != nil {
			return err
		}
		if out, err = s.reports.SaveReport(ctx, sc, r); err != nil {
			return err
		}
		return s.reports.Record(ctx, sc, action, "report", id, old, out)
	})
	return out, err
}

// SaveReportDraft replaces a report's figures while its filer may still edit it.
func (s *Service) SaveReportDraft(ctx context.Context, sc identity.Scope, id string, figures Figures) (Report, error) {
	return s.changeReport(ctx, sc, id, "update", sc.Role.IsEnterprise(), func(_ context.Context, r *Report, p Period) error {
		if err := p.CheckOpen(); err != nil {
			return err
		}
		return r.SaveDraft(figures)
	})
}

// SubmitReport saves the figures and submits them; warnings must be among confirmed.
func (s *Service) SubmitReport(ctx context.Context, sc identity.Scope, id string, figures Figures, confirmed []string) (Report, error) {
	return s.changeReport(ctx, sc, id, "submit", sc.Role.IsEnterprise(), func(ctx context.Context, r *Report, p Period) error {
		if err := p.CheckOpen(); err != nil {
			return err
		}
		if r.Editable() {
			r.Figures = figures
		}
		prev, err := s.reports.PreviousFiguresIn(ctx, *r)
		if err != nil {
			return err
		}
		return r.Submit(prev, confirmed, s.clock.Now())
	})
}

// ReviewReport approves a submitted report (which locks it) or returns it with a reason.
func (s *Service) ReviewReport(ctx context.Context, sc identity.Scope, id string, approve bool, reason string) (Report, error) {
	action := "return"
	if approve {
		action = "approve"
	}
	return s.changeReport(ctx, sc, id, action, sc.May(identity.ReviewReports), func(_ context.Context, r *Report, _ Period) error {
		if approve {
			return r.Approve(s.clock.Now())
		}
		return r.Return(strings.TrimSpace(reason), s.clock.Now())
	})
}

// OpenPeriod opens a reporting period: a park's, or without one every park's (the authority).
func (s *Service) OpenPeriod(ctx context.Context, sc identity.Scope, p Period) (Period, error) {
	if !sc.May(identity.OpenPeriods) {
		return p, apperr.ErrForbidden()
	}
	if p.ParkID == "" && !sc.AllParks() {
		var f apperr.Fields
		f.Add("park_id", "required", "请选择园区", "choose a park")
		return p, f.Err()
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	p.Span()
	var out Period
	err := s.reports.InTx(ctx, func(ctx context.Context) error {
		var err error
		if out, err = s.reports.InsertPeriod(ctx, sc, p); err != nil {
			return err
		}
		return s.reports.Record(ctx, sc, "create", "report_period", out.ID, nil, out)
	})
	return out, err
}

// ClosePeriod ends collection for a period. The authority closes its own periods and any
// park's; a park manager only its park's.
func (s *Service) ClosePeriod(ctx context.Context, sc identity.Scope, id string) (Period, error) {
	var out Period
	err := s.reports.InTx(ctx, func(ctx context.Context) error {
		old, err := s.reports.LockPeriod(ctx, sc, id)
		if err != nil {
			return err
		}
		if !sc.May(identity.OpenPeriods) || !(sc.AllParks() || old.ParkID != "" && sc.HasPark(old.ParkID)) {
			return apperr.ErrForbidden()
		}
		p := old
		if err := p.Close(); err != nil {
			return err
		}
		if out, err = s.reports.SavePeriodClosed(ctx, sc, id); err != nil {
			return err
		}
		return s.reports.Record(ctx, sc, "close", "report_period", id, old, out)
	})
	return out, err
}

// recordBatch is how many of an import's changes are recorded at once.
const recordBatch = 400

// ImportReports applies a workbook's rows to the period's reports in one transaction, all or
// nothing: every row is checked first, and with any refused row, or with dryRun, nothing is
// written and the outcomes say what would have happened. Park staff who review reports import
// for their park, an enterprise for itself.
func (s *Service) ImportReports(ctx context.Context, sc identity.Scope, periodID string, rows []ImportRow, dryRun bool) ([]RowOutcome, []RowProblem, error) {
	return s.ImportReportsFrom(ctx, sc, periodID, func() ([]ImportRow, bool, error) { return rows, false, nil }, dryRun)
}

// RowSource hands over an upload's rows when the import is ready for them; invalid says the
// upload had problems of its own, so its rows are checked but nothing is written.
type RowSource func() (rows []ImportRow, invalid bool, err error)

// ImportReportsFrom is ImportReports with rows that may still be being read: it asks for them
// only once it has read the period's reports, so parsing a large upload overlaps that read.
func (s *Service) ImportReportsFrom(ctx context.Context, sc identity.Scope, periodID string, source RowSource, dryRun bool) ([]RowOutcome, []RowProblem, error) {
	if !sc.May(identity.ReviewReports) && !sc.Role.IsEnterprise() {
		return nil, nil, apperr.ErrForbidden()
	}
	var outcomes []RowOutcome
	var problems []RowProblem
	err := s.reports.InTx(ctx, func(ctx context.Context) error {
		p, err := s.reports.LockPeriod(ctx, sc, periodID)
		if err != nil {
			return err
		}
		if err := p.CheckOpen(); err != nil {
			return err
		}
		filers, err := s.reports.PeriodFilersIn(ctx, sc, periodID)
		if err != nil {
			return err
		}
		previous, err := s.reports.PreviousFiguresOfPeriod(ctx, p)
		if err != nil {
			return err
		}
		byCode := map[string]Report{}
		for _, f := range filers {
			if f.CreditCode != "" {
				byCode[f.CreditCode] = f.Report
			}
		}
		rows, invalid, err := source()
		if err != nil {
			return err
		}
		now := s.clock.Now()
		var changes []audit.Change
		for _, in := range rows {
			old, ok := byCode[in.CreditCode]
			if !ok {
				problems = append(problems, RowProblem{Row: in.Row, CreditCode: in.CreditCode, Code: "unknown",
					MessageZh: "该企业不在本报告期的填报名单中", MessageEn: "this enterprise is not asked to file in this period"})
				continue
			}
			r, out, action, problem, err := old.Import(in, previous[old.EnterpriseID], now)
			switch {
			case err != nil:
				return err
			case problem != nil:
				problems = append(problems, *problem)
				continue
			case action != "":
				changes = append(changes, audit.Change{Action: action, Entity: "report", ID: r.ID, Before: old, After: r})
			}
			outcomes = append(outcomes, out)
		}
		if dryRun || invalid || len(problems) > 0 {
			return nil
		}
		return s.saveImported(ctx, sc, changes)
	})
	return outcomes, problems, err
}

// ApproveSubmitted approves every submitted report of a period in the caller's scope at once
// (批量审核), in one transaction with an audit entry for each, and says how many it approved.
func (s *Service) ApproveSubmitted(ctx context.Context, sc identity.Scope, periodID string) (int, error) {
	var changes []audit.Change
	err := s.reports.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.reports.LockPeriod(ctx, sc, periodID); err != nil {
			return err
		}
		if !sc.May(identity.ReviewReports) {
			return apperr.ErrForbidden()
		}
		ids, err := s.reports.LockSubmitted(ctx, sc, periodID)
		if err != nil || len(ids) == 0 {
			return err
		}
		filers, err := s.reports.PeriodFilersIn(ctx, sc, periodID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		for _, f := range filers {
			if f.Report.Status != Submitted {
				continue
			}
			r := f.Report
			if err := r.Approve(now); err != nil {
				return err
			}
			changes = append(changes, audit.Change{Action: "approve", Entity: "report", ID: r.ID, Before: f.Report, After: r})
		}
		return s.saveImported(ctx, sc, changes)
	})
	return len(changes), err
}

// saveImported writes an import's changed reports and their audit entries, recordBatch at a
// time. Reports are written in id order, the order the period created them in, so a large
// import walks the table and its indexes forward instead of jumping about them.
func (s *Service) saveImported(ctx context.Context, sc identity.Scope, changes []audit.Change) error {
	slices.SortFunc(changes, func(a, b audit.Change) int { return strings.Compare(a.ID, b.ID) })
	reports := make([]Report, 0, recordBatch)
	for start := 0; start < len(changes); start += recordBatch {
		batch := changes[start:min(start+recordBatch, len(changes))]
		reports = reports[:0]
		for _, c := range batch {
			reports = append(reports, c.After.(Report))
		}
		saved, err := s.reports.SaveReportRows(ctx, reports)
		if err != nil {
			return err
		}
		for i := range batch {
			batch[i].After = saved[i]
		}
		if err := s.reports.RecordAll(ctx, sc, batch); err != nil {
			return err
		}
	}
	return nil
}
