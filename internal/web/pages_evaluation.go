package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/parkos/parkos/internal/evaluation"
	"github.com/parkos/parkos/internal/httpin"
)

func (s *Server) evaluationRoutes(mux *http.ServeMux) {
	mux.Handle("GET /evaluation", s.listPage(s.evaluationPage))
	mux.Handle("POST /evaluation/templates/{key}", s.page(s.schemeFromTemplate))
	mux.Handle("GET /evaluation/schemes/{id}", s.page(s.schemePage))
	mux.Handle("POST /evaluation/schemes/{id}/runs", s.page(s.runScheme))
	mux.Handle("GET /evaluation/runs/{id}", s.page(s.runPage))
	mux.Handle("GET /evaluation/runs/{id}/{format}", s.page(s.runExport))
}

func (s *Server) evaluationPage(rq *request) error {
	schemes, err := s.svc.Evaluation.Schemes(rq.ctx, rq.scope)
	if err != nil {
		return err
	}
	s.render(rq, "evaluation", rq.t("evaluation.title"), struct {
		Schemes   []evaluation.Scheme
		Templates []evaluation.Template
	}{schemes, evaluation.Templates})
	return nil
}

// schemeFromTemplate starts a scheme (or its next version) from a shipped template.
func (s *Server) schemeFromTemplate(rq *request) error {
	for _, tpl := range evaluation.Templates {
		if tpl.Key == rq.r.PathValue("key") {
			sc, err := s.svc.Evaluation.CreateScheme(rq.ctx, rq.scope, evaluation.SchemeInput{Name: rq.pick(tpl.NameZh, tpl.NameEn), Definition: tpl.Definition})
			if err != nil {
				return err
			}
			return rq.redirect("/evaluation/schemes/" + sc.ID)
		}
	}
	return errNotFound
}

type schemeView struct {
	S     evaluation.Scheme
	Runs  []evaluation.Run
	Names map[string]string
	Year  int
	Error string
}

func (s *Server) schemePage(rq *request) error { return s.showScheme(rq, nil) }

func (s *Server) showScheme(rq *request, failure error) error {
	id := rq.r.PathValue("id")
	sc, err := s.svc.Evaluation.Scheme(rq.ctx, rq.scope, id)
	if err != nil {
		return err
	}
	runs, err := s.svc.Evaluation.Runs(rq.ctx, rq.scope, id)
	if err != nil {
		return err
	}
	v := schemeView{S: sc, Runs: runs, Names: map[string]string{}, Year: s.svc.Indicators.DefaultYear()}
	catalog, err := s.svc.Indicators.Catalog(rq.ctx)
	if err != nil {
		return err
	}
	for _, ind := range catalog {
		v.Names[ind.Code] = rq.pick(ind.NameZh, ind.NameEn) + "（" + ind.Unit + "）"
	}
	if failure != nil {
		v.Error = rq.problemText(failure)
		rq.w.WriteHeader(http.StatusUnprocessableEntity)
	}
	s.render(rq, "scheme", sc.Name+" v"+strconv.Itoa(sc.Version), v)
	return nil
}

func (s *Server) runScheme(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	var in evaluation.RunRequest
	var run evaluation.Run
	err = httpin.DecodeStrict(toJSON([]fieldSpec{{Name: "year", Kind: "number"}, {Name: "group"}}, vals), &in)
	if err == nil {
		run, err = s.svc.Evaluation.Run(rq.ctx, rq.scope, rq.r.PathValue("id"), in)
	}
	if formError(err) {
		return s.showScheme(rq, err)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/evaluation/runs/" + run.ID)
}

func (s *Server) runPage(rq *request) error {
	run, scheme, table, err := s.svc.Evaluation.Report(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	heads := make([]string, len(table.Columns))
	for i, c := range table.Columns {
		heads[i] = c.Header
	}
	rows := make([][]string, len(table.Rows))
	for i, r := range table.Rows {
		for _, v := range r {
			switch x := v.(type) {
			case float64:
				rows[i] = append(rows[i], num(x))
			case int:
				rows[i] = append(rows[i], strconv.Itoa(x))
			default:
				rows[i] = append(rows[i], fmt.Sprint(x))
			}
		}
	}
	s.render(rq, "run", run.SchemeName+" v"+strconv.Itoa(run.SchemeVersion)+" · "+strconv.Itoa(run.Year), struct {
		Run    evaluation.Run
		Scheme evaluation.Scheme
		Heads  []string
		Rows   [][]string
		Notes  []string
	}{run, scheme, heads, rows, table.Notes})
	return nil
}

// runExport downloads a run's report as xlsx or CSV.
func (s *Server) runExport(rq *request) error {
	format := rq.r.PathValue("format")
	if format != "xlsx" && format != "csv" {
		return errNotFound
	}
	run, _, table, err := s.svc.Evaluation.Report(rq.ctx, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeTable(rq, "evaluation-"+strconv.Itoa(run.Year), format, table)
}
