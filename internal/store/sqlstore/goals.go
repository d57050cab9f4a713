package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/parkos/parkos/internal/goals"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/indicator"
)

const goalCols = `g.id, g.name, g.indicator, g.park_group, COALESCE(g.park_id, ''), g.baseline_year, g.baseline_value,
	g.target_year, g.target_value, g.created_at`

// goalScope: the authority and administrators see every goal; park staff the goals of their
// own parks; nobody else any.
func goalScope(sc identity.Scope) (string, []any) {
	if sc.AllParks() {
		return "1=1", nil
	}
	if !sc.Role.IsOperator() {
		return "1=0", nil
	}
	cond, args := parkScope(sc, "g.park_id", false)
	return "g.park_id IS NOT NULL AND " + cond, args
}

func scanGoal(r scanner) (goals.Goal, error) {
	var g goals.Goal
	err := r.Scan(&g.ID, &g.Name, &g.Indicator, &g.Group, &g.ParkID, &g.BaselineYear, &g.BaselineValue, &g.TargetYear, &g.TargetValue, &g.CreatedAt)
	g.Recorded = []goals.Actual{}
	return g, err
}

// ListGoals lists the goals in the caller's scope, newest first.
func (s *Store) ListGoals(ctx context.Context, sc identity.Scope) ([]goals.Goal, error) {
	cond, args := goalScope(sc)
	c := s.read(ctx)
	rows, err := c.query(ctx, "SELECT "+goalCols+" FROM goals g WHERE "+cond+" ORDER BY g.created_at DESC, g.id", args...)
	if err != nil {
		return nil, err
	}
	out := []goals.Goal{}
	for rows.Next() {
		g, err := scanGoal(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Recorded, err = s.goalActuals(ctx, c, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GetGoal reads one goal with its recorded actuals, in the caller's scope.
func (s *Store) GetGoal(ctx context.Context, sc identity.Scope, id string) (goals.Goal, error) {
	return s.goal(ctx, s.read(ctx), sc, id)
}

// LockGoal locks a goal's row and reads it, in the transaction of ctx.
func (s *Store) LockGoal(ctx context.Context, sc identity.Scope, id string) (goals.Goal, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return goals.Goal{}, err
	}
	if err := s.lockRows(ctx, c, "goals", []string{id}); err != nil {
		return goals.Goal{}, err
	}
	return s.goal(ctx, c, sc, id)
}

func (s *Store) goal(ctx context.Context, c conn, sc identity.Scope, id string) (goals.Goal, error) {
	cond, args := goalScope(sc)
	g, err := scanGoal(c.queryRow(ctx, "SELECT "+goalCols+" FROM goals g WHERE g.id = ? AND "+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return g, notFound("目标", "goal")
	}
	if err != nil {
		return g, err
	}
	g.Recorded, err = s.goalActuals(ctx, c, id)
	return g, err
}

func (s *Store) goalActuals(ctx context.Context, c conn, id string) ([]goals.Actual, error) {
	rows, err := c.query(ctx, "SELECT year, value FROM goal_actuals WHERE goal_id = ? ORDER BY year", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []goals.Actual{}
	for rows.Next() {
		a := goals.Actual{Source: "recorded"}
		if err := rows.Scan(&a.Year, &a.Value); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// InsertGoal writes a goal, in the transaction of ctx. Every park its group names must be one
// the caller may see.
func (s *Store) InsertGoal(ctx context.Context, sc identity.Scope, g goals.Goal) (goals.Goal, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return g, err
	}
	group, err := indicator.ParseGroup("group", g.Group)
	if err != nil {
		return g, err
	}
	for _, id := range group.Parks {
		if _, err := s.getPark(ctx, c, sc, id); err != nil {
			return g, fieldErr("group", "not_found", "园区不存在："+id, "no such park: "+id)
		}
	}
	g.ID, g.CreatedAt = newID(), s.now()
	_, err = c.exec(ctx, `INSERT INTO goals (id, name, indicator, park_group, park_id, baseline_year, baseline_value, target_year, target_value, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.ID, g.Name, g.Indicator, g.Group, nullable(g.ParkID), g.BaselineYear, g.BaselineValue,
		g.TargetYear, g.TargetValue, g.CreatedAt)
	return g, err
}

// SaveGoalActual records or replaces a year's actual, in the transaction of ctx.
func (s *Store) SaveGoalActual(ctx context.Context, goalID string, a goals.RecordedActual) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, "DELETE FROM goal_actuals WHERE goal_id = ? AND year = ?", goalID, a.Year); err != nil {
		return err
	}
	_, err = c.exec(ctx, "INSERT INTO goal_actuals (goal_id, year, value) VALUES (?, ?, ?)", goalID, a.Year, a.Value)
	return err
}

// DeleteGoalRow removes a goal and its actuals, in the transaction of ctx.
func (s *Store) DeleteGoalRow(ctx context.Context, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, "DELETE FROM goal_actuals WHERE goal_id = ?", id); err != nil {
		return err
	}
	return s.deleteRow(ctx, "goals", id)
}
