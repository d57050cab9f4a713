package onboardbook

import (
	"context"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/sheet"
)

// Store is what an onboarding import and export need from storage.
type Store interface {
	onboard.Lister
	ImportOnboarding(ctx context.Context, sc identity.Scope, b onboard.Batch, dryRun bool) ([]onboard.RowOutcome, []onboard.RowProblem, error)
}

// Result is what an upload did or, in a dry run, would do: counts per kind of record, each
// row's outcome, and every problem by sheet, row and column.
type Result struct {
	Committed bool                      `json:"committed"`
	Rows      int                       `json:"rows"`
	Counts    map[string]onboard.Counts `json:"counts"`
	Outcomes  []onboard.RowOutcome      `json:"outcomes"`
	Problems  []sheet.Problem           `json:"problems"`
}

// Import reads an upload and applies it through the store, all or nothing: with any problem,
// found while reading or refused by the store's rules, or with dryRun, nothing is written.
// entity says what a CSV holds when its headers alone do not.
func Import(ctx context.Context, st Store, sc identity.Scope, data []byte, lim sheet.Limits, entity string, dryRun bool) (Result, error) {
	p, err := Read(data, lim, entity)
	if err != nil {
		return Result{}, err
	}
	outcomes, refused, err := st.ImportOnboarding(ctx, sc, p.Batch, dryRun || len(p.Problems) > 0)
	if err != nil {
		return Result{}, err
	}
	problems := p.Problems
	for _, r := range refused {
		problems = append(problems, p.Place(r))
	}
	if problems == nil {
		problems = []sheet.Problem{}
	}
	if outcomes == nil {
		outcomes = []onboard.RowOutcome{}
	}
	return Result{
		Committed: !dryRun && len(problems) == 0,
		Rows:      p.Batch.Len() + countBadRows(p.Problems),
		Counts:    onboard.Tally(outcomes),
		Outcomes:  outcomes,
		Problems:  problems,
	}, nil
}

// countBadRows counts the rows that never reached the store.
func countBadRows(problems []sheet.Problem) int {
	rows := map[[2]any]bool{}
	for _, p := range problems {
		if p.Code != "missing_column" {
			rows[[2]any{p.Sheet, p.Row}] = true
		}
	}
	return len(rows)
}

// Export writes everything the caller may see, or one park's share, as a workbook.
func Export(ctx context.Context, st Store, sc identity.Scope, parkID string) ([]byte, error) {
	b, err := onboard.Export(ctx, st, sc, parkID)
	if err != nil {
		return nil, err
	}
	return Write(b)
}

// ExportCSV writes one kind of record as CSV.
func ExportCSV(ctx context.Context, st Store, sc identity.Scope, parkID, entity string) ([]byte, error) {
	if _, ok := tableFor(entity); !ok {
		return nil, unknownEntity(entity)
	}
	b, err := onboard.Export(ctx, st, sc, parkID)
	if err != nil {
		return nil, err
	}
	return WriteCSV(b, entity)
}
