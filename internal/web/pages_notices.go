package web

import (
	"net/http"

	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/notify"
)

func (s *Server) noticeRoutes(mux *http.ServeMux) {
	mux.Handle("GET /notifications", s.page(s.noticesPage))
	mux.Handle("POST /notifications/preferences", s.page(s.savePreferences))
	mux.Handle("POST /notifications/{id}/read", s.page(s.readNotice))
}

func (s *Server) noticesPage(rq *request) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	req := q.Page()
	if err := q.Err(); err != nil {
		return err
	}
	inbox, err := s.svc.Notices.Inbox(rq.ctx, rq.scope, req)
	if err != nil {
		return err
	}
	prefs, err := s.svc.Notices.Preferences(rq.ctx, rq.scope)
	if err != nil {
		return err
	}
	s.render(rq, "notifications", rq.t("notices.title"), struct {
		Items []notify.Notification
		Next  string
		Prefs []notify.Preference
	}{inbox.Items, inbox.NextCursor, prefs})
	return nil
}

// readNotice marks a notification read and opens what it is about.
func (s *Server) readNotice(rq *request) error {
	id := rq.r.PathValue("id")
	if err := s.svc.Notices.Read(rq.ctx, rq.scope, id); err != nil {
		return err
	}
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	if link := first(vals, "link"); len(link) > 1 && link[0] == '/' && link[1] != '/' {
		return rq.redirect(link)
	}
	return rq.redirect("/notifications")
}

// savePreferences keeps the e-mail choice of every kind from the form's checkboxes.
func (s *Server) savePreferences(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var ps []notify.Preference
	for _, k := range notify.Kinds {
		for _, c := range notify.Channels {
			ps = append(ps, notify.Preference{Kind: k, Channel: c, Enabled: first(vals, k+"."+c) == "true"})
		}
	}
	if _, err := s.svc.Notices.SetPreferences(rq.ctx, rq.scope, ps); err != nil {
		return err
	}
	return rq.redirect("/notifications")
}
