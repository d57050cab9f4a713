package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
	"github.com/parkos/parkos/internal/stats"
)

// Submissions are the park-level figures of the parks in scope (one when parkID is set) for the
// years asked (all when none), by park then year.
func (s *Store) Submissions(ctx context.Context, sc identity.Scope, parkID string, years []int) (map[string]map[int]stats.Figures, error) {
	cond, args := parkScope(sc, "park_id", false)
	if parkID != "" {
		cond, args = cond+" AND park_id = ?", append(args, parkID)
	}
	if len(years) > 0 {
		cond += " AND year IN (" + bindParams(len(years)) + ")"
		for _, y := range years {
			args = append(args, y)
		}
	}
	rows, err := s.read(ctx).query(ctx, "SELECT park_id, year, figures_json FROM park_submissions WHERE "+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[int]stats.Figures{}
	for rows.Next() {
		var park, text string
		var year int
		if err := rows.Scan(&park, &year, &text); err != nil {
			return nil, err
		}
		var f stats.Figures
		if err := json.Unmarshal([]byte(text), &f); err != nil {
			return nil, err
		}
		if out[park] == nil {
			out[park] = map[int]stats.Figures{}
		}
		out[park][year] = f
	}
	return out, rows.Err()
}

// SaveSubmission records or replaces a park's figures for a year, in the transaction of ctx.
func (s *Store) SaveSubmission(ctx context.Context, sc identity.Scope, parkID string, in indicator.SubmissionInput) (indicator.Submission, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return indicator.Submission{}, err
	}
	if _, err := s.getPark(ctx, c, sc, parkID); err != nil {
		return indicator.Submission{}, err
	}
	text, err := json.Marshal(in.Figures)
	if err != nil {
		return indicator.Submission{}, err
	}
	out := indicator.Submission{ParkID: parkID, Year: in.Year, Figures: in.Figures, UpdatedAt: s.now()}
	if _, err := c.exec(ctx, "DELETE FROM park_submissions WHERE park_id = ? AND year = ?", parkID, in.Year); err != nil {
		return out, err
	}
	_, err = c.exec(ctx, "INSERT INTO park_submissions (park_id, year, figures_json, updated_at) VALUES (?, ?, ?, ?)", parkID, in.Year, string(text), out.UpdatedAt)
	return out, err
}

// Attributes are the dated attribute values of the parks in scope (one when parkID is set),
// oldest first.
func (s *Store) Attributes(ctx context.Context, sc identity.Scope, parkID string) ([]indicator.Attribute, error) {
	cond, args := parkScope(sc, "park_id", false)
	if parkID != "" {
		cond, args = cond+" AND park_id = ?", append(args, parkID)
	}
	rows, err := s.read(ctx).query(ctx, "SELECT id, park_id, attribute, value, effective_on, created_at FROM park_attributes WHERE "+cond+
		" ORDER BY effective_on, created_at, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []indicator.Attribute
	for rows.Next() {
		var a indicator.Attribute
		if err := rows.Scan(&a.ID, &a.ParkID, &a.Key, &a.Value, &a.EffectiveOn, &a.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// InsertAttribute records a park attribute's value from a date, in the transaction of ctx; the
// park must be one the caller may see (and, for park staff, operates).
func (s *Store) InsertAttribute(ctx context.Context, sc identity.Scope, parkID string, in indicator.AttributeInput) (indicator.Attribute, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return indicator.Attribute{}, err
	}
	if _, err := s.getPark(ctx, c, sc, parkID); err != nil {
		return indicator.Attribute{}, err
	}
	if !sc.AllParks() && !sc.HasPark(parkID) {
		return indicator.Attribute{}, forbidden()
	}
	a := indicator.Attribute{ID: newID(), ParkID: parkID, Key: in.Key, Value: in.Value, EffectiveOn: in.EffectiveOn, CreatedAt: s.now()}
	_, err = c.exec(ctx, "INSERT INTO park_attributes (id, park_id, attribute, value, effective_on, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		a.ID, a.ParkID, a.Key, a.Value, a.EffectiveOn, a.CreatedAt)
	return a, err
}
