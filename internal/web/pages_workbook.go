package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/reportbook"
	"github.com/parkos/parkos/internal/sheet"
	"github.com/parkos/parkos/internal/stats"
	"github.com/parkos/parkos/internal/uploadstash"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) workbookRoutes(mux *http.ServeMux) {
	mux.Handle("GET /periods/{id}/template.xlsx", s.page(s.periodTemplate))
	mux.Handle("POST /periods/{id}/upload", s.page(s.periodUpload))
	mux.Handle("GET /periods/{id}/upload/{token}", s.page(s.uploadPreview))
	mux.Handle("GET /periods/{id}/upload/{token}/annotated.xlsx", s.page(s.uploadAnnotated))
	mux.Handle("POST /periods/{id}/upload/{token}/commit", s.page(s.uploadCommit))
}

func (s *Server) periodTemplate(rq *request) error {
	data, name, err := reportbook.TemplateFor(rq.ctx, s.svc.Stats, rq.scope, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	return sendFile(rq, xlsxType, name, data)
}

// periodUpload receives a filled workbook, keeps it for the preview and shows what it would do.
func (s *Server) periodUpload(rq *request) error {
	periodID := rq.r.PathValue("id")
	p, err := s.svc.Stats.GetPeriod(rq.ctx, rq.scope, periodID)
	if err != nil {
		return err
	}
	name, data, err := receiveFile(rq)
	var token string
	if err == nil {
		token, err = s.svc.Uploads.Keep(rq.ctx, rq.scope, uploadstash.Upload{Target: periodID, Name: name, Data: data})
	}
	if err != nil {
		if formError(err) {
			return s.showPeriod(rq, p, err)
		}
		return err
	}
	return rq.redirect("/periods/" + periodID + "/upload/" + token)
}

// receiveFile reads the "file" field of an upload form, within the workbook size limit. A form
// without a file is a BadRequest the page shows beside the form.
func receiveFile(rq *request) (string, []byte, error) {
	rq.r.Body = http.MaxBytesReader(rq.w, rq.r.Body, sheet.DefaultLimits.MaxBytes+1<<20)
	noFile := apperr.New(apperr.BadRequest, "请选择要上传的文件", "choose a file to upload")
	if err := rq.r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, apperr.New(apperr.TooLarge, "文件过大", "the file is too large")
		}
		return "", nil, noFile
	}
	defer rq.r.MultipartForm.RemoveAll()
	f, hdr, err := rq.r.FormFile("file")
	if err != nil {
		return "", nil, noFile
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	return hdr.Filename, data, err
}

// sendFile answers a download.
func sendFile(rq *request, kind, name string, data []byte) error {
	rq.w.Header().Set("Content-Type", kind)
	httpx.Attachment(rq.w, name)
	_, err := rq.w.Write(data)
	return err
}

type uploadView struct {
	Period   stats.Period
	Label    string
	Name     string
	Token    string
	Result   reportbook.Result
	Problems []problemRow
	Error    string
}

// uploadOutcome is what an upload preview shows: the message of a file that cannot be read, or
// its problems, either answered 422. Any other error is the page's.
func (rq *request) uploadOutcome(problem error, problems []sheet.Problem) (string, []problemRow, error) {
	var msg string
	if problem != nil {
		e, ok := apperr.As(problem)
		if !ok || !formError(problem) && e.Code != apperr.TooLarge {
			return "", nil, problem
		}
		msg = rq.pick(e.MessageZh, e.MessageEn)
	}
	if problem != nil || len(problems) > 0 {
		rq.w.WriteHeader(http.StatusUnprocessableEntity)
	}
	rows := make([]problemRow, len(problems))
	for i, pr := range problems {
		rows[i] = problemRow{P: pr, Message: rq.pick(pr.MessageZh, pr.MessageEn)}
	}
	return msg, rows, nil
}

type problemRow struct {
	P       sheet.Problem
	Message string
}

// stashed is the caller's kept upload named by the path's token, for target.
func (s *Server) stashed(rq *request, target string) (uploadstash.Upload, error) {
	return s.svc.Uploads.Get(rq.ctx, rq.scope, rq.r.PathValue("token"), target)
}

// uploadPreview checks the stashed upload without writing and shows the outcome.
func (s *Server) uploadPreview(rq *request) error {
	up, err := s.stashed(rq, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	res, _, err := reportbook.Import(rq.ctx, s.svc.Stats, rq.scope, up.Target, up.Data, sheet.DefaultLimits, true)
	return s.showUpload(rq, up, res, err)
}

func (s *Server) showUpload(rq *request, up uploadstash.Upload, res reportbook.Result, problem error) error {
	p, err := s.svc.Stats.GetPeriod(rq.ctx, rq.scope, up.Target)
	if err != nil {
		return err
	}
	v := uploadView{Period: p, Label: rq.labelOf(p), Name: up.Name, Token: rq.r.PathValue("token"), Result: res}
	if v.Error, v.Problems, err = rq.uploadOutcome(problem, res.Problems); err != nil {
		return err
	}
	s.render(rq, "upload", rq.t("upload.title", v.Label), v)
	return nil
}

// uploadAnnotated downloads the upload with its bad cells marked.
func (s *Server) uploadAnnotated(rq *request) error {
	up, err := s.stashed(rq, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	_, parsed, err := reportbook.Import(rq.ctx, s.svc.Stats, rq.scope, up.Target, up.Data, sheet.DefaultLimits, true)
	if err != nil {
		return err
	}
	return sendMarked(rq, up, parsed.Problems)
}

// sendMarked downloads an upload with its bad cells marked.
func sendMarked(rq *request, up uploadstash.Upload, problems []sheet.Problem) error {
	marked, err := sheet.Annotate(up.Data, sheet.DefaultLimits, problems)
	if err != nil {
		return err
	}
	return sendFile(rq, xlsxType, "标注错误_"+up.Name+".xlsx", marked)
}

// uploadCommit applies the previewed upload, all or nothing.
func (s *Server) uploadCommit(rq *request) error {
	up, err := s.stashed(rq, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	res, _, err := reportbook.Import(rq.ctx, s.svc.Stats, rq.scope, up.Target, up.Data, sheet.DefaultLimits, false)
	if err != nil || !res.Committed {
		return s.showUpload(rq, up, res, err)
	}
	if err := s.svc.Uploads.Drop(rq.ctx, rq.scope, rq.r.PathValue("token")); err != nil {
		return err
	}
	q := url.Values{"imported": {"1"}, "changed": {strconv.Itoa(res.Changed)}, "submitted": {strconv.Itoa(res.Submitted)},
		"unchanged": {strconv.Itoa(res.Unchanged)}}
	return rq.redirect("/periods/" + up.Target + "?" + q.Encode())
}
