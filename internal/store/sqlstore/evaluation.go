package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/parkos/parkos/internal/evaluation"
)

// Evaluation schemes and runs belong to the authority: the service admits only the roles that
// steer every park, so these reads take no scope.

const schemeCols = "id, name, version, definition_json, frozen, created_at"

func scanScheme(r scanner) (evaluation.Scheme, error) {
	var s evaluation.Scheme
	var def string
	if err := r.Scan(&s.ID, &s.Name, &s.Version, &def, &s.Frozen, &s.CreatedAt); err != nil {
		return s, err
	}
	return s, json.Unmarshal([]byte(def), &s.Definition)
}

// ListSchemes lists every scheme version, by name then newest version first.
func (s *Store) ListSchemes(ctx context.Context) ([]evaluation.Scheme, error) {
	rows, err := s.read(ctx).query(ctx, "SELECT "+schemeCols+" FROM evaluation_schemes ORDER BY name, version DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []evaluation.Scheme{}
	for rows.Next() {
		sc, err := scanScheme(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// GetScheme reads one scheme version.
func (s *Store) GetScheme(ctx context.Context, id string) (evaluation.Scheme, error) {
	return s.scheme(ctx, s.read(ctx), id)
}

// LockScheme locks a scheme version's row and reads it, in the transaction of ctx.
func (s *Store) LockScheme(ctx context.Context, id string) (evaluation.Scheme, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return evaluation.Scheme{}, err
	}
	if err := s.lockRows(ctx, c, "evaluation_schemes", []string{id}); err != nil {
		return evaluation.Scheme{}, err
	}
	return s.scheme(ctx, c, id)
}

func (s *Store) scheme(ctx context.Context, c conn, id string) (evaluation.Scheme, error) {
	sc, err := scanScheme(c.queryRow(ctx, "SELECT "+schemeCols+" FROM evaluation_schemes WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return sc, notFound("评价方案", "evaluation scheme")
	}
	return sc, err
}

// InsertScheme writes a scheme as the next version of its name, in the transaction of ctx.
func (s *Store) InsertScheme(ctx context.Context, sc evaluation.Scheme) (evaluation.Scheme, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return sc, err
	}
	if err := c.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM evaluation_schemes WHERE name = ?", sc.Name).Scan(&sc.Version); err != nil {
		return sc, err
	}
	def, err := json.Marshal(sc.Definition)
	if err != nil {
		return sc, err
	}
	sc.ID, sc.CreatedAt, sc.Frozen = newID(), s.now(), false
	_, err = c.exec(ctx, "INSERT INTO evaluation_schemes (id, name, version, definition_json, frozen, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		sc.ID, sc.Name, sc.Version, string(def), false, sc.CreatedAt)
	return sc, s.constraintError(err, "name", "该方案的此版本刚被创建，请重试", "this version of the scheme was just created; try again")
}

// SaveSchemeDefinition rewrites an unfrozen scheme's definition, in the transaction of ctx.
func (s *Store) SaveSchemeDefinition(ctx context.Context, sc evaluation.Scheme) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	def, err := json.Marshal(sc.Definition)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, "UPDATE evaluation_schemes SET definition_json = ? WHERE id = ? AND NOT frozen", string(def), sc.ID)
	return err
}

// FreezeScheme marks a scheme version used, in the transaction of ctx.
func (s *Store) FreezeScheme(ctx context.Context, id string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, "UPDATE evaluation_schemes SET frozen = ? WHERE id = ?", true, id)
	return err
}

// InsertRun keeps a finished run, in the transaction of ctx.
func (s *Store) InsertRun(ctx context.Context, r evaluation.Run) (evaluation.Run, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return r, err
	}
	results, err := json.Marshal(r.Scores)
	if err != nil {
		return r, err
	}
	r.ID, r.CreatedAt = newID(), s.now()
	_, err = c.exec(ctx, "INSERT INTO evaluation_runs (id, scheme_id, year, park_group, results_json, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		r.ID, r.SchemeID, r.Year, r.Group, string(results), r.CreatedAt)
	return r, err
}

const runCols = `r.id, r.scheme_id, s.name, s.version, r.year, r.park_group, r.created_at`

// ListRuns lists a scheme's runs (every version of its name), newest first, without scores.
func (s *Store) ListRuns(ctx context.Context, schemeID string) ([]evaluation.Run, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+runCols+` FROM evaluation_runs r JOIN evaluation_schemes s ON s.id = r.scheme_id
		WHERE s.name = (SELECT name FROM evaluation_schemes WHERE id = ?) ORDER BY r.created_at DESC, r.id`, schemeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []evaluation.Run{}
	for rows.Next() {
		var r evaluation.Run
		if err := rows.Scan(&r.ID, &r.SchemeID, &r.SchemeName, &r.SchemeVersion, &r.Year, &r.Group, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.Scores = []evaluation.ParkScore{}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetRun reads one run with its scores.
func (s *Store) GetRun(ctx context.Context, id string) (evaluation.Run, error) {
	var r evaluation.Run
	var results string
	err := s.read(ctx).queryRow(ctx, `SELECT `+runCols+`, r.results_json FROM evaluation_runs r JOIN evaluation_schemes s ON s.id = r.scheme_id
		WHERE r.id = ?`, id).Scan(&r.ID, &r.SchemeID, &r.SchemeName, &r.SchemeVersion, &r.Year, &r.Group, &r.CreatedAt, &results)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("评价结果", "evaluation run")
	}
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(results), &r.Scores)
}
