package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/booking"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/export"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/servicedesk"
	"github.com/parkos/parkos/internal/space"
)

func (s *Server) serviceRoutes(mux *http.ServeMux) {
	sv := s.svc
	mux.Handle("GET /services", s.listPage(s.servicesPage))
	mux.Handle("GET /services/requests/new", s.page(s.newRequest))
	mux.Handle("POST /services/requests/new", s.page(s.newRequest))
	mux.Handle("GET /services/demands/new", s.page(s.newDemand))
	mux.Handle("POST /services/demands/new", s.page(s.newDemand))
	mux.Handle("GET /services/requests/{id}", s.page(func(rq *request) error { return s.showTicket(rq, nil) }))
	mux.Handle("POST /services/requests/{id}/act", s.page(s.actOnTicket))
	mux.Handle("POST /services/requests/{id}/comment", s.page(s.commentOnTicket))
	mux.Handle("POST /services/requests/{id}/rate", s.page(s.rateTicket))
	mux.Handle("POST /services/requests/{id}/attach", s.page(s.attachToTicket))
	mux.Handle("GET /services/attachments/{id}", s.page(s.downloadAttachment))
	mux.Handle("GET /services/reports", s.listPage(func(rq *request) error { return s.serviceReport(rq, "") }))
	mux.Handle("GET /services/reports.xlsx", s.listPage(func(rq *request) error { return s.serviceReport(rq, "xlsx") }))
	mux.Handle("GET /services/reports.csv", s.listPage(func(rq *request) error { return s.serviceReport(rq, "csv") }))
	mux.Handle("GET /services/platforms", s.page(s.platformForm))
	mux.Handle("POST /services/platforms", s.page(s.platformForm))
	for _, path := range []string{"/services/providers/new", "/services/offerings/new", "/services/categories/new", "/services/hours"} {
		mux.Handle("GET "+path, s.page(s.serviceSetup))
		mux.Handle("POST "+path, s.page(s.serviceSetup))
	}
	lister[servicedesk.Ticket, servicedesk.Filter]{
		path: "/services/requests", title: k("services.requests"),
		cols: []colSpec[servicedesk.Ticket]{
			{k("services.title"), "", false, func(rq *request, t servicedesk.Ticket) cell {
				return cell{Text: t.Title, Link: "/services/requests/" + t.ID, Wrap: true}
			}},
			{k("services.park"), "", false, func(rq *request, t servicedesk.Ticket) cell { return cell{Text: t.ParkName} }},
			{k("services.enterprise"), "", false, func(rq *request, t servicedesk.Ticket) cell { return cell{Text: t.EnterpriseName, Wrap: true} }},
			{k("services.category"), "", false, func(rq *request, t servicedesk.Ticket) cell { return cell{Text: rq.pick(t.CategoryZh, t.CategoryEn)} }},
			{k("services.status"), "", false, func(rq *request, t servicedesk.Ticket) cell {
				return cell{Text: enumLabel(rq.lang, "ticket_status", string(t.Status))}
			}},
			{k("services.assignee"), "", false, func(rq *request, t servicedesk.Ticket) cell { return cell{Text: t.Assignee} }},
			{k("services.submitted_at"), "submitted", false, func(rq *request, t servicedesk.Ticket) cell {
				return cell{Text: stamp(t.SubmittedAt), Raw: civil.FromTime(t.SubmittedAt)}
			}},
			{k("services.resolution_due"), "due", false, func(rq *request, t servicedesk.Ticket) cell {
				return cell{Text: stamp(t.ResolutionDue), Raw: civil.FromTime(t.ResolutionDue), Badges: slaBadges(rq, t)}
			}},
			{k("services.rating"), "", true, func(rq *request, t servicedesk.Ticket) cell {
				if t.Rating == 0 {
					return cell{Text: "—"}
				}
				return cell{Text: strconv.Itoa(t.Rating), Raw: t.Rating}
			}},
		},
		filters: func(rq *request) []fieldSpec {
			queues := make([]option, len(servicedesk.Queues))
			for i, q := range servicedesk.Queues {
				queues[i] = option{Value: q, Label: rq.t("ticket_queue." + q)}
			}
			return []fieldSpec{
				{Name: "kind", Label: k("services.kind"), Kind: "select", Options: enumOptions(rq, "ticket_kind", []servicedesk.Kind{servicedesk.Request, servicedesk.Demand}, "")},
				{Name: "queue", Label: k("services.queue"), Kind: "select", Options: queues},
				{Name: "status", Label: k("services.status"), Kind: "select", Options: enumOptions(rq, "ticket_status", servicedesk.Statuses, k("filter.all"))},
			}
		},
		parse: func(q *httpin.Query) servicedesk.Filter {
			return servicedesk.Filter{Kind: servicedesk.Kind(q.Str("kind")), Queue: q.Str("queue"), Status: servicedesk.Status(q.Str("status")),
				ParkID: q.Str("park_id"), EnterpriseID: q.Str("enterprise_id"), Platform: q.Str("platform")}
		},
		list: sv.Services.Tickets,
		newURL: func(rq *request) string {
			switch {
			case rq.scope.Role.IsEnterprise():
				return "/services/requests/new"
			case rq.scope.May(identity.HandleServices) && rq.scope.Role != identity.Admin:
				return "/services/demands/new"
			}
			return ""
		},
	}.mount(s, mux)
}

func stamp(t time.Time) string { return t.In(civil.Shanghai).Format("2006-01-02 15:04") }

// slaBadges mark the clocks a ticket broke.
func slaBadges(rq *request, t servicedesk.Ticket) []badge {
	var out []badge
	if t.ResponseBreached {
		out = append(out, badge{rq.t("services.response_breached"), "bad"})
	}
	if t.ResolutionBreached {
		out = append(out, badge{rq.t("services.resolution_breached"), "bad"})
	}
	return out
}

// servicePark is the park whose catalog the page shows: the tenant's own, else the one asked
// for or the user's first.
func (rq *request) servicePark() (string, []option, error) {
	if rq.scope.Role.IsEnterprise() {
		e, err := rq.srv.svc.Enterprise.GetEnterprise(rq.ctx, rq.scope, rq.scope.EnterpriseID)
		return e.ParkID, nil, err
	}
	parks, err := rq.parkOptions("", false)
	if err != nil || len(parks) == 0 {
		return "", parks, err
	}
	park := rq.r.URL.Query().Get("park_id")
	if park == "" {
		park = parks[0].Value
	}
	for i := range parks {
		parks[i].Selected = parks[i].Value == park
	}
	return park, parks, nil
}

type platformView struct {
	P          servicedesk.Platform
	Name       string
	Categories []servicedesk.Category
	Offerings  []servicedesk.Offering
}

func (s *Server) servicesPage(rq *request) error {
	park, parks, err := rq.servicePark()
	if err != nil {
		return err
	}
	v := struct {
		Parks     []option
		ParkID    string
		Systems   []string
		Platforms map[string][]platformView
		Providers []servicedesk.Provider
		Tenant    bool
		Staff     bool
	}{Parks: parks, ParkID: park, Platforms: map[string][]platformView{}, Tenant: rq.scope.Role.IsEnterprise(),
		Staff: rq.scope.May(identity.HandleServices) && rq.scope.HasPark(park)}
	if park != "" {
		cat, err := s.svc.Services.Catalog(rq.ctx, rq.scope, park)
		if err != nil {
			return err
		}
		for _, p := range cat.Platforms {
			pv := platformView{P: p, Name: rq.pick(p.NameZh, p.NameEn)}
			for _, c := range cat.Categories {
				if c.Platform == p.Code {
					pv.Categories = append(pv.Categories, c)
				}
			}
			for _, o := range cat.Offerings {
				if o.Platform == p.Code {
					pv.Offerings = append(pv.Offerings, o)
				}
			}
			v.Platforms[string(p.System)] = append(v.Platforms[string(p.System)], pv)
		}
		v.Providers = cat.Providers
	}
	for _, sys := range servicedesk.Systems {
		v.Systems = append(v.Systems, string(sys))
	}
	s.render(rq, "services", rq.t("services.catalog"), v)
	return nil
}

// formPost shows specs as a form on GET and, on POST, decodes them into T and saves it: a
// refusal is shown on the form with its fields, a success goes to the page save names.
func formPost[T any](s *Server, rq *request, title string, specs []fieldSpec, initial values, crumbs []crumb, save func(T) (string, error)) error {
	if rq.r.Method == http.MethodGet {
		return s.showCustomForm(rq, title, specs, initial, nil, crumbs)
	}
	vals, err := rq.formValues()
	if err != nil && !formError(err) {
		return err
	}
	var in T
	next := ""
	if err == nil {
		if err = httpin.DecodeStrict(toJSON(specs, vals), &in); err == nil {
			next, err = save(in)
		}
	}
	if formError(err) {
		return s.showCustomForm(rq, title, specs, vals, err, crumbs)
	}
	if err != nil {
		return err
	}
	return rq.redirect(next)
}

func categoryOptions(rq *request, cats []servicedesk.Category) []option {
	out := []option{{Value: "", Label: "—"}}
	for _, c := range cats {
		if c.Active {
			out = append(out, option{Value: c.ID, Label: rq.pick(c.NameZh, c.NameEn) + " · " + rq.t("services.sla_line", c.ResponseHours, c.ResolutionHours)})
		}
	}
	return out
}

// newRequest is the tenant's form: a category, an offering, the unit of a repair, the text.
func (s *Server) newRequest(rq *request) error {
	if !rq.scope.Role.IsEnterprise() {
		return apperr.ErrForbidden()
	}
	park, _, err := rq.servicePark()
	if err != nil {
		return err
	}
	if park == "" {
		return apperr.New(apperr.Invalid, "贵企业不在任何园区", "your enterprise is in no park")
	}
	cat, err := s.svc.Services.Catalog(rq.ctx, rq.scope, park)
	if err != nil {
		return err
	}
	offerings := []option{{Value: "", Label: "—"}}
	for _, o := range cat.Offerings {
		offerings = append(offerings, option{Value: o.ID, Label: fmt.Sprintf("%s · %s · %s 元/%s", o.Name, o.ProviderName, o.Price, rq.t("price_unit."+o.PriceUnit))})
	}
	units := []option{{Value: "", Label: "—"}}
	mine, err := s.svc.Space.ListUnits(rq.ctx, rq.scope, space.UnitFilter{}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	for _, u := range mine.Items {
		units = append(units, option{Value: u.ID, Label: u.Code})
	}
	specs := []fieldSpec{
		{Name: "category_id", Label: k("services.category"), Kind: "select", Required: true, Options: categoryOptions(rq, cat.Categories)},
		{Name: "offering_id", Label: k("services.offering"), Kind: "select", Options: offerings},
		{Name: "unit_id", Label: k("services.unit"), Kind: "select", Options: units, Help: k("services.unit_help")},
		{Name: "title", Label: k("services.title"), Kind: "text", Required: true},
		{Name: "body", Label: k("services.body"), Kind: "textarea", Required: true, Wide: true},
	}
	initial := values{"category_id": {rq.r.URL.Query().Get("category_id")}, "offering_id": {rq.r.URL.Query().Get("offering_id")}}
	crumbs := []crumb{{rq.t("services.requests"), "/services/requests"}}
	return formPost(s, rq, rq.t("services.new_request"), specs, initial, crumbs, func(in servicedesk.NewTicket) (string, error) {
		t, err := s.svc.Services.Submit(rq.ctx, rq.scope, servicedesk.Request, in)
		return "/services/requests/" + t.ID, err
	})
}

// newDemand is a park's form to raise a demand with the authority.
func (s *Server) newDemand(rq *request) error {
	if !rq.scope.May(identity.HandleServices) || rq.scope.Role == identity.Admin {
		return apperr.ErrForbidden()
	}
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return err
	}
	themes, err := s.svc.Services.Themes(rq.ctx)
	if err != nil {
		return err
	}
	specs := []fieldSpec{
		{Name: "park_id", Label: k("services.park"), Kind: "select", Required: true, Options: parks},
		{Name: "category_id", Label: k("services.theme"), Kind: "select", Required: true, Options: categoryOptions(rq, themes)},
		{Name: "title", Label: k("services.title"), Kind: "text", Required: true},
		{Name: "body", Label: k("services.body"), Kind: "textarea", Required: true, Wide: true},
	}
	crumbs := []crumb{{rq.t("services.requests"), "/services/requests?kind=demand"}}
	return formPost(s, rq, rq.t("services.new_demand"), specs, nil, crumbs, func(in servicedesk.NewTicket) (string, error) {
		t, err := s.svc.Services.Submit(rq.ctx, rq.scope, servicedesk.Demand, in)
		return "/services/requests/" + t.ID, err
	})
}

// ticketView is a ticket's page with what the user may do to it.
type ticketView struct {
	T                  servicedesk.Detail
	Status             string
	Options            servicedesk.Options
	Handler, Submitter bool
	CanStart           bool
	CanResolve         bool
	CanClose           bool
	CanReopen          bool
	CanRate            bool
	Error              string
	Types              string
}

func (s *Server) showTicket(rq *request, failure error) error {
	d, err := s.svc.Services.Ticket(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	opts, err := s.svc.Services.HandlerOptions(rq.ctx, rq.scope, d.Ticket)
	if err != nil {
		return err
	}
	handler := opts.Assignees != nil
	submitter := rq.scope.Role.IsEnterprise() && rq.scope.EnterpriseID == d.EnterpriseID ||
		d.Kind == servicedesk.Demand && rq.scope.May(identity.HandleServices) && rq.scope.HasPark(d.ParkID) && rq.scope.Role != identity.Admin
	st := d.Status
	v := ticketView{T: d, Status: enumLabel(rq.lang, "ticket_status", string(st)), Options: opts, Handler: handler, Submitter: submitter,
		CanStart:   handler && (st == servicedesk.Open || st == servicedesk.Assigned),
		CanResolve: handler && !st.Finished(),
		CanClose:   (submitter || handler) && st == servicedesk.Resolved,
		CanReopen:  (submitter || handler) && st.Finished(),
		CanRate:    submitter && st.Finished() && d.Rating == 0,
		Types:      strings.Join(servicedesk.AttachmentTypes(), ", ")}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(httpx.StatusOf(failure))
	}
	s.render(rq, "ticket", d.Title, v)
	return nil
}

// ticketForm runs a ticket's form: a refusal shows on the ticket's page, a success returns to it.
func (s *Server) ticketForm(rq *request, run func(vals values) error) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	return rq.outcome(run(vals), func(err error) error { return s.showTicket(rq, err) }, "/services/requests/"+rq.r.PathValue("id"))
}

func (s *Server) actOnTicket(rq *request) error {
	return s.ticketForm(rq, func(vals values) error {
		_, err := s.svc.Services.Act(rq.ctx, rq.scope, rq.r.PathValue("id"), servicedesk.Action{Action: first(vals, "action"),
			Assignee: first(vals, "assignee"), ProviderID: first(vals, "provider_id"), CategoryID: first(vals, "category_id"), Note: first(vals, "note")})
		return err
	})
}

func (s *Server) commentOnTicket(rq *request) error {
	return s.ticketForm(rq, func(vals values) error {
		_, err := s.svc.Services.Comment(rq.ctx, rq.scope, rq.r.PathValue("id"), servicedesk.NewComment{Body: first(vals, "body"), Internal: first(vals, "internal") == "true"})
		return err
	})
}

func (s *Server) rateTicket(rq *request) error {
	return s.ticketForm(rq, func(vals values) error {
		n, err := strconv.Atoi(first(vals, "rating"))
		if err != nil {
			var f apperr.Fields
			f.Add("rating", "out_of_range", "请选择 1 到 5 分", "choose a rating from 1 to 5")
			return f.Err()
		}
		_, err = s.svc.Services.Rate(rq.ctx, rq.scope, rq.r.PathValue("id"), servicedesk.Rating{Rating: n, Comment: first(vals, "comment")})
		return err
	})
}

// attachToTicket takes one file from a multipart form, within the attachment limit.
func (s *Server) attachToTicket(rq *request) error {
	name, data, err := rq.uploadedFile()
	if err == nil {
		_, err = s.svc.Services.Attach(rq.ctx, rq.scope, rq.r.PathValue("id"), name, data)
	}
	return rq.outcome(err, func(err error) error { return s.showTicket(rq, err) }, "/services/requests/"+rq.r.PathValue("id"))
}

func (s *Server) downloadAttachment(rq *request) error {
	a, data, err := s.svc.Services.AttachmentFile(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return sendFile(rq, a.ContentType, a.Filename, data)
}

// serviceReport is the report page, or its table as a workbook or CSV.
func (s *Server) serviceReport(rq *request, format string) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	rquery := servicedesk.NewReportQuery(q.Str("kind"), q.Str("by"), q.Str("park_id"), q.Date("from"), q.Date("to"), s.clock.Today())
	if err := q.Err(); err != nil {
		return err
	}
	rep, err := s.svc.Services.Report(rq.ctx, rq.scope, rquery)
	if err != nil {
		return err
	}
	name := func(r servicedesk.ReportRow) string {
		if rep.By != "park" {
			zh, en, _ := strings.Cut(r.Name, " / ")
			return rq.pick(zh, en)
		}
		return r.Name
	}
	ratio := func(p *float64) any {
		if p == nil {
			return ""
		}
		return export.Ratio(*p)
	}
	mean := func(p *float64) any {
		if p == nil {
			return ""
		}
		return *p
	}
	if format != "" {
		t := export.Table{Title: rq.t("services.report"), Columns: []export.Column{
			{Header: rq.t("services.report_by_" + rep.By), Kind: export.Text}, {Header: rq.t("services.volume"), Kind: export.Integer},
			{Header: rq.t("services.resolved"), Kind: export.Integer}, {Header: rq.t("services.sla_compliance"), Kind: export.Percent},
			{Header: rq.t("services.satisfaction"), Kind: export.Decimal}, {Header: rq.t("services.ratings"), Kind: export.Integer}}}
		for _, r := range append(rep.Rows, rep.Total) {
			label := name(r)
			if r.Key == "total" {
				label = rq.t("services.total")
			}
			t.Rows = append(t.Rows, []any{label, r.Volume, r.Resolved, ratio(r.Compliance), mean(r.Satisfaction), r.Ratings})
		}
		t.Notes = append(t.Notes, rq.t("services.report_note", rep.From, rep.To))
		return writeTable(rq, "service-report", format, t)
	}
	type row struct {
		Name                     string
		R                        servicedesk.ReportRow
		Compliance, Satisfaction string
	}
	pct := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return percent(*p)
	}
	avg := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return strconv.FormatFloat(*p, 'f', 2, 64)
	}
	v := struct {
		Rows   []row
		Total  row
		Trend  []row
		Query  string
		Kind   string
		By     string
		From   string
		To     string
		Parks  []option
		ParkID string
	}{Kind: string(rep.Kind), By: rep.By, From: rquery.From.String(), To: rquery.To.String(), ParkID: rquery.ParkID}
	for _, r := range rep.Rows {
		v.Rows = append(v.Rows, row{Name: name(r), R: r, Compliance: pct(r.Compliance), Satisfaction: avg(r.Satisfaction)})
	}
	v.Total = row{Name: rq.t("services.total"), R: rep.Total, Compliance: pct(rep.Total.Compliance), Satisfaction: avg(rep.Total.Satisfaction)}
	for _, p := range rep.Trend {
		v.Trend = append(v.Trend, row{Name: p.Month, R: servicedesk.ReportRow{Volume: p.Volume}, Compliance: pct(p.Compliance), Satisfaction: avg(p.Satisfaction)})
	}
	v.Query = url.Values{"kind": {v.Kind}, "by": {v.By}, "from": {v.From}, "to": {v.To}, "park_id": {v.ParkID}}.Encode()
	if v.Parks, err = rq.parkOptions(k("filter.all"), false); err != nil {
		return err
	}
	for i := range v.Parks {
		v.Parks[i].Selected = v.Parks[i].Value == v.ParkID
	}
	s.render(rq, "service-report", rq.t("services.report"), v)
	return nil
}

// serviceSetup runs the staff's catalog forms: a provider, an offering, a category, the park's
// working week.
func (s *Server) serviceSetup(rq *request) error {
	if !rq.scope.May(identity.HandleServices) {
		return apperr.ErrForbidden()
	}
	park, _, err := rq.servicePark()
	if err != nil {
		return err
	}
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return err
	}
	for i := range parks {
		parks[i].Selected = parks[i].Value == park
	}
	back := "/services?park_id=" + url.QueryEscape(park)
	crumbs := []crumb{{rq.t("services.catalog"), back}}
	cat, err := s.svc.Services.Catalog(rq.ctx, rq.scope, park)
	if err != nil {
		return err
	}
	platforms := []option{}
	for _, p := range cat.Platforms {
		platforms = append(platforms, option{Value: p.Code, Label: rq.pick(p.NameZh, p.NameEn)})
	}
	providers := []option{{Value: "", Label: "—"}}
	for _, p := range cat.Providers {
		providers = append(providers, option{Value: p.ID, Label: p.Name})
	}
	switch rq.r.URL.Path {
	case "/services/providers/new":
		kinds := enumOptions(rq, "provider_kind", servicedesk.ProviderKinds, "")
		specs := []fieldSpec{{Name: "park_id", Label: k("services.park"), Kind: "select", Required: true, Options: parks},
			{Name: "name", Label: k("services.provider_name"), Kind: "text", Required: true},
			{Name: "kind", Label: k("services.provider_kind"), Kind: "select", Required: true, Options: kinds},
			{Name: "contact", Label: k("services.contact"), Kind: "text"},
			{Name: "members", Label: k("services.members"), Kind: "list", Help: k("services.members_help")},
			{Name: "description", Label: k("common.description"), Kind: "textarea"}}
		return formPost(s, rq, rq.t("services.new_provider"), specs, values{"park_id": {park}}, crumbs, func(in servicedesk.NewProvider) (string, error) {
			p, err := s.svc.Services.AddProvider(rq.ctx, rq.scope, in)
			return "/services?park_id=" + url.QueryEscape(p.ParkID), err
		})
	case "/services/offerings/new":
		units := enumOptions(rq, "price_unit", servicedesk.PriceUnits, "")
		specs := []fieldSpec{{Name: "provider_id", Label: k("services.provider"), Kind: "select", Required: true, Options: providers},
			{Name: "platform", Label: k("services.platform"), Kind: "select", Required: true, Options: platforms},
			{Name: "name", Label: k("services.offering_name"), Kind: "text", Required: true},
			{Name: "price", Label: k("services.price"), Kind: "number"},
			{Name: "price_unit", Label: k("services.price_unit"), Kind: "select", Required: true, Options: units},
			{Name: "lead_days", Label: k("services.lead_days"), Kind: "number"},
			{Name: "description", Label: k("common.description"), Kind: "textarea"}}
		return formPost(s, rq, rq.t("services.new_offering"), specs, nil, crumbs, func(in servicedesk.NewOffering) (string, error) {
			_, err := s.svc.Services.AddOffering(rq.ctx, rq.scope, in)
			return back, err
		})
	case "/services/categories/new":
		specs := []fieldSpec{{Name: "park_id", Label: k("services.park"), Kind: "select", Required: true, Options: parks},
			{Name: "code", Label: k("services.code"), Kind: "text", Required: true, Help: k("services.code_help")},
			{Name: "name_zh", Label: k("services.name_zh"), Kind: "text", Required: true},
			{Name: "name_en", Label: k("services.name_en"), Kind: "text", Required: true},
			{Name: "platform", Label: k("services.platform"), Kind: "select", Required: true, Options: platforms},
			{Name: "response_hours", Label: k("services.response_hours"), Kind: "number", Required: true},
			{Name: "resolution_hours", Label: k("services.resolution_hours"), Kind: "number", Required: true},
			{Name: "provider_id", Label: k("services.route_to"), Kind: "select", Options: providers},
			{Name: "needs_unit", Label: k("services.needs_unit"), Kind: "checkbox"}}
		return formPost(s, rq, rq.t("services.new_category"), specs, values{"park_id": {park}, "response_hours": {"4"}, "resolution_hours": {"24"}}, crumbs,
			func(in servicedesk.NewCategory) (string, error) {
				c, err := s.svc.Services.AddCategory(rq.ctx, rq.scope, in)
				return "/services?park_id=" + url.QueryEscape(c.ParkID), err
			})
	}
	return s.workingHoursForm(rq, park, crumbs)
}

// platformForm renames, hides or shows one of a park's platforms (?code=), or adds one.
func (s *Server) platformForm(rq *request) error {
	if !rq.scope.May(identity.HandleServices) {
		return apperr.ErrForbidden()
	}
	park, _, err := rq.servicePark()
	if err != nil {
		return err
	}
	cat, err := s.svc.Services.Catalog(rq.ctx, rq.scope, park)
	if err != nil {
		return err
	}
	initial := values{"park_id": {park}, "active": {"true"}, "system": {"enterprise"}}
	code := rq.r.URL.Query().Get("code")
	for _, p := range cat.Platforms {
		if p.Code == code {
			initial = values{"park_id": {park}, "code": {p.Code}, "system": {string(p.System)}, "name_zh": {p.NameZh}, "name_en": {p.NameEn},
				"active": {strconv.FormatBool(p.Active)}}
		}
	}
	systems := enumOptions(rq, "service_system", servicedesk.Systems, "")
	specs := []fieldSpec{{Name: "park_id", Kind: "hidden"},
		{Name: "code", Label: k("services.code"), Kind: "text", Required: true},
		{Name: "system", Label: k("services.system"), Kind: "select", Required: true, Options: systems},
		{Name: "name_zh", Label: k("services.name_zh"), Kind: "text", Required: true},
		{Name: "name_en", Label: k("services.name_en"), Kind: "text", Required: true},
		{Name: "active", Label: k("services.active"), Kind: "checkbox"}}
	back := "/services?park_id=" + url.QueryEscape(park)
	type platformIn struct {
		ParkID string `json:"park_id"`
		servicedesk.Platform
	}
	return formPost(s, rq, rq.t("services.edit_platform"), specs, initial, []crumb{{rq.t("services.catalog"), back}}, func(in platformIn) (string, error) {
		_, err := s.svc.Services.SavePlatform(rq.ctx, rq.scope, in.ParkID, in.Platform)
		return "/services?park_id=" + url.QueryEscape(in.ParkID), err
	})
}

// workingHoursForm edits a park's working week as text: "1-5 09:00-18:00; 6 10:00-16:00".
func (s *Server) workingHoursForm(rq *request, park string, crumbs []crumb) error {
	specs := []fieldSpec{{Name: "park_id", Kind: "hidden"},
		{Name: "hours", Label: k("services.working_hours"), Kind: "text", Required: true, Wide: true, Help: k("facilities.hours_help")}}
	hours, err := s.svc.Services.WorkingHours(rq.ctx, rq.scope, park)
	if err != nil {
		return err
	}
	var parts []string
	for _, w := range hours {
		parts = append(parts, fmt.Sprintf("%d %02d:%02d-%02d:%02d", w.Weekday, w.FromMin/60, w.FromMin%60, w.ToMin/60, w.ToMin%60))
	}
	title := rq.t("services.working_hours")
	if rq.r.Method == http.MethodGet {
		return s.showCustomForm(rq, title, specs, values{"park_id": {park}, "hours": {strings.Join(parts, "; ")}}, nil, crumbs)
	}
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	windows, err := parseHours(first(vals, "hours"))
	if err == nil {
		var ws []servicedesk.WorkingWindow
		var f apperr.Fields
		for _, w := range windows {
			from, okFrom := booking.ClockMinutes(w.From)
			to, okTo := booking.ClockMinutes(w.To)
			if !okFrom || !okTo {
				f.Add("hours", "bad_hours", "时间应为 00:00–24:00", "times must lie within 00:00–24:00")
			}
			ws = append(ws, servicedesk.WorkingWindow{Weekday: w.Weekday, FromMin: from, ToMin: to})
		}
		if err = f.Err(); err == nil {
			_, err = s.svc.Services.SetWorkingHours(rq.ctx, rq.scope, first(vals, "park_id"), ws)
		}
	}
	if formError(err) {
		return s.showCustomForm(rq, title, specs, vals, err, crumbs)
	}
	if err != nil {
		return err
	}
	return rq.redirect(crumbs[0].Href)
}
