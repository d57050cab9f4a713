package reportbook

import (
	"context"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/stats"
)

// Store is what an import needs from storage.
type Store interface {
	GetPeriod(ctx context.Context, sc identity.Scope, id string) (stats.Period, error)
	PeriodFilers(ctx context.Context, sc identity.Scope, periodID string) ([]stats.Filer, error)
	PeriodCreditCodes(ctx context.Context, sc identity.Scope, periodID string) ([]string, error)
	ImportReportsFrom(ctx context.Context, sc identity.Scope, periodID string, rows stats.RowSource, dryRun bool) ([]stats.RowOutcome, []stats.RowProblem, error)
}

// Result is what an upload did or, in a dry run, would do.
type Result struct {
	Committed bool               `json:"committed"`
	Rows      int                `json:"rows"`
	Changed   int                `json:"changed"`
	Submitted int                `json:"submitted"`
	Unchanged int                `json:"unchanged"`
	Problems  []Problem          `json:"problems"`
	Outcomes  []stats.RowOutcome `json:"outcomes"`
}

// Import reads an uploaded workbook for a period and applies it through the store, all or
// nothing. Bad cells, and rows the store refuses, come back as problems by row and column; with
// any problem, or with dryRun, nothing is written. The parsed upload is returned for Annotate.
func Import(ctx context.Context, st Store, sc identity.Scope, periodID string, data []byte, lim sheet.Limits, dryRun bool) (Result, Parsed, error) {
	// The upload is parsed while the import reads the period's credit codes and then its
	// reports; its rows are checked against the codes once both are read.
	type parsed struct {
		p   Parsed
		err error
	}
	done := make(chan parsed, 1)
	var known map[string]bool
	codesRead := make(chan struct{})
	go func() {
		p, err := Read(data, lim, func(code string) bool { <-codesRead; return known[code] })
		done <- parsed{p, err}
	}()
	codes, err := st.PeriodCreditCodes(ctx, sc, periodID)
	if err != nil {
		close(codesRead)
		return Result{}, Parsed{}, err
	}
	known = make(map[string]bool, len(codes))
	for _, c := range codes {
		known[c] = true
	}
	close(codesRead)
	var p Parsed
	outcomes, refused, err := st.ImportReportsFrom(ctx, sc, periodID, func() ([]stats.ImportRow, bool, error) {
		r := <-done
		p = r.p
		return p.Rows, len(p.Problems) > 0, r.err
	}, dryRun)
	if err != nil {
		return Result{}, Parsed{}, err
	}
	total := len(p.Rows) + countRows(p.Problems)
	for _, r := range refused {
		p.Problems = append(p.Problems, Problem{Sheet: p.Sheet, Row: r.Row, Column: p.CodeColumn, Header: "统一社会信用代码", Code: r.Code,
			MessageZh: r.MessageZh, MessageEn: r.MessageEn})
	}
	res := Result{Rows: total, Problems: p.Problems, Outcomes: outcomes}
	if res.Problems == nil {
		res.Problems = []Problem{}
	}
	for _, o := range outcomes {
		switch o.Outcome {
		case "changed":
			res.Changed++
		case "submitted":
			res.Submitted++
		default:
			res.Unchanged++
		}
	}
	res.Committed = !dryRun && len(p.Problems) == 0
	return res, p, nil
}

// countRows counts the distinct rows among problems that never reached the store.
func countRows(problems []Problem) int {
	rows := map[int]bool{}
	for _, p := range problems {
		rows[p.Row] = true
	}
	return len(rows)
}

// TemplateFor writes the period's template for the enterprises in the caller's scope, and names
// the file.
func TemplateFor(ctx context.Context, st Store, sc identity.Scope, periodID string) ([]byte, string, error) {
	p, err := st.GetPeriod(ctx, sc, periodID)
	if err != nil {
		return nil, "", err
	}
	filers, err := st.PeriodFilers(ctx, sc, periodID)
	if err != nil {
		return nil, "", err
	}
	members := make([]Member, len(filers))
	for i, f := range filers {
		members[i] = Member{CreditCode: f.CreditCode, Name: f.Name, Figures: f.Report.Figures}
	}
	data, err := Template(p.Label()+" 企业统计报表（截止 "+p.Deadline.String()+"）", members)
	return data, "统计报表_" + p.Label() + ".xlsx", err
}
