package api

import (
	"context"
	"net/http"

	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// crud is a collection with the five standard routes: list, create, get, update (JSON merge
// patch) and delete. Every service function it calls takes the caller's scope. N is the body of
// a create and C the fields a change may set. A PATCH hands the service a function that applies
// the merge patch to C as the service reads it, so that the patch lands on the current row.
type crud[T, F, N, C any] struct {
	path           string // /api/v1/parks
	tag            string
	nameZh, nameEn string
	sorts          []string
	filters        []param
	filter         func(q *httpin.Query) F
	list           func(context.Context, identity.Scope, F, page.Request) (page.Page[T], error)
	get            func(context.Context, identity.Scope, string) (T, error)
	create         func(context.Context, identity.Scope, N) (T, error)
	patch          func(ctx context.Context, sc identity.Scope, id string, change func(C) (C, error)) (T, error)
	delete         func(context.Context, identity.Scope, string) error
}

func (cr crud[T, F, N, C]) routes() []route {
	var zero T
	var newBody N
	var change C
	params := append(append([]param{}, cr.filters...), pageParams[0], pageParams[1], describeSorts(cr.sorts...))
	return []route{
		{Method: "GET", Pattern: cr.path, Tag: cr.tag, Summary: "列出" + cr.nameZh + " / List " + cr.nameEn + "s",
			Query: params, Response: page.Page[T]{}, handle: func(c *call) (any, error) {
				f, req := cr.filter(c.q), c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return cr.list(c.ctx, c.scope, f, req)
			}},
		{Method: "POST", Pattern: cr.path, Tag: cr.tag, Summary: "新建" + cr.nameZh + " / Create a " + cr.nameEn,
			Body: newBody, Response: zero, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var v N
				if err := c.decode(&v); err != nil {
					return nil, err
				}
				return cr.create(c.ctx, c.scope, v)
			}},
		{Method: "GET", Pattern: cr.path + "/{id}", Tag: cr.tag, Summary: "查看" + cr.nameZh + " / Get a " + cr.nameEn,
			Response: zero, handle: func(c *call) (any, error) { return cr.get(c.ctx, c.scope, c.id()) }},
		{Method: "PATCH", Pattern: cr.path + "/{id}", Tag: cr.tag,
			Summary: "修改" + cr.nameZh + "（JSON merge patch） / Update a " + cr.nameEn + " (JSON merge patch)",
			Body:    change, Response: zero, handle: func(c *call) (any, error) {
				patch, err := httpin.ReadBody(c.w, c.r)
				if err != nil {
					return nil, err
				}
				return cr.patch(c.ctx, c.scope, c.id(), func(cur C) (C, error) {
					var next C
					err := httpin.MergePatch(cur, patch, &next)
					return next, err
				})
			}},
		{Method: "DELETE", Pattern: cr.path + "/{id}", Tag: cr.tag, Summary: "删除" + cr.nameZh + " / Delete a " + cr.nameEn,
			Status: http.StatusNoContent, handle: func(c *call) (any, error) { return nil, cr.delete(c.ctx, c.scope, c.id()) }},
	}
}

// creating adapts a service's create, which takes the entity, to the operation's input type.
func creating[N, T any](entity func(N) T, create func(context.Context, identity.Scope, T) (T, error)) func(context.Context, identity.Scope, N) (T, error) {
	return func(ctx context.Context, sc identity.Scope, in N) (T, error) { return create(ctx, sc, entity(in)) }
}

// patching changes an entity whose rules run in the store: the change is applied to the entity
// as read, and the service's update refuses it (409) if the row changed since that read.
func patching[C, T any](get func(context.Context, identity.Scope, string) (T, error), changeOf func(T) C, apply func(C, T) T,
	update func(context.Context, identity.Scope, T) (T, error)) func(context.Context, identity.Scope, string, func(C) (C, error)) (T, error) {
	return func(ctx context.Context, sc identity.Scope, id string, change func(C) (C, error)) (T, error) {
		cur, err := get(ctx, sc, id)
		if err != nil {
			return cur, err
		}
		ch, err := change(changeOf(cur))
		if err != nil {
			return cur, err
		}
		return update(ctx, sc, apply(ch, cur))
	}
}
