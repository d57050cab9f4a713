package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/onboard"
	"github.com/parkos/parkos/internal/onboardbook"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/space"
	"github.com/parkos/parkos/internal/uploadstash"
)

// onboardingTarget marks stashed onboarding uploads, as a period's id marks a period's.
const onboardingTarget = "onboarding"

func (s *Server) onboardingRoutes(mux *http.ServeMux) {
	mux.Handle("GET /onboarding", s.page(s.onboardingPage))
	mux.Handle("GET /onboarding/export", s.page(s.onboardingExport))
	mux.Handle("GET /onboarding/template.xlsx", s.page(s.onboardingTemplate))
	mux.Handle("POST /onboarding/upload", s.page(s.onboardingUpload))
	mux.Handle("GET /onboarding/upload/{token}", s.page(s.onboardingPreview))
	mux.Handle("GET /onboarding/upload/{token}/annotated.xlsx", s.page(s.onboardingAnnotated))
	mux.Handle("POST /onboarding/upload/{token}/commit", s.page(s.onboardingCommit))
}

// canOnboard: the roles that keep a park's books — the platform's administrators and park
// managers — import them; the store still checks each row against the caller's scope.
func (rq *request) canOnboard() bool { return rq.scope.May(identity.Onboard) }

type onboardingView struct {
	Parks     []space.Park
	Entities  []option
	CanImport bool
	Imported  string
	Error     string
}

func (rq *request) entityOptions() []option {
	out := make([]option, len(onboard.Entities))
	for i, e := range onboard.Entities {
		out[i] = option{Value: e, Label: rq.t("onboarding.entity." + e)}
	}
	return out
}

func (s *Server) onboardingPage(rq *request) error { return s.showOnboarding(rq, nil) }

func (s *Server) showOnboarding(rq *request, problem error) error {
	if rq.user.Role.IsEnterprise() {
		return apperr.New(apperr.Forbidden, "企业用户不能导入或导出园区数据", "enterprise users cannot import or export park records")
	}
	parks, err := rq.parks()
	if err != nil {
		return err
	}
	v := onboardingView{Parks: parks, Entities: rq.entityOptions(), CanImport: rq.canOnboard()}
	if q := rq.r.URL.Query(); q.Get("imported") == "1" {
		v.Imported = rq.t("onboarding.done", q.Get("created"), q.Get("changed"), q.Get("unchanged"))
	}
	if _, ok := apperr.As(problem); ok {
		v.Error = rq.problemText(problem)
		rq.w.WriteHeader(http.StatusUnprocessableEntity)
	}
	s.render(rq, "onboarding", rq.t("onboarding.title"), v)
	return nil
}

// onboardingExport downloads the caller's records, or one park's, as the workbook or one
// kind as CSV.
func (s *Server) onboardingExport(rq *request) error {
	q := httpin.NewQuery(rq.r.URL.Query())
	parkID, entity := q.Str("park_id"), q.OneOf("entity", onboard.Entities...)
	if err := q.Err(); err != nil {
		return err
	}
	if parkID != "" {
		if _, err := s.svc.Space.GetPark(rq.ctx, rq.scope, parkID); err != nil {
			return err
		}
	}
	if entity != "" {
		data, err := onboardbook.ExportCSV(rq.ctx, s.svc.Onboard, rq.scope, parkID, entity)
		if err != nil {
			return err
		}
		return sendFile(rq, "text/csv; charset=utf-8", "parkos-"+entity+".csv", data)
	}
	data, err := onboardbook.Export(rq.ctx, s.svc.Onboard, rq.scope, parkID)
	if err != nil {
		return err
	}
	return sendFile(rq, xlsxType, "parkos-onboarding.xlsx", data)
}

func (s *Server) onboardingTemplate(rq *request) error {
	data, err := onboardbook.Write(onboard.Batch{})
	if err != nil {
		return err
	}
	return sendFile(rq, xlsxType, "parkos-onboarding-template.xlsx", data)
}

func (s *Server) onboardingUpload(rq *request) error {
	if !rq.canOnboard() {
		return apperr.New(apperr.Forbidden, "您的角色无权导入园区数据", "your role may not import park records")
	}
	name, data, err := receiveFile(rq)
	var token string
	if err == nil {
		token, err = s.svc.Uploads.Keep(rq.ctx, rq.scope, uploadstash.Upload{Target: onboardingTarget, Name: name,
			Entity: rq.r.FormValue("entity"), Data: data})
	}
	if err != nil {
		if formError(err) {
			return s.showOnboarding(rq, err)
		}
		return err
	}
	return rq.redirect("/onboarding/upload/" + token)
}

type onboardingUploadView struct {
	Name     string
	Token    string
	Result   onboardbook.Result
	Counts   []entityCounts
	Problems []problemRow
	Error    string
}

type entityCounts struct {
	Label string
	C     onboard.Counts
}

// onboardingPreview checks the stashed file without writing and shows what it would create,
// change and leave alone, or every problem.
func (s *Server) onboardingPreview(rq *request) error {
	up, err := s.stashed(rq, onboardingTarget)
	if err != nil {
		return err
	}
	res, err := onboardbook.Import(rq.ctx, s.svc.Onboard, rq.scope, up.Data, sheet.DefaultLimits, up.Entity, true)
	return s.showOnboardingUpload(rq, up, res, err)
}

func (s *Server) showOnboardingUpload(rq *request, up uploadstash.Upload, res onboardbook.Result, problem error) error {
	v := onboardingUploadView{Name: up.Name, Token: rq.r.PathValue("token"), Result: res}
	var err error
	if v.Error, v.Problems, err = rq.uploadOutcome(problem, res.Problems); err != nil {
		return err
	}
	for _, e := range onboard.Entities {
		if c := res.Counts[e]; c.Created+c.Changed+c.Unchanged > 0 {
			v.Counts = append(v.Counts, entityCounts{Label: rq.t("onboarding.entity." + e), C: c})
		}
	}
	s.render(rq, "onboarding-upload", rq.t("onboarding.preview", up.Name), v)
	return nil
}

func (s *Server) onboardingAnnotated(rq *request) error {
	up, err := s.stashed(rq, onboardingTarget)
	if err != nil {
		return err
	}
	res, err := onboardbook.Import(rq.ctx, s.svc.Onboard, rq.scope, up.Data, sheet.DefaultLimits, up.Entity, true)
	if err != nil {
		return err
	}
	return sendMarked(rq, up, res.Problems)
}

// onboardingCommit applies the previewed file, all or nothing.
func (s *Server) onboardingCommit(rq *request) error {
	if !rq.canOnboard() {
		return apperr.New(apperr.Forbidden, "您的角色无权导入园区数据", "your role may not import park records")
	}
	up, err := s.stashed(rq, onboardingTarget)
	if err != nil {
		return err
	}
	res, err := onboardbook.Import(rq.ctx, s.svc.Onboard, rq.scope, up.Data, sheet.DefaultLimits, up.Entity, false)
	if err != nil || !res.Committed {
		return s.showOnboardingUpload(rq, up, res, err)
	}
	if err := s.svc.Uploads.Drop(rq.ctx, rq.scope, rq.r.PathValue("token")); err != nil {
		return err
	}
	var total onboard.Counts
	for _, c := range res.Counts {
		total.Created += c.Created
		total.Changed += c.Changed
		total.Unchanged += c.Unchanged
	}
	q := url.Values{"imported": {"1"}, "created": {strconv.Itoa(total.Created)}, "changed": {strconv.Itoa(total.Changed)},
		"unchanged": {strconv.Itoa(total.Unchanged)}}
	return rq.redirect("/onboarding?" + q.Encode())
}
