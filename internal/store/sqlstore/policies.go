package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/policy"
)

// UnseenParks are the ids that name no park the caller sees.
func (s *Store) UnseenParks(ctx context.Context, sc identity.Scope, ids []string) ([]string, error) {
	return s.unmatched(ctx, ids, func(c conn, chunk []string) (*sql.Rows, error) {
		cond, args := parkScope(sc, "id", false)
		return c.query(ctx, `SELECT id FROM parks WHERE id IN (`+bindParams(len(chunk))+`) AND `+cond, append(anySlice(chunk), args...)...)
	})
}

// UnknownChainNodes are the ids that name no chain node.
func (s *Store) UnknownChainNodes(ctx context.Context, ids []string) ([]string, error) {
	return s.unmatched(ctx, ids, func(c conn, chunk []string) (*sql.Rows, error) {
		return c.query(ctx, `SELECT id FROM chain_nodes WHERE id IN (`+bindParams(len(chunk))+`)`, anySlice(chunk)...)
	})
}

// unmatched lists the ids the query does not answer.
func (s *Store) unmatched(ctx context.Context, ids []string, q func(c conn, chunk []string) (*sql.Rows, error)) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	found := map[string]bool{}
	for start := 0; start < len(ids); start += 500 {
		rows, err := q(s.read(ctx), ids[start:min(start+500, len(ids))])
		if err != nil {
			return nil, err
		}
		got, err := collect(rows, func(r scanner) (string, error) { var id string; return id, r.Scan(&id) })
		if err != nil {
			return nil, err
		}
		for _, id := range got {
			found[id] = true
		}
	}
	var out []string
	for _, id := range ids {
		if !found[id] {
			out = append(out, id)
			found[id] = true
		}
	}
	return out, nil
}

// ParkDistricts are the districts of parks.
func (s *Store) ParkDistricts(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	err := eachRow(ctx, s.read(ctx), `SELECT id, district FROM parks WHERE id IN (`+bindParams(len(ids))+`)`, anySlice(ids), func(r scanner) error {
		var id, d string
		err := r.Scan(&id, &d)
		out[id] = d
		return err
	})
	return out, err
}

// NamesOf names parks and chain nodes.
func (s *Store) NamesOf(ctx context.Context, ids []string) (policy.Names, error) {
	out := policy.Names{}
	if len(ids) == 0 {
		return out, nil
	}
	ids = ids[:min(len(ids), 1000)]
	rows, err := s.read(ctx).query(ctx, `SELECT id, name_zh FROM parks WHERE id IN (`+bindParams(len(ids))+`)
		UNION ALL SELECT id, name_zh FROM chain_nodes WHERE id IN (`+bindParams(len(ids))+`)`, append(anySlice(ids), anySlice(ids)...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

const policyCols = `p.id, COALESCE(p.owner_park_id, ''), p.title, p.title_en, p.issuer, p.doc_number, p.valid_from, p.valid_to, p.body, p.benefit,
	p.amount_json, p.scope_kind, p.scope_district, p.eligibility_json, p.facts_year, p.auto_grant, p.status, p.created_by, p.published_at,
	p.created_at, p.updated_at, (SELECT COALESCE(` + "%s" + `, '') FROM policy_parks pp WHERE pp.policy_id = p.id)`

// policySelect is the policy columns with the engine's way of joining the covered parks.
func (s *Store) policySelect() string {
	agg := "group_concat(pp.park_id, ',')"
	if s.eng.Name == "postgres" {
		agg = "string_agg(pp.park_id, ',' ORDER BY pp.park_id)"
	}
	return "SELECT " + strings.Replace(policyCols, "%s", agg, 1) + " FROM policies p"
}

func scanPolicy(r scanner) (policy.Policy, error) {
	var p policy.Policy
	var amount, cond, parks string
	var published sql.NullTime
	err := r.Scan(&p.ID, &p.OwnerParkID, &p.Title, &p.TitleEn, &p.Issuer, &p.DocNumber, &p.ValidFrom, &p.ValidTo, &p.Text, &p.Benefit,
		&amount, &p.Scope.Kind, &p.Scope.District, &cond, &p.FactsYear, &p.AutoGrant, &p.Status, &p.CreatedBy, &published, &p.CreatedAt, &p.UpdatedAt, &parks)
	if err != nil {
		return p, err
	}
	if published.Valid {
		p.PublishedAt = published.Time
	}
	if parks != "" {
		p.Scope.ParkIDs = strings.Split(parks, ",")
	}
	if err := json.Unmarshal([]byte(amount), &p.Amount); err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(cond), &p.Eligibility); err != nil {
		return p, err
	}
	return p, nil
}

// policyScope: the authority sees every policy; a park's staff those their parks issued and the
// published ones covering their parks; an enterprise's users the published ones covering its
// park.
func policyScope(sc identity.Scope) (string, []any) {
	if sc.AllParks() {
		return "1=1", nil
	}
	var parks string
	var args []any
	switch {
	case sc.Role.IsOperator() && len(sc.ParkIDs) > 0:
		parks, args = bindParams(len(sc.ParkIDs)), anySlice(sc.ParkIDs)
	case sc.Role.IsEnterprise():
		parks, args = `SELECT pe.park_id FROM park_enterprises pe WHERE pe.enterprise_id = ?`, []any{sc.EnterpriseID}
	default:
		return "1=0", nil
	}
	cond := `(p.status <> 'draft' AND (p.scope_kind = 'all'
		OR EXISTS (SELECT 1 FROM policy_parks pp WHERE pp.policy_id = p.id AND pp.park_id IN (` + parks + `))
		OR p.scope_kind = 'district' AND p.scope_district IN (SELECT d.district FROM parks d WHERE d.id IN (` + parks + `))))`
	args = append(args, args...)
	if sc.Role.IsOperator() {
		cond = "(p.owner_park_id IN (" + parks + ") OR " + cond + ")"
		args = append(anySlice(sc.ParkIDs), args...)
	}
	return cond, args
}

// InsertPolicy writes a new policy, in the transaction of ctx.
func (s *Store) InsertPolicy(ctx context.Context, p policy.Policy) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	amount, cond := mustJSON(p.Amount), mustJSON(p.Eligibility)
	if _, err := c.exec(ctx, `INSERT INTO policies (id, owner_park_id, title, title_en, issuer, doc_number, valid_from, valid_to, body, benefit,
		amount_json, scope_kind, scope_district, eligibility_json, facts_year, auto_grant, status, created_by, published_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, nullable(p.OwnerParkID), p.Title, p.TitleEn, p.Issuer, p.DocNumber, p.ValidFrom, p.ValidTo, p.Text, p.Benefit,
		amount, p.Scope.Kind, p.Scope.District, cond, p.FactsYear, p.AutoGrant, p.Status, p.CreatedBy, nullTime(p.PublishedAt), p.CreatedAt, p.UpdatedAt); err != nil {
		return err
	}
	return s.savePolicyParks(ctx, c, p)
}

func (s *Store) savePolicyParks(ctx context.Context, c conn, p policy.Policy) error {
	if _, err := c.exec(ctx, `DELETE FROM policy_parks WHERE policy_id = ?`, p.ID); err != nil {
		return err
	}
	for _, id := range p.Scope.ParkIDs {
		if _, err := c.exec(ctx, `INSERT INTO policy_parks (policy_id, park_id) VALUES (?, ?)`, p.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// SavePolicy rewrites a policy, in the transaction of ctx.
func (s *Store) SavePolicy(ctx context.Context, p policy.Policy) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `UPDATE policies SET title = ?, title_en = ?, issuer = ?, doc_number = ?, valid_from = ?, valid_to = ?, body = ?,
		benefit = ?, amount_json = ?, scope_kind = ?, scope_district = ?, eligibility_json = ?, facts_year = ?, auto_grant = ?, status = ?,
		published_at = ?, updated_at = ? WHERE id = ?`,
		p.Title, p.TitleEn, p.Issuer, p.DocNumber, p.ValidFrom, p.ValidTo, p.Text, p.Benefit, mustJSON(p.Amount), p.Scope.Kind, p.Scope.District,
		mustJSON(p.Eligibility), p.FactsYear, p.AutoGrant, p.Status, nullTime(p.PublishedAt), p.UpdatedAt, p.ID); err != nil {
		return err
	}
	return s.savePolicyParks(ctx, c, p)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// GetPolicy reads a policy in the caller's scope.
func (s *Store) GetPolicy(ctx context.Context, sc identity.Scope, id string) (policy.Policy, error) {
	return s.getPolicy(ctx, s.read(ctx), sc, id)
}

func (s *Store) getPolicy(ctx context.Context, c conn, sc identity.Scope, id string) (policy.Policy, error) {
	cond, args := policyScope(sc)
	p, err := scanPolicy(c.queryRow(ctx, s.policySelect()+` WHERE p.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("政策", "policy")
	}
	return p, err
}

// LockPolicy locks and reads a policy, in the transaction of ctx.
func (s *Store) LockPolicy(ctx context.Context, sc identity.Scope, id string) (policy.Policy, error) {
	return lockedRead(ctx, s, sc, "policies", id, s.getPolicy)
}

// ListPolicies lists policies in the caller's scope, newest first.
func (s *Store) ListPolicies(ctx context.Context, sc identity.Scope, f policy.PolicyFilter, req page.Request) (page.Page[policy.Policy], error) {
	cond, args := policyScope(sc)
	l := listQuery[policy.Policy]{
		selectFrom: s.policySelect(),
		idExpr:     "p.id",
		sorts: []sortKey[policy.Policy]{
			{"valid_from", "p.valid_from", func(p policy.Policy) any { return p.ValidFrom }},
			{"title", "p.title", func(p policy.Policy) any { return p.Title }},
		},
		scan: byValue(func(r *sql.Rows) (policy.Policy, error) { return scanPolicy(r) }),
		id:   func(p policy.Policy) string { return p.ID },
	}
	l.filter(cond, args...)
	if f.Status != "" {
		l.filter("p.status = ?", f.Status)
	}
	if !f.InForce.IsZero() {
		l.filter("p.status = 'published' AND p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to >= ?)", f.InForce, f.InForce)
	}
	if f.ParkID != "" {
		l.filter(`(p.owner_park_id = ? OR p.scope_kind = 'all' OR EXISTS (SELECT 1 FROM policy_parks pp WHERE pp.policy_id = p.id AND pp.park_id = ?)
			OR p.scope_kind = 'district' AND p.scope_district = (SELECT d.district FROM parks d WHERE d.id = ?))`, f.ParkID, f.ParkID, f.ParkID)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		l.filter(`(lower(p.title) LIKE ? ESCAPE '\' OR lower(p.issuer) LIKE ? ESCAPE '\' OR lower(p.doc_number) LIKE ? ESCAPE '\')`,
			likeContains(q), likeContains(q), likeContains(q))
	}
	return l.run(ctx, s.read(ctx), req)
}

// PublishedPolicies are every published policy.
func (s *Store) PublishedPolicies(ctx context.Context) ([]policy.Policy, error) {
	rows, err := s.read(ctx).query(ctx, s.policySelect()+` WHERE p.status = 'published' ORDER BY p.id`)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPolicy)
}

// coverage is the predicate on enterprises e that a policy covers.
func coverage(cover policy.Coverage) (string, []any) {
	switch cover.Kind {
	case "parks":
		if len(cover.ParkIDs) == 0 {
			return "1=0", nil
		}
		return enterprisesOfParks("e.id", cover.ParkIDs)
	case "district":
		return `e.id IN (SELECT pe.enterprise_id FROM park_enterprises pe JOIN parks d ON d.id = pe.park_id WHERE d.district = ?)`, []any{cover.District}
	}
	return "1=1", nil
}

// PolicyFacts reads the facts of the enterprises a policy covers in the caller's scope: the
// enterprises, their stays, qualifications and years, four reads that run side by side on
// reader connections (in a transaction, one after another on it).
// factsChunk is the size of the n-th chunk PolicyFacts reads enterprises into: small first, as
// most calls ask for one enterprise or one park's, doubling up to 4,096.
func factsChunk(n int) int { return 8 << min(n, 9) }

func (s *Store) PolicyFacts(ctx context.Context, sc identity.Scope, cover policy.Coverage, enterpriseID string, years []int) ([]policy.Facts, error) {
	scope, args := enterpriseScope(sc, "e.id")
	covers, cargs := coverage(cover)
	where := scope + " AND " + covers
	args = append(args, cargs...)
	if enterpriseID != "" {
		where, args = where+" AND e.id = ?", append(args, enterpriseID)
	}
	// Every enterprise asked for (the authority, a policy for every park): the side tables are
	// read whole, without a join per row back to the enterprise.
	join := ` JOIN enterprises e ON e.id = x.enterprise_id WHERE ` + where
	if where == "1=1 AND 1=1" {
		join = ` WHERE 1=1`
	}
	// The side tables come in runs of one enterprise's rows (their keys lead with it): each run
	// costs one map write and one id string, not one per row.
	// Enterprises are read into chunks joined once at the end: a Facts is large, and a slice
	// grown by doubling would copy the city's many times over.
	var (
		chunks [][]policy.Facts
		stays  = runs[policy.Stay]{by: map[string][]policy.Stay{}}
		quals  = runs[policy.Held]{by: map[string][]policy.Held{}}
		byYear = map[string]map[int]policy.YearFigures{}
	)
	reads := []func(c conn) error{
		func(c conn) error {
			return eachRow(ctx, c, `SELECT e.id, e.name, COALESCE(e.park_id, ''), COALESCE(e.industry_code, ''), e.chain_node_list, e.stage, e.founded_on,
				e.scientist_founded, e.returnee_founded FROM enterprises e WHERE `+where, args, func(r scanner) error {
				if len(chunks) == 0 || len(chunks[len(chunks)-1]) == cap(chunks[len(chunks)-1]) {
					chunks = append(chunks, make([]policy.Facts, 0, factsChunk(len(chunks))))
				}
				last := &chunks[len(chunks)-1]
				*last = append(*last, policy.Facts{})
				f := &(*last)[len(*last)-1]
				return r.Scan(&f.EnterpriseID, &f.Name, &f.ParkID, &f.IndustryCode, attachedList{&f.ChainNodes}, &f.Stage, &f.FoundedOn,
					&f.ScientistFounded, &f.ReturneeFounded)
			})
		},
		func(c conn) error {
			var id sql.RawBytes
			err := eachRow(ctx, c, `SELECT x.enterprise_id, x.park_id, x.move_in, x.move_out FROM residencies x`+join, args, func(r scanner) error {
				var st policy.Stay
				err := r.Scan(&id, &st.ParkID, &st.MoveIn, &st.MoveOut)
				stays.add(id, st)
				return err
			})
			stays.flush()
			return err
		},
		func(c conn) error {
			var id sql.RawBytes
			err := eachRow(ctx, c, `SELECT x.enterprise_id, x.kind, x.issued_on, x.expires_on FROM qualifications x`+join, args, func(r scanner) error {
				var h policy.Held
				err := r.Scan(&id, &h.Kind, &h.IssuedOn, &h.ExpiresOn)
				quals.add(id, h)
				return err
			})
			quals.flush()
			return err
		},
	}
	if len(years) > 0 {
		reads = append(reads, func(c conn) error {
			var id sql.RawBytes
			var last string
			var cur map[int]policy.YearFigures
			return eachRow(ctx, c, `SELECT x.enterprise_id, x.year, x.complete, x.revenue, x.rd_expense, x.tax, x.employees
				FROM enterprise_year_facts x`+join+` AND x.year IN (`+bindParams(len(years))+`)`, append(slices.Clone(args), anySlice(years)...), func(r scanner) error {
				var year int
				var complete bool
				var vals [4]sql.NullInt64
				if err := r.Scan(&id, &year, &complete, &vals[0], &vals[1], &vals[2], &vals[3]); err != nil {
					return err
				}
				y := policy.YearFigures{Complete: complete}
				for i, m := range policy.YearMeasures {
					if vals[i].Valid {
						y.Add(m, vals[i].Int64)
					}
				}
				if cur == nil || string(id) != last {
					last = string(id)
					if cur = byYear[last]; cur == nil {
						cur = make(map[int]policy.YearFigures, len(years))
						byYear[last] = cur
					}
				}
				cur[year] = y
				return nil
			})
		})
	}
	if err := s.sideBySide(ctx, reads); err != nil {
		return nil, err
	}
	out := slices.Concat(chunks...)
	for i := range out {
		id := out[i].EnterpriseID
		out[i].Stays, out[i].Qualifications, out[i].Years = stays.by[id], quals.by[id], byYear[id]
		if out[i].Years == nil {
			out[i].Years = map[int]policy.YearFigures{}
		}
	}
	return out, nil
}

// runs gathers rows by enterprise into by, writing the map once per run of one id's rows.
type runs[T any] struct {
	by  map[string][]T
	id  string
	cur []T
	any bool
}

func (g *runs[T]) add(id []byte, v T) {
	if !g.any || string(id) != g.id {
		g.flush()
		g.id, g.any = string(id), true
		g.cur = g.by[g.id]
	}
	g.cur = append(g.cur, v)
}

// flush writes the run being gathered.
func (g *runs[T]) flush() {
	if g.any {
		g.by[g.id] = g.cur
	}
}

// eachRow runs a query and hands each row to fn.
func eachRow(ctx context.Context, c conn, q string, args []any, fn func(r scanner) error) error {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sideBySide runs independent reads at once on reader connections, or one after another in the
// transaction of ctx (which must see its own writes).
func (s *Store) sideBySide(ctx context.Context, reads []func(c conn) error) error {
	if c, inTx := s.openTx(ctx); inTx { // one connection: one read at a time
		for _, read := range reads {
			if err := read(c); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, len(reads))
	var wg sync.WaitGroup
	for i, read := range reads {
		wg.Go(func() { errs[i] = read(s.read(ctx)) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// SaveYearFacts replaces an enterprise's kept years, in the transaction of ctx.
func (s *Store) SaveYearFacts(ctx context.Context, enterpriseID string, years map[int]policy.YearFigures) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `DELETE FROM enterprise_year_facts WHERE enterprise_id = ?`, enterpriseID); err != nil {
		return err
	}
	for year, y := range years {
		vals := make([]any, len(policy.YearMeasures))
		for i, m := range policy.YearMeasures {
			if v, ok := y.Get(m); ok {
				vals[i] = v
			}
		}
		if _, err := c.exec(ctx, `INSERT INTO enterprise_year_facts (enterprise_id, year, complete, revenue, rd_expense, tax, employees)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, append([]any{enterpriseID, year, y.Complete}, vals...)...); err != nil {
			return err
		}
	}
	return nil
}

// Matched are the enterprises last found eligible for a policy.
func (s *Store) Matched(ctx context.Context, policyID string) (map[string]measure.Money, error) {
	return s.matchMap(ctx, `SELECT enterprise_id, estimate FROM policy_matches WHERE policy_id = ?`, policyID)
}

// MatchedPolicies are the policies an enterprise was last found eligible for.
func (s *Store) MatchedPolicies(ctx context.Context, enterpriseID string) (map[string]measure.Money, error) {
	return s.matchMap(ctx, `SELECT policy_id, estimate FROM policy_matches WHERE enterprise_id = ?`, enterpriseID)
}

func (s *Store) matchMap(ctx context.Context, q, id string) (map[string]measure.Money, error) {
	rows, err := s.read(ctx).query(ctx, q, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]measure.Money{}
	for rows.Next() {
		var k string
		var v measure.Money
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// SaveMatch records an enterprise as eligible, in the transaction of ctx.
func (s *Store) SaveMatch(ctx context.Context, policyID, enterpriseID string, estimate measure.Money, day civil.Date) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO policy_matches (policy_id, enterprise_id, estimate, matched_on) VALUES (?, ?, ?, ?)
		ON CONFLICT (policy_id, enterprise_id) DO UPDATE SET estimate = excluded.estimate`, policyID, enterpriseID, estimate, day)
	return err
}

// DeleteMatch forgets an enterprise's eligibility, in the transaction of ctx.
func (s *Store) DeleteMatch(ctx context.Context, policyID, enterpriseID string) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `DELETE FROM policy_matches WHERE policy_id = ? AND enterprise_id = ?`, policyID, enterpriseID)
	return err
}

// ClaimStale takes up to n changed enterprises off the list, in the transaction of ctx; on
// PostgreSQL rows another worker holds are skipped.
func (s *Store) ClaimStale(ctx context.Context, n int) ([]string, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	q := `SELECT enterprise_id FROM policy_stale ORDER BY enterprise_id LIMIT ?`
	if s.eng.RowLocks {
		q += ` FOR UPDATE SKIP LOCKED`
	}
	rows, err := c.query(ctx, q, n)
	if err != nil {
		return nil, err
	}
	ids, err := collect(rows, func(r scanner) (string, error) { var id string; return id, r.Scan(&id) })
	if err != nil || len(ids) == 0 {
		return ids, err
	}
	_, err = c.exec(ctx, `DELETE FROM policy_stale WHERE enterprise_id IN (`+bindParams(len(ids))+`)`, anySlice(ids)...)
	return ids, err
}

// RematchDayDone reports whether every policy was judged again on day.
func (s *Store) RematchDayDone(ctx context.Context, day civil.Date) (bool, error) {
	var n int
	err := s.read(ctx).queryRow(ctx, `SELECT COUNT(*) FROM policy_rematch_runs WHERE day = ?`, day).Scan(&n)
	return n > 0, err
}

// ClaimPolicyRematch is true for the first caller to judge the policy again on day, in the
// transaction of ctx.
func (s *Store) ClaimPolicyRematch(ctx context.Context, policyID string, day civil.Date) (bool, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return false, err
	}
	res, err := c.exec(ctx, `INSERT INTO policy_rematches (policy_id, day) VALUES (?, ?)
		ON CONFLICT (policy_id) DO UPDATE SET day = excluded.day WHERE policy_rematches.day <> excluded.day`, policyID, day)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FinishRematchDay records that every policy was judged again on day, in the transaction of ctx.
func (s *Store) FinishRematchDay(ctx context.Context, day civil.Date) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO policy_rematch_runs (day) VALUES (?) ON CONFLICT DO NOTHING`, day)
	return err
}

const applicationCols = `a.id, a.policy_id, p.title, a.enterprise_id, e.name, COALESCE(a.park_id, ''), a.status, a.auto, a.statement, a.requested, a.estimate,
	a.approved, a.disbursed, a.reason, a.created_by, a.submitted_at, a.decided_by, a.decided_at, a.created_at, a.updated_at`

const applicationFrom = ` FROM policy_applications a JOIN policies p ON p.id = a.policy_id JOIN enterprises e ON e.id = a.enterprise_id`

func scanApplication(r scanner) (policy.Application, error) {
	var a policy.Application
	var submitted, decided sql.NullTime
	err := r.Scan(&a.ID, &a.PolicyID, &a.PolicyTitle, &a.EnterpriseID, &a.Enterprise, &a.ParkID, &a.Status, &a.Auto, &a.Statement, &a.Requested,
		&a.Estimate, &a.Approved, &a.Disbursed, &a.Reason, &a.CreatedBy, &submitted, &a.DecidedBy, &decided, &a.CreatedAt, &a.UpdatedAt)
	a.SubmittedAt, a.DecidedAt = submitted.Time, decided.Time
	return a, err
}

// applicationScope: whoever sees the enterprise sees its applications; the authority all.
func applicationScope(sc identity.Scope) (string, []any) {
	return enterpriseScope(sc, "a.enterprise_id")
}

// InsertApplication writes a new application, in the transaction of ctx.
func (s *Store) InsertApplication(ctx context.Context, a policy.Application) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO policy_applications (id, policy_id, enterprise_id, park_id, status, auto, statement, requested, estimate,
		approved, disbursed, reason, created_by, submitted_at, decided_by, decided_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.PolicyID, a.EnterpriseID, nullable(a.ParkID), a.Status, a.Auto, a.Statement, a.Requested, a.Estimate, a.Approved, a.Disbursed,
		a.Reason, a.CreatedBy, nullTime(a.SubmittedAt), a.DecidedBy, nullTime(a.DecidedAt), a.CreatedAt, a.UpdatedAt)
	return s.constraintError(err, "policy_id", "本企业已有该政策的申报", "the enterprise already has an application for this policy")
}

// SaveApplication rewrites an application's state, in the transaction of ctx.
func (s *Store) SaveApplication(ctx context.Context, a policy.Application) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE policy_applications SET status = ?, statement = ?, requested = ?, approved = ?, disbursed = ?, reason = ?,
		submitted_at = ?, decided_by = ?, decided_at = ?, updated_at = ? WHERE id = ?`,
		a.Status, a.Statement, a.Requested, a.Approved, a.Disbursed, a.Reason, nullTime(a.SubmittedAt), a.DecidedBy, nullTime(a.DecidedAt), a.UpdatedAt, a.ID)
	return err
}

// GetApplication reads an application in the caller's scope.
func (s *Store) GetApplication(ctx context.Context, sc identity.Scope, id string) (policy.Application, error) {
	return s.getApplication(ctx, s.read(ctx), sc, id)
}

func (s *Store) getApplication(ctx context.Context, c conn, sc identity.Scope, id string) (policy.Application, error) {
	cond, args := applicationScope(sc)
	a, err := scanApplication(c.queryRow(ctx, `SELECT `+applicationCols+applicationFrom+` WHERE a.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("政策申报", "application")
	}
	return a, err
}

// LockApplication locks and reads an application, in the transaction of ctx.
func (s *Store) LockApplication(ctx context.Context, sc identity.Scope, id string) (policy.Application, error) {
	return lockedRead(ctx, s, sc, "policy_applications", id, s.getApplication)
}

// ListApplications lists applications in the caller's scope, newest first.
func (s *Store) ListApplications(ctx context.Context, sc identity.Scope, f policy.AppFilter, req page.Request) (page.Page[policy.Application], error) {
	cond, args := applicationScope(sc)
	l := listQuery[policy.Application]{
		selectFrom: `SELECT ` + applicationCols + applicationFrom,
		idExpr:     "a.id",
		sorts: []sortKey[policy.Application]{
			{"created", "a.created_at", func(a policy.Application) any { return a.CreatedAt }},
			{"approved", "a.approved", func(a policy.Application) any { return a.Approved }},
		},
		scan: byValue(func(r *sql.Rows) (policy.Application, error) { return scanApplication(r) }),
		id:   func(a policy.Application) string { return a.ID },
	}
	l.filter(cond, args...)
	s.applicationFilter(&l.where, &l.args, f)
	return l.run(ctx, s.read(ctx), req)
}

func (s *Store) applicationFilter(where *[]string, args *[]any, f policy.AppFilter) {
	for _, eq := range []struct{ col, v string }{{"a.policy_id", f.PolicyID}, {"a.enterprise_id", f.EnterpriseID}, {"a.park_id", f.ParkID},
		{"a.status", string(f.Status)}} {
		if eq.v != "" {
			*where, *args = append(*where, eq.col+" = ?"), append(*args, eq.v)
		}
	}
	if f.Year != 0 {
		*where = append(*where, "a.created_at >= ? AND a.created_at < ?")
		*args = append(*args, civil.Of(f.Year, 1, 1).Time(), civil.Of(f.Year+1, 1, 1).Time())
	}
}

// LiveApplications are the enterprises' live applications to a policy.
func (s *Store) LiveApplications(ctx context.Context, policyID string, enterpriseIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(enterpriseIDs) == 0 {
		return out, nil
	}
	rows, err := s.read(ctx).query(ctx, `SELECT enterprise_id, id FROM policy_applications WHERE policy_id = ?
		AND status NOT IN ('rejected', 'withdrawn') AND enterprise_id IN (`+bindParams(len(enterpriseIDs))+`)`, append([]any{policyID}, anySlice(enterpriseIDs)...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e, id string
		if err := rows.Scan(&e, &id); err != nil {
			return nil, err
		}
		out[e] = id
	}
	return out, rows.Err()
}

// LiveApplicationsOf are an enterprise's live applications, by policy.
func (s *Store) LiveApplicationsOf(ctx context.Context, enterpriseID string) (map[string]string, error) {
	out := map[string]string{}
	rows, err := s.read(ctx).query(ctx, `SELECT policy_id, id FROM policy_applications WHERE enterprise_id = ?
		AND status NOT IN ('rejected', 'withdrawn')`, enterpriseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p, id string
		if err := rows.Scan(&p, &id); err != nil {
			return nil, err
		}
		out[p] = id
	}
	return out, rows.Err()
}

// InsertDisbursement writes a payment, in the transaction of ctx.
func (s *Store) InsertDisbursement(ctx context.Context, d policy.Disbursement) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	ent, err := ownerOf(ctx, c, "policy_applications", "enterprise_id", d.ApplicationID)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO policy_disbursements (id, application_id, enterprise_id, paid_on, amount, reference, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.ApplicationID, ent, d.PaidOn, d.Amount, d.Reference, d.CreatedBy, d.CreatedAt)
	return err
}

// Disbursements are an application's payments in order.
func (s *Store) Disbursements(ctx context.Context, applicationID string) ([]policy.Disbursement, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT id, application_id, paid_on, amount, reference, created_by, created_at FROM policy_disbursements
		WHERE application_id = ? ORDER BY paid_on, created_at, id`, applicationID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (policy.Disbursement, error) {
		var d policy.Disbursement
		return d, r.Scan(&d.ID, &d.ApplicationID, &d.PaidOn, &d.Amount, &d.Reference, &d.CreatedBy, &d.CreatedAt)
	})
}

// InsertNote writes a reviewer's note, in the transaction of ctx.
func (s *Store) InsertNote(ctx context.Context, applicationID string, n policy.Note) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	ent, err := ownerOf(ctx, c, "policy_applications", "enterprise_id", applicationID)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO policy_application_notes (id, application_id, enterprise_id, author, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		n.ID, applicationID, ent, n.Author, n.Body, n.CreatedAt)
	return err
}

// Notes are an application's reviewers' notes in order.
func (s *Store) Notes(ctx context.Context, applicationID string) ([]policy.Note, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT id, author, body, created_at FROM policy_application_notes WHERE application_id = ? ORDER BY created_at, id`, applicationID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r scanner) (policy.Note, error) {
		var n policy.Note
		return n, r.Scan(&n.ID, &n.Author, &n.Body, &n.CreatedAt)
	})
}

// InsertDocument writes a document, in the transaction of ctx.
func (s *Store) InsertDocument(ctx context.Context, applicationID string, d policy.Document, data []byte) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	ent, err := ownerOf(ctx, c, "policy_applications", "enterprise_id", applicationID)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO policy_documents (id, application_id, enterprise_id, filename, content_type, size, data, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, applicationID, ent, d.Filename, d.ContentType, d.Size, data, d.UploadedBy, d.CreatedAt)
	return err
}

const documentCols = `d.id, d.filename, d.content_type, d.size, d.uploaded_by, d.created_at`

func scanDocument(r scanner) (policy.Document, error) {
	var d policy.Document
	return d, r.Scan(&d.ID, &d.Filename, &d.ContentType, &d.Size, &d.UploadedBy, &d.CreatedAt)
}

// Documents are an application's documents in order.
func (s *Store) Documents(ctx context.Context, applicationID string) ([]policy.Document, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+documentCols+` FROM policy_documents d WHERE d.application_id = ? ORDER BY d.created_at, d.id`, applicationID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanDocument)
}

// DocumentData reads a document of an application the caller sees.
func (s *Store) DocumentData(ctx context.Context, sc identity.Scope, id string) (policy.Document, string, []byte, error) {
	cond, args := applicationScope(sc)
	var d policy.Document
	var appID string
	var data []byte
	err := s.read(ctx).queryRow(ctx, `SELECT `+documentCols+`, d.application_id, d.data FROM policy_documents d JOIN policy_applications a ON a.id = d.application_id
		WHERE d.id = ? AND `+cond, append([]any{id}, args...)...).Scan(&d.ID, &d.Filename, &d.ContentType, &d.Size, &d.UploadedBy, &d.CreatedAt, &appID, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return d, "", nil, notFound("附件", "document")
	}
	return d, appID, data, err
}

// tallyKeys are the columns and names each grouping of Tallies reads.
var tallyKeys = map[string]struct{ key, name, matchKey, matchName string }{
	"policy":     {"a.policy_id", "MIN(p.title)", "m.policy_id", "p.title"},
	"park":       {"COALESCE(a.park_id, '')", "COALESCE(MIN(k.name_zh), '')", "COALESCE(e.park_id, '')", "k.name_zh"},
	"enterprise": {"a.enterprise_id", "MIN(e.name)", "", ""},
	"year":       {"", "''", "", ""},
	"all":        {"'total'", "'合计 / Total'", "'total'", "'合计 / Total'"},
}

// PolicyTallies count applications (and, by policy, park or in all, eligible enterprises) in the
// caller's scope.
func (s *Store) PolicyTallies(ctx context.Context, sc identity.Scope, by string, f policy.AppFilter) ([]policy.Total, error) {
	k := tallyKeys[by]
	if by == "year" {
		k.key = "substr(CAST(a.created_at AS TEXT), 1, 4)"
		if s.eng.Name == "postgres" {
			k.key = "to_char(a.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY')"
		}
	}
	cond, args := applicationScope(sc)
	where := []string{cond}
	s.applicationFilter(&where, &args, f)
	q := `SELECT ` + k.key + `, ` + k.name + `,
		COUNT(CASE WHEN a.status NOT IN ('draft', 'proposed') THEN 1 END),
		COUNT(CASE WHEN a.status IN ('approved', 'disbursed') THEN 1 END),
		COUNT(CASE WHEN a.status = 'rejected' THEN 1 END),
		COUNT(CASE WHEN a.status = 'disbursed' THEN 1 END),
		COUNT(DISTINCT CASE WHEN a.status IN ('approved', 'disbursed') THEN a.enterprise_id END),
		COALESCE(SUM(CASE WHEN a.status IN ('approved', 'disbursed') THEN a.approved END), 0),
		COALESCE(SUM(a.disbursed), 0)` + applicationFrom + ` LEFT JOIN parks k ON k.id = a.park_id
		WHERE ` + strings.Join(where, " AND ") + groupBy(k.key) + ` ORDER BY 1`
	rows, err := s.read(ctx).query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	out, err := collect(rows, func(r scanner) (policy.Total, error) {
		var t policy.Total
		return t, r.Scan(&t.Key, &t.Name, &t.Applied, &t.Approved, &t.Rejected, &t.Disbursed, &t.Enterprises, &t.ApprovedSum, &t.DisbursedSum)
	})
	if err != nil || k.matchKey == "" {
		return out, err
	}
	return s.eligibleCounts(ctx, sc, k.matchKey, k.matchName, f, out)
}

// groupBy groups by key; the whole set (a constant key, which PostgreSQL refuses to group by)
// is one group already.
func groupBy(key string) string {
	if strings.HasPrefix(key, "'") {
		return ""
	}
	return " GROUP BY " + key
}

// eligibleCounts fills the eligible enterprises of each tally from the stored matches.
func (s *Store) eligibleCounts(ctx context.Context, sc identity.Scope, key, name string, f policy.AppFilter, out []policy.Total) ([]policy.Total, error) {
	cond, args := enterpriseScope(sc, "m.enterprise_id")
	where := []string{cond}
	for _, eq := range []struct{ col, v string }{{"m.policy_id", f.PolicyID}, {"m.enterprise_id", f.EnterpriseID}, {"e.park_id", f.ParkID}} {
		if eq.v != "" {
			where, args = append(where, eq.col+" = ?"), append(args, eq.v)
		}
	}
	rows, err := s.read(ctx).query(ctx, `SELECT `+key+`, COALESCE(MIN(`+name+`), ''), COUNT(*) FROM policy_matches m JOIN enterprises e ON e.id = m.enterprise_id
		JOIN policies p ON p.id = m.policy_id LEFT JOIN parks k ON k.id = e.park_id
		WHERE `+strings.Join(where, " AND ")+groupBy(key), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	at := map[string]int{}
	for i, t := range out {
		at[t.Key] = i
	}
	for rows.Next() {
		var k, label string
		var n int
		if err := rows.Scan(&k, &label, &n); err != nil {
			return nil, err
		}
		if i, ok := at[k]; ok {
			out[i].Eligible = n
		} else {
			out = append(out, policy.Total{Key: k, Name: label, Eligible: n})
		}
	}
	return out, rows.Err()
}
