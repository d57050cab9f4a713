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

func (res resource[T]) show(rq *request, title, action string, current T, specs []fieldSpec, vals values, err error) error {
	fv := formView{Action: action, Fields: rq.fields(specs, vals)}
	if res.crumbs != nil {
		fv.Crumbs = res.crumbs(rq, current)
	}
	if len(fv.Crumbs) > 0 {
		fv.CancelURL = fv.Crumbs[len(fv.Crumbs)-1].Href
	}
	if err != nil {
		fv.Errors, fv.Invalid = rq.applyErrors(fv.Fields, err), true
		rq.w.WriteHeader(statusOfFormError(err))
	}
	rq.server().render(rq, "form", title, formPage{Form: fv})
	return nil
}

func (res resource[T]) newForm(rq *request) error {
	obj, err := res.initial(rq)
	if err != nil {
		return err
	}
	specs, err := res.specs(rq, obj, true)
	if err != nil {
		return err
	}
	return res.show(rq, rq.t(res.name+".new"), rq.r.URL.RequestURI(), obj, specs, flatten(obj), nil)
}

func (res resource[T]) createPost(rq *request) error {
	obj, err := res.initial(rq)
	if err != nil {
		return err
	}
	specs, err := res.specs(rq, obj, true)
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
		return res.show(rq, rq.t(res.name+".new"), rq.r.URL.RequestURI(), obj, specs, vals, err)
	}
	if err != nil {
		return err
	}
	return rq.redirect(res.detail(next))
}

func (res resource[T]) editForm(rq *request) error {
	cur, err := res.get(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	specs, err := res.specs(rq, cur, false)
	if err != nil {
		return err
	}
	return res.show(rq, rq.t(res.name+".edit"), rq.r.URL.Path, cur, specs, flatten(cur), nil)
}

func (res resource[T]) updatePost(rq *request) error {
	id := rq.r.PathValue("id")
	cur, err := res.get(rq.ctx, rq.scope, id)
	if err != nil {
		return err
	}
	specs, err := res.specs(rq, cur, false)
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
		res.setID(&next, id)
		next, err = res.update(rq.ctx, rq.scope, next)
	}
	if formError(err) {
		return res.show(rq, rq.t(res.name+".edit"), rq.r.URL.Path, cur, specs, vals, err)
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
