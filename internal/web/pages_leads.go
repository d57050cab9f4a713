package web

import (
	"net/http"
	"strings"

	"github.com/parkos/parkos/internal/export"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/space"
)

func (s *Server) leadRoutes(mux *http.ServeMux) {
	sv := s.svc
	mux.Handle("GET /leads", s.listPage(s.leadBoard))
	lister[leasing.Lead, leasing.LeadFilter]{
		path: "/leads/list", title: k("lead.list"),
		cols: []colSpec[leasing.Lead]{
			{k("lead.company"), "company", false, func(rq *request, l leasing.Lead) cell {
				b := []badge{{rq.t("lead_stage." + string(l.Stage)), "info"}}
				if l.Stale {
					b = append(b, badge{rq.t("lead.stale"), "warn"})
				}
				return cell{Text: l.Company, Link: "/leads/" + l.ID, Badges: b, Wrap: true}
			}},
			{k("lead.park"), "", false, func(rq *request, l leasing.Lead) cell { return cell{Text: rq.parkName(l.ParkID)} }},
			{k("lead.source"), "", false, func(rq *request, l leasing.Lead) cell { return cell{Text: enumLabel(rq.lang, "lead_source", l.Source)} }},
			{k("lead.area_range"), "", false, func(rq *request, l leasing.Lead) cell { return cell{Text: areaRange(rq, l)} }},
			{k("lead.probability"), "probability", true, func(rq *request, l leasing.Lead) cell {
				return cell{Text: i18n.Int(int64(l.Probability)) + "%", Raw: export.Ratio(float64(l.Probability) / 100)}
			}},
			{k("lead.next_follow_up"), "next_follow_up", false, func(rq *request, l leasing.Lead) cell {
				return cell{Text: i18n.Date(rq.lang, l.NextFollowUp), Raw: l.NextFollowUp, Badges: followUpBadge(rq, l)}
			}},
		},
		filters: func(rq *request) []fieldSpec {
			parks, _ := rq.parkOptions(k("filter.all"), false)
			return []fieldSpec{
				{Name: "q", Label: k("filter.keyword"), Kind: "text"},
				{Name: "park_id", Label: k("lead.park"), Kind: "select", Options: parks},
				{Name: "stage", Label: k("lead.stage"), Kind: "select", Options: enumOptions(rq, "lead_stage", leasing.Stages, k("filter.all"))},
				{Name: "stale", Label: k("lead.stale"), Kind: "select", Options: []option{{"", rq.t("filter.all"), false}, {"true", rq.t("common.yes"), false}}},
				{Name: "follow_up_by", Label: k("lead.follow_up_by"), Kind: "date"},
			}
		},
		parse: func(q *httpin.Query) leasing.LeadFilter {
			stale := q.BoolPtr("stale")
			return leasing.LeadFilter{Q: q.Str("q"), ParkID: q.Str("park_id"), Stage: leasing.Stage(q.Str("stage")),
				StaleOnly: stale != nil && *stale, FollowUpBy: q.Date("follow_up_by")}
		},
		list: sv.Leasing.ListLeads,
		newURL: func(rq *request) string {
			if rq.canLease() {
				return "/leads/new"
			}
			return ""
		},
	}.mount(s, mux)
	mux.Handle("GET /leads/{id}", s.page(s.leadPage))
	mux.Handle("POST /leads/{id}/move", s.page(s.leadAction))
	mux.Handle("POST /leads/{id}/activity", s.page(s.leadAction))
	mux.Handle("POST /leads/{id}/hold", s.page(s.leadAction))
	mux.Handle("POST /leads/{id}/convert", s.page(s.leadAction))
	mux.Handle("POST /holds/{id}/release", s.page(s.releaseHold))
	resource[leasing.Lead]{
		name: "lead", base: "/leads", get: sv.Leasing.GetLead, create: sv.Leasing.CreateLead, update: sv.Leasing.UpdateLead, remove: sv.Leasing.DeleteLead,
		setID: func(l *leasing.Lead, id string) { l.ID = id },
		initial: func(rq *request) (leasing.Lead, error) {
			l := leasing.Lead{ParkID: rq.r.URL.Query().Get("park_id"), Source: "walk_in"}
			if l.ParkID == "" && len(rq.scope.ParkIDs) > 0 {
				l.ParkID = rq.scope.ParkIDs[0]
			}
			return l, nil
		},
		detail:      func(l leasing.Lead) string { return "/leads/" + l.ID },
		afterDelete: func(l leasing.Lead) string { return "/leads?park_id=" + l.ParkID },
		crumbs: func(rq *request, l leasing.Lead) []crumb {
			c := []crumb{{rq.t("nav.leads"), "/leads"}}
			if l.ID != "" {
				c = append(c, crumb{l.Company, "/leads/" + l.ID})
			}
			return c
		},
		specs: func(rq *request, _ leasing.Lead, creating bool) ([]fieldSpec, error) {
			var specs []fieldSpec
			if creating {
				parks, err := rq.parkOptions("", true)
				if err != nil {
					return nil, err
				}
				specs = append(specs, fieldSpec{Name: "park_id", Label: k("lead.park"), Kind: "select", Required: true, Options: parks})
			}
			nodes, err := rq.chainNodeOptions()
			return append(specs,
				fieldSpec{Name: "company", Label: k("lead.company"), Kind: "text", Required: true, Wide: true},
				fieldSpec{Name: "credit_code", Label: k("enterprise.credit_code"), Kind: "text"},
				fieldSpec{Name: "source", Label: k("lead.source"), Kind: "select", Options: enumOptions(rq, "lead_source", leasing.Sources, "")},
				fieldSpec{Name: "contact_name", Label: k("enterprise.contact_name"), Kind: "text"},
				fieldSpec{Name: "contact_phone", Label: k("enterprise.contact_phone"), Kind: "text"},
				fieldSpec{Name: "chain_node_id", Label: k("lead.chain_node"), Kind: "select", Options: append([]option{{Value: "", Label: rq.t("common.none")}}, nodes...)},
				fieldSpec{Name: "min_area", Label: k("lead.min_area"), Kind: "number", Help: k("help.m2")},
				fieldSpec{Name: "max_area", Label: k("lead.max_area"), Kind: "number", Help: k("help.m2")},
				fieldSpec{Name: "unit_kinds", Label: k("lead.unit_kinds"), Kind: "multiselect", Options: enumOptions(rq, "unit_kind", space.UnitKinds, ""), Help: k("help.multiselect")},
				fieldSpec{Name: "facilities", Label: k("lead.facilities"), Kind: "multiselect", Options: enumOptions(rq, "facility_need", leasing.FacilityNeeds, ""), Help: k("help.multiselect")},
				fieldSpec{Name: "budget", Label: k("lead.budget"), Kind: "number", Help: k("help.rent")},
				fieldSpec{Name: "move_in_by", Label: k("lead.move_in_by"), Kind: "date"},
				fieldSpec{Name: "headcount", Label: k("lead.headcount"), Kind: "number"},
				fieldSpec{Name: "probability", Label: k("lead.probability"), Kind: "number", Help: k("help.probability")},
				fieldSpec{Name: "next_follow_up", Label: k("lead.next_follow_up"), Kind: "date"},
				fieldSpec{Name: "note", Label: k("common.note"), Kind: "textarea"}), err
		},
	}.mount(s, mux)
}

func areaRange(rq *request, l leasing.Lead) string {
	lo, hi := i18n.Area(rq.lang, l.MinArea), i18n.Area(rq.lang, l.MaxArea)
	switch {
	case l.MinArea == 0 && l.MaxArea == 0:
		return "—"
	case l.MaxArea == 0: // no upper bound
		return "≥ " + lo
	case l.MinArea == 0:
		return "≤ " + hi
	}
	number, _, _ := strings.Cut(lo, " ")
	return number + "–" + hi
}

func followUpBadge(rq *request, l leasing.Lead) []badge {
	if l.NextFollowUp.IsZero() || !l.Open() {
		return nil
	}
	if days := rq.srv.clock.Today().DaysUntil(l.NextFollowUp); days < 0 {
		return []badge{{rq.t("lead.overdue"), "bad"}}
	} else if days == 0 {
		return []badge{{rq.t("lead.due_today"), "warn"}}
	}
	return nil
}

type boardColumn struct {
	Stage leasing.Stage
	Leads []boardCard
	Area  string
}

type boardCard struct {
	L      leasing.Lead
	Range  string
	Badges []badge
	Prev   leasing.Stage
	Next   leasing.Stage
}

type boardView struct {
	ParkID   string
	Parks    []option
	Columns  []boardColumn
	Weighted string // probability-weighted demand of open leads
	CanLease bool
}

// leadBoard is the pipeline of one park: a column per stage, each lead with buttons to move it
// one stage back or forward (plain forms, so the board works from the keyboard).
func (s *Server) leadBoard(rq *request) error {
	parkID := rq.r.URL.Query().Get("park_id")
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return err
	}
	if parkID == "" && len(parks) > 0 {
		parkID = parks[0].Value
	}
	for i := range parks {
		parks[i].Selected = parks[i].Value == parkID
	}
	v := boardView{ParkID: parkID, Parks: parks, CanLease: rq.canLease()}
	leads, err := page.All(func(r page.Request) (page.Page[leasing.Lead], error) {
		return s.svc.Leasing.ListLeads(rq.ctx, rq.scope, leasing.LeadFilter{ParkID: parkID}, r)
	}, 5000)
	if err != nil {
		return err
	}
	var weighted measure.Area
	for i, st := range leasing.Stages {
		col := boardColumn{Stage: st}
		var area measure.Area
		for _, l := range leads {
			if l.Stage != st {
				continue
			}
			c := boardCard{L: l, Range: areaRange(rq, l), Badges: followUpBadge(rq, l)}
			if l.Stale {
				c.Badges = append(c.Badges, badge{rq.t("lead.stale"), "warn"})
			}
			if l.Open() {
				if i > 0 {
					c.Prev = leasing.Stages[i-1]
				}
				c.Next = leasing.Stages[i+1]
				weighted += l.MaxArea * measure.Area(l.Probability) / 100
			}
			area += l.MaxArea
			col.Leads = append(col.Leads, c)
		}
		col.Area = i18n.Area(rq.lang, area)
		v.Columns = append(v.Columns, col)
	}
	v.Weighted = i18n.Area(rq.lang, weighted)
	s.render(rq, "leads", rq.t("lead.board"), v)
	return nil
}

type leadView struct {
	L        leasing.Lead
	ParkName string
	Timeline []leasing.Activity
	Holds    []holdRow
	Units    []option
	Stages   []option
	Reasons  []option
	Kinds    []option
	CanLease bool
	Error    string
	Contract string
}

type holdRow struct {
	H    leasing.Hold
	Code string
}

func (s *Server) leadPage(rq *request) error {
	l, err := s.svc.Leasing.GetLead(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.showLead(rq, l, "")
}

func (s *Server) showLead(rq *request, l leasing.Lead, problem string) error {
	v := leadView{L: l, ParkName: rq.parkName(l.ParkID), CanLease: rq.canLease(), Error: problem,
		Stages: enumOptions(rq, "lead_stage", leasing.Stages, ""), Reasons: enumOptions(rq, "loss_reason", leasing.LossReasons, k("common.none")),
		Kinds: enumOptions(rq, "activity_kind", leasing.ActivityKinds, "")}
	var err error
	if v.Timeline, err = s.svc.Leasing.LeadActivities(rq.ctx, rq.scope, l.ID); err != nil {
		return err
	}
	holds, err := s.svc.Leasing.ListHolds(rq.ctx, rq.scope, leasing.HoldFilter{LeadID: l.ID}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	for _, h := range holds.Items {
		v.Holds = append(v.Holds, holdRow{H: h, Code: rq.unitCode(h.UnitID)})
	}
	if v.Units, err = rq.parkUnitOptions(l.ParkID); err != nil {
		return err
	}
	if l.ContractID != "" {
		if k, err := s.svc.Leasing.GetContract(rq.ctx, rq.scope, l.ContractID); err == nil {
			v.Contract = k.Number
		}
	}
	s.render(rq, "lead", l.Company, v)
	return nil
}

// leadAction handles the forms on a lead page; a refusal is shown on the page with its reason.
func (s *Server) leadAction(rq *request) error {
	id := rq.r.PathValue("id")
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var f apperr.Fields
	day := func(name string, required bool) civil.Date {
		v := first(vals, name)
		if v == "" && !required {
			return civil.Date{}
		}
		d, err := civil.Parse(v)
		if err != nil {
			f.Add(name, "bad_date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
		}
		return d
	}
	back := "/leads/" + id
	switch action := rq.r.URL.Path[strings.LastIndex(rq.r.URL.Path, "/")+1:]; action {
	case "move":
		_, err = s.svc.Leasing.MoveLead(rq.ctx, rq.scope, id, leasing.Move{Stage: leasing.Stage(first(vals, "stage")),
			LossReason: first(vals, "loss_reason"), Note: first(vals, "note")})
		if b := first(vals, "back"); err == nil && strings.HasPrefix(b, "/leads") {
			back = b
		}
	case "activity":
		in := leasing.ActivityInput{Kind: first(vals, "kind"), Text: first(vals, "text"), NextFollowUp: day("next_follow_up", false)}
		if err = f.Err(); err == nil {
			_, err = s.svc.Leasing.AddActivity(rq.ctx, rq.scope, id, in)
		}
	case "hold":
		h := leasing.Hold{LeadID: id, UnitID: first(vals, "unit_id"), From: day("from", false), Until: day("until", true), Note: first(vals, "note")}
		if err = f.Err(); err == nil {
			_, err = s.svc.Leasing.CreateHold(rq.ctx, rq.scope, h)
		}
	case "convert":
		c := leasing.Conversion{Number: first(vals, "number"), StartOn: day("start_on", true), EndOn: day("end_on", true),
			CreditCode: first(vals, "credit_code")}
		if p := strings.TrimSpace(first(vals, "price")); p != "" {
			if c.Price, err = measure.ParsePrice(p); err != nil {
				f.Add("price", "bad_price", "应为最多四位小数的数字", "must be a number with at most four decimals")
			}
		}
		if err = f.Err(); err == nil {
			var res leasing.ConversionResult
			if res, err = s.svc.Leasing.ConvertLead(rq.ctx, rq.scope, id, c); err == nil {
				back = "/contracts/" + res.ContractID
			}
		}
	}
	if err == nil {
		return rq.redirect(back)
	}
	if !formError(err) {
		return err
	}
	l, gerr := s.svc.Leasing.GetLead(rq.ctx, rq.scope, id)
	if gerr != nil {
		return gerr
	}
	rq.w.WriteHeader(httpx.StatusOf(err))
	return s.showLead(rq, l, strings.Join(rq.applyErrors(nil, err), "；"))
}

func (s *Server) releaseHold(rq *request) error {
	h, err := s.svc.Leasing.ReleaseHold(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return rq.redirect("/leads/" + h.LeadID)
}
