package indicator

import (
	"context"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
)

// FigureYear is a park-year whose blocks the store keeps, at the version of its inputs.
type FigureYear struct {
	ParkID  string
	Year    int
	Version int64
}

// BlockStore keeps each park-year's blocks (Block), so group values need not read every report.
type BlockStore interface {
	// StaleFigureYears are the park-years of the years asked (all when none is) in the caller's
	// scope whose kept blocks are older than their inputs.
	StaleFigureYears(ctx context.Context, sc identity.Scope, years []int) ([]FigureYear, error)
	// SaveFigureBlocks keeps a park-year's blocks computed at its version, unless newer ones are kept.
	SaveFigureBlocks(ctx context.Context, fy FigureYear, blocks []Block) error
	// FigureBlocks are the kept blocks of the years asked, by year and park, in the caller's scope.
	FigureBlocks(ctx context.Context, sc identity.Scope, years []int) (map[int]map[string][]Block, error)
	// ForgetFigureBlocks marks every park-year's blocks as never computed, in the transaction of ctx.
	ForgetFigureBlocks(ctx context.Context) error
}

// maxParksPerRead bounds the parks whose reports one read of a year asks for.
const maxParksPerRead = 500

// Refresh recomputes the blocks of the park-years of the years asked (every year when none is)
// whose inputs changed since they were computed, for the parks in the caller's scope, and
// returns how many it recomputed. Each park-year is saved in its own transaction, so a refresh
// never holds more than one park-year's lock while writers raise versions.
func (s *Service) Refresh(ctx context.Context, sc identity.Scope, years ...int) (int, error) {
	parks, err := s.st.IndicatorParks(ctx, sc, "")
	if err != nil {
		return 0, err
	}
	return s.refresh(ctx, sc, parks, years)
}

// Rebuild forgets every park-year's blocks and computes them all again from the reports: for
// an operator who changed the data by hand, or to time the computation.
func (s *Service) Rebuild(ctx context.Context, sc identity.Scope) (int, error) {
	if !sc.AllParks() {
		return 0, apperr.ErrForbidden()
	}
	if err := s.st.InTx(ctx, s.st.ForgetFigureBlocks); err != nil {
		return 0, err
	}
	return s.Refresh(ctx, sc)
}

func (s *Service) refresh(ctx context.Context, sc identity.Scope, parks []ParkFacts, years []int) (int, error) {
	stale, err := s.st.StaleFigureYears(ctx, sc, years)
	if err != nil || len(stale) == 0 {
		return 0, err
	}
	facts := make(map[string]ParkFacts, len(parks))
	for _, p := range parks {
		facts[p.ParkID] = p
	}
	done := 0
	for len(stale) > 0 {
		year, batch := stale[0].Year, []FigureYear{}
		for len(stale) > 0 && stale[0].Year == year && len(batch) < maxParksPerRead {
			if _, ok := facts[stale[0].ParkID]; ok {
				batch = append(batch, stale[0])
			}
			stale = stale[1:]
		}
		if err := s.refreshYear(ctx, sc, year, batch, facts); err != nil {
			return done, err
		}
		done += len(batch)
	}
	return done, nil
}

// refreshYear recomputes the blocks of one year's stale park-years from their reports (rule 1).
func (s *Service) refreshYear(ctx context.Context, sc identity.Scope, year int, batch []FigureYear, facts map[string]ParkFacts) error {
	if len(batch) == 0 {
		return nil
	}
	ids := make([]string, len(batch))
	parks := make([]ParkFacts, len(batch))
	for i, fy := range batch {
		ids[i], parks[i] = fy.ParkID, facts[fy.ParkID]
	}
	rows, err := s.st.YearFilings(ctx, sc, year, ids)
	if err != nil {
		return err
	}
	for i, py := range ParkYears(year, parks, rows) {
		blocks := BlocksOf(py.Years, nil)
		if err := s.st.InTx(ctx, func(ctx context.Context) error { return s.st.SaveFigureBlocks(ctx, batch[i], blocks) }); err != nil {
			return err
		}
	}
	return nil
}
