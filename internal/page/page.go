// Package page is cursor pagination shared by every list: a sort key, a direction, an opaque
// cursor from the previous page and a limit.
package page

import (
	"encoding/json"
	"reflect"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/jsonw"
)

const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Request asks for one page of a list.
type Request struct {
	Sort   string // a key the list allows; "" for its default
	Desc   bool
	Cursor string // NextCursor of the previous page
	Limit  int
}

// Page is one page of results. NextCursor is empty on the last page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// Normalize fills the default limit and checks the sort key against allowed (the first is
// the default).
func (r *Request) Normalize(allowed ...string) error {
	var f apperr.Fields
	switch {
	case r.Limit == 0:
		r.Limit = DefaultLimit
	case r.Limit < 0 || r.Limit > MaxLimit:
		f.Add("limit", "out_of_range", "每页条数须在 1 到 500 之间", "limit must be between 1 and 500")
	}
	if r.Sort == "" {
		r.Sort = allowed[0]
	} else {
		ok := false
		for _, a := range allowed {
			ok = ok || a == r.Sort
		}
		if !ok {
			f.Add("sort", "unknown_sort", "不支持按此字段排序", "cannot sort by this field")
		}
	}
	return f.Err()
}

// All collects every item of a list, page by page, stopping once it holds limit items.
func All[T any](list func(Request) (Page[T], error), limit int) ([]T, error) {
	var out []T
	req := Request{Limit: MaxLimit}
	for {
		pg, err := list(req)
		if err != nil {
			return nil, err
		}
		out = append(out, pg.Items...)
		if pg.NextCursor == "" || len(out) >= limit {
			return out, nil
		}
		req.Cursor = pg.NextCursor
	}
}

// AppendsJSON reports whether the page's items append their own JSON, so that the page may be
// sent through AppendJSON (httpx.WriteJSON asks before it does).
func (p Page[T]) AppendsJSON() bool {
	_, ok := any((*T)(nil)).(jsonw.Appender)
	return ok && !jsonw.Promoted(reflect.TypeFor[T]())
}

// AppendJSON writes the page as encoding/json would: items that append their own JSON do so,
// others go through encoding/json, and one it cannot encode ends the output there.
func (p Page[T]) AppendJSON(b []byte) []byte {
	if p.Items == nil {
		b = append(b, `{"items":null`...)
	} else {
		b = append(b, `{"items":[`...)
		own := p.AppendsJSON()
		for i := range p.Items {
			if i > 0 {
				b = append(b, ',')
			}
			// Through a pointer: boxing the item itself would copy it to the heap, 50 a page.
			if a, ok := any(&p.Items[i]).(jsonw.Appender); ok && own {
				b = a.AppendJSON(b)
				continue
			}
			data, err := json.Marshal(p.Items[i])
			if err != nil {
				return b
			}
			b = append(b, data...)
		}
		b = append(b, ']')
	}
	b = append(b, `,"next_cursor":`...)
	b = jsonw.String(b, p.NextCursor)
	return append(b, '}')
}
