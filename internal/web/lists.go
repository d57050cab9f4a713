package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/parkos/parkos/internal/export"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// maxExportRows bounds one export; beyond it the export says so in its last row.
const maxExportRows = 200_000

type column struct {
	Label, SortURL    string
	Sorted, Desc, Num bool
}

type badge struct{ Text, Class string }

type cell struct {
	Text, Link string
	Num, Wrap  bool
	Badges     []badge
	Raw        any // the value written to exports when it differs from Text (numbers)
}

type listView struct {
	Title, Subtitle, Path, NewURL, ExportURL, Query, FirstURL, NextURL string
	// ImportURL offers an upload of the list's records where the list has one.
	ImportURL string
	Columns   []column
	Rows      [][]cell
	Filters   []field
}

type colSpec[T any] struct {
	label msgKey
	sort  string // the list's sort key, "" when the column does not sort
	num   bool
	cell  func(rq *request, item T) cell
}

// lister is a list page of one collection with filters, sort, cursor paging and CSV / xlsx
// export, all through the scoped store list method.
type lister[T any, F any] struct {
	path    string
	title   msgKey
	cols    []colSpec[T]
	filters func(rq *request) []fieldSpec
	parse   func(q *httpin.Query) F
	list    func(context.Context, identity.Scope, F, page.Request) (page.Page[T], error)
	newURL  func(rq *request) string
	// importURL, when set, offers an import page to those it returns a path for.
	importURL func(rq *request) string
}

func (l lister[T, F]) mount(s *Server, mux *http.ServeMux) {
	mux.Handle("GET "+l.path, s.listPage(l.serve))
	mux.Handle("GET "+l.path+".csv", s.listPage(func(rq *request) error { return l.export(rq, "csv") }))
	mux.Handle("GET "+l.path+".xlsx", s.listPage(func(rq *request) error { return l.export(rq, "xlsx") }))
}

func (l lister[T, F]) query(rq *request) (F, page.Request, error) {
	q := httpin.NewQuery(rq.r.URL.Query())
	f := l.parse(q)
	req := q.Page()
	return f, req, q.Err()
}

func (l lister[T, F]) serve(rq *request) error {
	f, req, err := l.query(rq)
	if err != nil {
		return err
	}
	pg, err := l.list(rq.ctx, rq.scope, f, req)
	if err != nil {
		return err
	}
	query := rq.r.URL.Query()
	v := listView{Title: rq.t(string(l.title)), Path: l.path, ExportURL: l.path}
	if l.filters != nil {
		specs := l.filters(rq)
		v.Filters = rq.fields(specs, values(query))
	}
	if l.newURL != nil {
		v.NewURL = l.newURL(rq)
	}
	if l.importURL != nil {
		v.ImportURL = l.importURL(rq)
	}
	plain := cloneValues(query, "cursor", "sort")
	v.Query = plain.Encode()
	for _, c := range l.cols {
		col := column{Label: rq.t(string(c.label)), Num: c.num}
		if c.sort != "" {
			next := cloneValues(query, "cursor")
			col.Sorted = req.Sort == c.sort
			col.Desc = col.Sorted && req.Desc
			if col.Sorted && !req.Desc {
				next.Set("sort", "-"+c.sort)
			} else {
				next.Set("sort", c.sort)
			}
			col.SortURL = l.path + "?" + next.Encode()
		}
		v.Columns = append(v.Columns, col)
	}
	for _, item := range pg.Items {
		row := make([]cell, len(l.cols))
		for i, c := range l.cols {
			row[i] = c.cell(rq, item)
			row[i].Num = c.num
		}
		v.Rows = append(v.Rows, row)
	}
	if pg.NextCursor != "" {
		next := cloneValues(query)
		next.Set("cursor", pg.NextCursor)
		v.NextURL = l.path + "?" + next.Encode()
	}
	if req.Cursor != "" {
		v.FirstURL = l.path + "?" + cloneValues(query, "cursor").Encode()
	}
	rq.server().render(rq, "list", v.Title, v)
	return nil
}

func cloneValues(v url.Values, drop ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if !contains(drop, k) {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}

// export writes every row the filters select (not just one page) as CSV or xlsx, with the
// column headers in the user's language and their units. A column whose cells carry badges
// (a contract's status) is followed by a column of them.
func (l lister[T, F]) export(rq *request, format string) error {
	f, req, err := l.query(rq)
	if err != nil {
		return err
	}
	req.Cursor, req.Limit = "", page.MaxLimit
	var cells [][]cell
	truncated := false
	for {
		pg, err := l.list(rq.ctx, rq.scope, f, req)
		if err != nil {
			return err
		}
		for _, item := range pg.Items {
			row := make([]cell, len(l.cols))
			for i, c := range l.cols {
				row[i] = c.cell(rq, item)
			}
			cells = append(cells, row)
		}
		if pg.NextCursor == "" {
			break
		}
		if len(cells) >= maxExportRows {
			truncated = true
			break
		}
		req.Cursor = pg.NextCursor
	}
	t := export.Table{Title: rq.t(string(l.title))}
	flagged := make([]bool, len(l.cols))
	for i, c := range l.cols {
		label, kind := rq.t(string(c.label)), export.Text
		for _, row := range cells {
			if row[i].Raw != nil && kind == export.Text {
				kind = export.KindOf(row[i].Raw)
			}
			flagged[i] = flagged[i] || len(row[i].Badges) > 0
		}
		t.Columns = append(t.Columns, export.Column{Header: rq.withUnit(label, kind), Kind: kind})
		if flagged[i] {
			t.Columns = append(t.Columns, export.Column{Header: rq.t("export.flags", label), Kind: export.Text})
		}
	}
	for _, row := range cells {
		values := make([]any, 0, len(t.Columns))
		for i, cl := range row {
			if cl.Raw != nil {
				values = append(values, cl.Raw)
			} else {
				values = append(values, cl.Text)
			}
			if flagged[i] {
				var texts []string
				for _, b := range cl.Badges {
					texts = append(texts, b.Text)
				}
				values = append(values, strings.Join(texts, "、"))
			}
		}
		t.Rows = append(t.Rows, values)
	}
	if truncated {
		t.Notes = append(t.Notes, rq.t("list.export_truncated", maxExportRows))
	}
	return writeTable(rq, strings.Trim(strings.ReplaceAll(l.path, "/", "-"), "-"), format, t)
}

// withUnit adds a column's unit to its header: 建筑面积（㎡）, Gross area (m²).
func (rq *request) withUnit(label string, kind export.Kind) string {
	var unit string
	switch kind {
	case export.Yuan:
		unit = rq.t("export.unit_yuan")
	case export.Wan:
		unit = rq.t("export.unit_wan")
	case export.Area:
		unit = rq.t("export.unit_m2")
	case export.Price:
		unit = rq.t("unit.per_m2_day")
	default:
		return label
	}
	if rq.lang == "en" {
		return label + " (" + unit + ")"
	}
	return label + "（" + unit + "）"
}

// writeTable sends a table as a CSV or xlsx download named base-YYYYMMDD.format.
func writeTable(rq *request, base, format string, t export.Table) error {
	name := fmt.Sprintf("%s-%s.%s", base, strings.ReplaceAll(rq.srv.clock.Today().String(), "-", ""), format)
	httpx.Attachment(rq.w, name)
	if format == "csv" {
		rq.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		return t.WriteCSV(rq.w)
	}
	rq.w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return t.WriteXLSX(rq.w)
}
