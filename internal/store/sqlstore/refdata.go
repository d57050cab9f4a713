package sqlstore

import (
	"context"
	"strings"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/refdata"
)

// loadReferenceData is migration 2: the shipped GB/T 4754 classes and chain templates.
func (s *Store) loadReferenceData(ctx context.Context, c conn) error {
	classes, err := refdata.IndustryClasses()
	if err != nil {
		return err
	}
	for _, k := range classes {
		if _, err := c.exec(ctx, `INSERT INTO industry_classes (code, level, parent, name_zh, name_en) VALUES (?, ?, ?, ?, ?)`,
			k.Code, k.Level, nullable(k.Parent), k.NameZh, k.NameEn); err != nil {
			return err
		}
	}
	chains, err := refdata.Chains()
	if err != nil {
		return err
	}
	for _, ch := range chains {
		if _, err := c.exec(ctx, `INSERT INTO chains (id, park_id, name_zh, name_en) VALUES (?, NULL, ?, ?)`,
			ch.ID, ch.NameZh, ch.NameEn); err != nil {
			return err
		}
		pos := 0
		for _, seg := range ch.Segments {
			for _, n := range seg.Nodes {
				pos++
				if _, err := c.exec(ctx, `INSERT INTO chain_nodes (id, chain_id, stage, position, name_zh, name_en, industry_code)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, n.ID, ch.ID, seg.Stage, pos, n.NameZh, n.NameEn, nullable(n.IndustryCode)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// IndustryClasses lists reference classes, optionally those under a code prefix or matching q.
// Reference data is public to every signed-in role.
func (s *Store) IndustryClasses(ctx context.Context, _ identity.Scope, prefix, q string) ([]refdata.IndustryClass, error) {
	where, args := []string{"1=1"}, []any{}
	if prefix != "" {
		where = append(where, `code LIKE ? ESCAPE '\'`)
		args = append(args, likePrefix(prefix))
	}
	if q != "" {
		where = append(where, `(lower(name_zh) LIKE ? ESCAPE '\' OR lower(name_en) LIKE ? ESCAPE '\' OR code = ?)`)
		args = append(args, likeContains(q), likeContains(q), q)
	}
	rows, err := s.read(ctx).query(ctx, `SELECT code, level, parent, name_zh, name_en FROM industry_classes WHERE `+
		strings.Join(where, " AND ")+` ORDER BY code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []refdata.IndustryClass{}
	for rows.Next() {
		var k refdata.IndustryClass
		if err := rows.Scan(&k.Code, &k.Level, nullString{&k.Parent}, &k.NameZh, &k.NameEn); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Chains lists chain templates with their nodes: the built-ins and, for a scope that sees a
// park, that park's own chains.
func (s *Store) Chains(ctx context.Context, sc identity.Scope) ([]refdata.Chain, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT c.id, c.park_id, c.name_zh, c.name_en, n.id, n.stage, n.name_zh, n.name_en, n.industry_code
		FROM chains c JOIN chain_nodes n ON n.chain_id = c.id ORDER BY c.id, n.position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []refdata.Chain
	for rows.Next() {
		var ch refdata.Chain
		var n refdata.ChainNode
		if err := rows.Scan(&ch.ID, nullString{&ch.ParkID}, &ch.NameZh, &ch.NameEn, &n.ID, &n.Stage, &n.NameZh, &n.NameEn,
			nullString{&n.IndustryCode}); err != nil {
			return nil, err
		}
		if ch.ParkID != "" && !sc.HasPark(ch.ParkID) {
			continue
		}
		n.ChainID = ch.ID
		if len(out) == 0 || out[len(out)-1].ID != ch.ID {
			out = append(out, ch)
		}
		last := &out[len(out)-1]
		if len(last.Segments) == 0 || last.Segments[len(last.Segments)-1].Stage != n.Stage {
			last.Segments = append(last.Segments, refdata.Segment{Stage: n.Stage})
		}
		seg := &last.Segments[len(last.Segments)-1]
		seg.Nodes = append(seg.Nodes, n)
	}
	return out, rows.Err()
}

// knownIDs returns which of ids exist in table's id column.
func knownIDs(ctx context.Context, c conn, table, column string, ids []string) (map[string]bool, error) {
	found := map[string]bool{}
	if len(ids) == 0 {
		return found, nil
	}
	rows, err := c.query(ctx, `SELECT `+column+` FROM `+table+` WHERE `+column+` IN (`+bindParams(len(ids))+`)`, anySlice(ids)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		found[id] = true
	}
	return found, rows.Err()
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(s))
}

func likeContains(s string) string { return "%" + likeEscape(s) + "%" }
func likePrefix(s string) string   { return likeEscape(s) + "%" }
