package web

import (
	"context"
	"net/http"

	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/identity"
)

// resource gives an entity its new, edit and delete pages. The form posts through the same
// store methods and validation as the API.
type resource[T any] struct {
	name        string // catalog prefix: "park" → park.new, park.edit
	base        string // "/parks"
	specs       func(rq *request, current T, creating bool) ([]fieldSpec, error)
	get         func(context.Context, identity.Scope, string) (T, error)
	create      func(context.Context, identity.Scope, T) (T, error)
	update      func(context.Context, identity.Scope, T) (T, error)
	remove      func(context.Context, identity.Scope, string) error
	setID       func(*T, string)
	initial     func(rq *request) (T, error) // defaults for a new one, e.g. the floor from ?floor_id=
	detail      func(T) string               // where to go after saving
	afterDelete func(T) string
	crumbs      func(rq *request, current T) []crumb
}

func (res resource[T]) mount(s *Server, mux *http.ServeMux) {
	mux.Handle("GET "+res.base+"/new", s.page(res.newForm))
	mux.Handle("POST "+res.base+"/new", s.page(res.createPost))
	mux.Handle("GET "+res.base+"/{id}/edit", s.page(res.editForm))
	mux.Handle("POST "+res.base+"/{id}/edit", s.page(res.updatePost))
	mux.Handle("POST "+res.base+"/{id}/delete", s.page(res.deletePost))
}

func (res resource[T]) show(rq *request, title string, current T, specs []fieldSpec, vals values, err error) error {
	var crumbs []crumb
	if res.crumbs != nil {
		crumbs = res.crumbs(rq, current)
	}
	return rq.srv.showCustomForm(rq, title, specs, vals, err, crumbs)
}

// fresh is the starting point of a new object and its form.
func (res resource[T]) fresh(rq *request) (T, []fieldSpec, error) {
	obj, err := res.initial(rq)
	if err != nil {
		return obj, nil, err
	}
	specs, err := res.specs(rq, obj, true)
	return obj, specs, err
}

// current is the object being edited and its form.
func (res resource[T]) current(rq *request) (T, []fieldSpec, error) {
	cur, err := res.get(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return cur, nil, err
	}
	specs, err := res.specs(rq, cur, false)
	return cur, specs, err
}

func (res resource[T]) newForm(rq *request) error {
	obj, specs, err := res.fresh(rq)
	if err != nil {
		return err
	}
	return res.show(rq, rq.t(res.name+".new"), obj, specs, flatten(obj), nil)
}

func (res resource[T]) createPost(rq *request) error {
	obj, specs, err := res.fresh(rq)
	if err != nil {
		return err
	}
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var next T
	err = httpin.DecodeStrict(toJSON(specs, vals), &next)
	if err == nil {
		next, err = res.create(rq.ctx, rq.scope, next)
	}
	if formError(err) {
		return res.show(rq, rq.t(res.name+".new"), obj, specs, vals, err)
	}
	if err != nil {
		return err
	}
	return rq.redirect(res.detail(next))
}

func (res resource[T]) editForm(rq *request) error {
	cur, specs, err := res.current(rq)
	if err != nil {
		return err
	}
	return res.show(rq, rq.t(res.name+".edit"), cur, specs, flatten(cur), nil)
}

func (res resource[T]) updatePost(rq *request) error {
	cur, specs, err := res.current(rq)
	if err != nil {
		return err
	}
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var next T
	err = httpin.MergePatch(cur, toJSON(specs, vals), &next)
	if err == nil {
		res.setID(&next, rq.r.PathValue("id"))
		next, err = res.update(rq.ctx, rq.scope, next)
	}
	if formError(err) {
		return res.show(rq, rq.t(res.name+".edit"), cur, specs, vals, err)
	}
	if err != nil {
		return err
	}
	return rq.redirect(res.detail(next))
}

func (res resource[T]) deletePost(rq *request) error {
	id := rq.r.PathValue("id")
	cur, err := res.get(rq.ctx, rq.scope, id)
	if err != nil {
		return err
	}
	if err := res.remove(rq.ctx, rq.scope, id); err != nil {
		return err
	}
	return rq.redirect(res.afterDelete(cur))
}
