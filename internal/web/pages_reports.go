package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/reportbook"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/stats"
)

func (rq *request) canOpenPeriods() bool { return rq.scope.May(identity.OpenPeriods) }

func (rq *request) canReview() bool { return rq.scope.May(identity.ReviewReports) }

func reportBadge(rq *request, s stats.Status) []badge {
	class := map[stats.Status]string{stats.Draft: "", stats.Submitted: "info", stats.Returned: "bad", stats.Approved: "ok"}[s]
	return []badge{{rq.t("report_status." + string(s)), class}}
}

// periodLabel names a period in the user's language, looked up once per request.
func (rq *request) periodLabel(id string) string {
	return rq.name("period", id, func() (string, error) {
		p, err := rq.srv.svc.Stats.GetPeriod(rq.ctx, rq.scope, id)
		return rq.labelOf(p), err
	})
}

func (rq *request) labelOf(p stats.Period) string {
	return rq.t("period.label_"+string(p.Kind), p.Year, p.Seq)
}

func (s *Server) reportRoutes(mux *http.ServeMux) {
	sv := s.svc
	lister[stats.Period, stats.PeriodFilter]{
		path: "/periods", title: k("period.list"),
		cols: []colSpec[stats.Period]{
			{k("period.label"), "end_on", false, func(rq *request, p stats.Period) cell {
				return cell{Text: rq.labelOf(p), Link: "/periods/" + p.ID}
			}},
			{k("period.park"), "", false, func(rq *request, p stats.Period) cell {
				if p.ParkID == "" {
					return cell{Text: rq.t("period.all_parks")}
				}
				return cell{Text: rq.parkName(p.ParkID)}
			}},
			{k("period.kind"), "", false, func(rq *request, p stats.Period) cell { return cell{Text: rq.t("period_kind." + string(p.Kind))} }},
			{k("period.deadline"), "deadline", false, func(rq *request, p stats.Period) cell {
				c := cell{Text: p.Deadline.String()}
				if s.clock.Today().After(p.Deadline) {
					c.Badges = []badge{{rq.t("period.past_deadline"), "warn"}}
				}
				return c
			}},
		},
		filters: func(rq *request) []fieldSpec {
			parks, _ := rq.parkOptions(k("filter.all"), false)
			return []fieldSpec{
				{Name: "park_id", Label: k("period.park"), Kind: "select", Options: parks},
				{Name: "kind", Label: k("period.kind"), Kind: "select", Options: enumOptions(rq, "period_kind", stats.Kinds, k("filter.all"))},
				{Name: "year", Label: k("period.year"), Kind: "number"},
			}
		},
		parse: func(q *httpin.Query) stats.PeriodFilter {
			return stats.PeriodFilter{ParkID: q.Str("park_id"), Kind: stats.Kind(q.Str("kind")), Year: q.Int("year")}
		},
		list: sv.Stats.ListPeriods,
		newURL: func(rq *request) string {
			if rq.canOpenPeriods() {
				return "/periods/new"
			}
			return ""
		},
	}.mount(s, mux)
	lister[stats.Report, stats.ReportFilter]{
		path: "/reports", title: k("report.list"),
		cols: []colSpec[stats.Report]{
			{k("report.period"), "", false, func(rq *request, r stats.Report) cell {
				return cell{Text: rq.periodLabel(r.PeriodID), Link: "/reports/" + r.ID, Badges: reportBadge(rq, r.Status)}
			}},
			{k("report.enterprise"), "", false, func(rq *request, r stats.Report) cell {
				return cell{Text: rq.enterpriseName(r.EnterpriseID), Wrap: true}
			}},
			{k("period.park"), "", false, func(rq *request, r stats.Report) cell { return cell{Text: rq.parkName(r.ParkID)} }},
			{k("report.submissions"), "", true, func(rq *request, r stats.Report) cell { return cell{Text: strconv.Itoa(r.Submissions)} }},
			{k("report.updated_at"), "updated_at", false, func(rq *request, r stats.Report) cell {
				return cell{Text: civil.FromTime(r.UpdatedAt).String()}
			}},
		},
		filters: func(rq *request) []fieldSpec {
			return []fieldSpec{
				{Name: "status", Label: k("report.status"), Kind: "select", Options: enumOptions(rq, "report_status", stats.Statuses, k("filter.all"))},
			}
		},
		parse: func(q *httpin.Query) stats.ReportFilter {
			return stats.ReportFilter{PeriodID: q.Str("period_id"), ParkID: q.Str("park_id"), EnterpriseID: q.Str("enterprise_id"),
				Status: stats.Status(q.Str("status"))}
		},
		list: sv.Stats.ListReports,
	}.mount(s, mux)
	mux.Handle("GET /periods/new", s.page(s.periodForm))
	mux.Handle("POST /periods/new", s.page(s.periodForm))
	mux.Handle("GET /periods/{id}", s.page(s.periodPage))
	mux.Handle("POST /periods/{id}/close", s.page(s.closePeriod))
	mux.Handle("POST /periods/{id}/approve-submitted", s.page(s.approveSubmitted))
	mux.Handle("GET /reports/{id}", s.page(s.reportPage))
	mux.Handle("POST /reports/{id}/{action}", s.page(s.reportAction))
}

func (s *Server) periodSpecs(rq *request) ([]fieldSpec, error) {
	parks, err := rq.parkOptions("", true)
	if err != nil {
		return nil, err
	}
	if rq.scope.AllParks() {
		parks = append([]option{{Value: "", Label: rq.t("period.all_parks")}}, parks...)
	}
	return []fieldSpec{
		{Name: "park_id", Label: k("period.park"), Kind: "select", Options: parks},
		{Name: "kind", Label: k("period.kind"), Kind: "select", Required: true, Options: enumOptions(rq, "period_kind", stats.Kinds, "")},
		{Name: "year", Label: k("period.year"), Kind: "number", Required: true},
		{Name: "seq", Label: k("period.seq"), Kind: "number", Help: k("help.period_seq")},
		{Name: "deadline", Label: k("period.deadline"), Kind: "date", Required: true},
	}, nil
}

// periodForm opens a reporting period; every enterprise the park keeps is asked to file.
func (s *Server) periodForm(rq *request) error {
	specs, err := s.periodSpecs(rq)
	if err != nil {
		return err
	}
	crumbs := []crumb{{rq.t("period.list"), "/periods"}}
	if rq.r.Method == http.MethodGet {
		today := s.clock.Today()
		vals := values{"kind": {"quarterly"}, "year": {strconv.Itoa(today.Year())}, "seq": {"1"}}
		if len(rq.scope.ParkIDs) > 0 {
			vals["park_id"] = []string{rq.scope.ParkIDs[0]}
		}
		return s.showCustomForm(rq, rq.t("period.new"), specs, vals, nil, crumbs)
	}
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var p stats.Period
	err = httpin.DecodeStrict(toJSON(specs, vals), &p)
	if err == nil {
		p, err = s.svc.Stats.OpenPeriod(rq.ctx, rq.scope, p)
	}
	if formError(err) {
		return s.showCustomForm(rq, rq.t("period.new"), specs, vals, err, crumbs)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/periods/" + p.ID)
}

type progressRow struct {
	Park string
	P    stats.Progress
}

type periodView struct {
	P        stats.Period
	Label    string
	Park     string
	Progress []progressRow
	Total    stats.Progress
	Reports  []reportRow
	// CanImport offers the filing workbook; Imported reports a finished upload, Error a refused one.
	CanImport, CanClose, CanApprove bool
	Imported, Error                 string
}

// approveSubmitted approves every submitted report of the period the user may review.
func (s *Server) approveSubmitted(rq *request) error {
	id := rq.r.PathValue("id")
	n, err := s.svc.Stats.ApproveSubmitted(rq.ctx, rq.scope, id)
	if err != nil {
		return err
	}
	return rq.redirect("/periods/" + id + "?approved=" + strconv.Itoa(n))
}

// closePeriod closes a period; a refusal is shown on the period page.
func (s *Server) closePeriod(rq *request) error {
	p, err := s.svc.Stats.ClosePeriod(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if formError(err) {
		cur, gerr := s.svc.Stats.GetPeriod(rq.ctx, rq.scope, rq.r.PathValue("id"))
		if gerr != nil {
			return gerr
		}
		return s.showPeriod(rq, cur, err)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/periods/" + p.ID)
}

type reportRow struct {
	R          stats.Report
	Enterprise string
	Badges     []badge
}

// periodPage shows a period's progress per park and its reports that need attention first.
func (s *Server) periodPage(rq *request) error {
	p, err := s.svc.Stats.GetPeriod(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.showPeriod(rq, p, nil)
}

// showPeriod renders the period page; problem is a refused upload, shown at the top.
func (s *Server) showPeriod(rq *request, p stats.Period, problem error) error {
	progress, err := s.svc.Stats.Progress(rq.ctx, rq.scope, p.ID)
	if err != nil {
		return err
	}
	v := periodView{P: p, Label: rq.labelOf(p), Park: rq.t("period.all_parks"), CanImport: !p.Closed && (rq.canReview() || rq.user.Role.IsEnterprise()),
		CanClose: !p.Closed && rq.canOpenPeriods()}
	if q := rq.r.URL.Query(); q.Get("imported") == "1" {
		v.Imported = rq.t("upload.done", q.Get("changed"), q.Get("submitted"), q.Get("unchanged"))
	} else if n, err := strconv.Atoi(q.Get("approved")); err == nil {
		v.Imported = rq.t("period.approved_n", n)
	}
	v.CanApprove = !p.Closed && rq.canReview()
	if _, ok := apperr.As(problem); ok {
		v.Error = rq.problemText(problem)
		rq.w.WriteHeader(http.StatusUnprocessableEntity)
	}
	if p.ParkID != "" {
		v.Park = rq.parkName(p.ParkID)
	}
	for _, g := range progress {
		v.Progress = append(v.Progress, progressRow{Park: rq.parkName(g.ParkID), P: g})
		v.Total.Total += g.Total
		v.Total.Draft += g.Draft
		v.Total.Submitted += g.Submitted
		v.Total.Returned += g.Returned
		v.Total.Approved += g.Approved
		v.Total.Late += g.Late
	}
	reports, err := s.svc.Stats.ListReports(rq.ctx, rq.scope, stats.ReportFilter{PeriodID: p.ID}, page.Request{Sort: "status", Limit: 200})
	if err != nil {
		return err
	}
	order := map[stats.Status]int{stats.Submitted: 0, stats.Returned: 1, stats.Draft: 2, stats.Approved: 3}
	slices.SortStableFunc(reports.Items, func(a, b stats.Report) int { return order[a.Status] - order[b.Status] })
	for _, r := range reports.Items {
		v.Reports = append(v.Reports, reportRow{R: r, Enterprise: rq.enterpriseName(r.EnterpriseID), Badges: reportBadge(rq, r.Status)})
	}
	s.render(rq, "period", v.Label, v)
	return nil
}

// figureRow is one measure on the report page: what is filed, what was filed the period
// before, and any problem with it.
type figureRow struct {
	Key, Label, Unit, Input, Shown, Previous, Error, Warning string
	Required                                                 bool
}

type reportView struct {
	R        stats.Report
	Period   string
	Deadline civil.Date
	Company  string
	Rows     []figureRow
	Warnings []stats.Warning
	CanFile  bool
	CanAudit bool
	Error    string
	Lang     string
}

// figureText shows a figure for reading: money in 万元, counts as integers.
func figureText(m stats.Measure, f stats.Figures) string {
	v, ok := f[m.Key]
	if !ok {
		return ""
	}
	if m.Money {
		return measure.Money(v).Wan()
	}
	return i18n.Int(v)
}

func (s *Server) reportPage(rq *request) error {
	r, err := s.svc.Stats.GetReport(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.showReport(rq, r, filing{}, nil)
}

// filing is what the filer entered when a save or submission was refused: the text of each
// input and the figures read from it, so the page shows them back with their warnings.
type filing struct {
	inputs  map[string]string
	figures stats.Figures
}

// showReport renders the report page; entered and problem are the refused filing and why, empty
// on a plain view.
func (s *Server) showReport(rq *request, r stats.Report, entered filing, problem error) error {
	p, err := s.svc.Stats.GetPeriod(rq.ctx, rq.scope, r.PeriodID)
	if err != nil {
		return err
	}
	prev, err := s.svc.Stats.PreviousFigures(rq.ctx, rq.scope, r)
	if err != nil {
		return err
	}
	checked := r.Figures
	if entered.figures != nil {
		checked = entered.figures
	}
	_, warns := stats.Check(checked, prev)
	v := reportView{R: r, Period: rq.labelOf(p), Deadline: p.Deadline, Company: rq.enterpriseName(r.EnterpriseID),
		CanFile: rq.user.Role.IsEnterprise() && r.Editable() && !p.Closed, CanAudit: rq.canReview() && r.Status == stats.Submitted,
		Warnings: warns, Lang: rq.lang}
	fieldErrs := map[string]string{}
	if e, ok := apperr.As(problem); ok {
		for _, fe := range e.Fields {
			if fe.Code != "needs_confirmation" { // shown as the field's warning, with its checkbox
				fieldErrs[fe.Field] = rq.pick(fe.MessageZh, fe.MessageEn)
			}
		}
		v.Error = rq.pick(e.MessageZh, e.MessageEn)
	}
	for _, m := range stats.Measures {
		row := figureRow{Key: m.Key, Label: rq.pick(m.Zh, m.En), Shown: figureText(m, r.Figures), Previous: figureText(m, prev),
			Required: m.Required, Error: fieldErrs[m.Key]}
		if m.Money {
			row.Unit = rq.t("report.unit_wan")
		}
		row.Input = row.Shown
		if in, ok := entered.inputs[m.Key]; ok {
			row.Input = in
		}
		for _, w := range warns {
			if w.Field == m.Key {
				row.Warning = rq.pick(w.MessageZh, w.MessageEn)
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if problem != nil {
		rq.w.WriteHeader(httpx.StatusOf(problem))
	}
	s.render(rq, "report", v.Company+" · "+v.Period, v)
	return nil
}

// readFigures parses the report form: money in 万元 (thousands separators and full-width digits
// are fine), counts as whole numbers. Problems come back per measure.
func readFigures(vals values) (stats.Figures, map[string]string, apperr.Fields) {
	figures, inputs := stats.Figures{}, map[string]string{}
	var f apperr.Fields
	for _, m := range stats.Measures {
		text := first(vals, m.Key)
		inputs[m.Key] = text
		v, ok, err := reportbook.ReadFigure(m, text, true)
		if ce, bad := err.(*sheet.CellError); bad {
			f.Add(m.Key, ce.Code, m.Zh+"："+ce.MessageZh, m.En+": "+ce.MessageEn)
			continue
		}
		if ok {
			figures[m.Key] = v
		}
	}
	return figures, inputs, f
}

// reportAction handles save, submit, approve and return on the report page.
func (s *Server) reportAction(rq *request) error {
	id, action := rq.r.PathValue("id"), rq.r.PathValue("action")
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var entered filing
	switch action {
	case "save", "submit":
		figures, inputs, parseErrs := readFigures(vals)
		entered = filing{inputs: inputs, figures: figures}
		if len(parseErrs) > 0 {
			err = parseErrs.Err()
		} else if action == "save" {
			_, err = s.svc.Stats.SaveReportDraft(rq.ctx, rq.scope, id, figures)
		} else {
			_, err = s.svc.Stats.SubmitReport(rq.ctx, rq.scope, id, figures, vals["confirm"])
		}
	case "approve":
		_, err = s.svc.Stats.ReviewReport(rq.ctx, rq.scope, id, true, "")
	case "return":
		_, err = s.svc.Stats.ReviewReport(rq.ctx, rq.scope, id, false, first(vals, "reason"))
	default:
		return errNotFound
	}
	if err == nil {
		return rq.redirect("/reports/" + id)
	}
	if !formError(err) {
		return err
	}
	cur, gerr := s.svc.Stats.GetReport(rq.ctx, rq.scope, id)
	if gerr != nil {
		return gerr
	}
	return s.showReport(rq, cur, entered, err)
}
