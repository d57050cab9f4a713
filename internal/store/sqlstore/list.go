package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// sortKey is one way a list may be ordered: a non-null SQL expression and the same value
// read off an item, which goes into the cursor.
type sortKey[T any] struct {
	name  string
	expr  string
	value func(T) any
}

// listQuery is a keyset-paginated SELECT: from and where are fixed by the caller, the cursor
// adds (sort, id) > (last sort, last id).
type listQuery[T any] struct {
	selectFrom string // "SELECT cols FROM t x"
	idExpr     string // "x.id"
	where      []string
	args       []any
	sorts      []sortKey[T]              // the first is the default
	scan       func(*sql.Rows, *T) error // reads a row into its place in the page
	id         func(T) string
}

// byValue adapts a function that scans a row into a new item to listQuery's scan. The busiest
// lists scan into the page's slot instead, which saves a copy of every item on the heap.
func byValue[T any](scan func(*sql.Rows) (T, error)) func(*sql.Rows, *T) error {
	return func(r *sql.Rows, item *T) (err error) {
		*item, err = scan(r)
		return err
	}
}

func (l *listQuery[T]) filter(cond string, args ...any) {
	l.where = append(l.where, cond)
	l.args = append(l.args, args...)
}

func badCursor() error {
	return fieldErr("cursor", "bad_cursor", "分页游标无效，请从第一页重新开始", "cursor is invalid; start again from the first page")
}

// rowsReserved bounds the rows a list makes room for before any is read: a default page and
// its extra row.
const rowsReserved = page.DefaultLimit + 1

func (l *listQuery[T]) run(ctx context.Context, c conn, req page.Request) (page.Page[T], error) {
	names := make([]string, len(l.sorts))
	for i, s := range l.sorts {
		names[i] = s.name
	}
	if err := req.Normalize(names...); err != nil {
		return page.Page[T]{}, err
	}
	var key sortKey[T]
	for _, s := range l.sorts {
		if s.name == req.Sort {
			key = s
		}
	}
	where, args := append([]string{}, l.where...), append([]any{}, l.args...)
	cmp, dir := ">", "ASC"
	if req.Desc {
		cmp, dir = "<", "DESC"
	}
	if req.Cursor != "" {
		last, lastID, err := decodeCursor(req.Cursor)
		if err != nil {
			return page.Page[T]{}, err
		}
		where = append(where, "("+key.expr+" "+cmp+" ? OR ("+key.expr+" = ? AND "+l.idExpr+" "+cmp+" ?))")
		args = append(args, last, last, lastID)
	}
	q := l.selectFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY " + key.expr + " " + dir + ", " + l.idExpr + " " + dir + " LIMIT ?"
	args = append(args, req.Limit+1)
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return page.Page[T]{}, err
	}
	defer rows.Close()
	// The extra row says whether there is a next page. Room is made for a page's worth up to
	// rowsReserved: page.All asks for page.MaxLimit rows at a time, and most of its calls get a few.
	items := make([]T, 0, min(req.Limit+1, rowsReserved))
	for rows.Next() {
		items = append(items, *new(T))
		if err := l.scan(rows, &items[len(items)-1]); err != nil {
			return page.Page[T]{}, err
		}
	}
	if err := rows.Err(); err != nil {
		return page.Page[T]{}, err
	}
	out := page.Page[T]{Items: items}
	if len(items) > req.Limit {
		out.Items = items[:req.Limit]
		last := out.Items[req.Limit-1]
		out.NextCursor = encodeCursor(key.value(last), l.id(last))
	}
	return out, nil
}

// eachPair runs a query returning two text columns for a list of ids.
func eachPair(ctx context.Context, c conn, q string, ids []string, fn func(a, b string)) error {
	rows, err := c.query(ctx, q, anySlice(ids)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return err
		}
		fn(a, b)
	}
	return rows.Err()
}

// A cursor is [kind, value, id]; the kind makes the value come back as the type the column
// compares with (a timestamp must be a time.Time, not its text).
func encodeCursor(value any, id string) string {
	kind := "s"
	switch value.(type) {
	case int64:
		kind = "i"
	case time.Time:
		kind = "t"
	}
	b, _ := json.Marshal([]any{kind, value, id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (any, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, "", badCursor()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var parts []any
	if err := dec.Decode(&parts); err != nil || len(parts) != 3 {
		return nil, "", badCursor()
	}
	kind, _ := parts[0].(string)
	id, ok := parts[2].(string)
	if !ok {
		return nil, "", badCursor()
	}
	switch v := parts[1].(type) {
	case string:
		if kind == "t" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return nil, "", badCursor()
			}
			return t, id, nil
		}
		if kind == "s" {
			return v, id, nil
		}
	case json.Number:
		if n, err := v.Int64(); err == nil && kind == "i" {
			return n, id, nil
		}
	}
	return nil, "", badCursor()
}

// parkScope is the predicate that limits rows with a park column to the caller's parks.
// Enterprise roles see public park information only where public is true.
func parkScope(sc identity.Scope, column string, public bool) (string, []any) {
	switch {
	case sc.AllParks():
		return "1=1", nil
	case sc.Role.IsOperator():
		if len(sc.ParkIDs) == 0 {
			return "1=0", nil
		}
		return column + " IN (" + bindParams(len(sc.ParkIDs)) + ")", anySlice(sc.ParkIDs)
	case sc.Role.IsEnterprise() && public:
		return "1=1", nil
	}
	return "1=0", nil
}

// enterpriseScope limits enterprise-owned rows: operators see enterprises kept by their parks or
// ever resident in them; tenant staff see only their own enterprise.
func enterpriseScope(sc identity.Scope, idColumn string) (string, []any) {
	switch {
	case sc.AllParks():
		return "1=1", nil
	case sc.Role.IsOperator():
		if len(sc.ParkIDs) == 0 {
			return "1=0", nil
		}
		return enterprisesOfParks(idColumn, sc.ParkIDs)
	case sc.Role.IsEnterprise():
		return idColumn + " = ?", []any{sc.EnterpriseID}
	}
	return "1=0", nil
}

// requireRole answers 403 when the caller sees the object but may not change it.
func requireRole(allowed bool) error {
	if !allowed {
		return forbidden()
	}
	return nil
}

// enterprisesOfParks is "the enterprise is kept by, or has lived in, one of these parks": the
// park_enterprises table the database keeps (migration 0017).
func enterprisesOfParks(idColumn string, parkIDs []string) (string, []any) {
	return idColumn + " IN (SELECT pe.enterprise_id FROM park_enterprises pe WHERE pe.park_id IN (" + bindParams(len(parkIDs)) + "))", anySlice(parkIDs)
}
