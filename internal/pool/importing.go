package pool

import (
	"context"
	"errors"
	"strconv"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
)

// ImportRow is one row of an initial-pool workbook: a park by its code, when it entered, its
// tier with the reason, and the years it was recognised as featured.
type ImportRow struct {
	Row           int
	ParkCode      string
	EnteredOn     civil.Date
	Tier          Tier
	Reason        string
	FeaturedYears []int
}

// RowProblem is a row the import refuses, with the field it is about.
type RowProblem struct {
	Row       int    `json:"row"`
	Field     string `json:"field"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
}

var errRefused = errors.New("pool: import refused")

// Import enters the rows' parks into the pool with their tiers and recognitions, in one
// transaction, all or nothing: with any refused row, or with dryRun, nothing is written. It
// returns how many parks it entered (or would enter) and the refused rows.
func (s *Service) Import(ctx context.Context, sc identity.Scope, rows []ImportRow, dryRun bool) (int, []RowProblem, error) {
	if !sc.May(identity.SteerParks) {
		return 0, nil, apperr.ErrForbidden()
	}
	var problems []RowProblem
	refuse := func(row int, err error) {
		e, ok := apperr.As(err)
		if !ok {
			return
		}
		for _, f := range e.Fields {
			problems = append(problems, RowProblem{Row: row, Field: f.Field, MessageZh: f.MessageZh, MessageEn: f.MessageEn})
		}
		if len(e.Fields) == 0 {
			problems = append(problems, RowProblem{Row: row, MessageZh: e.MessageZh, MessageEn: e.MessageEn})
		}
	}
	entered := 0
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		seen := map[string]int{}
		for _, r := range rows {
			parkID, ok, err := s.st.ParkIDByCode(ctx, sc, r.ParkCode)
			switch {
			case err != nil:
				return err
			case !ok:
				problems = append(problems, RowProblem{Row: r.Row, Field: "park_code", MessageZh: "园区编码不存在：" + r.ParkCode, MessageEn: "no such park code: " + r.ParkCode})
				continue
			case seen[parkID] != 0:
				problems = append(problems, RowProblem{Row: r.Row, Field: "park_code", MessageZh: "与第 " + strconv.Itoa(seen[parkID]) + " 行重复",
					MessageEn: "the same park as row " + strconv.Itoa(seen[parkID])})
				continue
			}
			seen[parkID] = r.Row
			if _, err := s.st.GetPoolEntry(ctx, sc, parkID); err == nil {
				problems = append(problems, RowProblem{Row: r.Row, Field: "park_code", MessageZh: "该园区已入库", MessageEn: "this park is already in the pool"})
				continue
			}
			n := NewEntry{ParkID: parkID, EnteredOn: r.EnteredOn, Tier: r.Tier, Reason: r.Reason}
			if err := n.Validate(s.clock.Today()); err != nil {
				refuse(r.Row, err)
				continue
			}
			for _, y := range r.FeaturedYears {
				if err := (Recognition{Year: y}).Validate(Entry{}); err != nil {
					refuse(r.Row, err)
				}
			}
			if len(problems) > 0 {
				continue // nothing will be written; keep checking the other rows
			}
			if err := s.st.InsertPoolEntry(ctx, sc, n); err != nil {
				return err
			}
			for _, y := range r.FeaturedYears {
				if err := s.st.InsertRecognition(ctx, parkID, y); err != nil {
					return err
				}
			}
			after, err := s.st.LockPoolEntry(ctx, sc, parkID)
			if err != nil {
				return err
			}
			if err := s.st.Record(ctx, sc, "import", "pool_entry", parkID, nil, after); err != nil {
				return err
			}
			entered++
		}
		if dryRun || len(problems) > 0 {
			return errRefused
		}
		return nil
	})
	if errors.Is(err, errRefused) {
		err = nil
	}
	if len(problems) > 0 {
		entered = 0
	}
	return entered, problems, err
}
