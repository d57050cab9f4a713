package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/pool"
	"github.com/parkos/parkos/internal/poolbook"
	"github.com/parkos/parkos/internal/sheet"
)

func (rq *request) canSteer() bool { return rq.scope.May(identity.SteerParks) }

func tierBadge(rq *request, t pool.Tier) []badge {
	class := map[pool.Tier]string{pool.Planning: "", pool.Reserve: "info", pool.Key: "ok"}[t]
	return []badge{{rq.t("pool_tier." + string(t)), class}}
}

func (s *Server) poolRoutes(mux *http.ServeMux) {
	lister[pool.Entry, pool.Filter]{
		path: "/pool", title: k("pool.list"),
		cols: []colSpec[pool.Entry]{
			{k("pool.park"), "", false, func(rq *request, e pool.Entry) cell {
				return cell{Text: e.ParkName, Link: "/pool/" + e.ParkID, Badges: tierBadge(rq, e.Tier)}
			}},
			{k("pool.code"), "", false, func(rq *request, e pool.Entry) cell { return cell{Text: e.ParkCode} }},
			{k("pool.district"), "", false, func(rq *request, e pool.Entry) cell { return cell{Text: e.District} }},
			{k("pool.tier_since"), "", false, func(rq *request, e pool.Entry) cell { return cell{Text: e.TierSince.String()} }},
			{k("pool.entered_on"), "entered_on", false, func(rq *request, e pool.Entry) cell { return cell{Text: e.EnteredOn.String()} }},
			{k("pool.featured"), "", false, func(rq *request, e pool.Entry) cell { return cell{Text: years(e.FeaturedYears)} }},
		},
		filters: func(rq *request) []fieldSpec {
			return []fieldSpec{
				{Name: "tier", Label: k("pool.tier"), Kind: "select", Options: enumOptions(rq, "pool_tier", pool.Tiers, k("filter.all"))},
				{Name: "district", Label: k("pool.district"), Kind: "text"},
				{Name: "featured_year", Label: k("pool.featured_year"), Kind: "number"},
				{Name: "q", Label: k("filter.keyword"), Kind: "text"},
			}
		},
		parse: func(q *httpin.Query) pool.Filter {
			return pool.Filter{Tier: pool.Tier(q.Str("tier")), District: q.Str("district"), FeaturedYear: q.Int("featured_year"), Q: q.Str("q")}
		},
		list: s.svc.Pool.List,
		newURL: func(rq *request) string {
			if rq.canSteer() {
				return "/pool/new"
			}
			return ""
		},
		importURL: func(rq *request) string {
			if rq.canSteer() {
				return "/pool/import"
			}
			return ""
		},
	}.mount(s, mux)
	mux.Handle("GET /pool/new", s.page(s.poolEnterForm))
	mux.Handle("POST /pool/new", s.page(s.poolEnterForm))
	mux.Handle("GET /pool/import", s.page(s.poolImport))
	mux.Handle("POST /pool/import", s.page(s.poolImport))
	mux.Handle("GET /pool/{id}", s.page(s.poolPage))
	mux.Handle("POST /pool/{id}/tier", s.page(s.poolDecision))
	mux.Handle("POST /pool/{id}/recognitions", s.page(s.poolDecision))
}

func years(ys []int) string {
	out := ""
	for i, y := range ys {
		if i > 0 {
			out += "、"
		}
		out += strconv.Itoa(y)
	}
	return out
}

func (s *Server) poolEnterForm(rq *request) error {
	parks, err := rq.parkOptions("", false)
	if err != nil {
		return err
	}
	specs := []fieldSpec{
		{Name: "park_id", Label: k("pool.park"), Kind: "select", Required: true, Options: parks},
		{Name: "entered_on", Label: k("pool.entered_on"), Kind: "date", Required: true},
		{Name: "tier", Label: k("pool.tier"), Kind: "select", Required: true, Options: enumOptions(rq, "pool_tier", pool.Tiers, "")},
		{Name: "reason", Label: k("pool.reason"), Kind: "textarea", Required: true},
	}
	crumbs := []crumb{{rq.t("pool.list"), "/pool"}}
	if rq.r.Method == http.MethodGet {
		return s.showCustomForm(rq, rq.t("pool.new"), specs, values{"entered_on": {s.clock.Today().String()}, "tier": {"planning"}}, nil, crumbs)
	}
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var in pool.NewEntry
	var e pool.Entry
	err = httpin.DecodeStrict(toJSON(specs, vals), &in)
	if err == nil {
		e, err = s.svc.Pool.Enter(rq.ctx, rq.scope, in)
	}
	if formError(err) {
		return s.showCustomForm(rq, rq.t("pool.new"), specs, vals, err, crumbs)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/pool/" + e.ParkID)
}

type poolView struct {
	E        pool.Entry
	CanSteer bool
	Tiers    []option
	Error    string
	Today    string
}

func (s *Server) poolPage(rq *request) error {
	e, err := s.svc.Pool.Get(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.showPool(rq, e, nil)
}

func (s *Server) showPool(rq *request, e pool.Entry, failure error) error {
	v := poolView{E: e, CanSteer: rq.canSteer(), Tiers: enumOptions(rq, "pool_tier", pool.Tiers, ""), Today: s.clock.Today().String()}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(http.StatusUnprocessableEntity)
	}
	s.render(rq, "pool", e.ParkName, v)
	return nil
}

// poolDecision changes a pooled park's tier or recognises it; a refusal is shown on its page.
func (s *Server) poolDecision(rq *request) error {
	id := rq.r.PathValue("id")
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var e pool.Entry
	if rq.r.URL.Path == "/pool/"+id+"/tier" {
		var d pool.TierDecision
		if err = httpin.DecodeStrict(toJSON([]fieldSpec{{Name: "tier"}, {Name: "effective_on", Kind: "date"}, {Name: "reason"}}, vals), &d); err == nil {
			e, err = s.svc.Pool.ChangeTier(rq.ctx, rq.scope, id, d)
		}
	} else {
		var r pool.Recognition
		if err = httpin.DecodeStrict(toJSON([]fieldSpec{{Name: "year", Kind: "number"}}, vals), &r); err == nil {
			e, err = s.svc.Pool.Recognise(rq.ctx, rq.scope, id, r)
		}
	}
	if formError(err) {
		cur, gerr := s.svc.Pool.Get(rq.ctx, rq.scope, id)
		if gerr != nil {
			return gerr
		}
		return s.showPool(rq, cur, err)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/pool/" + e.ParkID)
}

// problemText is a refusal in the user's language with each refused field named.
func (rq *request) problemText(err error) string {
	e, ok := apperr.As(err)
	if !ok {
		return rq.t("error.internal")
	}
	text := rq.pick(e.MessageZh, e.MessageEn)
	for _, f := range e.Fields {
		text += "；" + f.Field + ": " + rq.pick(f.MessageZh, f.MessageEn)
	}
	return text
}

// importView is an upload page: where it came from, what the file holds, and what the last
// upload did.
type importView struct {
	Back, BackLabel, Help, Action string
	Outcome, OutcomeID            string
	Messages                      []string
	Error                         string
}

// problemLines are an upload's problems as the page lists them: cell, header, message.
func (rq *request) problemLines(problems []sheet.Problem) []string {
	var out []string
	for _, p := range problems {
		out = append(out, fmt.Sprintf("%s%d %s：%s", p.Column, p.Row, p.Header, rq.pick(p.MessageZh, p.MessageEn)))
	}
	return out
}

// upload runs an import page: apply gets the file and whether only to check, and says what it
// did; refusals and bad files are shown on the page with a 422.
func (s *Server) upload(rq *request, v importView, title string, apply func(data []byte, check bool) (string, string, []sheet.Problem, error)) error {
	if rq.r.Method == http.MethodPost {
		_, data, err := receiveFile(rq)
		var problems []sheet.Problem
		if err == nil {
			v.Outcome, v.OutcomeID, problems, err = apply(data, rq.r.FormValue("check") == "true")
		}
		switch {
		case err != nil && !formError(err) && apperr.CodeOf(err) != apperr.TooLarge:
			return err
		case err != nil:
			v.Error = rq.problemText(err)
			rq.w.WriteHeader(http.StatusUnprocessableEntity)
		case len(problems) > 0:
			v.Messages = rq.problemLines(problems)
			rq.w.WriteHeader(http.StatusUnprocessableEntity)
		}
	}
	s.render(rq, "import", title, v)
	return nil
}

// poolImport takes the initial pool from a workbook or CSV: "check" only reports, otherwise
// every row is entered or, with any problem, none.
func (s *Server) poolImport(rq *request) error {
	if !rq.canSteer() {
		return apperr.ErrForbidden()
	}
	v := importView{Back: "/pool", BackLabel: rq.t("pool.list"), Help: rq.t("pool.import_help"), Action: "/pool/import"}
	return s.upload(rq, v, rq.t("pool.import"), func(data []byte, check bool) (string, string, []sheet.Problem, error) {
		res, err := poolbook.Import(rq.ctx, s.svc.Pool, rq.scope, data, sheet.DefaultLimits, check)
		if res.Committed {
			return rq.t("pool.imported", res.Entered), "import-done", res.Problems, err
		}
		return rq.t("pool.checked", res.Entered), "import-checked", res.Problems, err
	})
}
