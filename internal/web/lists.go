package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/sheet"
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
	Columns                                                            []column
	Rows                                                               [][]cell
	Filters                                                            []field
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
}

func (l lister[T, F]) mount(s *Server, mux *http.ServeMux) {
	mux.Handle("GET "+l.path, s.page(l.serve))
	mux.Handle("GET "+l.path+".csv", s.page(func(rq *request) error { return l.export(rq, "csv") }))
	mux.Handle("GET "+l.path+".xlsx", s.page(func(rq *request) error { return l.export(rq, "xlsx") }))
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
// column headers in the user's language.
func (l lister[T, F]) export(rq *request, format string) error {
	f, req, err := l.query(rq)
	if err != nil {
		return err
	}
	req.Cursor, req.Limit = "", page.MaxLimit
	header := make([]string, len(l.cols))
	for i, c := range l.cols {
		header[i] = rq.t(string(c.label))
	}
	var rows [][]any
	truncated := false
	for {
		pg, err := l.list(rq.ctx, rq.scope, f, req)
		if err != nil {
			return err
		}
		for _, item := range pg.Items {
			row := make([]any, len(l.cols))
			for i, c := range l.cols {
				cl := c.cell(rq, item)
				row[i] = cl.Text
				if cl.Raw != nil {
					row[i] = cl.Raw
				}
			}
			rows = append(rows, row)
		}
		if pg.NextCursor == "" {
			break
		}
		if len(rows) >= maxExportRows {
			truncated = true
			break
		}
		req.Cursor = pg.NextCursor
	}
	if truncated {
		rows = append(rows, []any{rq.t("list.export_truncated", maxExportRows)})
	}
	return writeExport(rq, strings.Trim(strings.ReplaceAll(l.path, "/", "-"), "-"), rq.t(string(l.title)), format, header, rows)
}

// writeExport sends a table as a CSV (UTF-8 with a BOM, which Excel on Chinese Windows needs)
// or xlsx download named base-YYYYMMDD.format.
func writeExport(rq *request, base, title, format string, header []string, rows [][]any) error {
	name := fmt.Sprintf("%s-%s.%s", base, strings.ReplaceAll(rq.srv.clock.Today().String(), "-", ""), format)
	rq.w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if format == "csv" {
		rq.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		_, _ = rq.w.Write([]byte("\xEF\xBB\xBF"))
		cw := csv.NewWriter(rq.w)
		_ = cw.Write(header)
		for _, r := range rows {
			rec := make([]string, len(r))
			for i, v := range r {
				rec[i] = sheet.SafeText(fmt.Sprint(v))
			}
			_ = cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	}
	return writeXLSX(rq.w, title, header, rows)
}

func writeXLSX(w http.ResponseWriter, title string, header []string, rows [][]any) error {
	x := excelize.NewFile()
	defer x.Close()
	if len([]rune(title)) > 31 {
		title = string([]rune(title)[:31])
	}
	if err := x.SetSheetName("Sheet1", title); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(title)
	if err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = h
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for _, r := range rows {
		for i, v := range r {
			if text, ok := v.(string); ok {
				r[i] = sheet.SafeText(text)
			}
		}
	}
	for i, r := range rows {
		addr, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(addr, r); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return x.Write(w)
}
